# Sourced by the benchmark scripts that search a real index (typos.sh, latin.sh, variants.sh,
# semantic_latency.sh):
# sets `bin` (as fahras_bin.sh: $FAHRAS_BIN, else the release binary, built), `index` (the
# script's first argument, or an index of ../shared/corpora/ant-v2.1 built once in
# $FAHRAS_BENCH_DIR) and `headlines` (the ANT known-item queries). The index is only read.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source benches/fahras_bin.sh
index=${1:-}
if [ -z "$index" ]; then
  work=${FAHRAS_BENCH_DIR:-/tmp/fahras-bench}
  mkdir -p "$work"
  index=$work/ant-index
  "$bin" stats --index "$index" > /dev/null 2>&1 || rm -rf "$index"
  [ -f "$index/meta.json" ] || "$bin" index ../shared/corpora/ant-v2.1 --index "$index" --quiet
fi
headlines=${FAHRAS_SHARED:-../shared}/eval/ant-known-item/queries.tsv
export PYTHONPATH=$PWD/benches${PYTHONPATH:+:$PYTHONPATH}
