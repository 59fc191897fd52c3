#!/usr/bin/env bash
# How cost grows with the archive: a synthetic archive of SCALE (default 10) times ANT, built by
# a documented, deterministic recombination of ANT's real paragraphs, indexed and searched beside
# the 1x slice. Everything is generated in a temporary folder and removed afterwards.
#
# Recombination: copy k (0 <= k < SCALE) of ANT article i keeps its title and its number of
# paragraphs; its paragraph j is paragraph (j mod n) of ANT article (i + k * (31 * j + 7)) mod N,
# where N is the number of articles and n the paragraph count of the article it is taken from.
# Copy 0 is ANT itself. Ids become SYN<k>-<DOCNO> and dates move k years later, so vocabulary
# statistics stay those of real news while every article is new.
#   benches/scale.sh [SCALE]
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-10}
shared=${FAHRAS_SHARED:-../shared}
work=$(mktemp -d /tmp/fahras-scale.XXXXXX)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bin=$PWD/target/release/fahras

python3 - "$shared/corpora/ant-v2.1" "$work/corpus" "$scale" <<'PY'
import os, re, sys, email.utils, datetime
src, out, scale = sys.argv[1], sys.argv[2], int(sys.argv[3])
arts = []
for d, _, files in sorted(os.walk(src)):
    for f in sorted(files):
        if not f.endswith(".txt"):
            continue
        s = open(os.path.join(d, f), encoding="utf-8").read()
        g = lambda t: (re.search(rf"<{t}>(.*?)</{t}>", s, re.S) or [None, ""])[1].strip()
        paras = [p.strip() for p in g("TEXT").split("\n") if p.strip()]
        if paras:
            arts.append((g("DOCNO"), g("TITLE"), g("TIME"), g("SRC"), paras))
n = len(arts)
esc = lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
for k in range(scale):
    folder = os.path.join(out, f"copy{k:02d}")
    os.makedirs(folder)
    for start in range(0, n, 500):
        with open(os.path.join(folder, f"part{start // 500:04d}.sgml"), "w", encoding="utf-8") as fh:
            for i in range(start, min(n, start + 500)):
                docno, title, time, source, paras = arts[i]
                body = []
                for j in range(len(paras)):
                    other = arts[(i + k * (31 * j + 7)) % n][4]
                    body.append(other[j % len(other)])
                try:
                    date = email.utils.parsedate_to_datetime(time)
                    date = date.replace(year=date.year + k).strftime("%Y-%m-%d %H:%M:%S")
                except Exception:
                    date = ""
                fh.write(f"<DOC>\n<DOCNO>SYN{k}-{docno}</DOCNO>\n<SRC>{source}</SRC>\n<TITLE>{esc(title)}</TITLE>\n<TIME>{date}</TIME>\n<TEXT>\n")
                fh.write("\n".join(esc(p) for p in body))
                fh.write("\n</TEXT>\n</DOC>\n")
PY

measure_index() { # label corpus-dirs... -> prints a row, leaves the index in $work/index-<label>
  local label=$1; shift
  local index=$work/index-$label
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin" index "$@" --index "$index" --quiet
  read -r secs kb < "$work/time"
  local mb; mb=$(du -cb "$@" | tail -1 | cut -f1)
  local size; size=$(du -sb "$index" | cut -f1)
  local articles; articles=$("$bin" stats --index "$index" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["articles"])')
  echo "$label $secs $kb $mb $size $articles" >> "$work/rows"
}
measure_index 1x "$work/corpus/copy00"
measure_index "${scale}x" "$work"/corpus/copy*
for label in 1x "${scale}x"; do
  FAHRAS_BENCH_INDEX=$work/index-$label cargo bench --quiet --bench search_latency 2>/dev/null |
    awk -v l="$label" '/with highlighting|newest first/ {print l, $0}' >> "$work/latency"
done
python3 - "$work/rows" "$work/latency" <<'PY'
import sys, re
rows = [l.split() for l in open(sys.argv[1])]
lat, newest = {}, {}
for l in open(sys.argv[2]):
    (newest if "newest first" in l else lat)[l.split()[0]] = l
print(f"{'archive':<8} {'articles':>9} {'text MB':>8} {'index s':>8} {'MB/s':>6} {'peak MB':>8} {'index MB':>9} {'index MB per text MB':>21}  query latency (with highlighting)")
for label, secs, kb, mb, size, arts in rows:
    secs, mb, size = float(secs), int(mb) / 1e6, int(size) / 1e6
    q = re.sub(r"^\S+\s+with highlighting\s*:\s*", "", lat.get(label, "").strip())
    print(f"{label:<8} {int(arts):>9} {mb:>8.0f} {secs:>8.1f} {mb / secs:>6.1f} {int(kb) / 1024:>8.0f} {size:>9.0f} {size / mb:>21.2f}  {q}")
    d = re.sub(r"^\S+\s+newest first\s*:\s*", "", newest.get(label, "").strip())
    print(f"{'':<8} {'':>9} {'':>8} {'':>8} {'':>6} {'':>8} {'':>9} {'':>21}  newest first: {d}")
(l1, s1, *_), (l2, s2, *_) = rows[0], rows[1]
a1, a2 = int(rows[0][5]), int(rows[1][5])
print(f"time ratio {l2}/{l1}: {float(s2) / float(s1):.2f} for {a2 / a1:.2f}x the articles")
PY
