#!/usr/bin/env bash
# Typos on a real index: precision and recall of tests/typos.tsv, suggestions drawn by the ANT
# headline queries, and the latency a misspelt word adds (median of 20 one-shot searches, cold
# caches, against the same query correctly spelt; then repeated in one process).
#   benches/typos.sh [INDEX]   (default: an index of ../shared/corpora/ant-v2.1, built once)
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
python3 - "$bin" "$index" tests/typos.tsv "$headlines" <<'PY'
import json, os, statistics, subprocess, sys, tempfile, unicodedata
BIN, IDX, LIST, HEADLINES = sys.argv[1:5]
FOLD = {'آ': 'ا', 'أ': 'ا', 'إ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ة': 'ه', 'ؤ': 'ء', 'ئ': 'ء', 'ک': 'ك'}
def norm(word):  # the normalizer's letter folds, enough for the words of the list
    return ''.join(FOLD.get(c, c) for c in unicodedata.normalize("NFKC", word)
                   if not ('\u064b' <= c <= '\u065f' or c in '\u0670\u0640'))
def search(*args):
    out = subprocess.run([BIN, "search", "--index", IDX, "--format", "json", *args],
                         capture_output=True, text=True, check=True).stdout.strip().split("\n")
    return [json.loads(line) for line in out]
def marked(hit):
    words = []
    for text, ranges in ((hit["text"], hit["highlights"]), (hit["title"], hit["title_highlights"])):
        raw = text.encode()
        words += [norm(raw[a:b].decode()) for a, b in ranges]
    return words
right = wrong = fixed = 0
for line in open(LIST):
    if line.startswith("#") or not line.strip():
        continue
    typed, meant, verdict, kind = line.rstrip("\n").split("\t")
    *hits, summary = search("--limit", "1", typed)
    suggested = summary.get("suggestions", {}).get(typed)
    if verdict == "fix" and suggested == norm(meant):
        right += 1; fixed += 1
    elif suggested:
        wrong += 1; print(f"wrong: {typed} ({kind}) -> {suggested}")
    elif verdict == "fix" and hits and norm(meant) in marked(hits[0]):
        fixed += 1; print(f"found as typed: {typed} ({kind})")
    elif verdict == "fix":
        print(f"missed: {typed} ({kind})")
print(f"precision {right / max(1, right + wrong):.3f} ({right}/{right + wrong}), recall {fixed / 40:.3f} ({fixed}/40)")
if os.path.exists(HEADLINES):
    summaries = [d for d in search("--plain", "--limit", "1", "--queries", HEADLINES) if "total_hits" in d]
    pairs = [f"{k} -> {v}" for d in summaries for k, v in d.get("suggestions", {}).items()]
    rewritten = sum(len(d.get("searched_instead", [])) for d in summaries)
    print(f"headline queries: {len(summaries)}, suggestions {len(pairs)}, searched instead {rewritten}: {', '.join(pairs)}")
def took(query):
    return search(query)[-1]["took_ms"]
def repeated(query):
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        f.writelines(f"{i}\t{query}\n" for i in range(21))
    try:
        runs = [d["took_ms"] for d in search("--limit", "10", "--queries", f.name) if "total_hits" in d]
    finally:
        os.unlink(f.name)
    return statistics.median(runs[1:])
for bad, good in [("قمة هلنسكي", "قمة هلسنكي"), ("ترانب كوريا", "ترامب كوريا"),
                  ("الانتحابات الامريكية", "الانتخابات الامريكية")]:
    cold = {bad: [], good: []}
    for _ in range(20):
        for query in cold:
            cold[query].append(took(query))
    print(f"{bad} / {good}: one-shot {statistics.median(cold[bad]):.2f} / {statistics.median(cold[good]):.2f} ms,"
          f" repeated {repeated(bad):.2f} / {repeated(good):.2f} ms")
PY
