#!/usr/bin/env bash
# Relevance on the judged sets in ../shared/eval, beside Lucene 9.9 ArabicAnalyzer (BM25).
#   benches/relevance.sh [SEARCH FLAGS...]
# Index settings come from the environment: STEMMER (light|snowball|none), PASSAGE_MIN,
# PASSAGE_MAX. Indexes are cached per setting in $FAHRAS_RELEVANCE_DIR (default a folder in /tmp).
# The binary is built in $CARGO_TARGET_DIR (default target/), or FAHRAS_BIN names one already built
# (a sweep can then run while the sources change).
# Queries are natural language (questions, headlines), so they are read as plain words
# (--plain), the way the peers read them: quotation marks in a headline are not phrase searches.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/fahras_bin.sh
stemmer=${STEMMER:-light}
pmin=${PASSAGE_MIN:-80}
pmax=${PASSAGE_MAX:-200}
work=${FAHRAS_RELEVANCE_DIR:-/tmp/fahras-relevance}
key="$stemmer-$pmin-$pmax"
mkdir -p "$work"
settings=(--stemmer "$stemmer" --passage-min "$pmin" --passage-max "$pmax")
started=$(date +%s)

measure() { # set-name index collection queries qrels field [extra flags]
  local name=$1 index=$2 collection=$3 queries=$4 qrels=$5 field=$6; shift 6
  # A cached index this build of fahras cannot open (an older layout) is rebuilt.
  [ ! -e "$index" ] || "$bin" stats --index "$index" > /dev/null 2>&1 || rm -rf "$index"
  "$bin" eval --collection "$collection" --index "$index" --queries "$queries" --qrels "$qrels" \
    "${settings[@]}" --plain --json "$@" |
    python3 -c '
import json, sys
name, field = sys.argv[1], sys.argv[2]
r = json.load(sys.stdin)
m = r["summary"]["mean"]
print("\t".join([name, field, "%.4f" % m[field], "%.3f" % m["recall_100"], "%.2f" % m["judged_10"], str(r["summary"]["evaluated"])]))
' "$name" "$field"
}

topics=$(mktemp)
result=$(mktemp) # not in $work: the index cache may be shared by runs in parallel
tail -n +2 "$eval_dir/ant-news-topics/topics.tsv" > "$topics"
trap 'rm -f "$topics" "$result"' EXIT
{
  measure quran "$work/quran-$key" "$eval_dir/quran-qa-2023/QQA23_TaskA_QPC_v1.1.tsv" \
    "$eval_dir/quran-qa-2023/QQA23_TaskA_train.tsv" "$eval_dir/quran-qa-2023/QQA23_TaskA_qrels_train.gold" map_10 "$@"
  measure arcd "$work/arcd-$key" "$eval_dir/arcd/passages.tsv" "$eval_dir/arcd/queries.tsv" \
    "$eval_dir/arcd/qrels.txt" mrr_10 "$@"
  measure ant-known-item "$work/ant-$key" "$shared/corpora/ant-v2.1" "$eval_dir/ant-known-item/queries.tsv" \
    "$eval_dir/ant-known-item/qrels.txt" mrr_10 --fields text "$@"
  measure ant-news-topics "$work/ant-$key" "$shared/corpora/ant-v2.1" "$topics" \
    "$eval_dir/ant-news-topics/qrels.txt" ndcg_10 "$@"
} > "$result"

python3 - "$result" "$*" "$key" <<'PY'
import sys
lucene = {"quran": (0.225, 0.235, 0.26), "arcd": (0.768, 0.768, 0.84),
          "ant-known-item": (0.620, 0.648, 0.71), "ant-news-topics": (0.935, 0.935, 0.97)}
measure_name = {"map_10": "MAP@10", "mrr_10": "MRR@10", "ndcg_10": "nDCG@10"}
print(f"settings: index {sys.argv[3]}; search flags: {sys.argv[2] or '(defaults)'}")
print(f"{'set':<16} {'measure':<8} {'fahras':>7} {'lucene':>7} {'best peer':>9} {'goal':>6} {'vs best':>8}  R@100  judged@10  queries")
for line in open(sys.argv[1]):
    name, field, value, r100, judged, n = line.split("\t")
    value = float(value)
    luc, best, goal = lucene[name]
    rel = (value / best - 1) * 100
    goal_s = f"{goal:.2f}" if goal else "  -"
    print(f"{name:<16} {measure_name[field]:<8} {value:>7.4f} {luc:>7.3f} {best:>9.3f} {goal_s:>6} {rel:>+7.1f}%  {float(r100):.3f}  {float(judged):.2f}       {n.strip()}")
PY
echo "time: $(( $(date +%s) - started )) s"
