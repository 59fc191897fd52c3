//! `fahras serve`: a local search page and JSON API over an index.
//!
//! - `GET /` — the search page (HTML, CSS and JavaScript embedded in the binary).
//! - `GET /api/search?q=&limit=&offset=&from=&to=&source=&collection=&category=&per_article=&exact=&all_copies=&sort=&facets=&histogram=&interval=` — hits exactly as
//!   `fahras search --format json` prints them, in `{"total_hits", "took_ms", "variants", "notes",
//!   "hits"}`.
//! - `GET /api/articles/{id}?q=` — an article with its metadata and highlighted passages.
//! - `GET /api/stats` — what the index holds.
//!
//! Bad parameters get `{"error": "..."}` with status 400 (the settings are checked by the same
//! code as the command line's, with the server's [`Bounds::HTTP`]), and errors of the library a
//! status that says whose fault they are (`library_error_status`: 404, 400, 409 or 500); limits
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

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::json;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::index;
use crate::search::settings::RankingInput;
use crate::search::{Article, Bounds, Engine, Hit, SearchSettings, SettingsInput, Surface};

/// The page, embedded at build time.
const PAGE: &str = include_str!("page.html");

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

/// Bounds the searches in flight: up to `max` run, up to `max_queued` more wait (each at most
/// `wait`), and any other is refused at once (503).
#[derive(Debug)]
pub struct SearchLimiter {
    max: usize,
    slots: Arc<Semaphore>,
    max_queued: usize,
    queued: AtomicUsize,
    wait: Duration,
}

/// A search slot, given back when dropped.
#[derive(Debug)]
pub struct SearchPermit {
    _permit: OwnedSemaphorePermit,
}

/// Counts a waiting search while it waits.
struct Queued<'a>(&'a AtomicUsize);

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl SearchLimiter {
    /// `max` slots and no queue.
    pub fn new(max: usize) -> Arc<SearchLimiter> {
        SearchLimiter::with_queue(max, 0, Duration::ZERO)
    }

    /// `max` slots, and up to `max_queued` searches waiting at most `wait` for one.
    pub fn with_queue(max: usize, max_queued: usize, wait: Duration) -> Arc<SearchLimiter> {
        Arc::new(SearchLimiter {
            max,
            slots: Arc::new(Semaphore::new(max)),
            max_queued,
            queued: AtomicUsize::new(0),
            wait,
        })
    }

    /// A slot if one is free now.
    pub fn try_acquire(&self) -> Option<SearchPermit> {
        self.slots
            .clone()
            .try_acquire_owned()
            .ok()
            .map(|permit| SearchPermit { _permit: permit })
    }

    /// A slot, waiting in the queue if it has room; `None` when the queue is full or the wait
    /// ran out.
    pub async fn acquire(&self) -> Option<SearchPermit> {
        if let Some(permit) = self.try_acquire() {
            return Some(permit);
        }
        self.queued
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.max_queued).then_some(n + 1)
            })
            .ok()?;
        let _queued = Queued(&self.queued);
        let permit = tokio::time::timeout(self.wait, self.slots.clone().acquire_owned())
            .await
            .ok()?
            .ok()?;
        Some(SearchPermit { _permit: permit })
    }

    /// Searches in flight.
    pub fn in_flight(&self) -> usize {
        self.max.saturating_sub(self.slots.available_permits())
    }

    /// Searches waiting for a slot.
    pub fn queued(&self) -> usize {
        self.queued.load(Ordering::Acquire)
    }
}

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

struct AppState {
    dir: PathBuf,
    reader: tantivy::IndexReader,
    /// One engine for every request: each request works on a clone, and clones share the
    /// engine's caches (spelling variants, document frequencies, copies, article tables), which
    /// the engine empties itself when the reader moves to a new commit.
    engine: Engine,
    limiter: Arc<SearchLimiter>,
    /// `/api/stats` of one index generation.
    stats: Mutex<Option<(u64, axum::body::Bytes)>>,
}

impl AppState {
    fn open(dir: PathBuf, limiter: Arc<SearchLimiter>) -> crate::Result<AppState> {
        let handle = index::open(&dir)?;
        let reader = handle.auto_reloading_reader()?;
        Ok(AppState {
            dir,
            engine: Engine::with_reader(Arc::new(handle), reader.clone()),
            reader,
            limiter,
            stats: Mutex::new(None),
        })
    }
}

/// Errors answered as JSON.
#[derive(Debug)]
struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.0, Json(json!({ "error": self.1 }))).into_response();
        if self.0 == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
        }
        response
    }
}

fn bad_request(message: impl Into<String>) -> ApiError {
    ApiError(StatusCode::BAD_REQUEST, message.into())
}

fn internal(err: impl std::fmt::Display) -> ApiError {
    ApiError(StatusCode::INTERNAL_SERVER_ERROR, err.to_string())
}

/// The HTTP status of a library error:
/// - 404 when what the request names is not there (no index in the folder, an unknown
///   collection);
/// - 400 when the request is at fault (a filter naming nothing the index holds, a bad setting);
/// - 409 when the index is in a state another process controls (a first run building it, another
///   writer holding its lock) or was built with other settings than asked: the request may
///   succeed once that process is done, but how long that takes is unknown, so there is no
///   `Retry-After` (503 with `Retry-After` stays the answer to the server's own overload, which
///   clears within a second);
/// - 500 for everything else (I/O, tantivy, an index this build cannot use, a full disk).
fn library_error_status(err: &crate::Error) -> StatusCode {
    use crate::Error;
    match err {
        Error::NoIndex(_)
        | Error::UnknownCollection { .. }
        | Error::NotInCollection { .. }
        | Error::UnknownArticle(_)
        | Error::UnknownSavedSearch(_) => StatusCode::NOT_FOUND,
        Error::UnknownFilter { .. } | Error::BadSetting(_) => StatusCode::BAD_REQUEST,
        Error::IndexBeingBuilt(_)
        | Error::Locked(_)
        | Error::IncompatibleSettings { .. }
        | Error::SavedSearchExists(_) => StatusCode::CONFLICT,
        Error::Io { .. }
        | Error::Index(_)
        | Error::ForeignIndex(_)
        | Error::IncompatibleIndex(_)
        | Error::DamagedManifest(_)
        | Error::ReadOnly(_)
        | Error::DiskFull(_)
        | Error::Curation { .. }
        | Error::UnusableFolder { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A library error as an answer, with the status [`library_error_status`] gives it.
fn from_library(err: crate::Error) -> ApiError {
    ApiError(library_error_status(&err), err.to_string())
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
        .route("/", get(page))
        .route("/api/search", get(search))
        .route("/api/articles/{id}", get(article))
        .route("/api/stats", get(stats))
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
        Some(host) if !hosts.allows(host) => ApiError(
            StatusCode::MISDIRECTED_REQUEST,
            "this server answers requests for its own address only (the Host header names another)"
                .to_owned(),
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

async fn page() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        Html(PAGE),
    )
}

async fn not_found() -> ApiError {
    ApiError(StatusCode::NOT_FOUND, "not found".to_owned())
}

/// A search slot (after a wait in the queue, if it has room), or 503 (answered with
/// `Retry-After`).
async fn search_permit(state: &AppState) -> Result<SearchPermit, ApiError> {
    state.limiter.acquire().await.ok_or_else(|| {
        ApiError(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many searches at once; try again shortly".to_owned(),
        )
    })
}

fn engine(state: &AppState) -> Engine {
    state.engine.clone()
}

/// Reads a numeric parameter (its bounds are checked with the other settings).
fn number(params: &HashMap<String, String>, name: &str) -> Result<Option<usize>, ApiError> {
    match params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(value) => value
            .parse()
            .map(Some)
            .map_err(|_| bad_request(format!("{name} must be a whole number, not {value:?}"))),
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
    total_articles: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    facets: Option<crate::search::Facets>,
    #[serde(skip_serializing_if = "Option::is_none")]
    histogram: Option<crate::search::Histogram>,
    took_ms: f64,
    variants: std::collections::BTreeMap<String, std::collections::BTreeMap<String, u64>>,
    notes: Vec<String>,
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
    Ok(Json(SearchResponse {
        total_hits: results.total_hits,
        total_articles: results.total_articles,
        facets: results.facets,
        histogram: results.histogram,
        took_ms: results.took_ms,
        variants: results.variants,
        notes: results.notes,
        hits: results.hits,
    }))
}

/// Parameters whose values are lists: repeated (`source=BBC&source=CNN`) they add up, as the
/// command line's repeated flags do.
const LIST_PARAMETERS: [&str; 3] = ["source", "collection", "category"];

/// A search's query string as one value per parameter: list parameters given several times are
/// joined; any other given twice is refused rather than one of its values silently dropped.
fn search_params(pairs: Vec<(String, String)>) -> Result<HashMap<String, String>, ApiError> {
    let mut params: HashMap<String, String> = HashMap::new();
    for (name, value) in pairs {
        match params.get_mut(&name) {
            Some(list) if LIST_PARAMETERS.contains(&name.as_str()) => {
                list.push(',');
                list.push_str(&value);
            }
            Some(_) => return Err(bad_request(format!("{name} is given more than once"))),
            None => {
                params.insert(name, value);
            }
        }
    }
    Ok(params)
}

/// The search a request asks for, or 400.
fn search_request(params: &HashMap<String, String>) -> Result<SearchSettings, ApiError> {
    let text = |name: &str| -> Option<String> {
        params
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let list = |name: &str| -> Vec<String> {
        params
            .get(name)
            .map(|s| {
                s.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let input = SettingsInput {
        query: query_text(params, "q")?,
        limit: number(params, "limit")?,
        offset: number(params, "offset")?,
        per_article: number(params, "per_article")?,
        from: text("from"),
        to: text("to"),
        sources: list("source"),
        collections: list("collection"),
        categories: list("category"),
        tags: Vec::new(),
        all_copies: flag(params, "all_copies")?,
        sort: text("sort"),
        facets: flag(params, "facets")?,
        histogram: flag(params, "histogram")?,
        interval: text("interval"),
        no_highlight: false,
        ranking: RankingInput {
            exact: flag(params, "exact")?,
            ..RankingInput::default()
        },
    };
    input
        .resolve(Bounds::HTTP)
        .map_err(|error| bad_request(error.message(Surface::Http)))
}

async fn article(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Article>, ApiError> {
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
        return Err(ApiError(
            StatusCode::NOT_FOUND,
            format!("no article with id {id:?}"),
        ));
    };
    Ok(Json(article))
}

/// The statistics, computed once per index generation (a commit the reader has picked up) and
/// kept serialized.
async fn stats(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
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
            let body = axum::body::Bytes::from(serde_json::to_vec(&stats).map_err(internal)?);
            *state.stats.lock().unwrap_or_else(|e| e.into_inner()) =
                Some((generation, body.clone()));
            body
        }
    };
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
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

    #[test]
    fn library_errors_map_to_statuses() {
        use crate::index::IndexSettings;
        use crate::Error;
        let dir = PathBuf::from("idx");
        let status = |err: Error| library_error_status(&err).as_u16();
        assert_eq!(status(Error::NoIndex(dir.clone())), 404);
        assert_eq!(
            status(Error::UnknownCollection {
                name: "x".to_owned(),
                dir: dir.clone()
            }),
            404
        );
        assert_eq!(
            status(Error::UnknownFilter {
                what: "outlet",
                name: "x".to_owned(),
                known: "BBC".to_owned()
            }),
            400
        );
        assert_eq!(status(Error::BadSetting("bad".to_owned())), 400);
        assert_eq!(status(Error::Locked(dir.clone())), 409);
        assert_eq!(status(Error::IndexBeingBuilt(dir.clone())), 409);
        assert_eq!(
            status(Error::IncompatibleSettings {
                dir: dir.clone(),
                built_with: IndexSettings::default(),
                wanted: IndexSettings::default()
            }),
            409
        );
        for other in [
            Error::io(&dir, std::io::Error::other("boom")),
            Error::ForeignIndex(dir.clone()),
            Error::IncompatibleIndex("old".to_owned()),
            Error::DamagedManifest("gone".to_owned()),
            Error::ReadOnly(dir.clone()),
            Error::DiskFull("full".to_owned()),
            Error::unusable_folder(&dir, "no"),
        ] {
            assert_eq!(status(other), 500);
        }
        let answer = from_library(Error::NoIndex(dir)).into_response();
        assert_eq!(answer.status(), StatusCode::NOT_FOUND);
        assert!(answer.headers().get(header::RETRY_AFTER).is_none());
    }

    // UX audit (stop 23): `source=BBC&source=CNN` searched CNN alone (the last value won).
    #[test]
    fn repeated_list_parameters_add_up_and_other_repeats_are_refused() {
        let pair = |n: &str, v: &str| (n.to_owned(), v.to_owned());
        let params = search_params(vec![
            pair("q", "قمة"),
            pair("source", "BBC"),
            pair("source", "CNN"),
        ])
        .unwrap();
        assert_eq!(params["source"], "BBC,CNN");
        let settings = search_request(&params).unwrap();
        assert_eq!(settings.sources, ["BBC", "CNN"]);
        let refused = search_params(vec![pair("limit", "5"), pair("limit", "6")]);
        assert!(refused.is_err());
    }

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

    #[test]
    fn the_limiter_gives_slots_back() {
        let limiter = SearchLimiter::new(2);
        let a = limiter.try_acquire().unwrap();
        let _b = limiter.try_acquire().unwrap();
        assert!(limiter.try_acquire().is_none());
        assert_eq!(limiter.in_flight(), 2);
        drop(a);
        assert_eq!(limiter.in_flight(), 1);
        assert!(limiter.try_acquire().is_some());
        assert!(SearchLimiter::new(0).try_acquire().is_none());
    }
}
