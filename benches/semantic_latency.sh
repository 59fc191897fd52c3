#!/usr/bin/env bash
# Query latency by mode over ANT with a vector for every passage (stand-ins for the passages,
# the real model for the queries: see benches/semantic_latency.rs). Copies the ANT index the
# other search benches use (ant_index.sh: built once in $FAHRAS_BENCH_DIR, or the first
# argument) and adds the vectors to the copy.
set -euo pipefail
source "$(dirname "$0")/ant_index.sh"
"$bin" model path > /dev/null
copy=$index-vectors
rm -rf "$copy"
cp -r "$index" "$copy"
FAHRAS_BENCH_INDEX="$copy" FAHRAS_MODEL=$("$bin" model path) \
  cargo bench --quiet --bench semantic_latency
