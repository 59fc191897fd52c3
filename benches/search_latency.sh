#!/usr/bin/env bash
# Query latency on the ANT corpus: builds a release index of ../shared/corpora/ant-v2.1 (once,
# in $FAHRAS_BENCH_DIR or a temporary folder) and runs the latency bench over 500+ mixed queries.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpora/ant-v2.1}
work=${FAHRAS_BENCH_DIR:-/tmp/fahras-bench}
mkdir -p "$work"
cargo build --release --quiet
# A cached index this build cannot open (older layout) is rebuilt.
"./target/release/fahras" stats --index "$work/ant-index" > /dev/null 2>&1 || rm -rf "$work/ant-index"
if [ ! -f "$work/ant-index/meta.json" ]; then
  ./target/release/fahras index "$corpus" --index "$work/ant-index" --quiet
fi
FAHRAS_BENCH_INDEX="$work/ant-index" cargo bench --quiet --bench search_latency
