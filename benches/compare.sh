#!/usr/bin/env bash
# Fahras beside Lucene 9.9 ArabicAnalyzer (through ../shared/peers), in one run on this machine:
# indexing the same corpus (wall time, articles/s, peak memory, index size; REPS repetitions,
# median reported) and the same 500 headline queries, top 10, warm.
#   benches/compare.sh [CORPUS] [QUERIES.tsv]        REPS=3 by default
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${FAHRAS_SHARED:-../shared}
corpus=${1:-$shared/corpora/ant-v2.1}
queries=${2:-$shared/eval/ant-known-item/queries.tsv}
reps=${REPS:-3}
peers=$shared/peers
work=$(mktemp -d /tmp/fahras-compare.XXXXXX)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bin=$PWD/target/release/fahras
[ -s "${PEERS_CACHE:-$HOME/.cache/fahras-peers}/lib/anserini-0.25.0-fatjar.jar" ] || bash "$peers/setup.sh" >&2
articles=$(find "$corpus" -name '*.txt' | wc -l)

timed() { # out-file command... -> "seconds max_kb" in out-file
  local out=$1; shift
  /usr/bin/time -f "%e %M" -o "$out" "$@" > /dev/null 2>> "$work/log"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

for rep in $(seq "$reps"); do
  rm -rf "$work/fahras-idx" "$work/lucene-idx" "$work/tantivy-idx"
  timed "$work/f$rep" "$bin" index "$corpus" --index "$work/fahras-idx" --quiet
  timed "$work/l$rep" bash "$peers/lucene9_index.sh" "$corpus" "$work/lucene-idx"
  # tantivy with its default tokenizer on the same files (tantivy-py, from the peers).
  TANTIVY_ANALYZER=default timed "$work/t$rep" python3 "$peers/tantivy_index.py" "$corpus" "$work/tantivy-idx"
done
t_sec=$(for r in $(seq "$reps"); do cut -d' ' -f1 "$work/t$r"; done | median)
f_sec=$(for r in $(seq "$reps"); do cut -d' ' -f1 "$work/f$r"; done | median)
l_sec=$(for r in $(seq "$reps"); do cut -d' ' -f1 "$work/l$r"; done | median)
f_mem=$(for r in $(seq "$reps"); do cut -d' ' -f2 "$work/f$r"; done | median)
l_mem=$(for r in $(seq "$reps"); do cut -d' ' -f2 "$work/l$r"; done | median)
f_size=$(du -sb "$work/fahras-idx" | cut -f1)
l_size=$(du -sb "$work/lucene-idx" | cut -f1)

# Queries: every query twice in one process; the second pass is the warm one.
awk -F'\t' '{print "cold-" $1 "\t" $2} END {}' "$queries" > "$work/q2.tsv"
awk -F'\t' '{print "warm-" $1 "\t" $2}' "$queries" >> "$work/q2.tsv"
latency() { # extra flags -> "mean p50 p99" over warm queries (ms, as measured inside fahras)
  "$bin" search --index "$work/fahras-idx" --queries "$work/q2.tsv" --format json --limit 10 "$@" |
    python3 -c '
import json, sys
ms = sorted(json.loads(l)["took_ms"] for l in sys.stdin if l.startswith("{\"qid\":\"warm-") and "total_hits" in l)
pick = lambda p: ms[min(len(ms) - 1, round((len(ms) - 1) * p))]
print("%.3f %.3f %.3f" % (sum(ms) / len(ms), pick(0.5), pick(0.99)))'
}
read -r f_mean f_p50 f_p99 <<<"$(latency)"
read -r n_mean n_p50 n_p99 <<<"$(latency --no-highlight)"
REPEAT=3 bash "$peers/lucene9_search.sh" "$work/lucene-idx" "$queries" 10 > /dev/null 2> "$work/lucene-search.log"
l_ms=$(grep 'lucene round 3' "$work/lucene-search.log" | sed -E 's/.*\(([0-9.]+) ms\/query\).*/\1/')

python3 - "$articles" "$f_sec" "$l_sec" "$f_mem" "$l_mem" "$f_size" "$l_size" "$f_mean" "$f_p50" "$f_p99" "$n_mean" "$n_p50" "$n_p99" "$l_ms" "$reps" "$t_sec" <<'PY'
import sys
a = sys.argv[1:]
articles = int(a[0]); fs, ls = float(a[1]), float(a[2]); fm, lm = int(a[3]) / 1024, int(a[4]) / 1024
fz, lz = int(a[5]) / 1e6, int(a[6]) / 1e6
f_mean, f_p50, f_p99, n_mean, n_p50, n_p99, l_ms = map(float, a[7:14])
print(f"corpus: {articles} files; median of {a[14]} runs; queries: 500 headlines, top 10, warm")
print(f"{'figure':<42} {'fahras':>10} {'lucene 9.9':>11} {'ratio':>7}")
rows = [
    ("index wall time (s)", fs, ls, ls / fs, "lucene/fahras"),
    ("index throughput (articles/s)", articles / fs, articles / ls, (articles / fs) / (articles / ls), "fahras/lucene"),
    ("peak memory (MB)", fm, lm, fm / lm, "fahras/lucene"),
    ("index size (MB; fahras stores the text)", fz, lz, fz / lz, "fahras/lucene"),
    ("query mean, with highlighting (ms)", f_mean, l_ms, f_mean / l_ms, "fahras/lucene"),
    ("query mean, without highlighting (ms)", n_mean, l_ms, n_mean / l_ms, "fahras/lucene"),
]
for name, f, l, r, how in rows:
    print(f"{name:<42} {f:>10.2f} {l:>11.2f} {r:>7.2f}  ({how})")
print(f"fahras query p50/p99 with highlighting: {f_p50:.2f} / {f_p99:.2f} ms; without: {n_p50:.2f} / {n_p99:.2f} ms")
print("lucene's harness reports the mean per query only (third warm round); no p99 is available from it")
t = float(a[15])
print(f"tantivy default tokenizer (tantivy-py) indexing the same files: {t:.2f} s; fahras/tantivy time ratio {fs / t:.2f}")
PY
