"""Sentence features for the tagger: characters, domain words, cues, taxonomy and patterns.

:class:`SentenceFeaturizer` is a scikit-learn transformer. Each sentence is segmented
once and matched once; the feature blocks are

* ``char``: TF-IDF of character 1–3-grams (robust to unseen words);
* ``word``: TF-IDF of domain-segmented word uni- and bigrams;
* ``cue``: counts of cue words by category (deficit, hedge, plan, achievement, negation …),
  also whether a category occurs in the first three characters (要…, 下一步…);
* ``taxonomy``: counts of each node's cue terms (the taxonomy file's ``cues``);
* ``pattern``: formalism flags by family, by stance and by taxonomy code;
* ``section``: the section kind, when the caller gives it (a ``section_kind`` column).

The transformer stores only names and paths (lexicons, taxonomy), never loaded objects,
so it clones and persists with skops; the matchers are rebuilt on first use.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from ._normalize import fold
from .errors import InputError
from .structure import SECTION_KINDS

__all__ = ["SentenceFeaturizer", "as_sentences"]

_WS = re.compile(r"\s+")


def as_sentences(X: Any) -> tuple[list[str], list[str | None]]:
    """Texts and section kinds from a list of str, a Series, an array or a DataFrame.

    A DataFrame needs a ``text`` column and may have ``section_kind``.
    """
    if isinstance(X, str):
        raise InputError("Iterable of sentences expected, str received; wrap one sentence in a list")
    try:
        import pandas as pd

        if isinstance(X, pd.DataFrame):
            if "text" not in X.columns:
                raise InputError(f"a DataFrame of sentences needs a 'text' column (columns: {list(X.columns)})")
            texts = ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in X["text"]]
            kinds = list(X["section_kind"]) if "section_kind" in X.columns else [None] * len(texts)
            return texts, [k if isinstance(k, str) else None for k in kinds]
    except ImportError:  # pragma: no cover
        pass
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


@functools.lru_cache(maxsize=8)
def _cue_automaton(taxonomy: str | None) -> tuple[Any, list[tuple[str, int]], list[str], list[str]]:
    """Aho-Corasick over cue words and taxonomy cues; each pattern → (block, column)."""
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
                targets.setdefault(_WS.sub("", fold(term)), []).append(("taxonomy", j))
    keys = sorted(targets)
    flat = [targets[k] for k in keys]
    automaton = ahocorasick_rs.AhoCorasick(keys)
    return automaton, flat, categories, leaves  # type: ignore[return-value]


class SentenceFeaturizer(TransformerMixin, BaseEstimator):
    """Turn sentences into a sparse feature matrix (see the module docs).

    Parameters
    ----------
    lexicons : tuple of str
        Lexicons of the word segmenter.
    taxonomy : str or None
        Path of a taxonomy file whose cues become features; the bundled one if None.
    char_ngrams, word_ngrams : tuple of int
        N-gram ranges of the character and word TF-IDF blocks.
    min_df : int
        Minimum document frequency of an n-gram.
    max_features : int
        Cap of each TF-IDF vocabulary.
    """

    def __init__(
        self,
        *,
        lexicons: tuple[str, ...] = ("core",),
        taxonomy: str | None = None,
        char_ngrams: tuple[int, int] = (1, 3),
        word_ngrams: tuple[int, int] = (1, 2),
        min_df: int = 2,
        max_features: int = 60000,
    ) -> None:
        self.lexicons = lexicons
        self.taxonomy = taxonomy
        self.char_ngrams = char_ngrams
        self.word_ngrams = word_ngrams
        self.min_df = min_df
        self.max_features = max_features

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags

    # -- helpers -----------------------------------------------------------------------
    def _segmenter(self):  # type: ignore[no-untyped-def]
        from .segment import Segmenter, default_segmenter

        if tuple(self.lexicons) == ("core",):
            return default_segmenter()
        return _cached_segmenter(tuple(self.lexicons))

    def _words(self, texts: Sequence[str]) -> list[str]:
        seg = self._segmenter()
        stop = _stop()
        out = []
        for t in texts:
            words = [w.replace(" ", "_") for w in seg.cut(t) if not w.isspace() and w not in stop]
            out.append(" ".join(words))
        return out

    def _dense(self, texts: Sequence[str], kinds: Sequence[str | None]) -> np.ndarray:
        from .patterns import STANCES, default_matcher

        automaton, flat, categories, leaves = _cue_automaton(self.taxonomy)
        families = self.families_
        n_cue, n_tax = len(categories), len(leaves)
        width = 2 * n_cue + n_tax + len(families) + len(STANCES) + n_tax + len(SECTION_KINDS) + 3
        out = np.zeros((len(texts), width), dtype=np.float64)
        matcher = default_matcher()
        leaf_index = {c: j for j, c in enumerate(leaves)}
        off_tax = 2 * n_cue
        off_fam = off_tax + n_tax
        off_stance = off_fam + len(families)
        off_code = off_stance + len(STANCES)
        off_sec = off_code + n_tax
        off_len = off_sec + len(SECTION_KINDS)
        fam_index = {f: j for j, f in enumerate(families)}
        for i, (t, kind) in enumerate(zip(texts, kinds)):
            ft = fold(t)
            for idx, a, _b in automaton.find_matches_as_indexes(ft, overlapping=True):
                for block, j in flat[idx]:
                    if block == "cue":
                        out[i, j] += 1
                        if a < 3:
                            out[i, n_cue + j] = 1
                    else:
                        out[i, off_tax + j] += 1
            for f in matcher.find(t):
                if f.family in fam_index:
                    out[i, off_fam + fam_index[f.family]] += 1
                out[i, off_stance + STANCES.index(f.stance)] += 1
                if f.code in leaf_index:
                    out[i, off_code + leaf_index[f.code]] += 1
            if kind in SECTION_KINDS:
                out[i, off_sec + SECTION_KINDS.index(kind)] = 1
            n = len(t)
            out[i, off_len:off_len + 3] = (n < 15, 15 <= n < 60, n >= 60)
        return np.log1p(out)

    # -- sklearn API ---------------------------------------------------------------------
    def fit(self, X: Any, y: Any = None) -> SentenceFeaturizer:
        texts, _kinds = as_sentences(X)
        if not texts:
            raise InputError("cannot fit on an empty list of sentences")
        from .patterns import default_matcher

        min_df = self.min_df if len(texts) >= 10 * self.min_df else 1
        self.char_ = TfidfVectorizer(analyzer="char", ngram_range=tuple(self.char_ngrams), min_df=min_df,
                                     max_features=self.max_features, sublinear_tf=True, lowercase=False)
        self.word_ = TfidfVectorizer(token_pattern=r"\S+", ngram_range=tuple(self.word_ngrams), min_df=min_df,
                                     max_features=self.max_features, sublinear_tf=True, lowercase=False)
        self.char_.fit([fold(t) for t in texts])
        words = self._words(texts)
        if not any(words):
            words = ["_"] * len(words)
        self.word_.fit(words)
        for vec in (self.char_, self.word_):
            # plain ints and no pruned-term set: a small model that skops saves quickly
            vec.vocabulary_ = {k: int(v) for k, v in vec.vocabulary_.items()}
            if hasattr(vec, "stop_words_"):
                del vec.stop_words_
        self.families_ = sorted({t.family for t in default_matcher()._compiled["temps"]} | {"idiom"})
        self.n_features_in_ = 1
        return self

    def transform(self, X: Any) -> sp.csr_matrix:
        check_is_fitted(self, "char_")
        texts, kinds = as_sentences(X)
        blocks = [
            self.char_.transform([fold(t) for t in texts]),
            self.word_.transform(self._words(texts)),
            sp.csr_matrix(self._dense(texts, kinds)),
        ]
        return sp.hstack(blocks, format="csr")


@functools.lru_cache(maxsize=4)
def _cached_segmenter(lexicons: tuple[str, ...]):  # type: ignore[no-untyped-def]
    from .segment import Segmenter

    return Segmenter(lexicons)


@functools.lru_cache(maxsize=1)
def _stop() -> frozenset[str]:
    from .lexicon import stopwords

    return stopwords()


def iter_chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
