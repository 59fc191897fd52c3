//! Searching by meaning: the vector store (`fahras embed`: incremental, resumable, tied to the
//! model and the index), the modes and their notes, fusion, "more like this".
//!
//! Most tests use a small deterministic encoder (words mapped to shared "concepts", so that an
//! English word is near its Arabic one) and need nothing installed. The tests marked `model`
//! drive the real binary with multilingual-e5-small when its file is present (`FAHRAS_MODEL`,
//! else `target/model-cache/e5-small-q4.bin`, which `.ci/run` fetches) and say they skipped
//! otherwise.

mod common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use common::server::{encode, Server};
use common::*;
use fahras::search::{Engine, SearchResults, SearchSettings};
use fahras::semantic::store::{self, EmbedOptions};
use fahras::semantic::{Encoder, EncoderSlot, Kind, Mode, Vector, DIM};

/// The tests of this file run one at a time. [`Fixture::embed`] takes the vector store's lock
/// (an `flock` on a file it keeps open) in this process, and every test spawns `fahras`: a
/// child forked while that file is open shares the lock until it execs, so on a loaded machine
/// the next embed of the same index could find it still taken (`Locked`; seen once in three
/// loaded runs). Run alone, a test never forks while a lock of its own is held. The product
/// takes that lock only in `fahras embed`, which forks nothing.
fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Words → concepts: a word and its translation share one dimension; other words hash.
struct ConceptEncoder {
    identity: &'static str,
}

const CONCEPTS: &[(&str, &[&str])] = &[
    ("summit", &["قمة", "القمة", "لقاء", "summit", "meeting"]),
    ("football", &["كرة", "القدم", "مباراة", "football", "match"]),
    ("oil", &["النفط", "نفط", "oil", "crude"]),
    ("geneva", &["جنيف", "geneva"]),
];

impl Encoder for ConceptEncoder {
    fn identity(&self) -> String {
        self.identity.to_owned()
    }
    fn max_tokens(&self) -> usize {
        256
    }
    fn embed(&self, texts: &[&str], _kind: Kind, _threads: usize) -> Vec<Vector> {
        texts
            .iter()
            .map(|text| {
                let mut v = [0f32; DIM];
                for word in text.split(|c: char| !c.is_alphanumeric()) {
                    let word = word.to_lowercase();
                    if word.is_empty() {
                        continue;
                    }
                    let slot = match CONCEPTS.iter().position(|(_, ws)| ws.contains(&&*word)) {
                        Some(concept) => concept,
                        None => 8 + (fahras_hash(&word) % (DIM as u64 - 8)) as usize,
                    };
                    v[slot] += if slot < 8 { 3.0 } else { 0.2 };
                }
                let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-9);
                v.iter_mut().for_each(|x| *x /= norm);
                v
            })
            .collect()
    }
}

fn fahras_hash(word: &str) -> u64 {
    word.bytes().fold(1469598103934665603u64, |h, b| {
        (h ^ b as u64).wrapping_mul(1099511628211)
    })
}

fn encoder(identity: &'static str) -> Arc<dyn Encoder> {
    Arc::new(ConceptEncoder { identity })
}

/// Eight articles: three on a summit (one in Geneva), two on football, two on oil, one on
/// nothing in particular.
fn write_corpus(corpus: &Path) {
    let articles = [
        (
            "summit-geneva",
            "لقاء الرئيسين",
            "عقدت القمة في جنيف بين الرئيسين وناقشت الحد من التسلح.",
        ),
        (
            "summit-vienna",
            "لقاء في فيينا",
            "انتهت القمة في فيينا باتفاق على مواصلة الحوار.",
        ),
        (
            "summit-rome",
            "زعماء في روما",
            "قمة روما جمعت الزعماء لبحث المناخ.",
        ),
        (
            "football-1",
            "الدوري",
            "فاز الفريق في مباراة كرة القدم أمس بهدفين.",
        ),
        (
            "football-2",
            "الكأس",
            "مباراة كرة القدم النهائية انتهت بالتعادل.",
        ),
        ("oil-1", "الأسواق", "ارتفعت أسعار النفط في الأسواق العالمية."),
        ("oil-2", "الطاقة", "صادرات النفط الخام تراجعت هذا الشهر."),
        ("weather", "الطقس", "يسود طقس معتدل على معظم المناطق."),
    ];
    for (name, title, text) in articles {
        write(
            corpus.join(format!("{name}.txt")),
            format!("{title}\n{text}\n"),
        );
    }
}

struct Fixture {
    dirs: TempDirs,
}

impl Fixture {
    fn new() -> Fixture {
        let dirs = TempDirs::new();
        write_corpus(&dirs.corpus());
        index_quietly(&dirs.corpus(), &dirs.index());
        Fixture { dirs }
    }

    fn embed(&self, identity: &'static str) -> store::EmbedReport {
        let handle = fahras::index::open(&self.dirs.index()).unwrap();
        store::embed_index(
            &handle,
            &*encoder(identity),
            EmbedOptions {
                threads: 1,
                batch: 3,
            },
            &store::Selection::All,
            &mut |_| {},
        )
        .expect("embed")
    }

    fn engine(&self, identity: &'static str) -> Engine {
        Engine::new(fahras::index::open(&self.dirs.index()).unwrap())
            .unwrap()
            .with_encoder(EncoderSlot::given(encoder(identity)))
    }

    fn reindex(&self) {
        index_quietly(&self.dirs.corpus(), &self.dirs.index());
    }
}

fn search(engine: &mut Engine, query: &str, mode: Option<Mode>) -> SearchResults {
    engine
        .search(&SearchSettings {
            query: query.to_owned(),
            mode,
            ..SearchSettings::default()
        })
        .expect("search")
}

fn ids(results: &SearchResults) -> Vec<String> {
    results.hits.iter().map(|h| h.article_id.clone()).collect()
}

fn has(results: &SearchResults, name: &str) -> bool {
    ids(results).iter().any(|id| id.contains(name))
}

#[test]
fn an_embedded_index_answers_hybrid_by_default_and_counts_the_lexical_matches() {
    let _serial = serial();
    let fixture = Fixture::new();
    let report = fixture.embed("concepts-1");
    assert_eq!(report.passages, 8);
    assert_eq!(report.encoded, 8);
    let mut engine = fixture.engine("concepts-1");
    let hybrid = search(&mut engine, "القمة", None);
    assert_eq!(hybrid.mode, Mode::Hybrid);
    let lexical = search(&mut engine, "القمة", Some(Mode::Lexical));
    assert_eq!(lexical.mode, Mode::Lexical);
    // Totals count the words' matches in both modes.
    assert_eq!(hybrid.total_hits, lexical.total_hits);
    assert_eq!(hybrid.total_articles, lexical.total_articles);
    // The summit articles lead; the one the words miss (قمة روما: another form) comes by meaning.
    let first_three: Vec<String> = ids(&hybrid).into_iter().take(3).collect();
    assert!(
        first_three.iter().all(|id| id.contains("summit")),
        "{first_three:?}"
    );
}

#[test]
fn hybrid_lists_what_only_the_meaning_finds_after_the_counts_and_weight_zero_is_lexical() {
    let _serial = serial();
    let fixture = Fixture::new();
    fixture.embed("concepts-1");
    let mut engine = fixture.engine("concepts-1");
    // لقاء is in two titles; the Rome summit never says it.
    let lexical = search(&mut engine, "لقاء", Some(Mode::Lexical));
    assert!(!has(&lexical, "summit-rome"), "{:?}", ids(&lexical));
    let hybrid = search(&mut engine, "لقاء", Some(Mode::Hybrid));
    assert!(has(&hybrid, "summit-rome"), "{:?}", ids(&hybrid));
    assert_eq!(hybrid.total_articles, lexical.total_articles);
    assert!(hybrid.meaning_articles >= 1, "{}", hybrid.meaning_articles);
    assert_eq!(
        hybrid.hits.len(),
        hybrid.total_articles + hybrid.meaning_articles,
        "the list holds the counted articles and those the meaning adds: {:?}",
        ids(&hybrid)
    );
    let weightless = engine
        .search(&SearchSettings {
            query: "لقاء".into(),
            mode: Some(Mode::Hybrid),
            semantic_weight: 0.0,
            ..SearchSettings::default()
        })
        .unwrap();
    assert_eq!(ids(&weightless), ids(&lexical));
    assert_eq!(weightless.meaning_articles, 0);
}

#[test]
fn semantic_counts_do_not_depend_on_the_page() {
    let _serial = serial();
    let fixture = Fixture::new();
    fixture.embed("concepts-1");
    let mut engine = fixture.engine("concepts-1");
    let mut page = |offset: usize| {
        engine
            .search(&SearchSettings {
                query: "summit".into(),
                mode: Some(Mode::Semantic),
                offset,
                limit: std::num::NonZeroUsize::new(3).unwrap(),
                ..SearchSettings::default()
            })
            .unwrap()
    };
    let (first, second) = (page(0), page(3));
    assert_eq!(first.total_hits, second.total_hits);
    assert_eq!(first.total_articles, second.total_articles);
    assert!(ids(&first).iter().all(|id| !ids(&second).contains(id)));
}

#[test]
fn a_query_in_english_finds_the_arabic_articles_by_meaning() {
    let _serial = serial();
    let fixture = Fixture::new();
    fixture.embed("concepts-1");
    let mut engine = fixture.engine("concepts-1");
    let results = search(&mut engine, "football match", Some(Mode::Semantic));
    assert_eq!(results.mode, Mode::Semantic);
    let top: Vec<String> = ids(&results).into_iter().take(2).collect();
    assert!(top.iter().all(|id| id.contains("football")), "{top:?}");
    // Semantic mode counts what it found, no more.
    assert_eq!(results.total_articles, results.hits.len());
    // Hybrid: the words find nothing, the meaning still answers.
    let hybrid = search(&mut engine, "crude oil", Some(Mode::Hybrid));
    assert_eq!(hybrid.total_hits, 0);
    assert!(hybrid
        .hits
        .first()
        .is_some_and(|h| h.article_id.contains("oil")));
}

#[test]
fn the_search_by_meaning_keeps_to_the_filters_and_exclusions() {
    let _serial = serial();
    let fixture = Fixture::new();
    fixture.embed("concepts-1");
    let mut engine = fixture.engine("concepts-1");
    let results = search(&mut engine, "summit -جنيف", Some(Mode::Semantic));
    assert!(has(&results, "summit-vienna"));
    assert!(!has(&results, "summit-geneva"), "{:?}", ids(&results));
}

#[test]
fn embedding_again_encodes_only_new_and_changed_passages_and_drops_removed_ones() {
    let _serial = serial();
    let fixture = Fixture::new();
    fixture.embed("concepts-1");
    let again = fixture.embed("concepts-1");
    assert_eq!((again.encoded, again.reused), (0, 8));
    let corpus = fixture.dirs.corpus();
    write(
        corpus.join("oil-1.txt"),
        "الأسواق\nهبطت أسعار النفط اليوم.\n",
    );
    std::fs::remove_file(corpus.join("weather.txt")).unwrap();
    fixture.reindex();
    let changed = fixture.embed("concepts-1");
    assert_eq!(changed.passages, 7);
    assert_eq!(changed.encoded, 1, "{changed:?}");
    assert_eq!(changed.removed, 2, "the old oil-1 passage and weather");
    let mut engine = fixture.engine("concepts-1");
    assert_eq!(search(&mut engine, "oil", None).mode, Mode::Hybrid);
}

#[test]
fn passages_without_vectors_are_answered_by_words_and_the_search_says_so() {
    let _serial = serial();
    let fixture = Fixture::new();
    fixture.embed("concepts-1");
    write(
        fixture.dirs.corpus().join("new.txt"),
        "جديد\nقمة جديدة في الرياض.\n",
    );
    fixture.reindex();
    let mut engine = fixture.engine("concepts-1");
    let default = search(&mut engine, "قمة", None);
    assert_eq!(default.mode, Mode::Lexical);
    assert!(
        default
            .notes
            .iter()
            .any(|n| n.to_string().contains("cover 8 of 9 passages")),
        "{:?}",
        default.notes
    );
    let asked = search(&mut engine, "قمة", Some(Mode::Hybrid));
    assert_eq!(asked.mode, Mode::Hybrid);
    assert!(asked
        .notes
        .iter()
        .any(|n| n.to_string().contains("saw only those")));
}

#[test]
fn vectors_of_another_model_are_never_compared_with_its_queries() {
    let _serial = serial();
    let fixture = Fixture::new();
    fixture.embed("concepts-1");
    let mut engine = fixture.engine("concepts-2");
    let default = search(&mut engine, "قمة", None);
    assert_eq!(default.mode, Mode::Lexical);
    assert!(default
        .notes
        .iter()
        .any(|n| n.to_string().contains("another model")));
    let asked = engine.search(&SearchSettings {
        query: "قمة".into(),
        mode: Some(Mode::Semantic),
        ..SearchSettings::default()
    });
    let message = asked.expect_err("a mode asked for fails").to_string();
    assert!(message.contains("fahras embed"), "{message}");
    // Embedding with the other model replaces the vectors.
    let replaced = fixture.embed("concepts-2");
    assert_eq!(replaced.replaced_model.as_deref(), Some("concepts-1"));
    assert_eq!(replaced.encoded, 8);
    assert_eq!(search(&mut engine, "قمة", None).mode, Mode::Hybrid);
}

#[test]
fn a_damaged_vector_file_is_skipped_and_its_passages_encoded_again() {
    let _serial = serial();
    let fixture = Fixture::new();
    fixture.embed("concepts-1");
    let folder = store::folder(&fixture.dirs.index());
    let files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "vec"))
        .collect();
    // The run's batches were moved into the segments' files.
    assert!(!files.is_empty());
    for file in &files {
        assert!(file
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("segment-"));
        let mut bytes = std::fs::read(file).unwrap();
        let row = bytes.len() - 100;
        bytes[row] ^= 0xff;
        std::fs::write(file, bytes).unwrap();
    }
    let again = fixture.embed("concepts-1");
    assert_eq!(again.encoded, 8, "{again:?}");
    let sound = fixture.embed("concepts-1");
    assert_eq!(
        (sound.encoded, sound.reused),
        (0, 8),
        "the file was written again"
    );
}

#[test]
fn more_like_this_lists_other_articles_on_the_same_subject() {
    let _serial = serial();
    let fixture = Fixture::new();
    fixture.embed("concepts-1");
    let mut engine = fixture.engine("concepts-1");
    let summit = search(&mut engine, "جنيف", Some(Mode::Lexical)).hits[0]
        .article_id
        .clone();
    let similar = engine
        .similar(&summit, &SearchSettings::default())
        .expect("similar");
    assert_eq!(similar.mode, Mode::Semantic);
    assert!(!ids(&similar).contains(&summit));
    let top: Vec<String> = ids(&similar).into_iter().take(2).collect();
    assert!(top.iter().all(|id| id.contains("summit")), "{top:?}");
    let unknown = engine.similar("no-such-article", &SearchSettings::default());
    assert!(unknown.is_err());
}

#[test]
fn a_run_limited_to_some_articles_leaves_the_others_for_later() {
    let _serial = serial();
    let fixture = Fixture::new();
    let handle = fahras::index::open(&fixture.dirs.index()).unwrap();
    let mut engine = fixture.engine("concepts-1");
    let football: std::collections::HashSet<String> = search(&mut engine, "مباراة", None)
        .hits
        .iter()
        .map(|h| h.article_id.clone())
        .collect();
    assert_eq!(football.len(), 2);
    let report = store::embed_index(
        &handle,
        &*encoder("concepts-1"),
        EmbedOptions::default(),
        &store::Selection::Articles(football),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!((report.encoded, report.left), (2, 6));
    // The default stays lexical until every passage has a vector; a mode asked for uses them.
    assert_eq!(search(&mut engine, "football", None).mode, Mode::Lexical);
    let asked = search(&mut engine, "football", Some(Mode::Semantic));
    assert_eq!(asked.hits.len(), 2);
    // The rest, later: the first vectors are kept.
    let rest = fixture.embed("concepts-1");
    assert_eq!((rest.encoded, rest.reused, rest.left), (6, 2, 0));
}

#[test]
fn asking_for_a_mode_without_vectors_or_model_names_the_command_that_fixes_it() {
    let _serial = serial();
    let dirs = TempDirs::new();
    write_corpus(&dirs.corpus());
    index_quietly(&dirs.corpus(), &dirs.index());
    let index = path_str(&dirs.index()).to_owned();
    let nowhere = dirs.root.path().join("no-model.bin");
    let output = fahras()
        .env("FAHRAS_MODEL", &nowhere)
        .args(["search", "--index", &index, "--mode", "semantic", "قمة"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr_of(&output).contains("fahras embed"),
        "{}",
        stderr_of(&output)
    );
    let output = fahras()
        .env("FAHRAS_MODEL", &nowhere)
        .args(["embed", "--index", &index])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr_of(&output).contains("fahras model fetch"),
        "{}",
        stderr_of(&output)
    );
    // The default search is lexical and says nothing about vectors it does not have.
    let output = fahras()
        .env("FAHRAS_MODEL", &nowhere)
        .args(["search", "--index", &index, "--format", "json", "قمة"])
        .output()
        .unwrap();
    let last = String::from_utf8(output.stdout).unwrap();
    let summary: serde_json::Value = serde_json::from_str(last.lines().last().unwrap()).unwrap();
    assert_eq!(summary["mode"], "lexical");
}

/// The real model's file, when present.
fn model_file() -> Option<PathBuf> {
    let path = std::env::var_os("FAHRAS_MODEL")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/model-cache/e5-small-q4.bin")
        });
    if path.is_file() {
        Some(path)
    } else if std::env::var_os("FAHRAS_REQUIRE_MODEL").is_some() {
        panic!(
            "FAHRAS_REQUIRE_MODEL is set and there is no model at {}",
            path.display()
        );
    } else {
        eprintln!(
            "skipped: no model at {} (`fahras model fetch --dir target/model-cache`)",
            path.display()
        );
        None
    }
}

/// The seed article, embedded by the real binary (killed after its first batch, then run
/// again), answers an English query by meaning.
#[test]
fn model_the_seed_article_is_found_by_an_english_query_after_an_interrupted_embed() {
    let _serial = serial();
    let Some(model) = model_file() else { return };
    let dirs = TempDirs::new();
    write_corpus(&dirs.corpus());
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/geneva-summit-2021.txt");
    std::fs::copy(seed, dirs.corpus().join("geneva-summit-2021.txt")).unwrap();
    index_quietly(&dirs.corpus(), &dirs.index());
    let index = path_str(&dirs.index()).to_owned();
    let killed = fahras()
        .env("FAHRAS_MODEL", &model)
        .env("FAHRAS_FAULT", "embed-after-batches=1")
        .args([
            "embed",
            "--index",
            &index,
            "--batch",
            "2",
            "--quiet",
            "--max-tokens",
            "128",
        ])
        .output()
        .unwrap();
    assert!(!killed.status.success(), "the fault point aborts the run");
    // A leftover of a kill while a file was written is cleared by the next run.
    write(
        store::folder(&dirs.index()).join("batch-00000099.vec.tmp"),
        "half",
    );
    let resumed = fahras()
        .env("FAHRAS_MODEL", &model)
        .args(["embed", "--index", &index, "--json", "--quiet"])
        .output()
        .unwrap();
    assert!(resumed.status.success(), "{}", stderr_of(&resumed));
    let report: serde_json::Value = serde_json::from_slice(&resumed.stdout).unwrap();
    assert_eq!(
        report["reused"].as_u64().unwrap(),
        2,
        "the first batch survived the kill (the cap, 128, kept from the store): {report}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(store::folder(&dirs.index()))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp") || name.starts_with("batch-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Another cap would make every vector again: it takes --replace.
    let refused = fahras()
        .env("FAHRAS_MODEL", &model)
        .args(["embed", "--index", &index, "--max-tokens", "256"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(
        stderr_of(&refused).contains("--replace"),
        "{}",
        stderr_of(&refused)
    );
    let output = fahras()
        .env("FAHRAS_MODEL", &model)
        .args([
            "search",
            "--index",
            &index,
            "--format",
            "json",
            "--mode",
            "semantic",
            "Biden Putin summit in Geneva",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert!(
        first["article_id"]
            .as_str()
            .unwrap()
            .contains("geneva-summit"),
        "{first}"
    );
    assert!(text
        .lines()
        .last()
        .unwrap()
        .contains("\"mode\":\"semantic\""));
}

/// The server answers hybrid once the index is embedded, and its article view's "more like
/// this" lists the other articles.
#[test]
fn model_the_server_says_which_mode_answered_and_serves_more_like_this() {
    let _serial = serial();
    let Some(model) = model_file() else { return };
    let dirs = TempDirs::new();
    write_corpus(&dirs.corpus());
    index_quietly(&dirs.corpus(), &dirs.index());
    let index = path_str(&dirs.index()).to_owned();
    let embedded = fahras()
        .env("FAHRAS_MODEL", &model)
        .args(["embed", "--index", &index, "--quiet", "--max-tokens", "64"])
        .output()
        .unwrap();
    assert!(embedded.status.success(), "{}", stderr_of(&embedded));
    let server = Server::start_with_env(&dirs.index(), &[("FAHRAS_MODEL", model.as_os_str())]);
    let (status, result) = server.get_json(&format!("/api/search?q={}", encode("كرة القدم")));
    assert_eq!(status, 200, "{result}");
    assert_eq!(result["mode"], "hybrid");
    let first = result["hits"][0]["article_id"].as_str().unwrap().to_owned();
    assert!(first.contains("football"), "{result}");
    let (status, similar) = server.get_json(&format!("/api/similar/{}?limit=3", encode(&first)));
    assert_eq!(status, 200, "{similar}");
    assert_eq!(similar["mode"], "semantic");
    let ids: Vec<&str> = similar["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["article_id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&first.as_str()), "{ids:?}");
    assert!(
        ids[0].contains("football"),
        "the other football article first: {ids:?}"
    );
}

/// Date-ordered pages moved the lead prior of a search by words to the whole article in every
/// mode, but a search by meaning never adds it: subtracting it sank each article's lead below its
/// other passages (and under zero). OIL's lead is the passage nearest "oil" by meaning.
#[test]
fn a_date_ordered_page_by_meaning_keeps_its_passages_order_of_meaning() {
    let _serial = serial();
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    let oil = "النفط ".repeat(6);
    write(
        corpus.join("oil.txt"),
        format!(
            "الأسواق\n{oil}{}\n\nالنفط {}\n",
            arabic_paragraph(1, 100),
            arabic_paragraph(2, 100)
        ),
    );
    write(
        corpus.join("weather.txt"),
        format!("الطقس\n{}\n", arabic_paragraph(3, 100)),
    );
    index_quietly(&corpus, &dirs.index());
    let handle = fahras::index::open(&dirs.index()).unwrap();
    store::embed_index(
        &handle,
        &*encoder("concepts-1"),
        EmbedOptions {
            threads: 1,
            batch: 3,
        },
        &store::Selection::All,
        &mut |_| {},
    )
    .expect("embed");
    let mut engine = Engine::new(handle)
        .unwrap()
        .with_encoder(EncoderSlot::given(encoder("concepts-1")));
    for sort in [
        fahras::search::Sort::Relevance,
        fahras::search::Sort::Newest,
    ] {
        let results = engine
            .search(&SearchSettings {
                query: "oil".into(),
                mode: Some(Mode::Semantic),
                sort,
                per_article: std::num::NonZeroUsize::new(2).unwrap(),
                ..SearchSettings::default()
            })
            .unwrap();
        let oil: Vec<(u64, f32)> = results
            .hits
            .iter()
            .filter(|h| h.article_id.contains("oil"))
            .map(|h| (h.passage, h.score))
            .collect();
        assert_eq!(oil.len(), 2, "{sort:?}: {oil:?}");
        assert_eq!(oil[0].0, 0, "{sort:?}: the lead first, {oil:?}");
        assert!(
            oil.iter().all(|(_, score)| *score >= 0.0),
            "{sort:?}: {oil:?}"
        );
    }
}
