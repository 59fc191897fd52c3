//! Which `Host` a request may name: the server's own addresses only, so that a page on another
//! site whose name was rebound to 127.0.0.1 (DNS rebinding) cannot use it.

use std::net::{IpAddr, SocketAddr};

/// The `Host` values a request may carry (lower-case).
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    names: Vec<String>,
    /// Bound to every interface: any IP literal names the server.
    any_ip: bool,
}

impl AllowedHosts {
    /// The names of a server listening on `bound`, plus `extra` host names.
    pub fn for_address(bound: SocketAddr, extra: &[String]) -> AllowedHosts {
        let port = bound.port();
        let mut hosts: Vec<String> = vec!["localhost".into(), "127.0.0.1".into(), "[::1]".into()];
        hosts.push(match bound.ip() {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        });
        hosts.extend(extra.iter().map(|h| h.to_ascii_lowercase()));
        let mut names = Vec::new();
        for host in hosts {
            names.push(format!("{host}:{port}"));
            names.push(host);
        }
        names.sort();
        names.dedup();
        AllowedHosts {
            names,
            any_ip: bound.ip().is_unspecified(),
        }
    }

    /// True when a request with this `Host` header is for this server.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let host = host.strip_suffix('.').unwrap_or(&host);
        if self.names.iter().any(|n| n == host) {
            return true;
        }
        self.any_ip && is_ip_literal(host)
    }
}

/// `1.2.3.4`, `1.2.3.4:80`, `[::1]`, `[::1]:80`.
fn is_ip_literal(host: &str) -> bool {
    if host.parse::<SocketAddr>().is_ok() || host.parse::<IpAddr>().is_ok() {
        return true;
    }
    host.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .is_some_and(|ip| ip.parse::<std::net::Ipv6Addr>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_a_loopback_server() {
        let hosts = AllowedHosts::for_address("127.0.0.1:8766".parse().unwrap(), &[]);
        for host in [
            "127.0.0.1:8766",
            "127.0.0.1",
            "localhost:8766",
            "LOCALHOST",
            "localhost.",
            "[::1]:8766",
            "[::1]",
        ] {
            assert!(hosts.allows(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:8766",
            "127.0.0.1:8767",
            "localhost.evil.example:8766",
            "10.0.0.1:8766",
            "",
        ] {
            assert!(!hosts.allows(host), "{host}");
        }
    }

    #[test]
    fn hosts_of_a_named_or_unspecified_address() {
        let hosts =
            AllowedHosts::for_address("[::1]:9000".parse().unwrap(), &["Fahras.Local".to_owned()]);
        assert!(hosts.allows("fahras.local:9000"));
        assert!(hosts.allows("[::1]:9000"));
        assert!(!hosts.allows("other.local:9000"));
        // Bound to every interface: any address of the machine, never a foreign name.
        let hosts = AllowedHosts::for_address("0.0.0.0:9000".parse().unwrap(), &[]);
        assert!(hosts.allows("192.168.1.20:9000"));
        assert!(hosts.allows("[fe80::1]:9000"));
        assert!(!hosts.allows("evil.example:9000"));
    }
}
