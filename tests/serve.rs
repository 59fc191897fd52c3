//! `fahras serve` over HTTP: every endpoint, bad parameters, untrusted article text, and searches
//! while the index is being updated.

mod common;

use std::time::{Duration, Instant};

use common::server::{encode, Server};
use common::*;

#[test]
fn every_endpoint_answers() {
    let (_dirs, index) = server_fixture();
    let server = Server::start(&index);
    let (status, page) = server.get("/");
    assert_eq!(status, 200);
    assert!(page.contains("dir=\"rtl\"") && page.contains("lang=\"ar\""));

    let (status, result) = server.get_json(&format!("/api/search?q={}&limit=5", encode("بوتين")));
    assert_eq!(status, 200);
    for key in ["total_hits", "took_ms", "variants", "hits"] {
        assert!(result.get(key).is_some(), "{key} missing: {result}");
    }
    // Without passage vectors, searches are lexical and "more like this" says what is missing.
    assert_eq!(result["mode"], "lexical");
    let id = encode(result["hits"][0]["article_id"].as_str().unwrap());
    let (status, similar) = server.get_json(&format!("/api/similar/{id}"));
    assert_eq!(status, 409, "{similar}");
    assert_eq!(similar["code"], "no_vectors");
    let hits = result["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 2);
    for key in [
        "rank",
        "score",
        "article_id",
        "title",
        "date",
        "source",
        "url",
        "passage",
        "text",
        "highlights",
    ] {
        assert!(hits[0].get(key).is_some(), "{key} missing: {}", hits[0]);
    }
    // Filters.
    let (_, result) = server.get_json(&format!(
        "/api/search?q={}&source=CNN&from=2018&to=2018-12",
        encode("بوتين")
    ));
    assert_eq!(result["hits"].as_array().unwrap().len(), 1);
    assert_eq!(result["hits"][0]["article_id"], "B1");

    let (status, article) =
        server.get_json(&format!("/api/articles/A1?q={}", encode("الاستراتيجي")));
    assert_eq!(status, 200);
    assert_eq!(article["title"], "قمة جنيف");
    let passage = &article["passages"][0];
    let text = passage["text"].as_str().unwrap();
    let range = &passage["highlights"][0];
    let (from, to) = (
        range[0].as_u64().unwrap() as usize,
        range[1].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[from..to], "الاستراتيجيّ");

    let (status, stats) = server.get_json("/api/stats");
    assert_eq!(status, 200);
    assert_eq!(stats["articles"], 3);
    for key in [
        "passages",
        "sources",
        "first_date",
        "last_date",
        "index_bytes",
        "analyzer_version",
    ] {
        assert!(stats.get(key).is_some(), "{key} missing: {stats}");
    }
}

#[test]
fn bad_parameters_are_json_errors() {
    let (_dirs, index) = server_fixture();
    let server = Server::start(&index);
    let long_query = "ب".repeat(1001);
    for path in [
        "/api/search?q=x&limit=abc".to_owned(),
        "/api/search?q=x&limit=1000".to_owned(),
        "/api/search?q=x&offset=99999999".to_owned(),
        "/api/search?q=x&from=yesterday".to_owned(),
        "/api/search?q=x&exact=maybe".to_owned(),
        format!("/api/search?q={}", encode(&long_query)),
    ] {
        let (status, body) = server.get_json(&path);
        assert_eq!(status, 400, "{path}: {body}");
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{path}: {body}"
        );
    }
    let (status, body) = server.get_json("/api/articles/..%2F..%2F..%2Fetc%2Fpasswd");
    assert_eq!(status, 404, "{body}");
    let (status, _) = server.get_json("/api/nowhere");
    assert_eq!(status, 404);
    // Elsewhere an unknown address is the page, which says so in Arabic.
    let (status, page) = server.get("/nowhere");
    assert_eq!(status, 404);
    assert!(page.contains("dir=\"rtl\""));
    // A malformed query is answered, with a note.
    let (status, body) = server.get_json(&format!("/api/search?q={}", encode("\"بوتين")));
    assert_eq!(status, 200);
    assert!(!body["notes"].as_array().unwrap().is_empty());
}

#[test]
fn library_errors_get_the_status_of_whose_fault_they_are() {
    let (_dirs, index) = server_fixture();
    let server = Server::start(&index);
    // A collection the index does not hold is the request's fault.
    let (status, body) = server.get_json(&format!(
        "/api/search?q={}&collection=nosuch",
        encode("بوتين")
    ));
    assert_eq!(status, 400, "{body}");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("unknown collection \"nosuch\"")),
        "{body}"
    );
    // The index taken away from under a running server: there is no index there any more.
    std::fs::rename(index.join("meta.json"), index.join("meta.json.moved")).unwrap();
    let (status, body) = server.get_json("/api/stats");
    assert_eq!(status, 404, "{body}");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("no index in")),
        "{body}"
    );
}

#[test]
fn hostile_article_text_is_returned_as_data() {
    let (_dirs, index) = server_fixture();
    let server = Server::start(&index);
    let (_, result) = server.get_json(&format!("/api/search?q={}", encode("تقرير")));
    let hit = &result["hits"][0];
    assert_eq!(hit["title"], XSS_TITLE);
    assert!(hit["text"]
        .as_str()
        .unwrap()
        .contains("<img src=x onerror="));
    // The page never embeds article text: it is built from the JSON with text nodes only.
    let (_, script) = server.get("/assets/fahras.js");
    assert!(!script.contains("innerHTML"));
    assert!(script.contains("textContent"));
}

// Search page issue (17): the policy allowed inline scripts; articles had no address of their own.
#[test]
fn the_page_and_its_assets_are_served_under_a_policy_without_inline_script() {
    let (_dirs, index) = server_fixture();
    let server = Server::start(&index);
    for path in ["/", "/article/A1", "/article/A1?q=x", "/article/no%2Fsuch"] {
        let (status, head, body) = server.get_with_head(path);
        assert_eq!(status, 200, "{path}");
        assert!(head.contains("content-type: text/html"), "{path}: {head}");
        let policy = head
            .lines()
            .find_map(|l| l.strip_prefix("content-security-policy: "))
            .unwrap_or_else(|| panic!("{path}: no policy in {head}"));
        assert!(policy.contains("script-src 'self'"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        let page = String::from_utf8(body).unwrap();
        // No inline script or style, no handler attributes: only the embedded files.
        assert!(page.contains("<script src=\"/assets/fahras.js\""));
        assert!(
            !page.contains("<script>") && !page.contains("<style") && !page.contains(" onclick=")
        );
    }
    for (path, kind) in [
        ("/assets/fahras.js", "text/javascript"),
        ("/assets/fahras.css", "text/css"),
        ("/favicon.svg", "image/svg+xml"),
        ("/favicon.ico", "image/svg+xml"),
    ] {
        let (status, head, body) = server.get_with_head(path);
        assert_eq!(status, 200, "{path}");
        assert!(
            head.contains(&format!("content-type: {kind}")),
            "{path}: {head}"
        );
        assert!(!body.is_empty());
    }
}

// Search page issue (17): the page showed English from the API ("q is longer than 1000
// characters", "unclosed quote: …"); errors and notes now carry codes the page words in Arabic.
#[test]
fn errors_and_notes_carry_codes_and_the_names_they_mention() {
    let (_dirs, index) = server_fixture();
    let server = Server::start(&index);
    let cases = [
        (
            "/api/search?q=x&limit=abc".to_owned(),
            400,
            "bad_parameter",
            "parameter",
            "limit",
        ),
        (
            "/api/search?q=x&limit=1000".to_owned(),
            400,
            "bad_setting",
            "setting",
            "limit",
        ),
        (
            "/api/search?q=x&from=yesterday".to_owned(),
            400,
            "bad_setting",
            "setting",
            "from",
        ),
        (
            format!("/api/search?q={}", "%D8%A8".repeat(1001)),
            400,
            "query_too_long",
            "limit",
            "1000",
        ),
        (
            "/api/search?q=x&source=NOPE".to_owned(),
            400,
            "unknown_filter",
            "name",
            "NOPE",
        ),
        (
            "/api/articles/NOPE".to_owned(),
            404,
            "no_article",
            "id",
            "NOPE",
        ),
        // Not UTF-8 once decoded: a JSON error like any other, not axum's plain text.
        (
            "/api/articles/%FF".to_owned(),
            400,
            "bad_parameter",
            "parameter",
            "id",
        ),
        (
            "/api/export?q=x&format=pdf".to_owned(),
            400,
            "bad_parameter",
            "parameter",
            "format",
        ),
        (
            "/api/nowhere".to_owned(),
            404,
            "not_found",
            "code",
            "not_found",
        ),
    ];
    for (path, status, code, key, value) in cases {
        let (got, body) = server.get_json(&path);
        assert_eq!(got, status, "{path}: {body}");
        assert_eq!(body["code"], code, "{path}: {body}");
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{body}"
        );
        let detail = match &body[key] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        assert_eq!(detail, value, "{path}: {body}");
    }
    // Notes: the English sentences as before, and the same notes as objects with a code.
    let (_, body) = server.get_json(&format!(
        "/api/search?q={}",
        encode("\"بوتين date:yesterday source:NOPE")
    ));
    assert_eq!(body["notes"].as_array().unwrap().len(), 3, "{body}");
    assert!(body["notes"][0].is_string());
    let codes: Vec<&str> = body["notes_detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["unclosed_quote", "bad_date", "unknown_source"],
        "{body}"
    );
    assert_eq!(body["notes_detail"][1]["value"], "yesterday");
    assert_eq!(body["notes_detail"][2]["name"], "NOPE");
}

// Search page issue (17): the outlet list showed raw codes; articles lacked their author and a
// citation.
#[test]
fn outlets_have_display_names_and_articles_carry_their_citation() {
    let (_dirs, index) = server_fixture();
    let server = Server::start(&index);
    let (_, stats) = server.get_json("/api/stats");
    assert_eq!(stats["outlet_names"]["BBC"], "BBC عربي", "{stats}");
    assert_eq!(stats["outlet_names"]["CNN"], "CNN بالعربية");
    assert_eq!(stats["outlet_names"]["evil"], "evil");
    let (status, article) = server.get_json(&format!("/api/articles/A1?q={}", encode("جنيف")));
    assert_eq!(status, 200);
    assert_eq!(
        article["citation"],
        "قمة جنيف. BBC عربي, 2021-06-16. http://example.org/A1"
    );
    assert_eq!(article["title_highlights"], serde_json::json!([[7, 15]]));
    for key in ["author", "collection", "published"] {
        assert!(article.get(key).is_some(), "{key} missing: {article}");
    }
}

// Search page issue (17): export from the page, streamed like `fahras export`.
#[test]
fn the_export_endpoint_streams_what_fahras_export_writes() {
    let (_dirs, index) = server_fixture();
    let server = Server::start(&index);
    let query = encode("بوتين");
    for (format, kind) in [
        ("csv", "text/csv"),
        ("jsonl", "application/jsonl"),
        ("ris", "application/x-research-info-systems"),
    ] {
        let (status, head, body) =
            server.get_with_head(&format!("/api/export?q={query}&format={format}&limit=1"));
        assert_eq!(status, 200, "{format}: {head}");
        assert!(head.contains(&format!("content-type: {kind}")), "{head}");
        assert!(
            head.contains(&format!(
                "attachment; filename=\"fahras-export.{format}\"; \
                 filename*=utf-8''fahras-%d8%a8%d9%88%d8%aa%d9%8a%d9%86.{format}"
            )),
            "{head}"
        );
        let cli = fahras()
            .args([
                "export",
                "بوتين",
                "--index",
                path_str(&index),
                "--quiet",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        assert!(cli.status.success());
        // Every matching article (paging does not apply), the same bytes as the command.
        assert_eq!(
            String::from_utf8(body).unwrap(),
            String::from_utf8(cli.stdout).unwrap()
        );
    }
    let (_, _, csv) = server.get_with_head(&format!("/api/export?q={query}"));
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("\u{FEFF}id,"), "csv is the default: {csv}");
    assert_eq!(csv.lines().count(), 3, "{csv}");
    // Filters apply; nothing matching is an empty export with its header.
    let (status, _, csv) = server.get_with_head(&format!("/api/export?q={query}&source=CNN"));
    assert_eq!(status, 200);
    assert_eq!(String::from_utf8(csv).unwrap().lines().count(), 2);
    let (status, _, csv) = server.get_with_head(&format!("/api/export?q={}", encode("غائبة")));
    assert_eq!(status, 200);
    assert_eq!(String::from_utf8(csv).unwrap().lines().count(), 1);
}

#[test]
fn searches_are_served_while_the_index_is_updated_and_the_update_is_picked_up() {
    let (dirs, index) = server_fixture();
    let server = Server::start(&index);
    for i in 0..200 {
        write(
            dirs.corpus().join(format!("more/m{i:03}.txt")),
            format!(
                "عنوان {i}\nزلزال في المدينة. {}\n",
                arabic_paragraph(i, 120)
            ),
        );
    }
    let mut indexer = fahras()
        .args([
            "index",
            path_str(&dirs.corpus()),
            "--index",
            path_str(&index),
            "--commit-every",
            "20000",
            "--quiet",
        ])
        .spawn()
        .unwrap();
    let mut served = 0;
    while indexer.try_wait().unwrap().is_none() {
        let (status, _) = server.get_json(&format!("/api/search?q={}", encode("بوتين")));
        assert_eq!(status, 200);
        served += 1;
    }
    assert!(indexer.wait().unwrap().success());
    assert!(served > 0);
    // The server follows the new commit without a restart.
    let started = Instant::now();
    loop {
        let (_, result) =
            server.get_json(&format!("/api/search?q={}&per_article=1", encode("زلزال")));
        if result["total_hits"].as_u64() == Some(200) {
            break;
        }
        // The reader notices a commit by watching the index's meta file: a condition waited
        // for, with a bound only a wedged server reaches on a loaded machine.
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "update not picked up: {result}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn the_api_counts_articles_and_gives_facets_a_timeline_and_date_orders() {
    let (_dirs, index) = server_fixture();
    let server = Server::start(&index);
    let q = encode("بوتين");
    let (status, result) = server.get_json(&format!(
        "/api/search?q={q}&facets=1&histogram=1&sort=newest"
    ));
    assert_eq!(status, 200, "{result}");
    assert_eq!(result["total_articles"], 2);
    let hits = result["hits"].as_array().unwrap();
    // Newest first: A1 (2021) before B1 (2018).
    assert_eq!(hits[0]["article_id"], "A1");
    assert_eq!(hits[1]["article_id"], "B1");
    assert!(hits[0].get("more_passages").is_some());
    assert!(hits[0].get("title_highlights").is_some());
    let sources: Vec<&str> = result["facets"]["source"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["BBC", "CNN"]);
    assert_eq!(result["histogram"]["interval"], "month");
    let (_, oldest) = server.get_json(&format!("/api/search?q={q}&sort=oldest&interval=week"));
    assert_eq!(oldest["hits"][0]["article_id"], "B1");
    assert_eq!(oldest["histogram"]["interval"], "week");
    // Bad values and unknown names are the request's fault.
    for bad in [
        "sort=date",
        "interval=year",
        "source=nosuch",
        "from=2021&to=2018",
    ] {
        let (status, body) = server.get_json(&format!("/api/search?q={q}&{bad}"));
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(body["error"].is_string(), "{bad}: {body}");
    }
}

// Collections issue (21): the page keeps articles in collections; writes come from the page only.
#[test]
fn the_page_keeps_articles_in_collections_and_refuses_writes_from_other_sites() {
    let (_dirs, index) = server_fixture();
    let server = Server::start(&index);
    let origin = format!("http://{}", server.addr);
    let page = [
        ("Origin", origin.as_str()),
        ("Content-Type", "application/json"),
    ];
    let name = encode("ملف القمة");
    let add = format!("/api/collections/{name}/add");
    let body = r#"{"ids": ["A1"], "tags": ["تصريحات"], "note": "للمراجعة"}"#;
    // Another site's page (or a plain form) cannot write.
    for headers in [
        vec![("Content-Type", "application/json")],
        vec![
            ("Origin", "http://evil.example"),
            ("Content-Type", "application/json"),
        ],
        vec![("Origin", "null"), ("Content-Type", "application/json")],
    ] {
        let (status, answer) = server.post(&add, &headers, body);
        assert_eq!(status, 403, "{headers:?}: {answer}");
        assert_eq!(answer["code"], "cross_origin");
    }
    let (status, answer) = server.post(
        &add,
        &[("Origin", origin.as_str()), ("Content-Type", "text/plain")],
        body,
    );
    assert_eq!(status, 415, "{answer}");
    let curated = |shelf: &serde_json::Value| -> Vec<(String, u64)> {
        shelf["collections"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["curated"].as_u64().unwrap() > 0)
            .map(|c| {
                (
                    c["name"].as_str().unwrap().to_owned(),
                    c["curated"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let (_, shelf) = server.get_json("/api/collections");
    assert!(curated(&shelf).is_empty(), "{shelf}");
    // An unknown id adds nothing.
    let (status, answer) = server.post(&add, &page, r#"{"ids": ["A1", "NOPE"]}"#);
    assert_eq!(status, 404, "{answer}");
    assert_eq!(answer["code"], "no_article");
    let (status, answer) = server.post(&add, &page, r#"{"ids": "A1"}"#);
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["code"], "bad_body");

    // The page's own request keeps the article with its tag and note.
    let (status, answer) = server.post(&add, &page, body);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["added"], 1);
    let (_, shelf) = server.get_json("/api/collections");
    assert_eq!(curated(&shelf), [("ملف القمة".to_owned(), 1)], "{shelf}");
    assert_eq!(shelf["tags"], serde_json::json!(["تصريحات"]));
    let (status, collection) = server.get_json(&format!("/api/collections/{name}"));
    assert_eq!(status, 200, "{collection}");
    let article = &collection["articles"][0];
    assert_eq!(article["article_id"], "A1");
    assert_eq!(article["note"], "للمراجعة");
    assert_eq!(article["tags"], serde_json::json!(["تصريحات"]));
    assert_eq!(article["missing"], false);
    // Searchable by collection and by tag.
    for filter in [
        format!("collection={name}"),
        format!("tag={}", encode("تصريحات")),
    ] {
        let (status, result) =
            server.get_json(&format!("/api/search?q={}&{filter}", encode("جنيف")));
        assert_eq!(status, 200, "{result}");
        let ids: Vec<&str> = result["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["article_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["A1"], "{filter}");
    }
    // Exported as CSL-JSON, notes and tags included.
    let (status, _, csl) =
        server.get_with_head(&format!("/api/collections/{name}/export?format=csljson"));
    assert_eq!(status, 200);
    let items: serde_json::Value = serde_json::from_slice(&csl).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 1, "{items}");
    assert_eq!(items[0]["type"], "article-newspaper");
    assert!(
        items[0]["note"].as_str().unwrap().contains("للمراجعة"),
        "{items}"
    );
    // A search's export of the collection carries the note and tag too (as `fahras export`).
    let (status, _, jsonl) = server.get_with_head(&format!(
        "/api/export?q={}&collection={name}&format=jsonl",
        encode("جنيف")
    ));
    assert_eq!(status, 200);
    let row: serde_json::Value =
        serde_json::from_str(String::from_utf8(jsonl).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(row["tags"], serde_json::json!(["تصريحات"]), "{row}");
    assert_eq!(row["notes"], serde_json::json!(["للمراجعة"]), "{row}");
    // The collection facet counts it, and stops when it is dropped (the server reads the
    // store again after each change).
    let facet = |server: &Server| -> Vec<(String, u64)> {
        let (_, result) = server.get_json(&format!("/api/search?q={}&facets=1", encode("جنيف")));
        facet_counts(&result, "collection")
    };
    assert!(
        facet(&server).contains(&("ملف القمة".to_owned(), 1)),
        "{:?}",
        facet(&server)
    );
    // A note edited, then the article dropped (from the collection, never from the index).
    let (status, answer) = server.post(
        &format!("/api/collections/{name}/note"),
        &page,
        r#"{"id": "A1", "text": "راجعته"}"#,
    );
    assert_eq!(status, 200, "{answer}");
    let (_, collection) = server.get_json(&format!("/api/collections/{name}"));
    assert_eq!(collection["articles"][0]["note"], "راجعته");
    let (status, answer) = server.post(
        &format!("/api/collections/{name}/drop"),
        &page,
        r#"{"ids": ["A1"]}"#,
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["dropped"], 1);
    let (_, collection) = server.get_json(&format!("/api/collections/{name}"));
    assert!(collection["articles"].as_array().unwrap().is_empty());
    assert!(
        !facet(&server).iter().any(|(value, _)| value == "ملف القمة"),
        "{:?}",
        facet(&server)
    );
    let (status, answer) = server.post(
        &format!("/api/collections/{name}/note"),
        &page,
        r#"{"id": "A1", "text": "x"}"#,
    );
    assert_eq!(status, 404, "{answer}");
    assert_eq!(answer["code"], "not_in_collection");
    let (_, article) = server.get_json("/api/articles/A1");
    assert_eq!(article["article_id"], "A1");
    // The views of the page are served at their own addresses.
    for path in ["/collections", &format!("/collections/{name}")] {
        let (status, page) = server.get(path);
        assert_eq!(status, 200, "{path}");
        assert!(page.contains("dir=\"rtl\""));
    }
}
