//! `fahras serve`: the search page and JSON API on a local address.

use std::io::Write;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;

use anyhow::Context;

/// Port used when `--addr` names a host without one.
const DEFAULT_PORT: u16 = 8080;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Address to listen on: `IP:PORT` or `HOST:PORT` (e.g. `localhost:8766`; port 0 picks a
    /// free port). Anything but loopback exposes the index without authentication.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Searches running at once; beyond, a few wait and the rest get 503 with Retry-After
    /// (default: two per core, at least 4; also read from FAHRAS_MAX_CONCURRENT_SEARCHES).
    #[arg(long, hide = true)]
    pub max_concurrent_searches: Option<usize>,
    /// Searches that may wait for a slot (default: 4 per slot).
    #[arg(long, hide = true)]
    pub max_queued_searches: Option<usize>,
}

/// The address to listen on for `--addr`: an `IP:PORT` as is; a host name resolved, its first
/// loopback address preferred (IPv4 first: `localhost` often resolves to `::1` too, which some
/// machines cannot bind). Also returns the host name, if one was given.
pub fn resolve_addr(addr: &str) -> anyhow::Result<(SocketAddr, Option<String>)> {
    let addr = addr.trim();
    if let Ok(socket) = addr.parse::<SocketAddr>() {
        return Ok((socket, None));
    }
    // A host without a port (`localhost`), unless it is a bare IPv6 address.
    let (host, with_port) = match addr.rsplit_once(':') {
        Some((host, port)) if port.parse::<u16>().is_ok() && !host.is_empty() => {
            (host.to_owned(), addr.to_owned())
        }
        _ => (addr.to_owned(), format!("{addr}:{DEFAULT_PORT}")),
    };
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return Ok((SocketAddr::new(ip, DEFAULT_PORT), None));
    }
    let candidates: Vec<SocketAddr> = with_port
        .to_socket_addrs()
        .with_context(|| format!("--addr {addr:?}: cannot resolve the host name"))?
        .collect();
    let chosen = candidates
        .iter()
        .find(|a| a.is_ipv4() && a.ip().is_loopback())
        .or_else(|| candidates.iter().find(|a| a.ip().is_loopback()))
        .or_else(|| candidates.first())
        .copied()
        .with_context(|| format!("--addr {addr:?}: the host name has no address"))?;
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    Ok((chosen, Some(host)))
}

/// The bound on concurrent searches: the flag, else the environment variable, else the default.
fn max_concurrent_searches(args: &ServeArgs) -> anyhow::Result<usize> {
    if let Some(max) = args.max_concurrent_searches {
        return Ok(max);
    }
    match std::env::var(crate::serve::MAX_CONCURRENT_ENV) {
        Ok(value) if !value.trim().is_empty() => value.trim().parse().with_context(|| {
            format!(
                "{}={value:?}: expected a whole number",
                crate::serve::MAX_CONCURRENT_ENV
            )
        }),
        _ => Ok(crate::serve::default_max_concurrent_searches()),
    }
}

pub fn run(args: &ServeArgs) -> anyhow::Result<()> {
    let (addr, host_name) = resolve_addr(&args.addr)?;
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {addr}: anyone who can reach this address can search the index; there is no authentication"
        );
    }
    let mut options =
        crate::serve::Options::with_max_concurrent_searches(max_concurrent_searches(args)?);
    if let Some(queued) = args.max_queued_searches {
        options.max_queued_searches = queued;
    }
    options.host_names = host_name.into_iter().collect();
    // Searches run on the blocking pool; with the bound, a few more threads than searches are
    // enough (the stats and shutdown need some too).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(options.max_concurrent_searches + 4)
        .build()?;
    runtime.block_on(crate::serve::serve_with(
        args.index.clone(),
        addr,
        options,
        |bound| {
            let mut out = std::io::stdout();
            let _ = writeln!(
                out,
                "fahras: serving {} on http://{bound}/",
                args.index.display()
            );
            let _ = out.flush();
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_host_names() {
        assert_eq!(
            resolve_addr("127.0.0.1:8766").unwrap(),
            ("127.0.0.1:8766".parse().unwrap(), None)
        );
        let (addr, host) = resolve_addr("localhost:8766").unwrap();
        assert!(addr.ip().is_loopback(), "{addr}");
        assert_eq!(addr.port(), 8766);
        assert_eq!(host.as_deref(), Some("localhost"));
        assert_eq!(resolve_addr("localhost").unwrap().0.port(), DEFAULT_PORT);
        assert_eq!(
            resolve_addr("[::1]:9000").unwrap().0,
            "[::1]:9000".parse().unwrap()
        );
    }
}
