//! The page and its assets, embedded in the binary: one HTML shell (served at `/` and at every
//! article's address, `/article/{id}`, so that a link opened directly, in a new tab or after a
//! reload shows that article), its script, its style sheet and its icon.
//!
//! The policy allows scripts and styles from these files only (no inline script or style, no
//! other origin): text from the archive can never run, even if it reached the page as markup.

use axum::http::header;
use axum::response::{IntoResponse, Response};

const PAGE: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/fahras.js");
const STYLE: &str = include_str!("page/fahras.css");
const ICON: &str = include_str!("page/favicon.svg");

/// The Content-Security-Policy of the page.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// The page (any route of the page: the script reads the address).
pub async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        PAGE,
    )
        .into_response()
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            // Revalidated on each load: a new binary's page never runs an old script.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

pub async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

pub async fn style() -> Response {
    asset("text/css; charset=utf-8", STYLE)
}

pub async fn icon() -> Response {
    asset("image/svg+xml", ICON)
}
