#!/usr/bin/env bash
# Indexing throughput on real corpora: from scratch, a re-run with nothing changed, and a re-run
# with 1% of the files changed. Reports articles/s, MB/s, peak memory and index size.
# Usage: benches/index_corpus.sh [CORPUS...]   (default: ANT and SaudiNewsNet from ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=$PWD/target/release/fahras
work=$(mktemp -d /tmp/fahras-index-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
corpora=("$@")
[ ${#corpora[@]} -gt 0 ] || corpora=(../shared/corpora/ant-v2.1 ../shared/corpora/saudinewsnet)

measure() { # label, then the command
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" --quiet
  read -r secs kb < "$work/time"
  local articles bytes
  articles=$("$bin" stats --index "$index" --format json | python3 -c 'import json,sys; r=json.load(sys.stdin)["last_run"]; print(r["articles"], r["bytes"])')
  read -r arts bytes <<<"$articles"
  local size
  size=$(du -sb "$index" | cut -f1)
  awk -v l="$label" -v s="$secs" -v a="$arts" -v b="$bytes" -v k="$kb" -v z="$size" 'BEGIN {
    t = (s > 0.01) ? s : 0.01
    printf "%-28s %8.2f s %10.0f articles/s %7.1f MB/s %7.0f MB peak %7.1f MB index\n", l, s, a / t, b / 1e6 / t, k / 1024, z / 1e6 }'
}

for corpus in "${corpora[@]}"; do
  name=$(basename "$corpus")
  echo "== $name ($(du -sh "$corpus" | cut -f1))"
  copy=$work/$name
  cp -r "$corpus" "$copy"
  index=$work/$name-index
  measure "from scratch" "$bin" index "$copy" --index "$index"
  measure "re-run, nothing changed" "$bin" index "$copy" --index "$index"
  # Change 1% of the files (at least one): append a paragraph.
  total=$(find "$copy" -type f | wc -l)
  n=$(( total / 100 )); [ "$n" -ge 1 ] || n=1
  find "$copy" -type f | sort > "$work/files"
  head -n "$n" "$work/files" | while read -r f; do
    case "$f" in
      *.jsonl) printf '{"id": "bench-added", "title": "اختبار", "content": "فقرة مضافة للاختبار."}\n' >> "$f" ;;
      *) printf '\nفقرة مضافة للاختبار.\n' >> "$f" ;;
    esac
  done
  measure "re-run, 1% of files changed" "$bin" index "$copy" --index "$index"
  rm -rf "$copy" "$index"
done
