#!/usr/bin/env bash
# Latin-script names on a real index: precision and recall of tests/latin_names.tsv (forms
# reported against the forms listed), and the latency a Latin name adds (median of 20 one-shot
# searches, cold caches, against the same query with the Arabic spelling; then repeated in one
# process).
#   benches/latin.sh [INDEX]   (default: an index of ../shared/corpora/ant-v2.1, built once)
# The index is only read.
set -euo pipefail
source "$(dirname "$0")/ant_index.sh"
python3 - "$bin" "$index" tests/latin_names.tsv <<'PY'
import sys
from fahras_bench import Fahras, labelled_rows, norm
fahras = Fahras(*sys.argv[1:3])
right = wrong = found = finds = 0
for typed, forms, verdict, kind in labelled_rows(sys.argv[3]):
    forms = [norm(f) for f in forms.split(",")] if verdict == "find" else []
    summary = fahras.search("--limit", "1", typed)[-1]
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
fahras.compare_latency([("Putin", "بوتين"), ("قمة Helsinki", "قمة هلسنكي"),
                        ("Khashoggi", "خاشقجي"), ("Trump Kim", "ترامب كيم")])
PY
