"""Sentence features for the tagger: characters, domain words, cues, taxonomy and patterns.

:class:`SentenceFeaturizer` is a scikit-learn transformer. Each sentence is segmented
once and matched once; the feature blocks are

* ``char``: TF-IDF of character 1–3-grams (robust to unseen words);
* ``word``: TF-IDF of domain-segmented word uni- and bigrams;
* ``cue``: counts of cue words by category (deficit, hedge, plan, achievement, negation …),
  also whether a category occurs in the first three characters (要…, 下一步…);
* ``taxonomy``: counts of each leaf's cue terms and expressions (from the taxonomy file);
* ``pattern``: formalism flags by family, by stance and by taxonomy code;
* ``section``: the section kind, when the caller gives it (a ``section_kind`` column);
* ``length``: short / medium / long.

Fitting learns the vocabularies and idf weights with scikit-learn's ``TfidfVectorizer``;
the transform itself is the NumPy code of :mod:`dangjian_nlp._vectorize`, the same code
the shipped model runs at inference time.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._normalize import fold
from ._vectorize import Vectorizer, as_sentences
from .errors import InputError

__all__ = ["SentenceFeaturizer", "as_sentences"]


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
        max_features: int = 30000,
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

    def fit(self, X: Any, y: Any = None) -> SentenceFeaturizer:
        from sklearn.feature_extraction.text import TfidfVectorizer

        from .patterns import default_matcher

        texts, _kinds = as_sentences(X)
        if not texts:
            raise InputError("cannot fit on an empty list of sentences")
        lo, hi = self.char_ngrams
        if not 1 <= lo <= hi <= 3:
            raise InputError(f"char_ngrams={self.char_ngrams!r}: character n-grams of 1 to 3 characters are "
                             "supported; use e.g. (1, 3)")
        min_df = self.min_df if len(texts) >= 10 * self.min_df else 1
        common = {"min_df": min_df, "max_features": self.max_features, "sublinear_tf": True, "lowercase": False}
        char = TfidfVectorizer(analyzer="char", ngram_range=tuple(self.char_ngrams), **common)
        char.fit([fold(t) for t in texts])
        probe = Vectorizer(char_terms=[], char_idf=np.zeros(0), char_ngrams=(1, 1), word_terms=[],
                           word_idf=np.zeros(0), word_ngrams=(1, 1), lexicons=self.lexicons, taxonomy=None,
                           families=[])
        docs = [" ".join(ws) for ws in probe.words(texts)]
        if not any(docs):
            docs = ["_"] * len(docs)
        word = TfidfVectorizer(token_pattern=r"\S+", ngram_range=tuple(self.word_ngrams), **common).fit(docs)
        families = sorted({t.family for t in default_matcher()._compiled["temps"]} | {"idiom"})

        def terms(vec: Any) -> list[str]:
            return sorted(vec.vocabulary_, key=vec.vocabulary_.get)

        self.vectorizer_ = Vectorizer(
            char_terms=terms(char), char_idf=char.idf_, char_ngrams=tuple(self.char_ngrams),
            word_terms=terms(word), word_idf=word.idf_, word_ngrams=tuple(self.word_ngrams),
            lexicons=tuple(self.lexicons), taxonomy=self.taxonomy, families=families,
        )
        self.n_features_in_ = 1
        return self

    def transform(self, X: Any, flags: Any = None) -> Any:
        import scipy.sparse as sp

        check_is_fitted(self, "vectorizer_")
        texts, kinds = as_sentences(X)
        indptr, indices, data, width = self.vectorizer_.csr_parts(texts, kinds, flags)
        return sp.csr_matrix((data, indices, indptr), shape=(len(texts), width))

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        if "vectorizer_" in state:
            state["vectorizer_"] = state["vectorizer_"].to_state()
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if isinstance(state.get("vectorizer_"), dict):
            state = dict(state, vectorizer_=Vectorizer.from_state(state["vectorizer_"]))
        self.__dict__.update(state)
