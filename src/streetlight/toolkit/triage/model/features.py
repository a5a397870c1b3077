"""Text to features: input checks, normalisation, tokens, word n-grams, hashed character n-grams, TF-IDF.

The feature space is fitted once (`_Vectorizer.fit`), then turns a batch of texts into a sparse
TF-IDF matrix, working on the whole batch in numpy rather than text by text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np
import numpy.typing as npt
from scipy import sparse

MAX_TEXT_CHARS = 100_000
"""Longer texts are classified on their first MAX_TEXT_CHARS characters (a report is a few hundred)."""

_CHUNK_TEXTS = 4096
_CHUNK_CHARS = 4_000_000

_TOKEN = re.compile(r"\w+")
_U64 = np.uint64
_POLY = _U64(1_000_003)
_MIX1 = _U64(0xFF51AFD7ED558CCD)
_MIX2 = _U64(0xC4CEB9FE1A85EC53)
_GOLDEN = 0x9E3779B97F4A7C15


def normalize_text(text: str) -> str:
    """Case-folded, accents stripped ("Élève" → "eleve", "Straße" → "strasse").

    The same word typed with or without accents, or in capitals on a phone, is one feature, in
    every shipped language; ASCII text (most of it) skips the Unicode decomposition.
    """
    text = text.casefold()
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def tokenize(text: str) -> list[str]:
    """Words of a normalised text: runs of Unicode letters, digits and underscores."""
    return _TOKEN.findall(normalize_text(text[:MAX_TEXT_CHARS]))


def _word_ngrams(tokens: list[str], ngrams: tuple[int, int]) -> list[str]:
    low, high = ngrams
    grams = list(tokens) if low <= 1 else []
    for n in range(max(low, 2), high + 1):
        grams += map(" ".join, zip(*(tokens[k:] for k in range(n)), strict=False))
    return grams


def _count_pairs(rows: npt.NDArray[np.intp], cols: npt.NDArray[np.intp], shape: tuple[int, int]) -> sparse.csr_matrix:
    """CSR matrix counting each (row, col) pair: one sort of packed keys.

    Ten times faster than letting scipy's COO → CSR conversion sum the duplicates, which sorts
    every row's indices separately; and the result is already in canonical (sorted) form.
    """
    keys = rows.astype(np.int64) * shape[1] + cols
    keys.sort()
    first = np.ones(keys.size, dtype=bool)
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, keys.size)).astype(np.float64)
    unique = keys[starts]
    indptr = np.zeros(shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(unique // shape[1], minlength=shape[0]), out=indptr[1:])
    matrix = sparse.csr_matrix((counts, unique % shape[1], indptr), shape=shape)
    matrix.has_canonical_format = True
    return matrix


def _char_hashes(
    docs_tokens: list[list[str]], ngrams: tuple[int, int], bits: int
) -> Iterator[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]]:
    """(document index, hash bucket) of every character n-gram, for a whole batch in numpy.

    Character n-grams are taken inside words padded with one space (scikit-learn's "char_wb"), so
    "bike" gives " b", "bi", ..., "ke", "e " for n = 2. Slicing and hashing them per text in Python
    takes about 70 µs for a 120-character report, more than the whole budget at 20,000 texts/s; here
    the batch is one array of code points, each n-gram is a polynomial hash of a window, and windows
    that cross a word or text boundary are masked out.
    """
    joined = "\x00".join(" " + " ".join(tokens) + " " if tokens else "" for tokens in docs_tokens)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(_U64)
    is_sep = np.concatenate(([0], np.cumsum(codes == 0)))
    is_space = np.concatenate(([0], np.cumsum(codes == 32)))
    shift = _U64(64 - bits)
    for n in range(ngrams[0], ngrams[1] + 1):
        m = len(codes) - n + 1
        if m <= 0:
            continue
        h = codes[:m].copy()
        for k in range(1, n):
            h *= _POLY
            h += codes[k : k + m]
        ok = is_sep[n : n + m] == is_sep[:m]  # no text boundary inside the window
        if n > 2:
            ok &= is_space[n - 1 : n - 1 + m] == is_space[1 : 1 + m]  # spaces only at the window's ends
        h ^= _U64((n * _GOLDEN) & 0xFFFFFFFFFFFFFFFF)
        h ^= h >> _U64(33)
        h *= _MIX1
        h ^= h >> _U64(33)
        h *= _MIX2
        h ^= h >> _U64(33)
        pos = np.flatnonzero(ok)
        yield is_sep[pos].astype(np.intp), (h[pos] >> shift).astype(np.intp)


def _batches(lengths: Sequence[int]) -> Iterator[slice]:
    """Bounded batches, so a million texts (or a few huge ones) never build one giant array."""
    start, total = 0, 0
    for i, length in enumerate(lengths):
        total += min(length, MAX_TEXT_CHARS)
        if i + 1 - start >= _CHUNK_TEXTS or total >= _CHUNK_CHARS:
            yield slice(start, i + 1)
            start, total = i + 1, 0
    if start < len(lengths):
        yield slice(start, len(lengths))


@dataclass
class _Vectorizer:
    """The fitted feature space: word n-gram vocabulary + kept character n-gram hash buckets + idf."""

    words: dict[str, int]
    char_buckets: npt.NDArray[np.uint32]  # sorted; column = len(words) + position
    idf: npt.NDArray[np.float32]
    word_ngrams: tuple[int, int]
    char_ngrams: tuple[int, int] | None
    hash_bits: int

    def __post_init__(self) -> None:
        self._table: npt.NDArray[np.int32] | None = None
        if self.char_ngrams is not None:
            table = np.full(1 << self.hash_bits, -1, dtype=np.int32)
            table[self.char_buckets.astype(np.intp)] = np.arange(len(self.char_buckets), dtype=np.int32) + len(
                self.words
            )
            self._table = table

    @property
    def n_features(self) -> int:
        return len(self.words) + len(self.char_buckets)

    @classmethod
    def fit(
        cls,
        docs_tokens: list[list[str]],
        *,
        word_ngrams: tuple[int, int],
        char_ngrams: tuple[int, int] | None,
        hash_bits: int,
        min_df: int,
    ) -> _Vectorizer:
        df: Counter[str] = Counter()
        for tokens in docs_tokens:
            df.update(set(_word_ngrams(tokens, word_ngrams)))
        words = {w: i for i, w in enumerate(sorted(w for w, c in df.items() if c >= min_df))}
        buckets = np.zeros(0, dtype=np.uint32)
        if char_ngrams is not None:
            lengths = [sum(map(len, tokens)) + len(tokens) for tokens in docs_tokens]
            pairs = [
                (batch.start + d) * (1 << hash_bits) + b
                for batch in _batches(lengths)
                for d, b in _char_hashes(docs_tokens[batch], char_ngrams, hash_bits)
            ]
            if pairs:
                unique_pairs = np.unique(np.concatenate(pairs))  # one entry per (text, bucket)
                kept, counts = np.unique(unique_pairs % (1 << hash_bits), return_counts=True)
                buckets = kept[counts >= min_df].astype(np.uint32)
        return cls(words, buckets, np.ones(0, dtype=np.float32), word_ngrams, char_ngrams, hash_bits)

    def counts(self, docs_tokens: list[list[str]]) -> sparse.csr_matrix:
        """Raw n-gram counts, one row per text; n-grams outside the vocabulary are dropped."""
        n = len(docs_tokens)
        grams = [_word_ngrams(t, self.word_ngrams) for t in docs_tokens]
        lengths = np.fromiter(map(len, grams), dtype=np.intp, count=n)
        ids = np.fromiter(
            map(self.words.get, chain.from_iterable(grams), repeat(-1)), dtype=np.intp, count=int(lengths.sum())
        )
        known = ids >= 0
        rows = [np.repeat(np.arange(n, dtype=np.intp), lengths)[known]]
        cols = [ids[known]]
        if self._table is not None and self.char_ngrams is not None:
            for doc, bucket in _char_hashes(docs_tokens, self.char_ngrams, self.hash_bits):
                col = self._table[bucket]
                known = col >= 0
                rows.append(doc[known])
                cols.append(col[known].astype(np.intp))
        return _count_pairs(np.concatenate(rows), np.concatenate(cols), (n, self.n_features))

    def tfidf(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        """Sublinear TF × IDF, each block (words, characters) scaled to unit length on its own.

        Same arithmetic as scikit-learn's TfidfTransformer(sublinear_tf=True) per block (a test checks
        it), without its per-call validation: with scikit-learn's vectorizers one text takes about 1 ms
        end to end (docs/benchmarks.md), twice the budget. Scaling the blocks separately keeps the many
        character n-grams of a text from drowning its few word n-grams.
        """
        x = counts.astype(np.float64)
        x.data = (np.log(x.data) + 1.0) * self.idf[x.indices]
        rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
        group = rows * 2 + (x.indices >= len(self.words))
        norms = np.sqrt(np.bincount(group, weights=x.data * x.data, minlength=2 * x.shape[0]))
        x.data /= norms[group]
        return x


def _check_texts(texts: Sequence[str]) -> None:
    if isinstance(texts, str | bytes):
        raise ValueError("expected a list of texts, got a single string: wrap it in a list")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise ValueError(
                f"text {i} is {type(text).__name__}, not str: decode it first (e.g. data.decode('utf-8', 'replace'))"
            )


def _tokens(texts: Sequence[str]) -> list[list[str]]:
    return [_TOKEN.findall(normalize_text(t[:MAX_TEXT_CHARS])) for t in texts]
