#!/usr/bin/env bash
# Searching by meaning on the judged sets of ../shared/eval: lexical, semantic and hybrid (each
# weight in $WEIGHTS), and what embedding cost.
#   benches/semantic.sh            # Qur'an QA and ARCD embedded whole; ANT news topics by
#                                  # re-ranking each topic's lexical top 100 articles
#   KNOWN_ITEM=1 benches/semantic.sh   # also ANT known-item over the whole archive embedded
#                                  # (about an hour of encoding on this machine, once)
# MAX_TOKENS (default 256) is the passage cap; the model is looked for as `fahras model path`
# says (FAHRAS_MODEL, FAHRAS_MODEL_DIR, ~/.cache/fahras/models). Indexes and their vectors are
# cached per cap in $FAHRAS_SEMANTIC_DIR (default /tmp/fahras-semantic): a second run only
# searches. FAHRAS_BIN names a built binary (default: build the release one).
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/fahras_bin.sh
"$bin" model path > /dev/null
cap=${MAX_TOKENS:-256}
weights=${WEIGHTS:-0.2 0.3 0.4 0.5 0.6}
work=${FAHRAS_SEMANTIC_DIR:-/tmp/fahras-semantic}
mkdir -p "$work"
settings=(--stemmer light --passage-min 80 --passage-max 200)

# measure NAME INDEX COLLECTION QUERIES QRELS FIELD [flags]: one line "name<TAB>flags<TAB>value".
measure() {
  local name=$1 index=$2 collection=$3 queries=$4 qrels=$5 field=$6; shift 6
  "$bin" eval --collection "$collection" --index "$index" --queries "$queries" --qrels "$qrels" \
    "${settings[@]}" --plain --json "$@" |
    python3 -c '
import json, sys
r = json.load(sys.stdin)
print("\t".join([sys.argv[1], sys.argv[3], "%.4f" % r["summary"]["mean"][sys.argv[2]],
                 "%.1f ms" % (1000 * r["search_seconds"] / max(1, r["summary"]["evaluated"]))]))
' "$name" "$field" "${*:-(defaults)}"
}

# embed INDEX [flags]: the embedding run's summary (JSON) to stderr, its time kept.
embed() {
  local index=$1; shift
  "$bin" embed --index "$index" --max-tokens "$cap" --quiet --json "$@" | tee -a "$work/embed-$cap.log" >&2
}

run_set() { # name collection queries qrels field
  local name=$1 collection=$2 queries=$3 qrels=$4 field=$5
  local index=$work/$name-$cap
  [ -e "$index" ] || "$bin" eval --collection "$collection" --index "$index" --queries "$queries" \
    --qrels "$qrels" "${settings[@]}" --plain --json --mode lexical > /dev/null
  embed "$index"
  measure "$name" "$index" "$collection" "$queries" "$qrels" "$field" --mode lexical
  measure "$name" "$index" "$collection" "$queries" "$qrels" "$field" --mode semantic
  for w in $weights; do
    measure "$name" "$index" "$collection" "$queries" "$qrels" "$field" --mode hybrid --semantic-weight "$w"
  done
}

topics=$(mktemp)
run=$(mktemp)
trap 'rm -f "$topics" "$run"' EXIT
tail -n +2 "$eval_dir/ant-news-topics/topics.tsv" | cut -f1,2 > "$topics"
{
  run_set quran "$eval_dir/quran-qa-2023/QQA23_TaskA_QPC_v1.1.tsv" \
    "$eval_dir/quran-qa-2023/QQA23_TaskA_train.tsv" "$eval_dir/quran-qa-2023/QQA23_TaskA_qrels_train.gold" map_10
  run_set arcd "$eval_dir/arcd/passages.tsv" "$eval_dir/arcd/queries.tsv" "$eval_dir/arcd/qrels.txt" mrr_10

  # ANT news topics: the passages of each topic's lexical top 100 articles are embedded, so the
  # search by meaning re-ranks what the words found (hybrid mode on a partly embedded index).
  ant=$work/ant-$cap
  [ -e "$ant" ] || "$bin" index "$shared/corpora/ant-v2.1" --index "$ant" "${settings[@]}" --quiet
  "$bin" eval --collection "$shared/corpora/ant-v2.1" --index "$ant" --queries "$topics" \
    --qrels "$eval_dir/ant-news-topics/qrels.txt" "${settings[@]}" --plain --json --mode lexical \
    --k 100 --run "$run" > /dev/null
  cut -d' ' -f3 "$run" | sort -u > "$work/ant-topics-top100.ids"
  embed "$ant" --articles "$work/ant-topics-top100.ids"
  for mode in lexical hybrid; do
    if [ $mode = lexical ]; then ws=0; else ws=$weights; fi
    for w in $ws; do
      measure ant-news-topics "$ant" "$shared/corpora/ant-v2.1" "$topics" \
        "$eval_dir/ant-news-topics/qrels.txt" ndcg_10 --mode $mode --semantic-weight "$w"
    done
  done

  # ANT known-item, every passage embedded (an archive as `fahras embed` leaves it, where a
  # search is hybrid by default). The headline is the query, so it must not be found through
  # the title: lexical search reads the text only (`--fields text`), and the vectors, which
  # read a passage's title first, are made from a copy of ANT whose titles are emptied.
  if [ -n "${KNOWN_ITEM:-}" ]; then
    bare=$work/ant-no-titles
    [ -e "$bare.done" ] || python3 - "$shared/corpora/ant-v2.1" "$bare" <<'PY'
import os, re, sys
src, dst = sys.argv[1], sys.argv[2]
for root, _, files in os.walk(src):
    for name in files:
        if name.endswith(".txt"):
            path = os.path.join(root, name)
            copy = os.path.join(dst, os.path.relpath(path, src))
            os.makedirs(os.path.dirname(copy), exist_ok=True)
            with open(path, "rb") as f:
                text = f.read()
            with open(copy, "wb") as f:
                f.write(re.sub(rb"<TITLE>.*?</TITLE>", b"<TITLE></TITLE>", text, flags=re.S))
open(dst + ".done", "w").close()
PY
    known=$work/ant-known-item-$cap
    [ -e "$known" ] || "$bin" index "$bare" --index "$known" "${settings[@]}" --quiet
    embed "$known"
    for mode in lexical semantic hybrid; do
      if [ $mode = hybrid ]; then ws=$weights; else ws=0.4; fi
      for w in $ws; do
        measure ant-known-item "$known" "$bare" "$eval_dir/ant-known-item/queries.tsv" \
          "$eval_dir/ant-known-item/qrels.txt" mrr_10 --fields text --mode $mode --semantic-weight "$w"
      done
    done
  fi
} | column -t -s $'\t'
