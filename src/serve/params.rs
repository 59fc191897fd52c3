//! A request's query string as search settings: parsed here, checked by the same code as the
//! command line's flags (with the server's bounds).

use std::collections::HashMap;

use axum::http::StatusCode;

use super::errors::{bad_parameter, ApiError};
use super::MAX_QUERY_CHARS;
use crate::search::settings::RankingInput;
use crate::search::{Bounds, SearchSettings, SettingsInput, Surface};

/// Reads a numeric parameter (its bounds are checked with the other settings).
pub fn number(params: &HashMap<String, String>, name: &str) -> Result<Option<usize>, ApiError> {
    match params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(value) => value.parse().map(Some).map_err(|_| {
            bad_parameter(
                name,
                format!("{name} must be a whole number, not {value:?}"),
            )
        }),
    }
}

pub fn flag(params: &HashMap<String, String>, name: &str) -> Result<bool, ApiError> {
    match params.get(name).map(String::as_str) {
        None | Some("" | "0" | "false" | "no") => Ok(false),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some(other) => Err(bad_parameter(
            name,
            format!("{name} must be true or false, not {other:?}"),
        )),
    }
}

pub fn query_text(params: &HashMap<String, String>, name: &str) -> Result<String, ApiError> {
    let q = params.get(name).cloned().unwrap_or_default();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "query_too_long",
            format!("{name} is longer than {MAX_QUERY_CHARS} characters"),
        )
        .with("parameter", name)
        .with("limit", MAX_QUERY_CHARS));
    }
    Ok(q)
}

/// Parameters whose values are lists: repeated (`source=BBC&source=CNN`) they add up, as the
/// command line's repeated flags do.
const LIST_PARAMETERS: [&str; 4] = ["source", "collection", "category", "tag"];

/// A search's query string as one value per parameter: list parameters given several times are
/// joined; any other given twice is refused rather than one of its values silently dropped.
pub fn search_params(pairs: Vec<(String, String)>) -> Result<HashMap<String, String>, ApiError> {
    let mut params: HashMap<String, String> = HashMap::new();
    for (name, value) in pairs {
        match params.get_mut(&name) {
            Some(list) if LIST_PARAMETERS.contains(&name.as_str()) => {
                list.push(',');
                list.push_str(&value);
            }
            Some(_) => {
                return Err(bad_parameter(
                    &name,
                    format!("{name} is given more than once"),
                ))
            }
            None => {
                params.insert(name, value);
            }
        }
    }
    Ok(params)
}

/// The search a request asks for, or 400.
pub fn search_request(params: &HashMap<String, String>) -> Result<SearchSettings, ApiError> {
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
        tags: list("tag"),
        all_copies: flag(params, "all_copies")?,
        sort: text("sort"),
        facets: flag(params, "facets")?,
        histogram: flag(params, "histogram")?,
        interval: text("interval"),
        no_highlight: false,
        ranking: RankingInput {
            exact: flag(params, "exact")?,
            mode: text("mode"),
            semantic_weight: match text("semantic_weight") {
                None => RankingInput::default().semantic_weight,
                Some(value) => value.parse().map_err(|_| {
                    bad_parameter(
                        "semantic_weight",
                        format!("semantic_weight must be a number from 0 to 1, not {value:?}"),
                    )
                })?,
            },
            ..RankingInput::default()
        },
    };
    input.resolve(Bounds::HTTP).map_err(|error| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_setting",
            error.message(Surface::Http),
        )
        .with("setting", error.setting)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
