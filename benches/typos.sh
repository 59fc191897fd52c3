#!/usr/bin/env bash
# Typos on a real index: precision and recall of tests/typos.tsv, suggestions drawn by the ANT
# headline queries, and the latency a misspelt word adds (median of 20 one-shot searches, cold
# caches, against the same query correctly spelt; then repeated in one process).
#   benches/typos.sh [INDEX]   (default: an index of ../shared/corpora/ant-v2.1, built once)
# The index is only read.
set -euo pipefail
set -euo pipefail
source "$(dirname "$0")/ant_index.sh"
python3 - "$bin" "$index" tests/typos.tsv "$headlines" <<'PY'
import os, sys
from fahras_bench import Fahras, labelled_rows, norm
fahras = Fahras(*sys.argv[1:3])
LIST, HEADLINES = sys.argv[3:5]
def marked(hit):
    words = []
    for text, ranges in ((hit["text"], hit["highlights"]), (hit["title"], hit["title_highlights"])):
        raw = text.encode()
        words += [norm(raw[a:b].decode()) for a, b in ranges]
    return words
right = wrong = fixed = 0
for typed, meant, verdict, kind in labelled_rows(LIST):
    *hits, summary = fahras.search("--limit", "1", typed)
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
    summaries = [d for d in fahras.search("--plain", "--limit", "1", "--queries", HEADLINES) if "total_hits" in d]
    pairs = [f"{k} -> {v}" for d in summaries for k, v in d.get("suggestions", {}).items()]
    rewritten = sum(len(d.get("searched_instead", [])) for d in summaries)
    print(f"headline queries: {len(summaries)}, suggestions {len(pairs)}, searched instead {rewritten}: {', '.join(pairs)}")
fahras.compare_latency([("قمة هلنسكي", "قمة هلسنكي"), ("ترانب كوريا", "ترامب كوريا"),
                        ("الانتحابات الامريكية", "الانتخابات الامريكية")])
PY
