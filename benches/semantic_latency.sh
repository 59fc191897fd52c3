#!/usr/bin/env bash
# Query latency by mode over ANT with a vector for every passage (stand-ins for the passages,
# the real model for the queries: see benches/semantic_latency.rs). Copies the ANT index of
# benches/search_latency.sh (built once in $FAHRAS_BENCH_DIR) and adds the vectors to the copy.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpora/ant-v2.1}
work=${FAHRAS_BENCH_DIR:-/tmp/fahras-bench}
mkdir -p "$work"
cargo build --release --quiet
./target/release/fahras model path > /dev/null
"./target/release/fahras" stats --index "$work/ant-index" > /dev/null 2>&1 || rm -rf "$work/ant-index"
if [ ! -f "$work/ant-index/meta.json" ]; then
  ./target/release/fahras index "$corpus" --index "$work/ant-index" --quiet
fi
rm -rf "$work/ant-index-vectors"
cp -r "$work/ant-index" "$work/ant-index-vectors"
FAHRAS_BENCH_INDEX="$work/ant-index-vectors" FAHRAS_MODEL=$(./target/release/fahras model path) \
  cargo bench --quiet --bench semantic_latency
