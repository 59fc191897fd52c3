//! Errors answered as JSON: `{"error": English sentence, "code": stable name, ...details}`.
//!
//! Scripts read `error`; the page words each `code` in Arabic with the details (`parameter`,
//! `setting`, `limit`), so no English reaches its users.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::RETRY_AFTER_SECONDS;

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    /// A stable name for what went wrong (`bad_parameter`, `no_article`, `busy`, …).
    pub code: &'static str,
    pub message: String,
    /// Names the message mentions, for a surface that words it itself.
    pub details: Map<String, Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            details: Map::new(),
        }
    }

    /// The same error with one more detail.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> ApiError {
        self.details.insert(key.to_owned(), value.into());
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({ "error": self.message, "code": self.code });
        if let Value::Object(map) = &mut body {
            map.extend(self.details);
        }
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
        }
        response
    }
}

/// A request parameter that cannot be read (400).
pub fn bad_parameter(parameter: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "bad_parameter", message).with("parameter", parameter)
}

/// A failure of the server itself (500).
pub fn internal(err: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        err.to_string(),
    )
}

/// The HTTP status of a library error and the stable name the answer carries:
/// - 404 when what the request names is not there (no index in the folder, an unknown
///   collection, article or saved search);
/// - 400 when the request is at fault (a filter naming nothing the index holds, a bad setting);
/// - 409 when the index is in a state another process controls (a first run building it, another
///   writer holding its lock) or was built with other settings than asked: the request may
///   succeed once that process is done, but how long that takes is unknown, so there is no
///   `Retry-After` (503 with `Retry-After` stays the answer to the server's own overload, which
///   clears within a second);
/// - 500 for everything else (I/O, tantivy, an index this build cannot use, a full disk).
fn classify(err: &crate::Error) -> (StatusCode, &'static str) {
    use crate::Error;
    match err {
        Error::NoIndex(_) => (StatusCode::NOT_FOUND, "no_index"),
        Error::UnknownCollection { .. } => (StatusCode::NOT_FOUND, "unknown_collection"),
        Error::NotInCollection { .. } => (StatusCode::NOT_FOUND, "not_in_collection"),
        Error::UnknownArticle(_) => (StatusCode::NOT_FOUND, "no_article"),
        Error::UnknownSavedSearch(_) => (StatusCode::NOT_FOUND, "unknown_saved_search"),
        Error::UnknownFilter { .. } => (StatusCode::BAD_REQUEST, "unknown_filter"),
        Error::BadSetting(_) => (StatusCode::BAD_REQUEST, "bad_setting"),
        // Searching by meaning asked of a server that cannot: the request is not wrong, the
        // server lacks what it needs.
        Error::NoVectors(_) => (StatusCode::CONFLICT, "no_vectors"),
        Error::ModelMissing(_) => (StatusCode::CONFLICT, "no_model"),
        Error::StaleVectors { .. } => (StatusCode::CONFLICT, "stale_vectors"),
        Error::IndexBeingBuilt(_) => (StatusCode::CONFLICT, "index_being_built"),
        Error::Locked(_) => (StatusCode::CONFLICT, "index_locked"),
        Error::IncompatibleSettings { .. } => (StatusCode::CONFLICT, "incompatible_index"),
        Error::SavedSearchExists(_) => (StatusCode::CONFLICT, "saved_search_exists"),
        Error::IncompatibleIndex(_) => (StatusCode::INTERNAL_SERVER_ERROR, "incompatible_index"),
        Error::ReadOnly(_) => (StatusCode::INTERNAL_SERVER_ERROR, "read_only"),
        Error::DiskFull(_) => (StatusCode::INTERNAL_SERVER_ERROR, "disk_full"),
        Error::Io { .. }
        | Error::Index(_)
        | Error::ForeignIndex(_)
        | Error::DamagedManifest(_)
        | Error::Curation { .. }
        | Error::UnusableFolder { .. } => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

/// A library error as an answer, with the status and code [`classify`] gives it.
pub fn from_library(err: crate::Error) -> ApiError {
    let (status, code) = classify(&err);
    let answer = ApiError::new(status, code, err.to_string());
    match err {
        crate::Error::UnknownFilter { what, name, known } => answer
            .with("filter", what)
            .with("name", name)
            .with("known", known),
        crate::Error::UnknownCollection { name, .. } => answer.with("name", name),
        _ => answer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn library_errors_map_to_statuses() {
        use crate::index::IndexSettings;
        use crate::Error;
        let dir = PathBuf::from("idx");
        let status = |err: Error| classify(&err).0.as_u16();
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
}
