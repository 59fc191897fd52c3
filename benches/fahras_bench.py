"""Helpers shared by the benchmark scripts that search a real index with the release binary
(typos.sh, latin.sh, variants.sh)."""
import json, os, statistics, subprocess, tempfile, unicodedata

FOLD = {'آ': 'ا', 'أ': 'ا', 'إ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ة': 'ه', 'ؤ': 'ء', 'ئ': 'ء', 'ک': 'ك'}


def norm(word):
    """The normalizer's letter folds, enough for the words of the labelled lists."""
    return ''.join(FOLD.get(c, c) for c in unicodedata.normalize("NFKC", word)
                   if not ('\u064b' <= c <= '\u065f' or c in '\u0670\u0640'))


def labelled_rows(path):
    """The tab-separated rows of a labelled list in tests/ (comments and blank lines skipped)."""
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f
                if not line.startswith("#") and line.strip()]


class Fahras:
    def __init__(self, binary, index):
        self.binary, self.index = binary, index

    def search(self, *args, stdin=None):
        """The JSON lines of `fahras search --format json ARGS…`, parsed."""
        out = subprocess.run([self.binary, "search", "--index", self.index, "--format", "json", *args],
                             input=stdin, capture_output=True, text=True, check=True).stdout
        return [json.loads(line) for line in out.strip().split("\n") if line]

    def took(self, query):
        """The search time one fresh process reports for `query`."""
        return self.search(query)[-1]["took_ms"]

    def repeated(self, query):
        """The median search time of `query` repeated 20 times in one process (after a first)."""
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
            f.writelines(f"{i}\t{query}\n" for i in range(21))
        try:
            runs = [d["took_ms"] for d in self.search("--limit", "10", "--queries", f.name)
                    if "total_hits" in d]
        finally:
            os.unlink(f.name)
        return statistics.median(runs[1:])

    def compare_latency(self, pairs, label="one-shot"):
        """For each (query, baseline): median of 20 one-shot runs of each, taking turns, then
        the same repeated in one process."""
        for query, baseline in pairs:
            cold = {query: [], baseline: []}
            for _ in range(20):
                for q in cold:
                    cold[q].append(self.took(q))
            a, b = statistics.median(cold[query]), statistics.median(cold[baseline])
            print(f"{query} / {baseline}: {label} {a:.2f} / {b:.2f} ms (+{a - b:.2f}),"
                  f" repeated {self.repeated(query):.2f} / {self.repeated(baseline):.2f} ms")
