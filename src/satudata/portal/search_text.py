"""Words for the search index: split, lowercase and stem Indonesian text with Sastrawi.

The same function turns a dataset's text and a searcher's query into terms, and it runs in
Python on both databases: SQLite's FTS5 and PostgreSQL's tsvector only ever see the stems,
so "pendidikan" (query) meets "didik" (text) and both backends find the same datasets.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

# Anything that is not a letter or digit separates words ("anak-anak", "1.02.01", "e-KTP").
_SPLIT = re.compile(r"[\W_]+", re.UNICODE)

# Words too common to narrow a search: dropped from queries (an all-stopword query searches
# nothing rather than everything that says "dan"). A short list on purpose: Sastrawi's own
# list also drops words such as "jumlah" or "tahun" that people do search for.
STOPWORDS = frozenset(
    {"yang", "di", "ke", "dari", "dan", "atau", "untuk", "dengan", "pada", "per", "dalam"}
    | {"oleh", "bagi", "serta", "the", "of", "and", "in", "by", "for"}
)

# Words longer than this are not words (hashes, pasted URLs): kept as they are, unstemmed.
_LONGEST_WORD = 40


@cache
def _stemmer() -> Any:
    # Building the stemmer loads Sastrawi's dictionary: once per process.
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Sastrawi root of one lowercase word ("pendidikan" -> "didik"); numbers unchanged."""
    if not word.isalpha() or len(word) > _LONGEST_WORD:
        return word
    return _stemmer().stem(word) or word


def words(text: str) -> list[str]:
    """The lowercase words of a text, in order."""
    return [w for w in _SPLIT.split(text.lower()) if w]


def stemmed(text: str) -> str:
    """The text as space-separated stems: what the index holds."""
    return " ".join(stem(w) for w in words(text))


def query_terms(q: str) -> list[str]:
    """The distinct stems a query asks for, stopwords left out, in the order typed."""
    terms: list[str] = []
    for word in words(q):
        if word in STOPWORDS:
            continue
        term = stem(word)
        if term not in terms:
            terms.append(term)
    return terms
