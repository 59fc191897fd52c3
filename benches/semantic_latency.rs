//! Query latency by mode (lexical, semantic, hybrid) over a whole archive's passage vectors:
//! the real encoder reads every query; the passages' vectors are stand-ins (one pseudo-random
//! unit vector per passage text), since encoding ANT's 72k passages takes hours and the scan
//! costs the same whatever the vectors hold. Warm, single-threaded, the modes taking turns
//! query by query.
//!
//! `benches/semantic_latency.sh` (copies an ANT index, then runs this with
//! `FAHRAS_BENCH_INDEX=<the copy> FAHRAS_MODEL=<model file>`). The copy gets the stand-in vectors.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use fahras::search::{Engine, SearchSettings};
use fahras::semantic::store::{self, EmbedOptions, Selection};
use fahras::semantic::{Encoder, EncoderSlot, Kind, Mode, Vector, DIM};

/// Passages: a unit vector drawn from the text's hash. Queries: the real model.
struct StandIn {
    model: fahras_embed::Model,
}

impl Encoder for StandIn {
    fn identity(&self) -> String {
        "stand-in passages, real queries".to_owned()
    }
    fn max_tokens(&self) -> usize {
        self.model.max_tokens()
    }
    fn embed(&self, texts: &[&str], kind: Kind, threads: usize) -> Vec<Vector> {
        match kind {
            Kind::Query => self.model.embed(texts, kind, threads),
            Kind::Passage => texts.iter().map(|t| pseudo_random(t)).collect(),
        }
    }
}

fn pseudo_random(text: &str) -> Vector {
    let mut state = fnv(text);
    let mut v = [0f32; DIM];
    for x in &mut v {
        // xorshift64*
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        *x = ((state.wrapping_mul(0x2545F4914F6CDD1D) >> 40) as f32 / (1u64 << 24) as f32) - 0.5;
    }
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.iter_mut().for_each(|x| *x /= norm);
    v
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    }) | 1
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let (Some(index_dir), Some(model_path)) = (
        std::env::var_os("FAHRAS_BENCH_INDEX").map(PathBuf::from),
        std::env::var_os("FAHRAS_MODEL").map(PathBuf::from),
    ) else {
        println!("skipped: set FAHRAS_BENCH_INDEX (a copy of an index) and FAHRAS_MODEL");
        return;
    };
    let queries_path = std::env::var_os("FAHRAS_BENCH_QUERIES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/eval/ant-known-item/queries.tsv"));
    let queries: Vec<String> = std::fs::read_to_string(&queries_path)
        .expect("the queries file")
        .lines()
        .filter_map(|l| l.split_once('\t').map(|(_, q)| q.to_owned()))
        .collect();
    let loaded = Instant::now();
    let model = fahras_embed::Model::load(&model_path)
        .expect("the model")
        .with_max_tokens(fahras::semantic::DEFAULT_MAX_TOKENS);
    println!("model loaded in {:.2} s", loaded.elapsed().as_secs_f64());
    let encoder: Arc<dyn Encoder> = Arc::new(StandIn { model });
    let handle = fahras::index::open(&index_dir).expect("open the index");
    let report = store::embed_index(
        &handle,
        &*encoder,
        EmbedOptions::default(),
        &Selection::All,
        &mut |_| {},
    )
    .expect("stand-in vectors");
    let coverage = store::coverage(&handle).unwrap().expect("vectors");
    println!(
        "{} passages with vectors; store {:.1} MB ({} written now)",
        coverage.covered,
        coverage.bytes as f64 / 1e6,
        report.encoded
    );
    let mut engine = Engine::new(handle)
        .unwrap()
        .with_encoder(EncoderSlot::given(Arc::clone(&encoder)));
    let modes = [Mode::Lexical, Mode::Semantic, Mode::Hybrid];
    let mut measured: Vec<Vec<f64>> = vec![Vec::new(); modes.len() + 1];
    for query in &queries {
        for (mode, latencies) in modes.iter().zip(&mut measured) {
            let request = SearchSettings {
                query: query.clone(),
                mode: Some(*mode),
                ..SearchSettings::default()
            };
            engine.search(&request).unwrap(); // warm
            let started = Instant::now();
            std::hint::black_box(engine.search(&request).unwrap());
            latencies.push(started.elapsed().as_secs_f64() * 1e3);
        }
        let started = Instant::now();
        std::hint::black_box(encoder.embed(&[query], Kind::Query, 1));
        measured[modes.len()].push(started.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "{} queries (headlines), top 10, highlighting on",
        queries.len()
    );
    let labels = ["lexical", "semantic", "hybrid", "query encoding alone"];
    for (label, mut latencies) in labels.iter().zip(measured) {
        latencies.sort_by(|a, b| a.total_cmp(b));
        let mean = latencies.iter().sum::<f64>() / latencies.len() as f64;
        println!(
            "{label:<21} mean {mean:.2} ms, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.95),
            percentile(&latencies, 0.99)
        );
    }
}
