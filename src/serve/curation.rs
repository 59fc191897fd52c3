//! Curation from the page: the collections (what each holds, its articles with their notes and
//! tags, its export) and the saved searches with their counts of new articles; keeping an
//! article in a collection (with a tag and a note), changing its note, dropping it. All of it
//! through the same store and views as the command line (`crate::curation`).
//!
//! - `GET /api/collections` — `{"collections": [{"name", "filed", "curated"}], "saved": [{"name",
//!   "query", "filters", "last_run", "new"}], "tags": [...]}`
//! - `GET /api/collections/{name}` — `{"name", "articles": [...]}` (date order, missing ones
//!   marked)
//! - `GET /api/collections/{name}/export?format=csv|jsonl|ris|csljson` — a download
//! - `POST /api/collections/{name}/add` `{"ids": [...], "tags": [...], "note": "..."}` →
//!   `{"added", "already"}`
//! - `POST /api/collections/{name}/drop` `{"ids": [...]}` → `{"dropped"}`
//! - `POST /api/collections/{name}/note` `{"id", "text"}` → `{}`
//!
//! Writes change the user's own work, so they are accepted from the page itself only: the
//! request must carry `Origin: http://HOST` naming this server (browsers send it with every
//! POST; another site's page cannot forge it) and a JSON body (which no plain HTML form can
//! send). Anything else is 403, so no other page the user visits can write here (CSRF).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::errors::{from_library, internal, ApiError};
use super::export::{export_permit, format_parameter, stream};
use super::{search_permit, stats_json, AppState};
use crate::curation::{saved, view, SavedSearch, Store};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/collections", get(list))
        .route("/api/collections/{name}", get(show))
        .route("/api/collections/{name}/export", get(export))
        .route("/api/collections/{name}/add", post(add))
        .route("/api/collections/{name}/drop", post(drop_articles))
        .route("/api/collections/{name}/note", post(note))
}

/// A collection as the page lists it.
#[derive(Debug, Default, Serialize)]
struct CollectionEntry {
    name: String,
    /// Articles filed under the name at index time.
    filed: u64,
    /// Articles chosen into it by hand.
    curated: u64,
}

/// A saved search and the articles it has not shown yet.
#[derive(Debug, Serialize)]
struct SavedEntry {
    #[serde(flatten)]
    search: SavedSearch,
    new: usize,
}

/// Runs `work` with an engine and the index folder on a blocking thread, holding a search slot.
async fn blocking<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce(&mut crate::search::Engine, &std::path::Path) -> crate::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let permit = search_permit(state).await?;
    let mut engine = state.engine.clone();
    let dir = state.dir.clone();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work(&mut engine, &dir)
    })
    .await
    .map_err(internal)?
    .map_err(from_library)
}

/// Reads with an engine and the store, if there is one yet.
async fn with_engine<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce(&mut crate::search::Engine, Option<Store>) -> crate::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    blocking(state, move |engine, dir| {
        work(engine, Store::open_existing(dir)?)
    })
    .await
}

async fn list(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let stats = stats_json(&state).await?;
    let mut collections: BTreeMap<String, CollectionEntry> = BTreeMap::new();
    if let Some(filed) = stats["collections"].as_object() {
        for (name, details) in filed {
            collections.entry(name.clone()).or_default().filed =
                details["articles"].as_u64().unwrap_or(0);
        }
    }
    let (curated, saved, tags) = with_engine(&state, |engine, store| {
        let Some(store) = store else {
            return Ok((Vec::new(), Vec::new(), Vec::new()));
        };
        let saved = saved::with_new_counts(engine, &store)?
            .into_iter()
            .map(|(search, new)| SavedEntry { search, new })
            .collect::<Vec<_>>();
        Ok((store.collections()?, saved, store.tags()?))
    })
    .await?;
    for summary in curated {
        collections.entry(summary.name).or_default().curated = summary.articles;
    }
    let collections: Vec<CollectionEntry> = collections
        .into_iter()
        .map(|(name, entry)| CollectionEntry { name, ..entry })
        .collect();
    Ok(Json(
        json!({ "collections": collections, "saved": saved, "tags": tags }),
    ))
}

async fn show(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let lookup = name.clone();
    let articles = with_engine(&state, move |engine, store| {
        view::collection_articles(engine, store.as_ref(), &lookup)
    })
    .await?;
    Ok(Json(json!({ "name": name, "articles": articles })))
}

async fn export(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    Query(mut params): Query<BTreeMap<String, String>>,
) -> Result<Response, ApiError> {
    let format = format_parameter(params.remove("format"))?;
    let permit = export_permit(&state)?;
    let mut engine = state.engine.clone();
    let dir = state.dir.clone();
    let collection = name.clone();
    stream(format, &name, permit, move |sink| {
        let store = Store::open_existing(&dir)?;
        let articles = view::collection_articles(&mut engine, store.as_ref(), &collection)?;
        for article in &articles {
            sink.row(&article.export_row(&collection))?;
        }
        Ok(())
    })
    .await
}

/// Refuses a write that does not come from this server's own page (see the module's
/// documentation).
fn same_origin_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let own = text(header::HOST).map(|host| format!("http://{host}"));
    let same_origin = match (text(header::ORIGIN), own) {
        (Some(origin), Some(own)) => origin.eq_ignore_ascii_case(&own),
        _ => false,
    };
    if !same_origin {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "cross_origin",
            "changes to collections are accepted from this server's own page only \
             (the request has no Origin header naming this server)",
        ));
    }
    let json =
        text(header::CONTENT_TYPE).is_some_and(|kind| kind.trim().starts_with("application/json"));
    if !json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not_json",
            "changes to collections are sent as JSON (Content-Type: application/json)",
        ));
    }
    Ok(())
}

/// Parses a write's body after checking where it comes from.
fn body<T: for<'de> Deserialize<'de>>(headers: &HeaderMap, bytes: &[u8]) -> Result<T, ApiError> {
    same_origin_json(headers)?;
    serde_json::from_slice(bytes).map_err(|err| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_body",
            format!("the request body is not what this request takes: {err}"),
        )
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddRequest {
    ids: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DropRequest {
    ids: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoteRequest {
    id: String,
    text: String,
}

/// Opens the store for writing (creating it on first use) and runs `change`.
async fn write<T: Send + 'static>(
    state: &Arc<AppState>,
    change: impl FnOnce(&mut crate::search::Engine, &mut Store) -> crate::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    blocking(state, move |engine, dir| {
        change(engine, &mut Store::open(dir)?)
    })
    .await
}

async fn add(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let request: AddRequest = body(&headers, &bytes)?;
    let added = write(&state, move |engine, store| {
        // An id the index does not hold is an error, and nothing is added.
        let records = view::lead_records(engine, &request.ids)?;
        store.add_noted(&name, &records, &request.tags, request.note.as_deref())
    })
    .await?;
    Ok(Json(
        json!({ "added": added.added, "already": added.already }),
    ))
}

async fn drop_articles(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let request: DropRequest = body(&headers, &bytes)?;
    let dropped = write(&state, move |_, store| {
        store.drop_articles(&name, &request.ids)
    })
    .await?;
    Ok(Json(json!({ "dropped": dropped })))
}

async fn note(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    bytes: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let request: NoteRequest = body(&headers, &bytes)?;
    write(&state, move |_, store| {
        store.note(&name, &request.id, &request.text)
    })
    .await?;
    Ok(Json(json!({})))
}
