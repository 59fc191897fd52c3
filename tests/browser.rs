//! The search page in a real browser (headless Chromium through playwright-core).
//!
//! Needs `node`, Chromium (`/usr/bin/chromium` or `$CHROMIUM`) and playwright-core (in
//! `$FAHRAS_PLAYWRIGHT_DIR/node_modules`, default `target/browser-test`); `.ci/run` installs them
//! and sets `FAHRAS_REQUIRE_BROWSER=1`, which turns a missing piece into a failure. Elsewhere the
//! test says what is missing and passes without running.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::server::Server;

fn playwright_dir() -> PathBuf {
    std::env::var_os("FAHRAS_PLAYWRIGHT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-test"))
}

fn missing_pieces() -> Vec<String> {
    let mut missing = Vec::new();
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node".to_owned());
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    if !Path::new(&chromium).exists() {
        missing.push(chromium);
    }
    let module = playwright_dir().join("node_modules/playwright-core");
    if !module.exists() {
        missing.push(module.display().to_string());
    }
    missing
}

#[test]
fn the_page_searches_right_to_left_with_marked_hits_and_runs_no_article_script() {
    let missing = missing_pieces();
    if !missing.is_empty() {
        assert!(
            std::env::var_os("FAHRAS_REQUIRE_BROWSER").is_none(),
            "browser test required but missing: {missing:?}"
        );
        eprintln!("browser test not run: missing {missing:?}");
        return;
    }
    let (_dirs, index) = common::server_fixture();
    let server = Server::start(&index);
    let screenshot = std::env::temp_dir().join(format!("fahras-page-{}.png", std::process::id()));
    let output = Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/page_test.cjs"))
        .arg(format!("http://{}/", server.addr))
        .arg("بوتين")
        .arg("تقرير")
        .arg(&screenshot)
        .env("NODE_PATH", playwright_dir().join("node_modules"))
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    let seen: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&output.stdout).trim()).unwrap();
    assert_eq!(seen["dir"], "rtl", "{seen}");
    assert_eq!(seen["lang"], "ar");
    assert_eq!(seen["direction"], "rtl");
    assert_eq!(seen["results"], 2, "{seen}");
    assert!(
        seen["marks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m == "بوتين"),
        "{seen}"
    );
    assert!(!seen["marks"].as_array().unwrap().is_empty());
    assert!(
        seen["url"].as_str().unwrap().contains("q="),
        "the query lives in the URL: {seen}"
    );
    assert!(seen["articleMarks"].as_u64().unwrap() >= 1, "{seen}");
    assert!(seen["articleUrl"].as_str().unwrap().contains("article="));
    assert_eq!(seen["xssExecuted"], false, "{seen}");
    assert_eq!(seen["injectedElements"], 0, "{seen}");
    assert!(seen["hostileTitleText"]
        .as_str()
        .unwrap()
        .contains("<script>"));
    assert!(seen["dialogs"].as_array().unwrap().is_empty());
    assert!(std::fs::metadata(&screenshot)
        .map(|m| m.len() > 10_000)
        .unwrap_or(false));
    let _ = std::fs::remove_file(screenshot);
}
