#!/usr/bin/env bash
# Hostile input shapes that used to be quadratic, each at two sizes (the second 4x the first),
# with the time ratio: about 4 when the cost is linear, about 16 when it is quadratic. Also the
# ingest throughput of one SGML file of 50,000 documents (about 21 MB, the shape of a large
# Gigaword file). A script, not a timed test: timings on a shared machine are for reading, not
# for asserting. Each run is repeated (REPEAT, default 3) and the one with the least CPU time
# (user + system of the fahras process, less disturbed by other load than wall time) is kept,
# its wall time beside it. Everything is generated in a temporary folder and removed afterwards.
#   benches/hostile.sh            (uses $CARGO_TARGET_DIR or target/)
#   FAHRAS_BIN=/path/to/fahras SIZES=3000,25000,5000 REPEAT=1 THROUGHPUT=0 benches/hostile.sh
#                                 (another binary, e.g. an older build, at smaller first sizes,
#                                 without the throughput run)
#
# Shapes:
#   sgml_documents  fahras index on one SGML file of N small ANT-like documents (line numbers)
#   sgml_brackets   fahras index on one document whose TEXT holds N '<' without '>' (strip_tags)
#   joiners         fahras analyze on 'ب' + N x U+200D + 'ت' (the tokenizer; the highlighter
#                   cuts text with the same code)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${FAHRAS_BIN:-}" ]; then
  cargo build --release --quiet
fi
bin=${FAHRAS_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/release/fahras}
work=$(mktemp -d /tmp/fahras-hostile.XXXXXX)
trap 'rm -rf "$work"' EXIT

python3 - "$bin" "$work" <<'PY'
import os, resource, subprocess, sys, time

bin, work = sys.argv[1], sys.argv[2]
REPEAT = int(os.environ.get("REPEAT", "3"))
LINE = "قال المتحدث باسم الحكومة إن المفاوضات ستستمر حتى التوصل إلى اتفاق شامل ينهي الأزمة"


def sgml_documents(n):
    parts = []
    for i in range(n):
        parts.append(
            f"<DOC>\n<DOCNO>HOSTILE-{i}</DOCNO>\n<SRC>BENCH</SRC>\n<TITLE>خبر رقم {i}</TITLE>\n"
            f"<TIME>Tue, 20 Feb 2018 01:44:01 GMT</TIME>\n<TEXT>\n{LINE} {i}.\n{LINE}.\n</TEXT>\n</DOC>\n"
        )
    return "".join(parts)


def sgml_brackets(n):
    return f"<DOC>\n<DOCNO>B</DOCNO>\n<TEXT>\nقبل {'<' * n} بعد\n</TEXT>\n</DOC>\n"


def timed(args, **kwargs):
    """(cpu seconds, wall seconds) of the least-CPU run out of REPEAT."""
    best = None
    for _ in range(REPEAT):
        if "stdin" in kwargs:
            kwargs["stdin"].seek(0)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(args, check=True, **kwargs)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if best is None or cpu < best[0]:
            best = (cpu, wall)
    return best


def run_index(name, text):
    folder = os.path.join(work, name)
    os.makedirs(os.path.join(folder, "corpus"))
    with open(os.path.join(folder, "corpus", "file.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    index = os.path.join(folder, "index")
    # Each run builds the index afresh.
    script = 'rm -rf "$1" && exec "$2" index "$3" --index "$1" --quiet'
    return timed(["sh", "-c", script, "sh", index, bin, os.path.join(folder, "corpus")])


def run_analyze(text):
    path = os.path.join(work, "analyze-input.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    with open(path, "rb") as stdin:
        return timed([bin, "analyze", "--analyzer", "exact", "-"], stdin=stdin,
                     stdout=subprocess.DEVNULL)


sizes = [int(x) for x in os.environ.get("SIZES", "12500,1000000,500000").split(",")]
shapes = [
    ("sgml_documents", sizes[0], lambda n: run_index(f"docs{n}", sgml_documents(n))),
    ("sgml_brackets", sizes[1], lambda n: run_index(f"brackets{n}", sgml_brackets(n))),
    ("joiners", sizes[2], lambda n: run_analyze("ب" + "\u200d" * n + "ت")),
]
print(f"{'shape':<16} {'n':>9} {'cpu s':>7} {'wall s':>7} {'4n':>9} {'cpu s':>7} {'wall s':>7} "
      f"{'cpu ratio':>9}")
for name, n, run in shapes:
    small = run(n)
    large = run(4 * n)
    print(f"{name:<16} {n:>9} {small[0]:>7.3f} {small[1]:>7.3f} {4 * n:>9} {large[0]:>7.3f} "
          f"{large[1]:>7.3f} {large[0] / small[0]:>9.1f}")

if os.environ.get("THROUGHPUT", "1") == "0":
    sys.exit(0)
n = 50_000
text = sgml_documents(n)
size = len(text.encode())
cpu, wall = run_index("throughput", text)
print(
    f"\ningest throughput: {n} documents, {size / 1e6:.1f} MB in one SGML file: {wall:.2f} s wall "
    f"({cpu:.2f} s CPU), {n / wall:,.0f} documents/s, {size / 1e6 / wall:.1f} MB/s"
)
PY
