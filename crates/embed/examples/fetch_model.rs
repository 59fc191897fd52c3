//! Fetch the model into a cache folder (for CI: `target/model-cache`, where the tests look).
//!
//!     cargo run --release -p fahras-embed --example fetch_model -- target/model-cache

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/model-cache".into());
    match fahras_embed::fetch(std::path::Path::new(&dir), &mut |m| eprintln!("{m}")) {
        Ok(path) => println!("{}", path.display()),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
