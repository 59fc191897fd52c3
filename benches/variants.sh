#!/usr/bin/env bash
# Spelling variants on a real index: precision and recall of the same-word rule on the labelled
# pairs of tests/variant_pairs.tsv (each pair asked both ways: the first form typed, then the
# other), the variants the 500 ANT headline queries draw, and the latency the evidence adds
# (median of 20 one-shot searches of a name with a variant against one without).
#   benches/variants.sh [INDEX]   (default: an index of ../shared/corpora/ant-v2.1, built once)
# The index is only read.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/fahras
index=${1:-}
if [ -z "$index" ]; then
  work=${FAHRAS_BENCH_DIR:-/tmp/fahras-bench}
  mkdir -p "$work"
  index=$work/ant-index
  "$bin" stats --index "$index" > /dev/null 2>&1 || rm -rf "$index"
  [ -f "$index/meta.json" ] || "$bin" index ../shared/corpora/ant-v2.1 --index "$index" --quiet
fi
headlines=${FAHRAS_SHARED:-../shared}/eval/ant-known-item/queries.tsv
python3 - "$bin" "$index" tests/variant_pairs.tsv "$headlines" <<'PY'
import json, statistics, subprocess, sys, time, unicodedata
BIN, IDX, LIST, HEADLINES = sys.argv[1:5]
FOLD = {'آ': 'ا', 'أ': 'ا', 'إ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ة': 'ه', 'ؤ': 'ء', 'ئ': 'ء', 'ک': 'ك'}
def norm(word):  # the normalizer's letter folds, enough for the words of the list
    return ''.join(FOLD.get(c, c) for c in unicodedata.normalize("NFKC", word)
                   if not ('\u064b' <= c <= '\u065f' or c in '\u0670\u0640'))
def summary(query):
    out = subprocess.run([BIN, "search", "--index", IDX, "--format", "json", "--limit", "1", query],
                         capture_output=True, text=True, check=True).stdout.strip().split("\n")
    return json.loads(out[-1])
tp = fp = fn = tn = 0
wrong = []
for line in open(LIST, encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    a, b, label = line.rstrip("\n").split("\t")
    for typed, other in ((a, b), (b, a)):
        variants = summary(typed).get("variants", {}).get(typed, {})
        found = any(norm(written) == norm(other) for written in variants)
        if label == "same":
            tp += found; fn += not found
            if not found: wrong.append(f"missed   {typed} → {other}")
        else:
            fp += found; tn += not found
            if found: wrong.append(f"wrong    {typed} → {other}")
print(f"labelled pairs, both ways: precision {tp / max(1, tp + fp):.2f}, recall {tp / (tp + fn):.2f} "
      f"(same-word pairs found {tp} of {tp + fn}; different words taken for one {fp} of {fp + tn})")
for w in wrong:
    print("  " + w)
queries = [l.rstrip("\n").split("\t", 1)[1] for l in open(HEADLINES, encoding="utf-8")
           if "\t" in l and not l.startswith("qid")]
run = subprocess.run([BIN, "search", "--index", IDX, "--format", "json", "--limit", "1",
                      "--plain", "--queries", "/dev/stdin"],
                     input="".join(f"{i}\t{q}\n" for i, q in enumerate(queries)),
                     capture_output=True, text=True, check=True).stdout
pairs = []
for line in run.splitlines():
    record = json.loads(line)
    if "total_hits" in record:
        for word, found in record.get("variants", {}).items():
            pairs.extend(f"{word}→{w}" for w in found)
print(f"500 headline queries: {len(pairs)} variants used, e.g. {', '.join(sorted(set(pairs))[:12])}")
def median_ms(query, n=20):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        subprocess.run([BIN, "search", "--index", IDX, "--limit", "10", query],
                       capture_output=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)
for with_variant, without in (("بوتين", "موسكو"), ("ميونخ", "برلين"), ("نتانياهو", "القدس")):
    print(f"one-shot search, median of 20: {with_variant} {median_ms(with_variant):.1f} ms "
          f"(variants weighed) against {without} {median_ms(without):.1f} ms (none)")
PY
