//! `fahras serve`: the search page and JSON API on a local address.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Address to listen on (port 0 picks a free port). Anything but loopback exposes the index
    /// without authentication.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
}

pub fn run(args: &ServeArgs) -> anyhow::Result<()> {
    if !args.addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone who can reach this address can search the index; there is no authentication",
            args.addr
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(crate::serve::serve(
        args.index.clone(),
        args.addr,
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
