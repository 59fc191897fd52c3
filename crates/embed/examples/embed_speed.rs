//! Embedding speed: passages per second and single-query latency.
//!
//!     cargo run --release -p fahras-embed --example embed_speed -- PASSAGES.txt \
//!         [--model e5-small-q4.bin] [--threads 2] [--max-tokens 512] [--reps 3] [--scalar]
//!
//! PASSAGES.txt holds one passage a line. Prints the medians over `--reps` runs.

use fahras_embed::{Kind, Model};
use std::path::PathBuf;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut file, mut model, mut threads, mut cap, mut reps, mut scalar) =
        (None, None, 2, 512, 3, false);
    while let Some(a) = args.next() {
        let mut val = || args.next().expect("a value after the option");
        match a.as_str() {
            "--model" => model = Some(PathBuf::from(val())),
            "--threads" => threads = val().parse().unwrap(),
            "--max-tokens" => cap = val().parse().unwrap(),
            "--reps" => reps = val().parse().unwrap(),
            "--scalar" => scalar = true,
            _ => file = Some(PathBuf::from(a)),
        }
    }
    let model = model
        .or_else(|| std::env::var_os("FAHRAS_E5_MODEL").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("target/model-cache/e5-small-q4.bin"));
    let t0 = Instant::now();
    let mut m = Model::load(&model).unwrap_or_else(|e| panic!("{e}"));
    let load = t0.elapsed().as_secs_f64();
    if scalar {
        m = m.with_scalar_kernels();
    }
    let m = m.with_max_tokens(cap);
    let text = std::fs::read_to_string(file.expect("a file of passages, one a line")).unwrap();
    let passages: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let tokens: Vec<usize> = passages
        .iter()
        .map(|p| m.token_count(p, Kind::Passage).min(cap))
        .collect();
    let mean_tokens = tokens.iter().sum::<usize>() as f64 / tokens.len() as f64;

    let mut rates = Vec::new();
    for _ in 0..reps {
        let t = Instant::now();
        let v = m.embed(&passages, Kind::Passage, threads);
        assert_eq!(v.len(), passages.len());
        rates.push(passages.len() as f64 / t.elapsed().as_secs_f64());
    }
    let queries = [
        "قمة بوتين وبايدن في جنيف",
        "Putin Helsinki summit",
        "أسعار النفط",
        "الانتخابات الرئاسية الأمريكية ونتائجها في ولاية فلوريدا",
        "كأس العالم",
    ];
    let mut lat = Vec::new();
    for _ in 0..(reps * 6) {
        for q in queries {
            let t = Instant::now();
            std::hint::black_box(m.embed(&[q], Kind::Query, threads));
            lat.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    println!(
        "cap {cap:>3}  threads {threads}  {}  {} passages, {mean_tokens:.0} tokens each (after the cap)  {:.2} passages/s  \
         query {:.1} ms  (load {load:.2} s, {} MB)",
        if m.uses_avx2() { "avx2" } else { "scalar" },
        passages.len(),
        median(rates),
        median(lat),
        m.memory_bytes() >> 20
    );
}
