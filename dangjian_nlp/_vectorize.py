"""NumPy-only feature extraction shared by training and inference.

The TF-IDF blocks reproduce scikit-learn's ``TfidfVectorizer`` (``analyzer="char"`` with
whitespace runs collapsed, and ``token_pattern=r"\\S+"`` word n-grams; ``sublinear_tf``,
``norm="l2"``, ``lowercase=False``) exactly, so a model fitted with scikit-learn is applied
without importing scikit-learn — which keeps a cold ``dangjian tag`` fast. A test checks
the equality against scikit-learn.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._normalize import fold
from .errors import InputError

__all__ = ["CharIndex", "DenseSpec", "Vectorizer", "WordIndex", "as_sentences", "char_tfidf_batch",
           "dense_features", "word_grams", "word_tfidf_batch", "word_tfidf_flat"]

_WS = re.compile(r"\s\s+")
_INNER_WS = re.compile(r"\s")
SECTION_KINDS = ("achievements", "problems", "causes", "plans", "other")


def _fold_each(texts: Sequence[str]) -> list[str]:
    """``[fold(t) for t in texts]`` in one call: the texts joined by newlines (quotes pair within
    a line, so each text folds as if alone), folded (length-preserving) and cut apart again."""
    if not texts:
        return []
    folded = fold("\n".join(texts))
    out, pos = [], 0
    for t in texts:
        out.append(folded[pos:pos + len(t)])
        pos += len(t) + 1
    return out


def word_grams(tokens: Sequence[str], lo: int, hi: int) -> list[str]:
    grams = list(tokens) if lo == 1 else []
    for k in range(max(lo, 2), min(hi, len(tokens)) + 1):
        grams += [" ".join(tokens[i:i + k]) for i in range(len(tokens) - k + 1)]
    return grams


def as_sentences(X: Any) -> tuple[list[str], list[str | None]]:
    """Texts and section kinds from a list of str, a Series, an array or a DataFrame.

    A DataFrame needs a ``text`` column and may have ``section_kind``.
    """
    if isinstance(X, str):
        raise InputError("Iterable of sentences expected, str received; wrap one sentence in a list")
    if type(X).__name__ == "_Frame":
        return list(X.texts), list(X.kinds)
    if type(X).__name__ == "DataFrame":
        if "text" not in X.columns:
            raise InputError(f"a DataFrame of sentences needs a 'text' column (columns: {list(X.columns)})")
        texts = [v if isinstance(v, str) else "" for v in X["text"]]
        kinds = list(X["section_kind"]) if "section_kind" in X.columns else [None] * len(texts)
        return texts, [k if isinstance(k, str) else None for k in kinds]
    arr = np.asarray(X, dtype=object)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise InputError(f"expected a 1-D sequence of sentences, got an array of shape {arr.shape}")
    texts = []
    for v in arr:
        if not isinstance(v, str):
            raise InputError(f"sentences must be str, got {type(v).__name__}: {v!r:.40}")
        texts.append(v)
    return texts, [None] * len(texts)


def _codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Code points of the texts joined by NUL, and the start offset of each text in them."""
    clean = [t.replace("\x00", "\x01") for t in texts]
    joined = "\x00".join(clean)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    starts = np.zeros(len(clean), dtype=np.int64)
    if clean:
        starts[1:] = np.cumsum([len(t) + 1 for t in clean[:-1]])
    return codes, starts


def _sorted_lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray) -> np.ndarray:
    """``values`` of ``query`` in the sorted ``keys``, ``-1`` where a query is not a key."""
    if not len(keys):
        return np.full(len(query), -1, np.int64)
    at = np.searchsorted(keys, query)
    at[at == len(keys)] = 0
    return np.where(keys[at] == query, values[at], -1)


class CharIndex:
    """Character n-gram vocabulary (n = 1..3) as integer look-up tables.

    Every character of the vocabulary gets a compact id; unigrams and bigrams are read
    from dense tables indexed by those ids, trigrams by binary search in sorted keys.
    """

    def __init__(self, terms: Sequence[str]) -> None:
        chars = sorted({ch for t in terms if 1 <= len(t) <= 3 for ch in t})
        self.n_chars = C = len(chars)
        cid = {ch: i for i, ch in enumerate(chars)}
        small = np.int16 if max(C, len(terms)) < 2 ** 15 else np.int32  # smaller tables stay in cache
        self.compact = np.full(0x110000, -1, dtype=small)
        self.compact[[ord(ch) for ch in chars]] = np.arange(C, dtype=small)
        keys: dict[int, tuple[list[int], list[int]]] = {1: ([], []), 2: ([], []), 3: ([], [])}
        for col, t in enumerate(terms):
            if 1 <= len(t) <= 3:
                key = 0
                for ch in t:
                    key = key * C + cid[ch]
                keys[len(t)][0].append(key)
                keys[len(t)][1].append(col)
        self.uni = np.full(C, -1, dtype=np.int64)
        self.uni[keys[1][0]] = keys[1][1]
        self.bi = np.full(C * C, -1, dtype=small)
        self.bi[keys[2][0]] = keys[2][1]
        tri_keys, tri_cols = keys[3]
        order = np.argsort(np.array(tri_keys, dtype=np.int64), kind="stable")
        self.tri_keys = np.array(tri_keys, dtype=np.int64)[order]
        self.tri_cols = np.array(tri_cols, dtype=np.int64)[order]

    def hits(self, c: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Start positions and columns of the vocabulary ``n``-grams in compact ids ``c``
        (``-1`` marks characters outside the vocabulary and the separators)."""
        L = len(c) - n + 1
        if L <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        ok = c[:L] >= 0
        for k in range(1, n):
            ok &= c[k:L + k] >= 0
        pos = np.flatnonzero(ok)
        C = self.n_chars
        if n == 1:
            cols = self.uni[c[pos]]
        elif n == 2:
            cols = self.bi[c[pos] * C + c[pos + 1]].astype(np.int64)
        else:
            cols = _sorted_lookup(self.tri_keys, self.tri_cols, (c[pos] * C + c[pos + 1]) * C + c[pos + 2])
        hit = cols >= 0
        return pos[hit], cols[hit]


class WordIndex:
    """Word n-gram vocabulary (terms are tokens joined by spaces) over integer token ids."""

    def __init__(self, terms: Sequence[str]) -> None:
        tokens: dict[str, int] = {}
        grams: dict[int, tuple[list[tuple[int, ...]], list[int]]] = {}
        for col, t in enumerate(terms):
            ids = tuple([tokens.setdefault(p, len(tokens)) for p in t.split(" ")])
            g = grams.setdefault(len(ids), ([], []))
            g[0].append(ids)
            g[1].append(col)
        self.base = max(1, len(tokens))
        self.lookup = {**tokens, "\x00": -2}  # token → id; -2 marks the separator of documents
        self.exact = self.base ** max(grams, default=0) < 2 ** 62  # integer keys do not overflow
        self.keys: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for n, (ids_list, cols) in grams.items():
            keys = np.zeros(len(ids_list) if self.exact else 0, dtype=np.int64)
            if self.exact:
                for k, part in enumerate(zip(*ids_list)):  # key = sum of id_k * base**(n-1-k)
                    keys += np.array(part, dtype=np.int64) * self.base ** (n - 1 - k)
            order = np.argsort(keys, kind="stable")
            self.keys[n] = (keys[order], np.array(cols, dtype=np.int64)[order] if self.exact else np.zeros(0))


def _pack(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int, idf: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Occurrences (row, col) → CSR parts of l2-normalised sublinear TF-IDF."""
    if len(rows) == 0:
        return np.zeros(n_rows + 1, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64)
    pair, counts = np.unique(rows.astype(np.int64) * n_cols + cols, return_counts=True)
    r, c = pair // n_cols, pair % n_cols
    val = (1.0 + np.log(counts)) * idf[c]
    norm = np.sqrt(np.bincount(r, weights=val * val, minlength=n_rows))
    val = val / norm[r]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(r, minlength=n_rows))]).astype(np.int64)
    return indptr, c.astype(np.int64), val


def char_tfidf_batch(texts: Sequence[str], lo: int, hi: int, index: CharIndex, idf: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """l2-normalised sublinear TF-IDF rows of character n-grams, for a whole batch at once.

    Equal to scikit-learn's ``TfidfVectorizer(analyzer="char")`` (tested)."""
    codes, _starts = _codes([_WS.sub(" ", t) for t in texts])
    sid = np.cumsum(codes == 0)  # sentence of each position (separators are never in the vocabulary)
    c = index.compact[codes.astype(np.int64)].astype(np.int64)
    rows, cols = [], []
    for n in range(lo, min(hi, 3) + 1):
        pos, col = index.hits(c, n)
        rows.append(sid[pos])
        cols.append(col)
    if not rows:
        return _pack(np.zeros(0, np.int64), np.zeros(0, np.int64), len(texts), len(idf), idf)
    return _pack(np.concatenate(rows), np.concatenate(cols), len(texts), len(idf), idf)


def word_tfidf_batch(docs: Sequence[Sequence[str]], vocab: dict[str, int], idf: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """l2-normalised sublinear TF-IDF rows of given n-gram lists (vectorised after the look-up)."""
    rows, cols = [], []
    get = vocab.get
    for i, grams in enumerate(docs):
        ids = [j for j in map(get, grams) if j is not None]
        cols.extend(ids)
        rows.extend([i] * len(ids))
    return _pack(np.asarray(rows, np.int64), np.asarray(cols, np.int64), len(docs), len(idf), idf)


def word_tfidf_flat(tokens: Sequence[str], n_docs: int, lo: int, hi: int, index: WordIndex, idf: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`word_tfidf_batch` of ``word_grams`` of each document, from the documents'
    tokens in one list with ``"\\x00"`` between documents (one dict look-up per token; the
    n-grams are found on integer keys)."""
    get = index.lookup.get
    ids = np.array([get(w, -1) for w in tokens], dtype=np.int64)
    sep = ids == -2
    ids[sep] = -1
    sid = np.cumsum(sep)
    rows, cols = [], []
    for n in range(lo, hi + 1):
        if n not in index.keys or len(ids) < n:
            continue
        keys, kcols = index.keys[n]
        L = len(ids) - n + 1
        ok = ids[:L] >= 0
        key = ids[:L].copy()
        for k in range(1, n):
            ok &= ids[k:L + k] >= 0
            key = key * index.base + ids[k:L + k]
        pos = np.flatnonzero(ok)
        col = _sorted_lookup(keys, kcols, key[pos])
        hit = col >= 0
        rows.append(sid[pos[hit]])
        cols.append(col[hit])
    if not rows:
        return _pack(np.zeros(0, np.int64), np.zeros(0, np.int64), n_docs, len(idf), idf)
    return _pack(np.concatenate(rows), np.concatenate(cols), n_docs, len(idf), idf)


class DenseSpec:
    """Column layout of the dense block: cue categories, taxonomy leaves, pattern families."""

    def __init__(self, taxonomy: str | None, families: Sequence[str]) -> None:
        self.automaton, self.flat, self.categories, self.leaves = _cue_automaton(taxonomy)
        self.families = list(families)
        from .patterns import STANCES

        self.stances = STANCES
        n_cue, n_tax = len(self.categories), len(self.leaves)
        self.off_tax = 2 * n_cue
        self.off_fam = self.off_tax + n_tax
        self.off_stance = self.off_fam + len(self.families)
        self.off_code = self.off_stance + len(STANCES)
        self.off_sec = self.off_code + n_tax
        self.off_len = self.off_sec + len(SECTION_KINDS)
        self.width = self.off_len + 3
        self.fam_index = {f: j for j, f in enumerate(self.families)}
        self.leaf_index = {c: j for j, c in enumerate(self.leaves)}
        self.layout = [f"cue:{c}" for c in self.categories] + [f"leaf:{c}" for c in self.leaves]


@functools.lru_cache(maxsize=8)
def _cue_automaton(taxonomy: str | None) -> tuple[Any, list[list[tuple[str, int]]], list[str], list[str]]:
    """Aho-Corasick over cue words and taxonomy cues; each pattern → [(block, column)]."""
    import ahocorasick_rs

    from .lexicon import load_lexicon
    from .taxonomy import load_taxonomy

    cues = load_lexicon("cues")
    categories = sorted({cues.categories[t] for t in cues.terms})
    tax = load_taxonomy(taxonomy)
    leaves = tax.leaves
    targets: dict[str, list[tuple[str, int]]] = {}
    for t in cues.terms:
        targets.setdefault(fold(t), []).append(("cue", categories.index(cues.categories[t])))
    for j, code in enumerate(leaves):
        node = tax[code]
        for term in (*node.cues, *node.expressions):
            if len(term) >= 2:
                targets.setdefault(re.sub(r"\s+", "", fold(term)), []).append(("taxonomy", j))
    keys = sorted(targets)
    automaton = ahocorasick_rs.AhoCorasick(keys, implementation=ahocorasick_rs.Implementation.DFA)  # fastest search
    return automaton, [targets[k] for k in keys], categories, leaves


def dense_features(texts: Sequence[str], kinds: Sequence[str | None], spec: DenseSpec,
                   flags: Sequence[Sequence[Any]] | None = None) -> np.ndarray:
    """The dense block (log1p of counts); ``flags`` are the sentences' pattern flags if known."""
    if flags is None:
        from .patterns import default_matcher

        flags = default_matcher().find_many(texts)
    n_cue = len(spec.categories)
    out = np.zeros((len(texts), spec.width), dtype=np.float64)
    joined_starts = np.zeros(len(texts), dtype=np.int64)
    if texts:
        joined_starts[1:] = np.cumsum([len(t) + 1 for t in texts[:-1]])
        joined = fold("\x00".join(t.replace("\x00", "\x01") for t in texts))
        matches = spec.automaton.find_matches_as_indexes(joined, overlapping=True)
        if matches:
            m = np.array(matches, dtype=np.int64)
            which = np.searchsorted(joined_starts, m[:, 1], side="right") - 1
            local = m[:, 1] - joined_starts[which]
            for (idx, _a, _b), i, a in zip(matches, which.tolist(), local.tolist()):
                for block, j in spec.flat[idx]:
                    if block == "cue":
                        out[i, j] += 1
                        if a < 3:
                            out[i, n_cue + j] = 1
                    else:
                        out[i, spec.off_tax + j] += 1
    for i, (t, kind, fl) in enumerate(zip(texts, kinds, flags)):
        for f in fl:
            if f.family in spec.fam_index:
                out[i, spec.off_fam + spec.fam_index[f.family]] += 1
            out[i, spec.off_stance + spec.stances.index(f.stance)] += 1
            if f.code in spec.leaf_index:
                out[i, spec.off_code + spec.leaf_index[f.code]] += 1
        if kind in SECTION_KINDS:
            out[i, spec.off_sec + SECTION_KINDS.index(kind)] = 1
        n = len(t)
        out[i, spec.off_len:spec.off_len + 3] = (n < 15, 15 <= n < 60, n >= 60)
    return np.log1p(out)


class Vectorizer:
    """The fitted feature extractor: vocabularies, idf weights and the dense layout.

    Plain data only (lists, arrays, strings), so it persists with skops or as NumPy arrays.
    """

    def __init__(self, *, char_terms: Sequence[str], char_idf: np.ndarray, char_ngrams: tuple[int, int],
                 word_terms: Sequence[str], word_idf: np.ndarray, word_ngrams: tuple[int, int],
                 lexicons: Sequence[str], taxonomy: str | None, families: Sequence[str],
                 dense_layout: Sequence[str] | None = None) -> None:
        self.char_terms = list(char_terms)
        self.char_idf = np.asarray(char_idf, dtype=np.float64)
        self.char_ngrams = (int(char_ngrams[0]), int(char_ngrams[1]))
        self.word_terms = list(word_terms)
        self.word_idf = np.asarray(word_idf, dtype=np.float64)
        self.word_ngrams = (int(word_ngrams[0]), int(word_ngrams[1]))
        self.lexicons = tuple(lexicons)
        self.taxonomy = taxonomy
        self.families = list(families)
        # the cue categories and leaves the model was trained with (checked against the data files)
        self.dense_layout = list(dense_layout) if dense_layout is not None else None
        self._char_vocab = {t: i for i, t in enumerate(self.char_terms)}
        self._word_vocab = {t: i for i, t in enumerate(self.word_terms)}
        self._spec: DenseSpec | None = None
        self._char_index: CharIndex | None = None
        self._word_index: WordIndex | None = None

    def __getstate__(self) -> dict[str, Any]:
        # the look-up structures are rebuilt on first use; the cue automaton cannot be pickled
        state = self.__dict__.copy()
        state.update(_spec=None, _char_index=None, _word_index=None)
        return state

    @property
    def spec(self) -> DenseSpec:
        if self._spec is None:
            spec = DenseSpec(self.taxonomy, self.families)
            if self.dense_layout is not None and spec.layout != self.dense_layout:
                from .errors import ModelError

                raise ModelError("the model was trained with other cue categories or taxonomy leaves than the "
                                 f"installed lexicons give ({len(self.dense_layout)} vs {len(spec.layout)} columns); "
                                 "retrain it with `dangjian train` on this version")
            self._spec = spec
        return self._spec

    @property
    def n_features(self) -> int:
        return len(self.char_terms) + len(self.word_terms) + self.spec.width

    def _flat_words(self, texts: Sequence[str]) -> list[str]:
        """Segmented words of all texts (stopwords and whitespace dropped), ``"\\x00"`` between texts."""
        from .lexicon import stopwords
        from .segment import default_segmenter

        seg = default_segmenter() if self.lexicons == ("core",) else _segmenter(self.lexicons)
        drop = stopwords() | {"\n", " ", "\u3000", "\t", "\r"}
        sub = _INNER_WS.sub
        # NUL is never part of a word, a lexicon term or a jieba block: texts segment as if alone
        return [w if w.isalnum() else sub("_", w)
                for w in seg.cut("\x00".join(t.replace("\x00", " ") for t in texts))
                if w not in drop and not w.isspace()]

    def words(self, texts: Sequence[str]) -> list[list[str]]:
        """Segmented words of each text (stopwords and whitespace dropped), in one segmenter call."""
        if not texts:
            return []
        ws = self._flat_words(texts)
        cuts = [i for i, w in enumerate(ws) if w == "\x00"]
        return [ws[a + 1:b] for a, b in zip([-1] + cuts, cuts + [len(ws)])]

    def blocks(self, texts: Sequence[str], kinds: Sequence[str | None],
               flags: Sequence[Sequence[Any]] | None = None
               ) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray],
                          np.ndarray]:
        """The three feature blocks: char CSR parts, word CSR parts and the dense array."""
        lo, hi = self.char_ngrams
        if self._char_index is None:
            self._char_index = CharIndex(self.char_terms)
        chars = char_tfidf_batch(_fold_each(texts), lo, hi, self._char_index, self.char_idf)
        wlo, whi = self.word_ngrams
        if self._word_index is None:
            self._word_index = WordIndex(self.word_terms)
        if self._word_index.exact and texts:
            words = word_tfidf_flat(self._flat_words(texts), len(texts), wlo, whi, self._word_index, self.word_idf)
        else:
            words = word_tfidf_batch([word_grams(ws, wlo, whi) for ws in self.words(texts)],
                                     self._word_vocab, self.word_idf)
        return chars, words, dense_features(texts, kinds, self.spec, flags)

    def csr_parts(self, texts: Sequence[str], kinds: Sequence[str | None],
                  flags: Sequence[Sequence[Any]] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """CSR parts of the full feature matrix (char block | word block | dense block)."""
        (c_ptr, c_idx, c_val), (w_ptr, w_idx, w_val), dense = self.blocks(texts, kinds, flags)
        n = len(texts)
        d_row, d_col = np.nonzero(dense)
        d_ptr = np.concatenate([[0], np.cumsum(np.bincount(d_row, minlength=n))]).astype(np.int64)
        off_w, off_d = len(self.char_terms), len(self.char_terms) + len(self.word_terms)
        # each row: its char entries, then its word entries, then its dense entries
        parts = [(c_ptr, c_idx, c_val, 0), (w_ptr, w_idx + off_w, w_val, 1),
                 (d_ptr, d_col.astype(np.int64) + off_d, dense[d_row, d_col], 2)]
        rows = np.concatenate([np.repeat(np.arange(n), np.diff(p)) for p, _, _, _ in parts])
        block = np.concatenate([np.full(len(i), b) for _, i, _, b in parts])
        order = np.lexsort((block, rows))
        idx = np.concatenate([i for _, i, _, _ in parts])[order]
        val = np.concatenate([v for _, _, v, _ in parts])[order]
        indptr = c_ptr + w_ptr + d_ptr
        return indptr.astype(np.int64), idx.astype(np.int64), val.astype(np.float64), self.n_features

    def to_state(self) -> dict[str, Any]:
        return {"char_terms": np.array(self.char_terms, dtype=str), "char_idf": self.char_idf,
                "char_ngrams": list(self.char_ngrams), "word_terms": np.array(self.word_terms, dtype=str),
                "word_idf": self.word_idf, "word_ngrams": list(self.word_ngrams), "lexicons": list(self.lexicons),
                "taxonomy": self.taxonomy, "families": list(self.families), "dense_layout": self.spec.layout}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Vectorizer:
        return cls(char_terms=[str(t) for t in state["char_terms"]], char_idf=state["char_idf"],
                   char_ngrams=tuple(state["char_ngrams"]), word_terms=[str(t) for t in state["word_terms"]],
                   word_idf=state["word_idf"], word_ngrams=tuple(state["word_ngrams"]),
                   lexicons=list(state["lexicons"]), taxonomy=state["taxonomy"] or None,
                   families=[str(f) for f in state["families"]],
                   dense_layout=[str(x) for x in state["dense_layout"]] if state.get("dense_layout") is not None
                   else None)


@functools.lru_cache(maxsize=4)
def _segmenter(lexicons: tuple[str, ...]):  # type: ignore[no-untyped-def]
    from .segment import Segmenter

    return Segmenter(lexicons)
