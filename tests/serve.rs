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
    let (status, _) = server.get_json("/nowhere");
    assert_eq!(status, 404);
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
    let (_, page) = server.get("/");
    assert!(!page.contains("innerHTML"));
    assert!(page.contains("textContent"));
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
        assert!(
            started.elapsed() < Duration::from_secs(20),
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
