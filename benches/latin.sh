#!/usr/bin/env bash
# Latin-script names on a real index: precision and recall of tests/latin_names.tsv (forms
# reported against the forms listed), and the latency a Latin name adds (median of 20 one-shot
# searches, cold caches, against the same query with the Arabic spelling; then repeated in one
# process).
#   benches/latin.sh [INDEX]   (default: an index of ../shared/corpora/ant-v2.1, built once)
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
python3 - "$bin" "$index" tests/latin_names.tsv <<'PY'
import json, os, statistics, subprocess, sys, tempfile, unicodedata
BIN, IDX, LIST = sys.argv[1:4]
FOLD = {'آ': 'ا', 'أ': 'ا', 'إ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ة': 'ه', 'ؤ': 'ء', 'ئ': 'ء', 'ک': 'ك'}
def norm(word):  # the normalizer's letter folds, enough for the words of the list
    return ''.join(FOLD.get(c, c) for c in unicodedata.normalize("NFKC", word)
                   if not ('\u064b' <= c <= '\u065f' or c in '\u0670\u0640'))
def search(*args):
    out = subprocess.run([BIN, "search", "--index", IDX, "--format", "json", *args],
                         capture_output=True, text=True, check=True).stdout.strip().split("\n")
    return [json.loads(line) for line in out]
right = wrong = found = finds = 0
for line in open(LIST):
    if line.startswith("#") or not line.strip():
        continue
    typed, forms, verdict, kind = line.rstrip("\n").split("\t")
    forms = [norm(f) for f in forms.split(",")] if verdict == "find" else []
    summary = search("--limit", "1", typed)[-1]
    reported = [norm(f) for f in summary.get("variants", {}).get(typed, {})]
    for form in reported:
        if form in forms:
            right += 1
        else:
            wrong += 1; print(f"wrong: {typed} ({kind}) -> {form}")
    if forms:
        finds += 1
        if forms[0] in reported:
            found += 1
        else:
            print(f"missed: {typed} ({kind}): {forms[0]} not in {reported}")
print(f"precision {right / max(1, right + wrong):.3f} ({right}/{right + wrong}), recall {found / finds:.3f} ({found}/{finds})")
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
for latin, arabic in [("Putin", "بوتين"), ("قمة Helsinki", "قمة هلسنكي"),
                      ("Khashoggi", "خاشقجي"), ("Trump Kim", "ترامب كيم")]:
    cold = {latin: [], arabic: []}
    for _ in range(20):
        for query in cold:
            cold[query].append(took(query))
    a, b = statistics.median(cold[latin]), statistics.median(cold[arabic])
    print(f"{latin} / {arabic}: one-shot {a:.2f} / {b:.2f} ms (+{a - b:.2f}),"
          f" repeated {repeated(latin):.2f} / {repeated(arabic):.2f} ms")
PY
