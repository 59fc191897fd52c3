//! `fahras duplicates`: how the index's articles group into copies (near-duplicates), with a
//! reproducible sample of pairs for checking the grouping by hand.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::Value;
use tantivy::schema::{IndexRecordOption, Term};
use tantivy::TantivyDocument;

use crate::index::{self, dedup};
use crate::search::copies::SignatureReader;

#[derive(Debug, clap::Args)]
pub struct DuplicatesArgs {
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Print this many grouped pairs with different signatures, sampled evenly over the
    /// similarity range, for checking by hand.
    #[arg(long, default_value_t = 0)]
    pub pairs: usize,
    /// Characters of each article shown per pair.
    #[arg(long, default_value_t = 160)]
    pub chars: usize,
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

pub fn run(args: &DuplicatesArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let handle = index::open(&args.index)?;
    let reader = handle.reader()?;
    let searcher = reader.searcher();
    let fields = handle.fields;
    // Every article's first passage.
    let first_passages = searcher.search(
        &TermQuery::new(
            Term::from_field_u64(fields.passage, 0),
            IndexRecordOption::Basic,
        ),
        &TopDocs::with_limit(searcher.num_docs().max(1) as usize).order_by_score(),
    )?;
    let mut signatures = SignatureReader::new(&searcher);
    let mut articles = Vec::new();
    for (_, address) in &first_passages {
        if let Some(signature) = signatures.signature(*address) {
            let (id, source) = signatures.identity(*address);
            articles.push((id, source, signature, *address));
        }
    }
    // Candidate pairs share a band; copies are the candidates above the threshold.
    let mut buckets: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (_, _, signature, _)) in articles.iter().enumerate() {
        for band in dedup::band_terms(signature) {
            buckets.entry(band).or_default().push(i);
        }
    }
    let mut parent: Vec<usize> = (0..articles.len()).collect();
    let mut pairs: Vec<(usize, usize, f64)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for members in buckets.values() {
        for (k, &a) in members.iter().enumerate() {
            for &b in &members[k + 1..] {
                if !seen.insert((a.min(b), a.max(b))) {
                    continue;
                }
                let similarity = dedup::similarity(&articles[a].2, &articles[b].2);
                if similarity >= dedup::COPY_THRESHOLD {
                    pairs.push((a.min(b), a.max(b), similarity));
                    let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                    parent[ra] = rb;
                }
            }
        }
    }
    let mut group_sizes: HashMap<usize, usize> = HashMap::new();
    for i in 0..articles.len() {
        let root = find(&mut parent, i);
        *group_sizes.entry(root).or_default() += 1;
    }
    let groups: Vec<usize> = group_sizes.values().copied().filter(|&n| n > 1).collect();
    let grouped: usize = groups.iter().sum();
    let identical = pairs.iter().filter(|p| p.2 >= 1.0).count();
    let mut out = super::output::stdout();
    writeln!(out, "articles with a signature: {}", articles.len())?;
    writeln!(
        out,
        "copy pairs: {} ({} with identical signatures); articles in groups: {grouped}; groups: {}; largest group: {}",
        pairs.len(),
        identical,
        groups.len(),
        groups.iter().max().copied().unwrap_or(0)
    )?;
    writeln!(out, "seconds: {:.2}", started.elapsed().as_secs_f64())?;
    // Pairs with identical signatures are byte-identical or nearly so; the sample is drawn from
    // the others, where the grouping can be wrong.
    pairs.retain(|p| p.2 < 1.0);
    if args.pairs > 0 && !pairs.is_empty() {
        // An even sample over the pairs sorted by similarity, so that borderline pairs are seen.
        pairs.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
        let step = (pairs.len() as f64 / args.pairs as f64).max(1.0);
        let text_of = |address| -> String {
            let doc: TantivyDocument = searcher.doc(address).unwrap_or_default();
            let text = doc
                .get_first(fields.text)
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            text.chars()
                .take(args.chars)
                .collect::<String>()
                .replace('\n', " ")
        };
        for n in 0..args.pairs.min(pairs.len()) {
            let (a, b, similarity) = pairs[(n as f64 * step) as usize];
            writeln!(out, "\npair {} similarity {similarity:.2}", n + 1)?;
            writeln!(
                out,
                "  {} ({}): {}",
                articles[a].0,
                articles[a].1,
                text_of(articles[a].3)
            )?;
            writeln!(
                out,
                "  {} ({}): {}",
                articles[b].0,
                articles[b].1,
                text_of(articles[b].3)
            )?;
        }
    }
    super::output::finish(out)
}
