//! Query latency over a real index: p50/p95/p99 with and without highlighting, single-threaded,
//! warm (every query is run once before measuring).
//!
//! `FAHRAS_BENCH_INDEX=/path/to/index cargo bench --bench search_latency` (the index is built by
//! `benches/search_latency.sh` from `../shared/corpora/ant-v2.1`). Queries: `FAHRAS_BENCH_QUERIES`
//! (a `qid<TAB>query` file; default `../shared/eval/ant-known-item/queries.tsv`) turned into a mix
//! of kinds: one word, two to four words, a phrase, words with a date filter, names with spelling
//! variants. Without an index the bench builds one from `corpus/`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use fahras::index::writer::{self, IndexOptions, Silent};
use fahras::search::{query::parse_period, Engine, Highlighting, SearchSettings, Sort};

const NAMES: [&str; 20] = [
    "بوتين",
    "ترامب",
    "جنيف",
    "روحاني",
    "ماكرون",
    "ميركل",
    "اردوغان",
    "نتنياهو",
    "كيم",
    "بومبيو",
    "لافروف",
    "سوريا",
    "امريكا",
    "تركيا",
    "ايران",
    "موسكو",
    "واشنطن",
    "فلسطين",
    "السعودية",
    "مونديال",
];

fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .collect()
}

/// The query mix: (kind, query, date filter).
fn query_mix(headlines: &[String]) -> Vec<(&'static str, String, bool)> {
    let mut mix = Vec::new();
    for (i, headline) in headlines.iter().enumerate() {
        let w = words(headline);
        if w.len() < 2 {
            continue;
        }
        match i % 5 {
            0 => mix.push((
                "one word",
                w.iter().max_by_key(|x| x.len()).unwrap().to_string(),
                false,
            )),
            1 => mix.push(("2-4 words", w[..w.len().min(2 + i % 3)].join(" "), false)),
            2 => mix.push(("phrase", format!("\"{} {}\"", w[0], w[1]), false)),
            3 => mix.push(("date filter", w[..w.len().min(3)].join(" "), true)),
            _ => mix.push(("headline", headline.clone(), false)),
        }
    }
    for name in NAMES {
        mix.push(("name (variants)", name.to_owned(), false));
    }
    mix
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let index_dir = match std::env::var_os("FAHRAS_BENCH_INDEX") {
        Some(dir) => PathBuf::from(dir),
        None => {
            let dir = std::env::temp_dir().join("fahras-bench-seed-index");
            let options = IndexOptions {
                rebuild: true,
                threads: 2,
                memory_mb: 64,
                ..IndexOptions::new(vec![root.join("corpus")], dir.clone())
            };
            writer::run(&options, &Silent).expect("index the seed corpus");
            dir
        }
    };
    let queries_path = std::env::var_os("FAHRAS_BENCH_QUERIES")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/eval/ant-known-item/queries.tsv"));
    let headlines: Vec<String> = std::fs::read_to_string(&queries_path)
        .map(|text| {
            text.lines()
                .filter_map(|l| l.split_once('\t').map(|(_, q)| q.to_owned()))
                .collect()
        })
        .unwrap_or_else(|_| vec!["قمة بوتين بايدن في جنيف".to_owned(); 100]);
    let mix = query_mix(&headlines);
    let mut engine = Engine::new(fahras::index::open(&index_dir).expect("open index")).unwrap();
    let (from, _) = parse_period("2018-03").unwrap();
    let (_, to) = parse_period("2018-06").unwrap();
    println!(
        "index: {} ({} passages); {} queries",
        index_dir.display(),
        engine
            .handle()
            .manifest()
            .expect("read manifest")
            .passages(),
        mix.len()
    );
    // Each mode runs the whole mix: today's defaults (one entry per article, counts in
    // articles, highlighting), without highlighting, with facets and the timeline, and in date
    // order. The modes take turns query by query, so that the machine's load and the caches'
    // state weigh on each the same (run one after the other, the later modes measured up to 20%
    // slower on this shared machine).
    let modes: [(&str, bool, bool, Sort); 4] = [
        ("with highlighting   ", true, false, Sort::Relevance),
        ("without highlighting", false, false, Sort::Relevance),
        ("facets + timeline   ", true, true, Sort::Relevance),
        ("newest first        ", true, false, Sort::Newest),
    ];
    // `FAHRAS_BENCH_MODE=facets` (a word of the label) runs one mode, e.g. under a profiler.
    let only = std::env::var("FAHRAS_BENCH_MODE").unwrap_or_default();
    let modes: Vec<_> = modes
        .into_iter()
        .filter(|(label, ..)| only.is_empty() || label.contains(only.as_str()))
        .collect();
    // Per mode: every latency, and the latencies by kind of query.
    type Latencies<'a> = (Vec<f64>, std::collections::BTreeMap<&'a str, Vec<f64>>);
    let mut measured: Vec<Latencies> = vec![Default::default(); modes.len()];
    for (kind, query, dated) in &mix {
        for ((_, highlight, facets, sort), (latencies, by_kind)) in modes.iter().zip(&mut measured)
        {
            let request = SearchSettings {
                query: query.clone(),
                highlighting: if *highlight {
                    Highlighting::On
                } else {
                    Highlighting::Off
                },
                facets: *facets,
                histogram: facets.then_some(None),
                sort: *sort,
                from: dated.then_some(from),
                to: dated.then_some(to),
                ..SearchSettings::default()
            };
            engine.search(&request).unwrap(); // warm
            let started = Instant::now();
            let results = engine.search(&request).unwrap();
            let ms = started.elapsed().as_secs_f64() * 1e3;
            std::hint::black_box(results);
            latencies.push(ms);
            by_kind.entry(kind).or_default().push(ms);
        }
    }
    for ((label, ..), (mut latencies, by_kind)) in modes.iter().zip(measured) {
        latencies.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let mean = latencies.iter().sum::<f64>() / latencies.len() as f64;
        println!(
            "{}: mean {:.2} ms, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            label,
            mean,
            percentile(&latencies, 0.50),
            percentile(&latencies, 0.95),
            percentile(&latencies, 0.99),
            latencies[latencies.len() - 1]
        );
        for (kind, mut values) in by_kind {
            values.sort_by(|a, b| a.partial_cmp(b).unwrap());
            println!(
                "    {kind:<16} n={:<4} p50 {:.2} ms  p99 {:.2} ms",
                values.len(),
                percentile(&values, 0.5),
                percentile(&values, 0.99)
            );
        }
    }
}
