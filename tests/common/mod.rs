//! Helpers for tests that drive the real binary in temporary folders.
#![allow(dead_code)]

pub mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fahras() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fahras"));
    command.env("NO_COLOR", "1");
    command
}

/// Runs fahras with `args`, returning its output.
pub fn run(args: &[&str]) -> Output {
    fahras().args(args).output().expect("fahras runs")
}

/// Runs fahras and asserts success; returns stdout.
pub fn ok(args: &[&str]) -> String {
    let output = run(args);
    assert!(
        output.status.success(),
        "fahras {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8(output.stdout).expect("utf-8 output")
}

pub fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn write(path: impl AsRef<Path>, content: impl AsRef<[u8]>) {
    let path = path.as_ref();
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, content).unwrap();
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 temp path")
}

/// `fahras stats --format json` as a value.
pub fn stats(index: &Path) -> serde_json::Value {
    let out = ok(&["stats", "--index", path_str(index), "--format", "json"]);
    serde_json::from_str(&out).expect("stats json")
}

/// Two articles for the "all words first" tier, for the query `بوتين جنيف`: `both.txt` holds
/// both words once in a long passage, `one.txt` repeats بوتين in a short one; six more make
/// جنيف common, so that BM25 alone prefers `one.txt`.
pub fn write_tier_corpus(corpus: &Path) {
    write(corpus.join("one.txt"), "بوتين\nبوتين بوتين بوتين بوتين.\n");
    write(
        corpus.join("both.txt"),
        "لقاء\nفي خبر طويل عن أمور كثيرة ذكر الكاتب أن بوتين زار جنيف مرة في سنة بعيدة ثم عاد إلى بلاده وتحدث عن الطقس والاقتصاد والرياضة والفن والسفر.\n",
    );
    for i in 0..6 {
        write(
            corpus.join(format!("geneva{i}.txt")),
            format!("مدينة {i}\nجنيف مدينة سويسرية رقم {i}.\n"),
        );
    }
}

/// `fahras index CORPUS --index INDEX --quiet`, which must succeed.
pub fn index_quietly(corpus: &Path, index: &Path) {
    ok(&[
        "index",
        path_str(corpus),
        "--index",
        path_str(index),
        "--quiet",
    ]);
}

/// Search results as JSON values: (hits, summary).
pub fn search_json(index: &Path, extra: &[&str]) -> (Vec<serde_json::Value>, serde_json::Value) {
    let mut args = vec!["search", "--index", path_str(index), "--format", "json"];
    args.extend_from_slice(extra);
    let out = ok(&args);
    let mut values: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let summary = values.pop().expect("summary line");
    (values, summary)
}

/// The ids of the articles `fahras search --format json EXTRA…` lists (up to 50), sorted.
pub fn sorted_hit_ids(index: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["--limit", "50"];
    args.extend_from_slice(extra);
    let (hits, _) = search_json(index, &args);
    let mut ids: Vec<String> = hits
        .iter()
        .map(|h| h["article_id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

/// A facet of a search summary as (value, articles) pairs, in its order.
pub fn facet_counts(summary: &serde_json::Value, facet: &str) -> Vec<(String, u64)> {
    summary["facets"][facet]
        .as_array()
        .unwrap_or_else(|| panic!("no facet {facet} in {summary}"))
        .iter()
        .map(|c| {
            (
                c["value"].as_str().unwrap().to_owned(),
                c["articles"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// (article_id, passage ordinal, text) of every passage in the index, sorted.
pub fn all_passages(index: &Path) -> Vec<(String, u64, String)> {
    use tantivy::collector::TopDocs;
    use tantivy::query::AllQuery;
    use tantivy::schema::Value;
    let handle = fahras::index::open(index).expect("index opens");
    let reader = handle.reader().unwrap();
    let searcher = reader.searcher();
    let top = searcher
        .search(&AllQuery, &TopDocs::with_limit(1_000_000).order_by_score())
        .unwrap();
    let mut out = Vec::new();
    for (_, address) in top {
        let doc: tantivy::TantivyDocument = searcher.doc(address).unwrap();
        let text = |f| {
            doc.get_first(f)
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        };
        let passage = doc
            .get_first(handle.fields.passage)
            .and_then(|v| v.as_u64())
            .unwrap();
        out.push((
            text(handle.fields.article_id),
            passage,
            text(handle.fields.text),
        ));
    }
    out.sort();
    out
}

pub struct TempDirs {
    pub root: tempfile::TempDir,
}

impl TempDirs {
    pub fn new() -> Self {
        TempDirs {
            root: tempfile::tempdir().unwrap(),
        }
    }
    pub fn corpus(&self) -> PathBuf {
        self.root.path().join("corpus")
    }
    pub fn index(&self) -> PathBuf {
        self.root.path().join("index")
    }
}

/// A paragraph of realistic Arabic news text of about `words` words, varied by `seed`.
pub fn arabic_paragraph(seed: usize, words: usize) -> String {
    const WORDS: [&str; 24] = [
        "الرئيس",
        "الروسي",
        "قمة",
        "جنيف",
        "الاتفاق",
        "النووي",
        "الحكومة",
        "البرلمان",
        "الانتخابات",
        "الاقتصاد",
        "الأسواق",
        "المفاوضات",
        "السلام",
        "الأمن",
        "المنطقة",
        "العاصمة",
        "وزير",
        "الخارجية",
        "المتحدث",
        "الرسمي",
        "التعاون",
        "الدولي",
        "المجلس",
        "الشعب",
    ];
    (0..words)
        .map(|i| WORDS[(seed * 7 + i * 13 + i / 5) % WORDS.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

pub const XSS_TITLE: &str = "<script>window.__xss=1</script>عنوان خبيث";
pub const XSS_TEXT: &str = "تقرير عن القمة <img src=x onerror=\"window.__xss=1\"> في جنيف <script>window.__xss=1</script> وما بعدها.";

/// `x.txt` in `corpus`: an article (X1, outlet "evil", at `url`) whose title and text are
/// markup and script, escaped so that the SGML reader keeps them as text.
pub fn write_hostile_article(corpus: &Path, url: &str) {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    write(
        corpus.join("x.txt"),
        format!(
            "<DOC>\n<DOCNO>X1</DOCNO>\n<SRC>evil</SRC>\n<URL>{}</URL>\n<TITLE>{}</TITLE>\n<TIME>Sun, 10 Jun 2018 10:00:00 GMT</TIME>\n<TEXT>\n{}\n</TEXT>\n</DOC>\n",
            escape(url),
            escape(XSS_TITLE),
            escape(XSS_TEXT)
        ),
    );
}

/// A fixture index with ordinary and hostile articles.
pub fn server_fixture() -> (TempDirs, PathBuf) {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    let doc = |id: &str, src: &str, time: &str, title: &str, text: &str| {
        format!("<DOC>\n<DOCNO>{id}</DOCNO>\n<SRC>{src}</SRC>\n<URL>http://example.org/{id}</URL>\n<TITLE>{title}</TITLE>\n<TIME>{time}</TIME>\n<TEXT>\n{text}\n</TEXT>\n</DOC>\n")
    };
    write(corpus.join("a.txt"), doc("A1", "BBC", "Wed, 16 Jun 2021 10:00:00 GMT", "قمة جنيف",
        "التقى الرئيسُ الروسيُّ فلاديمير بوتين نظيرَه الأمريكي جو بايدن في جنيف، وبحثا الاستقرار الاستراتيجيّ."));
    write(
        corpus.join("b.txt"),
        doc(
            "B1",
            "CNN",
            "Sat, 09 Jun 2018 10:00:00 GMT",
            "فيينا",
            "قال الكرملين إن الرئيس بوتين ونظيره ناقشا فيينا مكانا للقمة.",
        ),
    );
    write_hostile_article(&corpus, "http://example.org/X1");
    let index = dirs.index();
    index_quietly(&corpus, &index);
    (dirs, index)
}

/// `fahras index CORPUS --index INDEX --threads 1 EXTRA…` held at the `pause-after-documents`
/// fault point: returned once the run says it paused (it holds the writer lock until its standard
/// input is closed), with its standard error to read the rest from. No sleep involved.
pub fn index_paused_after(
    corpus: &Path,
    index: &Path,
    passages: u64,
    extra: &[&str],
) -> (
    std::process::Child,
    std::io::BufReader<std::process::ChildStderr>,
) {
    use std::io::BufRead;
    let mut child = fahras()
        .env("FAHRAS_FAULT", format!("pause-after-documents={passages}"))
        .args([
            "index",
            path_str(corpus),
            "--index",
            path_str(index),
            "--threads",
            "1",
        ])
        .args(extra)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("paused after") {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "the run ended before pausing"
        );
    }
    (child, stderr)
}

/// The rows of the labelled list `tests/{name}` (tab-separated; `#` comments and blank lines
/// skipped), each checked to have `cells` cells.
pub fn labelled_rows(name: &str, cells: usize) -> Vec<Vec<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name);
    let list = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    list.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let row: Vec<String> = line.split('\t').map(str::to_owned).collect();
            assert_eq!(row.len(), cells, "{name}: {line}");
            row
        })
        .collect()
}

/// `word` as the normalizer writes it in the exact field.
pub fn normalized(word: &str) -> String {
    fahras::analysis::normalizer::normalize_word(word).concat()
}

/// Property-test settings: `cases` inputs drawn from a fixed seed, so that the suite gives the
/// same verdict on every run (CI lands or refuses the code, never the draw).
/// `PROPTEST_RNG_SEED=<n> cargo test` draws other inputs; run it with fresh seeds to look for
/// new failures, and keep each one found as a named regression test.
pub fn property_config(cases: u32) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, RngSeed};
    let from_env = Config::default();
    Config {
        cases,
        rng_seed: match from_env.rng_seed {
            RngSeed::Random => RngSeed::Fixed(0x00fa_4a55),
            asked => asked,
        },
        ..from_env
    }
}

/// `fahras export --format jsonl ARGS` on `index`: whether it succeeded, how many rows it wrote
/// and what it said on standard error.
pub fn export_jsonl(index: &Path, args: &[&str]) -> (bool, usize, String) {
    let mut all = vec!["export", "--index", path_str(index), "--format", "jsonl"];
    all.extend_from_slice(args);
    let output = run(&all);
    let rows = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count();
    (output.status.success(), rows, stderr_of(&output))
}
