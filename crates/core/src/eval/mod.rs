//! Retrieval evaluation with trec_eval's definitions: MAP@10 (`map_cut_10`), MRR@10
//! (`recip_rank` cut at 10), nDCG@10 (`ndcg_cut_10`, linear gains), Recall@10 and Recall@100,
//! averaged over the queries that have at least one relevant document.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

/// A `qid<TAB>query` file, as `search --queries` and `eval --queries` read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryFile {
    /// (query id, query), in file order.
    pub queries: Vec<(String, String)>,
    /// Line numbers (from 1) of non-blank lines without a tab or without an id, which were
    /// skipped.
    pub skipped_lines: Vec<usize>,
}

/// Reads `qid<TAB>query` lines: ids and queries trimmed, columns after the query ignored (TSV
/// files with judgments or notes), a first line whose id is `qid` taken for a header.
pub fn parse_queries(text: &str) -> QueryFile {
    let mut file = QueryFile::default();
    for (i, line) in text.lines().enumerate() {
        let Some((qid, rest)) = line
            .split_once('\t')
            .filter(|(qid, _)| !qid.trim().is_empty())
        else {
            if !line.trim().is_empty() {
                file.skipped_lines.push(i + 1);
            }
            continue;
        };
        if i == 0 && qid.trim().eq_ignore_ascii_case("qid") {
            continue;
        }
        let query = rest.split('\t').next().unwrap_or(rest);
        file.queries
            .push((qid.trim().to_owned(), query.trim().to_owned()));
    }
    file
}

/// One line of a TREC run: `qid Q0 doc rank score tag`, rank from 1.
pub fn run_line(qid: &str, doc: &str, rank: usize, score: f32) -> String {
    format!("{qid} Q0 {doc} {rank} {score:.4} fahras")
}

/// Judgments: query id → document id → grade (> 0 is relevant).
pub type Qrels = BTreeMap<String, HashMap<String, u32>>;

/// Parses TREC qrels (`qid iter docid rel`, whitespace separated). Document id `-1` (a question
/// without an answer) and malformed lines are ignored; the number of malformed lines is returned.
pub fn parse_qrels(text: &str) -> (Qrels, usize) {
    let mut qrels = Qrels::new();
    let mut malformed = 0;
    for line in text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let [qid, _, docid, grade] = fields[..] else {
            malformed += 1;
            continue;
        };
        let Ok(grade) = grade.parse::<i64>() else {
            malformed += 1;
            continue;
        };
        let judged = qrels.entry(qid.to_owned()).or_default();
        if docid != "-1" {
            judged.insert(docid.to_owned(), grade.max(0) as u32);
        }
    }
    (qrels, malformed)
}

/// Measures of one query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Measures {
    pub map_10: f64,
    pub mrr_10: f64,
    pub ndcg_10: f64,
    pub recall_10: f64,
    pub recall_100: f64,
    /// Fraction of the top 10 that is judged (relevant or not).
    pub judged_10: f64,
}

/// Measures of a ranked list of document ids against one query's judgments; `None` when the
/// query has no relevant document.
pub fn measure(ranking: &[String], judged: &HashMap<String, u32>) -> Option<Measures> {
    let relevant: HashSet<&str> = judged
        .iter()
        .filter(|(_, &g)| g > 0)
        .map(|(d, _)| d.as_str())
        .collect();
    if relevant.is_empty() {
        return None;
    }
    let r = relevant.len() as f64;
    let mut measures = Measures::default();
    let mut hits = 0usize;
    let mut precision_sum = 0.0;
    let mut dcg = 0.0;
    let mut judged_count = 0usize;
    for (i, doc) in ranking.iter().enumerate() {
        let rank = i + 1;
        let is_relevant = relevant.contains(doc.as_str());
        if is_relevant {
            hits += 1;
            if rank <= 10 {
                precision_sum += hits as f64 / rank as f64;
                if measures.mrr_10 == 0.0 {
                    measures.mrr_10 = 1.0 / rank as f64;
                }
            }
        }
        if rank <= 10 {
            let grade = judged.get(doc).copied().unwrap_or(0);
            dcg += grade as f64 / (rank as f64 + 1.0).log2();
            if judged.contains_key(doc) {
                judged_count += 1;
            }
            if rank == 10 {
                measures.recall_10 = hits as f64 / r;
            }
        }
        if rank == 100 {
            measures.recall_100 = hits as f64 / r;
        }
    }
    if ranking.len() < 10 {
        measures.recall_10 = hits as f64 / r;
    }
    if ranking.len() < 100 {
        measures.recall_100 = hits as f64 / r;
    }
    measures.map_10 = precision_sum / r;
    let mut grades: Vec<u32> = judged.values().copied().filter(|&g| g > 0).collect();
    grades.sort_unstable_by(|a, b| b.cmp(a));
    let ideal: f64 = grades
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, &g)| g as f64 / (i as f64 + 2.0).log2())
        .sum();
    measures.ndcg_10 = if ideal > 0.0 { dcg / ideal } else { 0.0 };
    measures.judged_10 = judged_count as f64 / ranking.len().clamp(1, 10) as f64;
    Some(measures)
}

/// Means over the evaluated queries.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub queries: usize,
    pub evaluated: usize,
    /// Queries without any relevant document (not averaged).
    pub skipped: usize,
    pub mean: Measures,
}

/// Averages `per_query` (queries without relevant documents are counted as skipped).
pub fn summarize(total_queries: usize, per_query: &[Measures]) -> Summary {
    let n = per_query.len().max(1) as f64;
    let sum = |f: fn(&Measures) -> f64| per_query.iter().map(f).sum::<f64>() / n;
    Summary {
        queries: total_queries,
        evaluated: per_query.len(),
        skipped: total_queries - per_query.len(),
        mean: Measures {
            map_10: sum(|m| m.map_10),
            mrr_10: sum(|m| m.mrr_10),
            ndcg_10: sum(|m| m.ndcg_10),
            recall_10: sum(|m| m.recall_10),
            recall_100: sum(|m| m.recall_100),
            judged_10: sum(|m| m.judged_10),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_files_skip_a_header_extra_columns_and_lines_without_a_tab() {
        let file =
            parse_queries("qid\tquery\n q1 \t بوتين \tnote\nno tab here\n\nq2\tجنيف\n\tno id\n");
        assert_eq!(
            file.queries,
            [
                ("q1".to_owned(), "بوتين".to_owned()),
                ("q2".to_owned(), "جنيف".to_owned())
            ]
        );
        assert_eq!(file.skipped_lines, [3, 6]);
    }

    #[test]
    fn a_run_line_is_treceval_s_six_columns() {
        assert_eq!(run_line("7", "AJ-1", 1, 12.5), "7 Q0 AJ-1 1 12.5000 fahras");
    }

    fn ranking(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    fn judged(pairs: &[(&str, u32)]) -> HashMap<String, u32> {
        pairs.iter().map(|(d, g)| (d.to_string(), *g)).collect()
    }

    #[test]
    fn hand_computed_example() {
        // Relevant: a (grade 2), c (grade 1), z (not retrieved); b judged not relevant.
        let j = judged(&[("a", 2), ("b", 0), ("c", 1), ("z", 1)]);
        let m = measure(&ranking(&["b", "a", "x", "c"]), &j).unwrap();
        // AP@10 = (1/2 + 2/4) / 3
        assert!((m.map_10 - (0.5 + 0.5) / 3.0).abs() < 1e-12);
        assert!((m.mrr_10 - 0.5).abs() < 1e-12);
        // DCG = 2/log2(3) + 1/log2(5); IDCG = 2/log2(2) + 1/log2(3) + 1/log2(4)
        let dcg = 2.0 / 3f64.log2() + 1.0 / 5f64.log2();
        let idcg = 2.0 + 1.0 / 3f64.log2() + 0.5;
        assert!((m.ndcg_10 - dcg / idcg).abs() < 1e-12);
        assert!((m.recall_10 - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.recall_100 - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.judged_10 - 3.0 / 4.0).abs() < 1e-12);
    }

    #[test]
    fn cutoffs_apply() {
        let j = judged(&[("r", 1)]);
        let mut list: Vec<String> = (0..20).map(|i| format!("d{i}")).collect();
        list.insert(10, "r".into()); // rank 11
        let m = measure(&list, &j).unwrap();
        assert_eq!(
            (m.map_10, m.mrr_10, m.ndcg_10, m.recall_10),
            (0.0, 0.0, 0.0, 0.0)
        );
        assert_eq!(m.recall_100, 1.0);
    }

    #[test]
    fn queries_without_relevant_documents_are_skipped() {
        let (qrels, malformed) = parse_qrels("q1 0 -1 0\nq2 0 d1 1\nq3 0 d2 0\nbroken line\n");
        assert_eq!(malformed, 1);
        assert!(measure(&ranking(&["d1"]), &qrels["q1"]).is_none());
        assert!(measure(&ranking(&["d2"]), &qrels["q3"]).is_none());
        let m = measure(&ranking(&["d1"]), &qrels["q2"]).unwrap();
        let summary = summarize(3, &[m]);
        assert_eq!((summary.evaluated, summary.skipped), (1, 2));
        assert_eq!(summary.mean.mrr_10, 1.0);
    }
}
