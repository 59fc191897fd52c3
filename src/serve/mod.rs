//! `fahras serve`: a local search page and JSON API over an index.
//!
//! - `GET /` — the search page (HTML, CSS and JavaScript embedded in the binary).
//! - `GET /api/search?q=&limit=&offset=&from=&to=&source=&per_article=&exact=&all_copies=` — hits exactly as
//!   `fahras search --format json` prints them, in `{"total_hits", "took_ms", "variants", "notes",
//!   "hits"}`.
//! - `GET /api/articles/{id}?q=` — an article with its metadata and highlighted passages.
//! - `GET /api/stats` — what the index holds.
//!
//! Bad parameters get `{"error": "..."}` with status 400; limits on query length, `limit` and
//! `offset` keep one request from monopolising the server. Request parameters never reach the file
//! system: the only path used is the index folder given at start. The reader follows new commits
//! by itself, so a re-run of `fahras index` is picked up without a restart, and searches keep
//! being served while it commits.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::json;

use crate::index::{self, IndexHandle};
use crate::search::{query::parse_period, Engine, Hit, SearchRequest};

/// The page, embedded at build time.
const PAGE: &str = include_str!("page.html");

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Most hits per page.
pub const MAX_LIMIT: usize = 100;
/// Deepest page start.
pub const MAX_OFFSET: usize = 10_000;

struct AppState {
    dir: PathBuf,
    handle: Arc<IndexHandle>,
    reader: tantivy::IndexReader,
}

/// Errors answered as JSON.
struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

fn bad_request(message: impl Into<String>) -> ApiError {
    ApiError(StatusCode::BAD_REQUEST, message.into())
}

fn internal(err: impl std::fmt::Display) -> ApiError {
    ApiError(StatusCode::INTERNAL_SERVER_ERROR, err.to_string())
}

/// Builds the router over the index in `dir`.
pub fn router(dir: PathBuf) -> crate::Result<Router> {
    let handle = index::open(&dir)?;
    let reader = handle.auto_reloading_reader()?;
    let state = Arc::new(AppState {
        dir,
        handle: Arc::new(handle),
        reader,
    });
    Ok(Router::new()
        .route("/", get(page))
        .route("/api/search", get(search))
        .route("/api/articles/{id}", get(article))
        .route("/api/stats", get(stats))
        .fallback(not_found)
        .with_state(state))
}

/// Serves until Ctrl-C. `on_ready` receives the bound address (port 0 picks a free one).
pub async fn serve(
    dir: PathBuf,
    addr: SocketAddr,
    on_ready: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let app = router(dir)?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    on_ready(listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

async fn page() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:",
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        Html(PAGE),
    )
}

async fn not_found() -> ApiError {
    ApiError(StatusCode::NOT_FOUND, "not found".to_owned())
}

fn engine(state: &AppState) -> Engine {
    Engine::with_reader(state.handle.clone(), state.reader.clone())
}

/// Reads a numeric parameter, with a default and a ceiling.
fn number(
    params: &HashMap<String, String>,
    name: &str,
    default: usize,
    max: usize,
) -> Result<usize, ApiError> {
    match params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(value) => {
            let n: usize = value.parse().map_err(|_| {
                bad_request(format!("{name} must be a whole number, not {value:?}"))
            })?;
            if n > max {
                return Err(bad_request(format!("{name} must be at most {max}")));
            }
            Ok(n)
        }
    }
}

fn flag(params: &HashMap<String, String>, name: &str) -> Result<bool, ApiError> {
    match params.get(name).map(String::as_str) {
        None | Some("" | "0" | "false" | "no") => Ok(false),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some(other) => Err(bad_request(format!(
            "{name} must be true or false, not {other:?}"
        ))),
    }
}

fn query_text(params: &HashMap<String, String>, name: &str) -> Result<String, ApiError> {
    let q = params.get(name).cloned().unwrap_or_default();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(bad_request(format!(
            "{name} is longer than {MAX_QUERY_CHARS} characters"
        )));
    }
    Ok(q)
}

/// The search response body.
#[derive(Serialize)]
struct SearchResponse {
    total_hits: usize,
    took_ms: f64,
    variants: std::collections::BTreeMap<String, std::collections::BTreeMap<String, u64>>,
    notes: Vec<String>,
    hits: Vec<Hit>,
}

async fn search(
    State(state): State<Arc<AppState>>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<SearchResponse>, ApiError> {
    let query = query_text(&params, "q")?;
    let period = |name: &str| -> Result<_, ApiError> {
        match params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(value) => parse_period(value).map(Some).ok_or_else(|| {
                bad_request(format!(
                    "{name} must be YYYY, YYYY-MM or YYYY-MM-DD, not {value:?}"
                ))
            }),
        }
    };
    let from = period("from")?.map(|(start, _)| start);
    let to = period("to")?.map(|(_, end)| end);
    let sources: Vec<String> = params
        .get("source")
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let request = SearchRequest {
        query,
        limit: number(&params, "limit", 10, MAX_LIMIT)?.max(1),
        offset: number(&params, "offset", 0, MAX_OFFSET)?,
        per_article: number(&params, "per_article", 2, 20)?.max(1),
        exact: flag(&params, "exact")?,
        all_copies: flag(&params, "all_copies")?,
        from,
        to,
        sources,
        ..SearchRequest::default()
    };
    let mut engine = engine(&state);
    let results = tokio::task::spawn_blocking(move || engine.search(&request))
        .await
        .map_err(internal)?
        .map_err(internal)?;
    Ok(Json(SearchResponse {
        total_hits: results.total_hits,
        took_ms: results.took_ms,
        variants: results.variants,
        notes: results.notes,
        hits: results.hits,
    }))
}

async fn article(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let query = query_text(&params, "q")?;
    let mut engine = engine(&state);
    let lookup_id = id.clone();
    let passages = tokio::task::spawn_blocking(move || {
        engine.article(
            &lookup_id,
            Some(query.as_str()).filter(|q| !q.trim().is_empty()),
        )
    })
    .await
    .map_err(internal)?
    .map_err(internal)?;
    let Some(first) = passages.first() else {
        return Err(ApiError(
            StatusCode::NOT_FOUND,
            format!("no article with id {id:?}"),
        ));
    };
    Ok(Json(json!({
        "article_id": first.article_id,
        "title": first.title,
        "date": first.date,
        "source": first.source,
        "url": first.url,
        "passages": passages.iter().map(|p| json!({
            "passage": p.passage,
            "text": p.text,
            "highlights": p.highlights,
        })).collect::<Vec<_>>(),
    })))
}

async fn stats(State(state): State<Arc<AppState>>) -> Result<Json<index::stats::Stats>, ApiError> {
    let dir = state.dir.clone();
    let stats = tokio::task::spawn_blocking(move || index::stats::collect(&dir))
        .await
        .map_err(internal)?
        .map_err(internal)?;
    Ok(Json(stats))
}
