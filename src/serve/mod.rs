//! `fahras serve`: a local search page and JSON API over an index.
//!
//! - `GET /` and `GET /article/{id}` — the search page (one HTML shell; its script reads the
//!   address, so a search or an article can be bookmarked, shared and reloaded), with its assets
//!   `/assets/fahras.js`, `/assets/fahras.css` and `/favicon.svg`, all embedded in the binary.
//! - `GET /api/search?q=&limit=&offset=&from=&to=&source=&collection=&category=&per_article=&exact=&all_copies=&sort=&facets=&histogram=&interval=&mode=&semantic_weight=` — hits exactly as
//!   `fahras search --format json` prints them, in `{"total_hits", "total_articles", "took_ms",
//!   "mode", "variants", "notes", "notes_detail", "hits"}` (and `facets`, `histogram` when
//!   asked, `meaning_articles` in hybrid mode).
//! - `GET /api/export?q=&format=csv|jsonl|ris` and the search filters — every matching article
//!   as `fahras export` writes it, streamed as a download.
//! - `GET /api/similar/{id}` — "more like this": the articles nearest one by meaning, as a
//!   search answer (`mode` is `semantic`; 409 `no_vectors` before `fahras embed`);
//! - `GET /api/articles/{id}?q=` — an article with its metadata, citation and highlighted
//!   passages.
//! - `GET /api/stats` — what the index holds, and the display name of each outlet.
//! - `/api/collections…` — curated collections and saved searches (see [`curation`]); writes
//!   from this server's own page only.
//!
//! Bad parameters get `{"error": "...", "code": "..."}` with status 400 (the settings are checked by the same
//! code as the command line's, with the server's [`Bounds::HTTP`]), and errors of the library a
//! status that says whose fault they are (`errors::classify`: 404, 400, 409 or 500, with a code); limits
//! on query length, `limit` and `offset` keep one request from monopolising the server. Request
//! parameters never reach the file
//! system: the only path used is the index folder given at start. The reader follows new commits
//! by itself, so a re-run of `fahras index` is picked up without a restart, and searches keep
//! being served while it commits.
//!
//! Under load and from the network:
//! - at most [`Options::max_concurrent_searches`] searches and article lookups run at once, and
//!   a short queue ([`Options::max_queued_searches`], each waiting at most [`QUEUE_WAIT`]) absorbs
//!   bursts; any other is answered at once with 503 and `Retry-After`, so latency stays bounded
//!   however many connections there are;
//! - only requests naming the server by an address it listens on (`127.0.0.1:PORT`,
//!   `localhost:PORT`, `[::1]:PORT`, the bound address or the host name given at start, with or
//!   without the port) are served: a page on another site whose name was rebound to 127.0.0.1
//!   (DNS rebinding) gets 421;
//! - `/api/stats` is computed once per index commit and then served from memory.

mod assets;
mod curation;
mod errors;
mod export;
mod hosts;
mod limiter;
mod params;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::index;
use crate::search::{Article, Engine, Hit, Note};
use errors::{from_library, internal, ApiError};
pub use hosts::AllowedHosts;
pub use limiter::{SearchLimiter, SearchPermit};
use params::{query_text, search_params, search_request};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;

/// Seconds a client is asked to wait when the server is busy.
pub const RETRY_AFTER_SECONDS: u32 = 1;

/// Environment variable that sets the bound on concurrent searches (the hidden
/// `--max-concurrent-searches` flag wins over it).
pub const MAX_CONCURRENT_ENV: &str = "FAHRAS_MAX_CONCURRENT_SEARCHES";

/// The default bound on concurrent searches: two per core (a search is CPU-bound; more at once
/// only makes each slower), at least 4.
pub fn default_max_concurrent_searches() -> usize {
    std::thread::available_parallelism().map_or(4, |n| (n.get() * 2).max(4))
}

/// Searches that may wait for a slot, per slot: a short queue absorbs bursts, and beyond it load
/// is shed at once.
pub const QUEUED_PER_SLOT: usize = 4;

/// Longest wait for a slot before 503.
pub const QUEUE_WAIT: Duration = Duration::from_secs(2);

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Searches and article lookups running at once. 0 refuses every search.
    pub max_concurrent_searches: usize,
    /// Searches waiting for a slot (at most [`QUEUE_WAIT`]); one more gets 503 at once.
    pub max_queued_searches: usize,
    /// Host names (besides the loopback names and the bound IP) that requests may use, e.g. the
    /// name given in `--addr`.
    pub host_names: Vec<String>,
}

impl Options {
    /// Options with `max` concurrent searches and a queue of [`QUEUED_PER_SLOT`] per slot.
    pub fn with_max_concurrent_searches(max: usize) -> Options {
        Options {
            max_concurrent_searches: max,
            max_queued_searches: max * QUEUED_PER_SLOT,
            host_names: Vec::new(),
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options::with_max_concurrent_searches(default_max_concurrent_searches())
    }
}

struct AppState {
    dir: PathBuf,
    reader: tantivy::IndexReader,
    /// One engine for every request: each request works on a clone, and clones share the
    /// engine's caches (spelling variants, document frequencies, copies, article tables), which
    /// the engine empties itself when the reader moves to a new commit.
    engine: Engine,
    limiter: Arc<SearchLimiter>,
    /// Exports streaming at once (their own slots: a long download never holds a search's).
    exports: Arc<SearchLimiter>,
    /// `/api/stats` of one index generation.
    stats: Mutex<Option<(u64, axum::body::Bytes)>>,
}

impl AppState {
    fn open(dir: PathBuf, limiter: Arc<SearchLimiter>) -> crate::Result<AppState> {
        let handle = index::open(&dir)?;
        let reader = handle.auto_reloading_reader()?;
        Ok(AppState {
            dir,
            engine: Engine::with_reader(Arc::new(handle), reader.clone()).with_encoder(
                crate::semantic::EncoderSlot::file(crate::semantic::model_path()),
            ),
            reader,
            limiter,
            exports: SearchLimiter::new(export::MAX_CONCURRENT_EXPORTS),
            stats: Mutex::new(None),
        })
    }
}

/// Builds the router over the index in `dir`, answering requests for `hosts` only, with at
/// most `limiter`'s bound of searches at once.
pub fn router(
    dir: PathBuf,
    hosts: AllowedHosts,
    limiter: Arc<SearchLimiter>,
) -> crate::Result<Router> {
    let state = Arc::new(AppState::open(dir, limiter)?);
    Ok(Router::new()
        .route("/", get(assets::page))
        .route("/article/{id}", get(assets::page))
        .route("/collections", get(assets::page))
        .route("/collections/{name}", get(assets::page))
        .route("/assets/fahras.js", get(assets::script))
        .route("/assets/fahras.css", get(assets::style))
        .route("/favicon.svg", get(assets::icon))
        .route("/favicon.ico", get(assets::icon))
        .route("/api/search", get(search))
        .route("/api/export", get(export::export))
        .route("/api/articles/{id}", get(article))
        .route("/api/similar/{id}", get(similar))
        .route("/api/stats", get(stats))
        .merge(curation::routes())
        .fallback(not_found)
        .with_state(state)
        .layer(middleware::from_fn_with_state(Arc::new(hosts), guard)))
}

/// Refuses requests for another host (DNS rebinding) and marks every response `nosniff`.
async fn guard(State(hosts): State<Arc<AllowedHosts>>, request: Request, next: Next) -> Response {
    // Browsers always send `Host`; a request without one cannot come from a rebound page.
    let host = request
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or("\u{FFFD}"));
    let mut response = match host {
        Some(host) if !hosts.allows(host) => ApiError::new(
            StatusCode::MISDIRECTED_REQUEST,
            "wrong_host",
            "this server answers requests for its own address only (the Host header names another)",
        )
        .into_response(),
        _ => next.run(request).await,
    };
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Serves until Ctrl-C with the default [`Options`]. `on_ready` receives the bound address (port
/// 0 picks a free one).
pub async fn serve(
    dir: PathBuf,
    addr: SocketAddr,
    on_ready: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    serve_with(dir, addr, Options::default(), on_ready).await
}

/// Serves until Ctrl-C.
pub async fn serve_with(
    dir: PathBuf,
    addr: SocketAddr,
    options: Options,
    on_ready: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let limiter = SearchLimiter::with_queue(
        options.max_concurrent_searches,
        options.max_queued_searches,
        QUEUE_WAIT,
    );
    serve_limited(dir, addr, &options.host_names, limiter, on_ready).await
}

/// Serves until Ctrl-C with searches bounded by `limiter` (shared with the caller, e.g. a test
/// that holds a slot).
pub async fn serve_limited(
    dir: PathBuf,
    addr: SocketAddr,
    host_names: &[String],
    limiter: Arc<SearchLimiter>,
    on_ready: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|err| listen_error(addr, &err))?;
    let bound = listener.local_addr()?;
    let app = router(dir, AllowedHosts::for_address(bound, host_names), limiter)?;
    on_ready(bound);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// "cannot listen on 127.0.0.1:8766: address already in use".
fn listen_error(addr: SocketAddr, err: &std::io::Error) -> anyhow::Error {
    let reason = match err.kind() {
        std::io::ErrorKind::AddrInUse => "address already in use".to_owned(),
        std::io::ErrorKind::AddrNotAvailable => "no interface has this address".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => err.to_string(),
    };
    anyhow::anyhow!("cannot listen on {addr}: {reason}")
}

/// Unknown addresses: JSON under `/api/`, the page elsewhere (it says, in Arabic, that there is
/// nothing there), both with status 404.
async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "not found").into_response()
    } else {
        let mut page = assets::page().await;
        *page.status_mut() = StatusCode::NOT_FOUND;
        page
    }
}

/// A search slot (after a wait in the queue, if it has room), or 503 (answered with
/// `Retry-After`).
async fn search_permit(state: &AppState) -> Result<SearchPermit, ApiError> {
    state.limiter.acquire().await.ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "too many searches at once; try again shortly",
        )
    })
}

fn engine(state: &AppState) -> Engine {
    state.engine.clone()
}

/// The search response body.
#[derive(Serialize)]
struct SearchResponse {
    total_hits: usize,
    total_articles: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    facets: Option<crate::search::Facets>,
    #[serde(skip_serializing_if = "Option::is_none")]
    histogram: Option<crate::search::Histogram>,
    took_ms: f64,
    /// Which ranking answered: lexical, semantic or hybrid.
    mode: crate::semantic::Mode,
    /// Hybrid mode: articles listed for their meaning that the words do not match.
    #[serde(skip_serializing_if = "crate::search::is_zero")]
    meaning_articles: usize,
    variants: std::collections::BTreeMap<String, std::collections::BTreeMap<String, u64>>,
    variant_articles: std::collections::BTreeMap<String, std::collections::BTreeMap<String, u64>>,
    /// Typed word → the term it was probably meant to be ("did you mean"), when any.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    suggestions: std::collections::BTreeMap<String, String>,
    /// The typed words that found nothing and whose suggestion was searched, when any.
    #[serde(skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    searched_instead: std::collections::BTreeSet<String>,
    #[serde(serialize_with = "crate::search::notes::as_sentences")]
    notes: Vec<Note>,
    /// The notes as objects with a `code` (the page words them in Arabic).
    notes_detail: Vec<Note>,
    hits: Vec<Hit>,
}

async fn search(
    State(state): State<Arc<AppState>>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<SearchResponse>, ApiError> {
    let request = search_request(&search_params(pairs)?)?;
    let permit = search_permit(&state).await?;
    let mut engine = engine(&state);
    let results = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        engine.search(&request)
    })
    .await
    .map_err(internal)?
    .map_err(from_library)?;
    Ok(Json(SearchResponse::from(results)))
}

impl From<crate::search::SearchResults> for SearchResponse {
    fn from(results: crate::search::SearchResults) -> Self {
        SearchResponse {
            total_hits: results.total_hits,
            total_articles: results.total_articles,
            facets: results.facets,
            histogram: results.histogram,
            took_ms: results.took_ms,
            mode: results.mode,
            meaning_articles: results.meaning_articles,
            variants: results.variants,
            variant_articles: results.variant_articles,
            suggestions: results.suggestions,
            searched_instead: results.searched_instead,
            notes_detail: results.notes.clone(),
            notes: results.notes,
            hits: results.hits,
        }
    }
}

/// "More like this": the articles nearest an article by meaning, in the shape of a search
/// (filters as `/api/search` takes them; `q` is not read).
async fn similar(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<SearchResponse>, ApiError> {
    let Path(id) = id.map_err(|rejection| {
        errors::bad_parameter("id", format!("the article id {}", rejection.body_text()))
    })?;
    let request = search_request(&search_params(pairs)?)?;
    let permit = search_permit(&state).await?;
    let mut engine = engine(&state);
    let results = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        engine.similar(&id, &request)
    })
    .await
    .map_err(internal)?
    .map_err(from_library)?;
    Ok(Json(SearchResponse::from(results)))
}

async fn article(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Article>, ApiError> {
    // An id that is not UTF-8 once decoded (`%FF`) names no article.
    let Path(id) = id.map_err(|rejection| {
        errors::bad_parameter("id", format!("the article id {}", rejection.body_text()))
    })?;
    let query = query_text(&params, "q")?;
    let permit = search_permit(&state).await?;
    let mut engine = engine(&state);
    let lookup_id = id.clone();
    let passages = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        engine.article(
            &lookup_id,
            Some(query.as_str()).filter(|q| !q.trim().is_empty()),
        )
    })
    .await
    .map_err(internal)?
    .map_err(from_library)?;
    let Some(article) = Article::from_passages(&passages) else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "no_article",
            format!("no article with id {id:?}"),
        )
        .with("id", id));
    };
    Ok(Json(article))
}

async fn stats(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let body = stats_body(&state).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The statistics as JSON (the collections view counts the articles filed under each name).
async fn stats_json(state: &AppState) -> Result<serde_json::Value, ApiError> {
    serde_json::from_slice(&stats_body(state).await?).map_err(internal)
}

/// The statistics, computed once per index generation (a commit the reader has picked up) and
/// kept serialized.
async fn stats_body(state: &AppState) -> Result<axum::body::Bytes, ApiError> {
    let generation = state.reader.searcher().generation().generation_id();
    let cached = state
        .stats
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .filter(|(cached_generation, _)| *cached_generation == generation)
        .map(|(_, body)| body.clone());
    let body = match cached {
        Some(body) => body,
        None => {
            let dir = state.dir.clone();
            let stats = tokio::task::spawn_blocking(move || index::stats::collect(&dir))
                .await
                .map_err(internal)?
                .map_err(from_library)?;
            let mut json = serde_json::to_value(&stats).map_err(internal)?;
            // The name each outlet is shown under (the page, citations).
            let names: serde_json::Map<String, serde_json::Value> = stats
                .sources
                .keys()
                .map(|code| (code.clone(), crate::outlets::display_name(code).into()))
                .collect();
            json["outlet_names"] = serde_json::Value::Object(names);
            let body = axum::body::Bytes::from(serde_json::to_vec(&json).map_err(internal)?);
            *state.stats.lock().unwrap_or_else(|e| e.into_inner()) =
                Some((generation, body.clone()));
            body
        }
    };
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Speed issue (18): each request built its own engine, so the spelling-variant,
    // document-frequency and copies caches never outlived a request.
    #[test]
    fn requests_share_one_engines_caches() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        std::fs::write(
            corpus.join("a.txt"),
            "قمة جنيف\nقال بوتين إن القمة في جنيف كانت ناجحة.\n",
        )
        .unwrap();
        let index_dir = dir.path().join("index");
        let options = crate::index::writer::IndexOptions::new(vec![corpus], index_dir.clone());
        crate::index::writer::run(&options, &crate::index::writer::Silent).unwrap();
        let state = AppState::open(index_dir, SearchLimiter::new(2)).unwrap();
        assert!(engine(&state).shares_caches_with(&engine(&state)));
    }
}
