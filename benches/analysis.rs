//! Analyzer throughput on real news text: `ar_exact`, `ar_stem` (light and Snowball) and tantivy's
//! default `SimpleTokenizer` + `LowerCaser`, on the same bytes, so the cost of Arabic analysis is
//! a ratio.
//!
//! Text: about 4 MB from `../shared/corpora` (ANT articles and SaudiNewsNet lines) when present,
//! else the seed article in `corpus/` repeated.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fahras::analysis::{self, StemmerKind};
use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer, TokenStream};

const SAMPLE_BYTES: usize = 4 << 20;

fn sample_text() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut text = String::new();
    let ant = root.join("../shared/corpora/ant-v2.1");
    if ant.is_dir() {
        for entry in walkdir::WalkDir::new(&ant).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "txt") {
                if let Ok(article) = std::fs::read_to_string(entry.path()) {
                    text.push_str(&article);
                }
            }
            if text.len() >= SAMPLE_BYTES / 2 {
                break;
            }
        }
    }
    let saudi = root.join("../shared/corpora/saudinewsnet/saudinewsnet.jsonl");
    if let Ok(lines) = std::fs::read_to_string(saudi) {
        for line in lines.lines() {
            text.push_str(line);
            text.push('\n');
            if text.len() >= SAMPLE_BYTES {
                break;
            }
        }
    }
    if text.is_empty() {
        let seed = std::fs::read_to_string(root.join("corpus/geneva-summit-2021.txt"))
            .expect("the seed article is part of the repository");
        while text.len() < SAMPLE_BYTES {
            text.push_str(&seed);
        }
    }
    text
}

fn count_tokens(analyzer: &mut TextAnalyzer, text: &str) -> usize {
    let mut stream = analyzer.token_stream(text);
    let mut count = 0;
    while stream.advance() {
        count += 1;
    }
    count
}

fn analyzers(c: &mut Criterion) {
    let text = sample_text();
    let mut group = c.benchmark_group("analyze");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    let mut cases: Vec<(&str, TextAnalyzer)> = vec![
        (
            "default_simple_lowercase",
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .build(),
        ),
        ("ar_exact", analysis::exact_analyzer()),
        ("ar_stem_light", analysis::stem_analyzer(StemmerKind::Light)),
        (
            "ar_stem_snowball",
            analysis::stem_analyzer(StemmerKind::Snowball),
        ),
    ];
    for (name, analyzer) in cases.iter_mut() {
        group.bench_function(*name, |b| b.iter(|| count_tokens(analyzer, &text)));
    }
    // The near-duplicate signature computed for every article at index time.
    group.bench_function("minhash_signature", |b| {
        b.iter(|| fahras::index::dedup::signature(&text))
    });
    group.finish();
}

criterion_group!(benches, analyzers);
criterion_main!(benches);
