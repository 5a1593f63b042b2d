"""Near-duplicate passages across reports: MinHash over paragraphs, verified exactly.

Each paragraph of at least ``min_chars`` Chinese characters becomes a set of character
5-grams (Han letters and digits only, folded, so punctuation, spacing and Traditional
forms do not hide a copy). MinHash LSH (datasketch) proposes candidate pairs from
different reports; each is verified with the exact Jaccard similarity.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._normalize import fold

__all__ = ["CopiedPassage", "find_copies", "paragraph_spans"]

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


def _shingles(text: str, k: int = 5) -> set[str]:
    s = _KEEP.sub("", fold(text))
    return {s[i:i + k] for i in range(max(1, len(s) - k + 1))}


def find_copies(
    docs: Sequence[tuple[str, str]],
    reference: Sequence[tuple[str, str]] = (),
    *,
    threshold: float = 0.6,
    min_chars: int = 30,
    num_perm: int = 64,
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

    A paragraph that nearly matches paragraphs of half the batch or more (at least 4
    reports) is a shared template line, not a copy, and is left out.
    """
    from datasketch import MinHash, MinHashLSH

    items = []  # (doc index, is_reference, start, end, shingles)
    all_docs = [(d, t, False) for d, t in docs] + [(d, t, True) for d, t in reference]
    for di, (_doc, text, is_ref) in enumerate(all_docs):
        for a, b in paragraph_spans(text, min_chars):
            items.append((di, is_ref, a, b, _shingles(text[a:b])))
    lsh = MinHashLSH(threshold=max(0.3, threshold - 0.2), num_perm=num_perm)
    # one set of permutations for all paragraphs; CRC-32 as the (deterministic, C-speed) hash
    hashes = MinHash.bulk([[s.encode("utf-8") for s in it[4]] for it in items], num_perm=num_perm, seed=1,
                          hashfunc=zlib.crc32) if items else []
    for k, m in enumerate(hashes):
        lsh.insert(k, m)
    n_docs = len(docs)
    common: set[int] = set()
    if n_docs >= 4:
        for k, m in enumerate(hashes):
            owners = {items[j][0] for j in lsh.query(m) if not items[j][1]}
            if len(owners) >= max(4, n_docs // 2):
                common.add(k)
    out = []
    seen = set()
    for k, m in enumerate(hashes):
        if k in common:
            continue
        di, ref_i, a, b, sh = items[k]
        for j in lsh.query(m):
            dj, ref_j, a2, b2, sh2 = items[j]
            if j in common or dj == di or (ref_i and ref_j) or (k, j) in seen or (j, k) in seen:
                continue
            seen.add((k, j))
            sim = len(sh & sh2) / len(sh | sh2)
            if sim < threshold:
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
