#!/usr/bin/env bash
# Spelling variants on a real index: precision and recall of the same-word rule on the labelled
# pairs of tests/variant_pairs.tsv (each pair asked both ways: the first form typed, then the
# other), the variants the 500 ANT headline queries draw, and the latency the evidence adds
# (median of 20 one-shot searches of a name with a variant against a word without, the time
# the search reports; then repeated in one process).
#   benches/variants.sh [INDEX]   (default: an index of ../shared/corpora/ant-v2.1, built once)
# The index is only read.
set -euo pipefail
source "$(dirname "$0")/ant_index.sh"
python3 - "$bin" "$index" tests/variant_pairs.tsv "$headlines" <<'PY'
import sys
from fahras_bench import Fahras, labelled_rows, norm
fahras = Fahras(*sys.argv[1:3])
LIST, HEADLINES = sys.argv[3:5]
tp = fp = fn = tn = 0
wrong = []
for a, b, label in labelled_rows(LIST):
    for typed, other in ((a, b), (b, a)):
        variants = fahras.search("--limit", "1", typed)[-1].get("variants", {}).get(typed, {})
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
summaries = [d for d in fahras.search("--plain", "--limit", "1", "--queries", HEADLINES) if "total_hits" in d]
pairs = [f"{word}→{w}" for d in summaries for word, found in d.get("variants", {}).items() for w in found]
print(f"{len(summaries)} headline queries: {len(pairs)} variants used ({len(set(pairs))} distinct), "
      f"e.g. {', '.join(sorted(set(pairs))[:12])}")
fahras.compare_latency([("بوتين", "موسكو"), ("ميونخ", "برلين"), ("نتانياهو", "القدس")])
PY
