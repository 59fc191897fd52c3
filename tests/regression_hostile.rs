//! Regressions from hostile input: shapes that were quadratic (run here at a size that is quick
//! when linear; the assertions are on the output, never on time), inputs that panicked, the
//! representative of a group of copies, and the server under load and from the network.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::server::encode;
use common::*;
use fahras::analysis::{self, StemmerKind};
use fahras::ingest::{sgml, Warning};
use fahras::search::highlight::{self, HighlightTerms};
use fahras::search::query;

// ---------------------------------------------------------------------------------------------
// Quadratic paths

#[test]
fn sgml_with_50000_documents_is_read_in_linear_time() {
    let mut text = String::new();
    for i in 0..50_000 {
        text.push_str(&format!(
            "<DOC>\n<DOCNO>D{i}</DOCNO>\n<TEXT>\nنص {i}\n</TEXT>\n</DOC>\n"
        ));
    }
    // The last document is unclosed: its warning names its line, counted across the file.
    text.push_str("<DOC>\n<DOCNO>LAST</DOCNO>\n<TEXT>\nنص\n</TEXT>\n");
    let mut warnings: Vec<Warning> = Vec::new();
    let articles = sgml::parse(&text, &mut warnings);
    assert_eq!(articles.len(), 50_001);
    assert_eq!(articles[49_999].id.as_deref(), Some("D49999"));
    assert_eq!(articles[49_999].body, "نص 49999");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, Some(50_000 * 6 + 1), "{warnings:?}");
}

#[test]
fn sgml_text_with_400000_unclosed_angle_brackets_is_stripped_in_linear_time() {
    let brackets = "<".repeat(400_000);
    let text = format!("<DOC>\n<DOCNO>X</DOCNO>\n<TEXT>\nقبل {brackets} بعد\n</TEXT>\n</DOC>\n");
    let mut warnings = Vec::new();
    let articles = sgml::parse(&text, &mut warnings);
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0].body, format!("قبل {brackets} بعد"));
    // A closed tag before the unclosed ones is still stripped.
    let text = format!("<DOC>\n<TEXT>\n<P>فقرة</P> {brackets}\n</TEXT>\n</DOC>\n");
    let articles = sgml::parse(&text, &mut warnings);
    assert_eq!(articles[0].body, format!("فقرة\n\n{brackets}"));
}

/// (original slice, term) of every token.
fn tokens(text: &str) -> Vec<(String, String)> {
    analysis::analyze(&mut analysis::exact_analyzer(), text)
        .into_iter()
        .map(|t| (text[t.from..t.to].to_owned(), t.term))
        .collect()
}

#[test]
fn a_word_with_80000_invisible_joiners_is_cut_in_linear_time() {
    let joiners = "\u{200D}".repeat(80_000);
    let word = format!("ب{joiners}ت");
    let text = format!("قبل {word} بعد");
    let toks = tokens(&text);
    assert_eq!(
        toks.len(),
        3,
        "{:?}",
        toks.iter().map(|t| &t.1).collect::<Vec<_>>()
    );
    assert_eq!(toks[1].0, word);
    assert_eq!(toks[1].1, "بت");
    // A run that ends at a space does not join: the word stops before it.
    let text = format!("ب{joiners} ت");
    let toks = tokens(&text);
    assert_eq!(toks, [("ب".into(), "ب".into()), ("ت".into(), "ت".into())]);
    // The highlighter cuts the same way.
    let text = format!("قبل {word} بعد");
    let mut terms = HighlightTerms::default();
    terms.exact.insert("بت".to_owned());
    let ranges = highlight::highlight_ranges(
        &text,
        &terms,
        &mut analysis::exact_analyzer(),
        &analysis::TermStemmer::new(StemmerKind::Light),
        &mut Default::default(),
    );
    assert_eq!(ranges.len(), 1);
    assert_eq!(&text[ranges[0][0]..ranges[0][1]], word);
}

// ---------------------------------------------------------------------------------------------
// Panics on user input

const MULTIBYTE_SPACES: [char; 4] = ['\u{00A0}', '\u{2003}', '\u{3000}', '\u{202F}'];

#[test]
fn a_window_next_to_multibyte_spaces_is_cut_on_character_boundaries() {
    for space in MULTIBYTE_SPACES {
        for lead in 0..40 {
            // Words separated by the multi-byte space, a hit somewhere in the middle.
            let words: Vec<String> = (0..80).map(|i| format!("كلمة{i}")).collect();
            let text = words.join(&space.to_string());
            let hit = format!("كلمة{}", 20 + lead % 30);
            let from = text.find(&format!("{space}{hit}{space}")).unwrap() + space.len_utf8();
            let ranges = [[from, from + hit.len()]];
            for max_chars in [8, 20, 37, 60, 100] {
                let (window, shifted, _, _) = highlight::window(&text, &ranges, max_chars);
                assert!(text.contains(&window));
                for [f, t] in &shifted {
                    assert_eq!(window.get(*f..*t), Some(hit.as_str()));
                }
                let marked = highlight::mark(&window, &shifted, "[", "]");
                assert!(marked.contains(&format!("[{hit}]")) || shifted.is_empty());
            }
        }
    }
}

#[test]
fn a_window_right_after_a_multibyte_space_does_not_panic() {
    // The reported case: the lead of the window starts at an NBSP.
    for space in MULTIBYTE_SPACES {
        let text = format!("{}{space}هدف {}", "ا".repeat(5), "ب ".repeat(200));
        let from = text.find("هدف").unwrap();
        let ranges = [[from, from + "هدف".len()]];
        for max_chars in 1..40 {
            let (window, shifted, _, _) = highlight::window(&text, &ranges, max_chars);
            for [f, t] in shifted {
                assert_eq!(&window[f..t], "هدف");
            }
        }
    }
}

#[test]
fn search_text_output_with_multibyte_spaces_around_hits_does_not_panic() {
    // The reported case: `fahras search` (text output) exited 101 when the window around a hit
    // started next to an NBSP. One article per space, words separated by it, the hit far
    // enough in for the window to be cut before it.
    let dirs = TempDirs::new();
    for (i, space) in MULTIBYTE_SPACES.iter().enumerate() {
        let words: Vec<String> = (0..120)
            .map(|w| {
                if w == 60 {
                    "زلزال".to_owned()
                } else {
                    format!("كلمة{w}")
                }
            })
            .collect();
        let body = words.join(&space.to_string());
        write(
            dirs.corpus().join(format!("s{i}.txt")),
            format!("<DOC>\n<DOCNO>S{i}</DOCNO>\n<TITLE>عنوان</TITLE>\n<TEXT>\n{body}\n</TEXT>\n</DOC>\n"),
        );
    }
    let index = dirs.index();
    index_quietly(&dirs.corpus(), &index);
    // The articles are copies of one another: list each.
    let out = ok(&[
        "search",
        "--index",
        path_str(&index),
        "--all-copies",
        "--limit",
        "10",
        "زلزال",
    ]);
    assert!(out.contains("[[زلزال]]"), "{out}");
    for i in 0..MULTIBYTE_SPACES.len() {
        assert!(out.contains(&format!("S{i}")), "{out}");
    }
}

#[test]
fn mark_and_window_skip_ranges_that_are_not_on_character_boundaries() {
    let text = "ألف باء تاء";
    let bad = [[1, 3], [7, 100], [5, 2], [0, 0], [usize::MAX, usize::MAX]];
    assert_eq!(highlight::mark(text, &bad, "[", "]"), text);
    let (window, shifted, _, _) = highlight::window(text, &bad, 4);
    assert!(text.contains(&window));
    assert!(shifted.is_empty());
    // Out of order: the later one is skipped, the text is kept whole.
    let ranges = [[7, 13], [0, 6]];
    assert_eq!(highlight::mark(text, &ranges, "[", "]"), "ألف [باء] تاء");
}

#[test]
fn date_9999_12_31_does_not_overflow() {
    for period in ["9999-12-31", "9999-12", "9999"] {
        let (from, to) = query::parse_period(period).expect(period);
        assert!(from <= to, "{period}");
    }
    let parsed = query::parse("date:9999-12-31 بوتين");
    assert!(parsed
        .filters
        .dates
        .iter()
        .any(|range| matches!(range, (Some(_), Some(_)))));
    let parsed = query::parse("date:2018..9999-12-31 بوتين");
    assert!(parsed.notes.is_empty(), "{:?}", parsed.notes);

    let (_dirs, index) = server_fixture();
    let index_str = path_str(&index);
    // Up to the end of time: everything; from the end of time: nothing, and no panic.
    let (hits, _) = search_json(&index, &["بوتين", "--to", "9999-12-31"]);
    assert_eq!(hits.len(), 2);
    let (hits, _) = search_json(&index, &["بوتين", "--from", "9999-12-31"]);
    assert!(hits.is_empty());
    let (hits, _) = search_json(&index, &["date:..9999-12-31", "بوتين"]);
    assert_eq!(hits.len(), 2);
    ok(&["search", "--index", index_str, "date:9999-12-31", "بوتين"]);
    ok(&[
        "export",
        "بوتين",
        "--index",
        index_str,
        "--to",
        "9999-12-31",
        "--quiet",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let queries = dir.path().join("queries.tsv");
    write(
        &queries,
        "q1\tdate:9999-12-31 بوتين\nq2\tبوتين date:..9999\n",
    );
    ok(&[
        "search",
        "--index",
        index_str,
        "--queries",
        path_str(&queries),
        "--to",
        "9999-12-31",
    ]);
    let server = common::server::Server::start(&index);
    let (status, body) =
        server.get_json(&format!("/api/search?q={}&to=9999-12-31", encode("بوتين")));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["hits"].as_array().unwrap().len(), 2);
    let (status, _) = server.get_json(&format!(
        "/api/search?q={}&from=9999-12-31&to=9999-12-31",
        encode("date:9999-12-31 بوتين")
    ));
    assert_eq!(status, 200);
}

#[test]
fn twenty_thousand_nested_parentheses_do_not_overflow_the_stack() {
    let deep = format!("{}بوتين{}", "(".repeat(20_000), ")".repeat(20_000));
    let parsed = query::parse(&deep);
    assert_eq!(
        parsed.nodes,
        [query::Node::Word {
            text: "بوتين".into(),
            prefix: false,
            title_only: false
        }]
    );
    assert!(
        parsed
            .notes
            .iter()
            .any(|n| n.to_string().contains("32 levels")),
        "{:?}",
        parsed.notes
    );
    // Deep, unbalanced, with operators and minus runs.
    for input in [
        "(".repeat(50_000),
        ")".repeat(50_000),
        "(-".repeat(30_000),
        "-−".repeat(30_000) + "x",
        "(a OR ".repeat(10_000),
    ] {
        let _ = query::parse(&input);
    }
    // Groups up to the bound still group.
    let shallow = format!("{}a OR b{} c", "(".repeat(32), ")".repeat(32));
    let parsed = query::parse(&shallow);
    assert!(parsed.notes.is_empty(), "{:?}", parsed.notes);
    assert_eq!(parsed.nodes.len(), 2);

    let (_dirs, index) = server_fixture();
    let (hits, summary) = search_json(&index, &[deep.as_str()]);
    assert_eq!(hits.len(), 2, "{summary}");
    ok(&["search", "--index", path_str(&index), deep.as_str()]);
}

// ---------------------------------------------------------------------------------------------
// Copies representative

fn copy_doc(id: &str, time: &str, source: &str, story: &str) -> String {
    format!(
        "<DOC>\n<DOCNO>{id}</DOCNO>\n<SRC>{source}</SRC>\n<TITLE>مسبار إلى المريخ</TITLE>\n<TIME>{time}</TIME>\n<TEXT>\n{story}\n</TEXT>\n</DOC>\n"
    )
}

/// The article shown for the story, built from the copies in `order`.
fn representative(copies: &[(&str, &str, &str)], order: &[usize]) -> (String, Vec<String>) {
    let dirs = TempDirs::new();
    let story = format!(
        "أعلنت وكالة الفضاء إطلاق مسبار جديد نحو المريخ. {}",
        arabic_paragraph(3, 120)
    );
    // One file per copy, named so that the walk meets them in `order`.
    for (rank, &i) in order.iter().enumerate() {
        let (id, time, source) = copies[i];
        write(
            dirs.corpus().join(format!("f{rank}.txt")),
            copy_doc(id, time, source, &story),
        );
    }
    write(
        dirs.corpus().join("other.txt"),
        copy_doc(
            "OTHER",
            "Mon, 01 Jan 2018 10:00:00 GMT",
            "X",
            &format!("مسبار {}", arabic_paragraph(77, 150)),
        ),
    );
    let index = dirs.index();
    index_quietly(&dirs.corpus(), &index);
    let (hits, _) = search_json(&index, &["--per-article", "1", "مسبار"]);
    let story_hits: Vec<&serde_json::Value> =
        hits.iter().filter(|h| h["article_id"] != "OTHER").collect();
    assert_eq!(story_hits.len(), 1, "{hits:?}");
    let mut copies: Vec<String> = story_hits[0]["copies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["article_id"].as_str().unwrap().to_owned())
        .collect();
    copies.sort();
    (
        story_hits[0]["article_id"].as_str().unwrap().to_owned(),
        copies,
    )
}

#[test]
fn identical_copies_show_the_earliest_then_smallest_id_whatever_the_build_order() {
    // C-late has the smallest id but the latest date; B-early and A-early share the earliest
    // date: the smaller id of those two, A-early, is the representative.
    let copies = [
        ("A-early", "Tue, 02 Jan 2018 10:00:00 GMT", "S1"),
        ("B-early", "Tue, 02 Jan 2018 10:00:00 GMT", "S2"),
        ("0-late", "Fri, 05 Jan 2018 10:00:00 GMT", "S3"),
    ];
    for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
        let (shown, folded) = representative(&copies, &order);
        assert_eq!(shown, "A-early", "build order {order:?}");
        assert_eq!(folded, ["0-late", "B-early"], "build order {order:?}");
    }
    // Without dates, the smallest id.
    let undated = [("m", "", "S1"), ("k", "", "S2"), ("z", "", "S3")];
    for order in [[0, 1, 2], [2, 0, 1]] {
        assert_eq!(representative(&undated, &order).0, "k", "{order:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The server under load and from the network

/// A `fahras serve` started with extra arguments and environment.
struct Served {
    child: Child,
    addr: String,
}

impl Served {
    fn start(index: &Path, extra: &[&str], env: &[(&str, &str)]) -> Served {
        let mut command = fahras();
        command
            .args(["serve", "--index", path_str(index), "--addr", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("fahras serve starts");
        let addr = read_address(&mut child);
        Served { child, addr }
    }
}

fn read_address(child: &mut Child) -> String {
    use std::io::BufRead;
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    line.split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned()
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// (status, lower-cased head, body) of a GET with this Host header.
fn get_with_host(addr: &str, path: &str, host: Option<&str>) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let host_line = host.map_or(String::new(), |h| format!("Host: {h}\r\n"));
    write!(
        stream,
        "GET {path} HTTP/1.1\r\n{host_line}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_ascii_lowercase(), body.to_owned())
}

#[test]
fn requests_for_a_foreign_host_are_refused() {
    let (_dirs, index) = server_fixture();
    let server = Served::start(&index, &[], &[]);
    let port = server.addr.rsplit(':').next().unwrap().to_owned();
    let search = format!("/api/search?q={}", encode("بوتين"));
    for host in [
        "evil.example".to_owned(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        "localhost:1".to_owned(),
    ] {
        for path in ["/", search.as_str(), "/api/stats"] {
            let (status, head, body) = get_with_host(&server.addr, path, Some(&host));
            assert_eq!(status, 421, "{host} {path}: {head}");
            let error: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert!(error["error"].as_str().is_some(), "{body}");
        }
    }
    for host in [
        server.addr.clone(),
        format!("localhost:{port}"),
        "LocalHost".to_owned(),
        format!("[::1]:{port}"),
        "127.0.0.1".to_owned(),
    ] {
        let (status, head, _) = get_with_host(&server.addr, &search, Some(&host));
        assert_eq!(status, 200, "{host}: {head}");
    }
}

#[test]
fn api_responses_are_nosniff_and_the_page_cannot_be_framed() {
    let (_dirs, index) = server_fixture();
    let server = Served::start(&index, &[], &[]);
    let search = format!("/api/search?q={}", encode("بوتين"));
    for path in [
        search.as_str(),
        "/api/stats",
        "/api/articles/A1",
        "/nowhere",
    ] {
        let (_, head, _) = get_with_host(&server.addr, path, Some(&server.addr));
        assert!(
            head.contains("x-content-type-options: nosniff"),
            "{path}: {head}"
        );
    }
    let (_, head, _) = get_with_host(&server.addr, "/", Some(&server.addr));
    assert!(head.contains("frame-ancestors 'none'"), "{head}");
}

#[test]
fn searches_beyond_the_bound_get_503_with_retry_after() {
    let (_dirs, index) = server_fixture();
    let search = format!("/api/search?q={}", encode("بوتين"));
    // A bound of 0, by flag and by environment: every search is shed, the rest is served.
    let by_flag = Served::start(&index, &["--max-concurrent-searches", "0"], &[]);
    let by_env = Served::start(&index, &[], &[("FAHRAS_MAX_CONCURRENT_SEARCHES", "0")]);
    for server in [&by_flag, &by_env] {
        for path in [search.as_str(), "/api/articles/A1"] {
            let (status, head, body) = get_with_host(&server.addr, path, Some(&server.addr));
            assert_eq!(status, 503, "{path}: {head}");
            assert!(head.contains("retry-after: 1"), "{head}");
            assert!(body.contains("error"), "{body}");
        }
        let (status, _, _) = get_with_host(&server.addr, "/api/stats", Some(&server.addr));
        assert_eq!(status, 200);
    }
    // A bound of 1 with the slot held (in process): 503; the slot given back: served.
    let limiter = fahras::serve::SearchLimiter::new(1);
    let held = limiter.try_acquire().expect("a free slot");
    assert!(limiter.try_acquire().is_none());
    let addr = serve_in_background(index.clone(), limiter.clone(), 1);
    let (status, head, _) = get_with_host(&addr, &search, Some(&addr));
    assert_eq!(status, 503, "{head}");
    assert!(head.contains("retry-after"), "{head}");
    drop(held);
    let (status, _, body) = get_with_host(&addr, &search, Some(&addr));
    assert_eq!(status, 200, "{body}");
    // The slot is given back after the search.
    assert_eq!(limiter.in_flight(), 0);
}

/// Serves `index` on a free loopback port, searches bounded by `limiter`, on a runtime of
/// `workers` threads; the address once it listens.
fn serve_in_background(
    index: PathBuf,
    limiter: std::sync::Arc<fahras::serve::SearchLimiter>,
    workers: usize,
) -> String {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .enable_all()
            .build()
            .unwrap();
        let _ = runtime.block_on(fahras::serve::serve_limited(
            index,
            "127.0.0.1:0".parse().unwrap(),
            &[],
            limiter,
            move |bound| ready_tx.send(bound).unwrap(),
        ));
    });
    ready_rx
        .recv_timeout(Duration::from_secs(60))
        .unwrap()
        .to_string()
}

#[test]
fn a_search_waits_in_the_queue_and_one_beyond_it_gets_503() {
    let (_dirs, index) = server_fixture();
    let search = format!("/api/search?q={}", encode("بوتين"));
    // One slot, held here; a queue of one that waits long enough never to time out in the test.
    let limiter = fahras::serve::SearchLimiter::with_queue(1, 1, Duration::from_secs(600));
    let held = limiter.try_acquire().expect("a free slot");
    let addr = serve_in_background(index, limiter.clone(), 2);
    // The first search waits in the queue...
    let waiting = {
        let (addr, search) = (addr.clone(), search.clone());
        std::thread::spawn(move || get_with_host(&addr, &search, Some(&addr)))
    };
    let started = Instant::now();
    while limiter.queued() == 0 {
        assert!(started.elapsed() < Duration::from_secs(60), "never queued");
        std::thread::yield_now();
    }
    // ...so the queue is full: the next one is refused at once.
    let (status, head, _) = get_with_host(&addr, &search, Some(&addr));
    assert_eq!(status, 503, "{head}");
    assert!(head.contains("retry-after: 1"), "{head}");
    // The slot given back, the waiting search is served.
    drop(held);
    let (status, _, body) = waiting.join().unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(limiter.queued(), 0);
}

#[test]
fn stats_are_served_from_the_cache_and_follow_a_reindex() {
    let (dirs, index) = server_fixture();
    let server = common::server::Server::start(&index);
    let (status, first) = server.get("/api/stats");
    assert_eq!(status, 200);
    let (_, second) = server.get("/api/stats");
    assert_eq!(first, second);
    let first: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(first["articles"], 3);
    write(
        dirs.corpus().join("more/new.txt"),
        "عنوان جديد\nزلزال في المدينة.\n",
    );
    index_quietly(&dirs.corpus(), &index);
    let started = Instant::now();
    loop {
        let (status, stats) = server.get_json("/api/stats");
        assert_eq!(status, 200);
        if stats["articles"] == 4 {
            break;
        }
        assert_eq!(stats["articles"], 3);
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "re-index not picked up: {stats}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_accepts_a_host_name_and_names_a_busy_address() {
    let (_dirs, index) = server_fixture();
    // Port 0 through a host name.
    let mut child = fahras()
        .args([
            "serve",
            "--index",
            path_str(&index),
            "--addr",
            "localhost:0",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let addr = read_address(&mut child);
    let server = Served { child, addr };
    assert!(server.addr.starts_with("127.0.0.1:"), "{}", server.addr);
    let port = server.addr.rsplit(':').next().unwrap().to_owned();
    let (status, _, _) = get_with_host(
        &server.addr,
        "/api/stats",
        Some(&format!("localhost:{port}")),
    );
    assert_eq!(status, 200);
    // The same port again: the error names the address.
    let output = run(&[
        "serve",
        "--index",
        path_str(&index),
        "--addr",
        &format!("localhost:{port}"),
    ]);
    assert!(!output.status.success());
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains(&format!(
            "cannot listen on 127.0.0.1:{port}: address already in use"
        )),
        "{stderr}"
    );
}
