"""Near-duplicate passages across reports: MinHash over paragraphs, verified exactly.

Each paragraph of at least ``min_chars`` Chinese characters becomes a set of character
5-grams (Han letters and digits only, folded, so punctuation, spacing and Traditional
forms do not hide a copy). MinHash signatures with banded LSH propose candidate pairs from
different reports; each is verified with the exact Jaccard similarity of the 5-gram sets.

The signatures are computed for all paragraphs of a batch at once in NumPy (a rolling
polynomial hash of each 5-gram, 96 multiply-shift hash functions, 32 bands of 3 rows: a pair
with Jaccard 0.6 becomes a candidate with probability 0.9996, one with 0.05 with 0.004).
datasketch did the same one paragraph object at a time, which cost more than the rest of
screening's serial work together; the exact verification makes the candidate step's
randomness invisible in the results.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ._normalize import fold

__all__ = ["CopiedPassage", "find_copies", "paragraph_items", "paragraph_spans"]

_KEEP = re.compile(r"[^\u3400-\u9fff0-9A-Za-z]+")


@dataclass(frozen=True)
class CopiedPassage:
    """A paragraph of report ``a`` that nearly matches a paragraph of report ``b``."""

    a: str
    a_start: int
    a_end: int
    b: str
    b_start: int
    b_end: int
    similarity: float


def paragraph_spans(text: str, min_chars: int = 20) -> list[tuple[int, int]]:
    """Spans of the non-blank lines with at least ``min_chars`` letters."""
    spans, pos = [], 0
    for line in text.split("\n"):
        a = pos + len(line) - len(line.lstrip())
        b = pos + len(line.rstrip())
        if len(_KEEP.sub("", line)) >= min_chars:
            spans.append((a, b))
        pos += len(line) + 1
    return spans


_MASK = np.uint64((1 << 31) - 1)
_NUM_PERM, _BANDS = 96, 32
_rng = np.random.default_rng(20240601)
_A = _rng.integers(1, 1 << 63, _NUM_PERM, dtype=np.uint64) | np.uint64(1)  # odd multipliers
_B = _rng.integers(0, 1 << 63, _NUM_PERM, dtype=np.uint64)
_SHIFT = np.uint64(32)
_BASE = np.uint64(1_000_003)


def _shingles(text: str, k: int = 5) -> np.ndarray:
    """Sorted unique 31-bit hashes of the character ``k``-grams of ``text`` (letters only, folded)."""
    s = _KEEP.sub("", fold(text))
    codes = np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) == 0:
        return np.zeros(0, np.uint32)
    k = min(k, len(codes))
    h = np.zeros(len(codes) - k + 1, dtype=np.uint64)
    for j in range(k):  # polynomial hash modulo 2**64 (wrap-around is intended)
        h = h * _BASE + codes[j:len(codes) - k + 1 + j]
    return np.unique(((h ^ (h >> np.uint64(29))) & _MASK).astype(np.uint32))  # 31-bit values: half the bytes


def _signatures(sets: list[np.ndarray]) -> np.ndarray:
    """MinHash signatures, shape (len(sets), _NUM_PERM); every set must be non-empty."""
    allh = np.concatenate(sets).astype(np.uint64)
    starts = np.concatenate([[0], np.cumsum([len(x) for x in sets[:-1]])]).astype(np.int64)
    sig = np.empty((len(sets), _NUM_PERM), dtype=np.uint32)  # 32-bit hash values
    for c in range(0, _NUM_PERM, 8):  # 8 hash functions at a time bounds the memory
        # multiply-shift hashing (Dietzfelbinger): the top 32 bits of a*x + b modulo 2**64
        vals = (allh[:, None] * _A[None, c:c + 8] + _B[None, c:c + 8]) >> _SHIFT
        sig[:, c:c + 8] = np.minimum.reduceat(vals, starts, axis=0)
    return sig


def _candidates(sig: np.ndarray) -> list[set[int]]:
    """For each row, the other rows that share at least one band of the signature."""
    rows = _NUM_PERM // _BANDS
    near: list[set[int]] = [set() for _ in range(len(sig))]
    for band in range(_BANDS):
        block = sig[:, band * rows:(band + 1) * rows]
        key = np.zeros(len(sig), dtype=np.uint64)
        for k in range(rows):  # the band's values mixed into one key (a collision only costs a check)
            key = key * np.uint64(0x9E3779B97F4A7C15) + block[:, k]
        order = np.argsort(key, kind="stable")
        sk = key[order]
        same = np.flatnonzero(sk[1:] == sk[:-1])  # positions whose key equals the next one
        if not len(same):
            continue
        # runs of equal keys: start where the previous position is not in `same`
        starts = same[np.r_[True, np.diff(same) > 1]]
        ends = same[np.r_[np.diff(same) > 1, True]] + 2
        for a, b in zip(starts.tolist(), ends.tolist()):
            members = order[a:b].tolist()
            for m in members:
                near[m].update(members)
    for i, s in enumerate(near):
        s.discard(i)
    return near


def paragraph_items(text: str, min_chars: int = 30) -> list[tuple[int, int, np.ndarray]]:
    """``(start, end, MinHash signature)`` of each comparable paragraph of ``text``.

    Computed per report (in the worker processes when screening runs with jobs > 1) and
    handed to :func:`find_copies` as ``paragraphs``: 384 bytes a paragraph, whatever its
    length (the 5-gram sets are rebuilt from the text only for the few candidate pairs).
    """
    spans, sets = [], []
    for a, b in paragraph_spans(text, min_chars):
        sh = _shingles(text[a:b])
        if len(sh):
            spans.append((a, b))
            sets.append(sh)
    if not sets:
        return []
    return [(a, b, sig) for (a, b), sig in zip(spans, _signatures(sets))]


def find_copies(
    docs: Sequence[tuple[str, str | None]],
    reference: Sequence[tuple[str, str | None]] = (),
    *,
    threshold: float = 0.6,
    min_chars: int = 30,
    paragraphs: Sequence[list[tuple[int, int, np.ndarray]]] | None = None,
    text_of: Callable[[int], str] | None = None,
) -> list[CopiedPassage]:
    """Pairs of nearly identical paragraphs between different documents.

    Parameters
    ----------
    docs : sequence of (id, text)
        The batch; pairs within it are reported in both directions' order of ``docs``.
    reference : sequence of (id, text)
        Earlier reports (e.g. last year's); pairs between a batch report and a reference
        report are reported with the batch report as ``a``. Reference-to-reference pairs
        are ignored.
    threshold : float
        Minimum Jaccard similarity of the 5-gram sets.
    min_chars : int
        Paragraphs with fewer letters (headings, a shared disclaimer line) are not compared.
    paragraphs : sequence, optional
        :func:`paragraph_items` of the documents (``docs`` then ``reference``, same
        ``min_chars``), if already computed.
    text_of : callable, optional
        ``text_of(i)`` gives the text of document ``i`` (``docs`` then ``reference``) where
        its text is given as None: screening keeps the texts on disk, not in memory.

    A paragraph that nearly matches paragraphs of half the batch or more (at least 4
    reports) is a shared template line, not a copy, and is left out.
    """
    all_docs = [(d, t, False) for d, t in docs] + [(d, t, True) for d, t in reference]
    known = list(paragraphs) if paragraphs is not None else []

    def text(di: int) -> str:
        t = all_docs[di][1]
        return t if t is not None or text_of is None else text_of(di)

    items = []  # (doc index, is_reference, start, end, signature)
    for di, (_doc, _text, is_ref) in enumerate(all_docs):
        parts = known[di] if di < len(known) else paragraph_items(text(di), min_chars)
        items += [(di, is_ref, a, b, sig) for a, b, sig in parts]
    if not items:
        return []
    near = _candidates(np.vstack([it[4] for it in items]))
    shingles: dict[int, np.ndarray] = {}  # the 5-gram sets of candidate paragraphs only

    def shingles_of(k: int) -> np.ndarray:
        if k not in shingles:
            di, _ref, a, b, _sig = items[k]
            shingles[k] = _shingles(text(di)[a:b])
        return shingles[k]

    sims: dict[tuple[int, int], float] = {}  # exact Jaccard of every candidate pair (k < j)
    for k in range(len(items)):
        for j in sorted(near[k]):
            if j > k:
                sh, sh2 = shingles_of(k), shingles_of(j)
                inter = len(np.intersect1d(sh, sh2, assume_unique=True))
                sims[k, j] = inter / (len(sh) + len(sh2) - inter)
        shingles.pop(k, None)  # every pair with k is done
    n_docs = len(docs)
    common: set[int] = set()
    if n_docs >= 4:
        # a shared template line: near-identical (verified, not just proposed) in many reports
        similar = max(0.3, threshold - 0.2)
        owners: list[set[int]] = [{it[0]} if not it[1] else set() for it in items]
        for (k, j), sim in sims.items():
            if sim >= similar:
                if not items[j][1]:
                    owners[k].add(items[j][0])
                if not items[k][1]:
                    owners[j].add(items[k][0])
        common = {k for k, o in enumerate(owners) if len(o) >= max(4, n_docs // 2)}
    out = []
    for (k, j), sim in sorted(sims.items()):
        di, ref_i = items[k][0], items[k][1]
        dj, ref_j = items[j][0], items[j][1]
        if k in common or j in common or dj == di or (ref_i and ref_j) or sim < threshold:
            continue
        first, second = (items[k], items[j]) if (not ref_i and (ref_j or di < dj)) else (items[j], items[k])
        out.append(CopiedPassage(all_docs[first[0]][0], first[2], first[3],
                                 all_docs[second[0]][0], second[2], second[3], round(float(sim), 3)))
    out.sort(key=lambda p: (p.a, p.a_start, p.b, p.b_start))
    return out


def copied_share(doc_id: str, text: str, passages: Sequence[CopiedPassage]) -> float:
    """Share of ``text``'s paragraph characters that take part in a copied pair."""
    spans = paragraph_spans(text)
    total = sum(b - a for a, b in spans)
    if not total:
        return 0.0
    mask = np.zeros(len(text), dtype=bool)
    for p in passages:
        if p.a == doc_id:
            mask[p.a_start:p.a_end] = True
        if p.b == doc_id:
            mask[p.b_start:p.b_end] = True
    return float(mask.sum()) / total
