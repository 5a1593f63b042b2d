"""The compact form of a fitted tagger, applied with NumPy alone.

:class:`TaggerModel` holds what prediction needs — vocabularies, idf weights, one weight
matrix for every head, the calibration of the problem head and the per-leaf thresholds —
as plain arrays. It gives the same probabilities as the :class:`~dangjian_nlp.ProblemTagger`
it was exported from, without importing scikit-learn, so a cold ``dangjian tag`` starts
fast. It is what :func:`~dangjian_nlp.save_model` writes and :func:`~dangjian_nlp.load_model`
returns for a fitted tagger.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._vectorize import Vectorizer, as_sentences

__all__ = ["FORMAT", "TaggerModel"]

FORMAT = "dangjian-tagger"
VERSION = 1


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def rows_from_proba(P: np.ndarray, leaves: Sequence[str], thresholds: np.ndarray) -> list[dict[str, Any]]:
    """Decisions from probabilities: a problem at 0.5, leaves at their thresholds (only for
    problems); ``scores`` keeps the three best leaves."""
    if len(P) == 0:
        return []
    is_problem = P[:, 0] >= 0.5
    leafp = P[:, 1:]
    chosen = (leafp >= thresholds) & is_problem[:, None]
    top = np.argsort(-leafp, axis=1, kind="stable")[:, :3]
    names = list(leaves)
    # rounded in NumPy and converted once (``tolist`` gives Python floats)
    score = np.round(P[:, 0], 4).tolist()
    top_p = np.round(np.take_along_axis(leafp, top, axis=1), 4).tolist()
    top_names = [[names[j] for j in row] for row in top.tolist()]
    flags = is_problem.tolist()
    labelled = set(np.flatnonzero(chosen.any(axis=1)).tolist())  # most rows have no leaf
    rows = []
    for i in range(len(P)):
        rows.append({"is_problem": flags[i], "problem_score": score[i],
                     "labels": [names[j] for j in np.flatnonzero(chosen[i])] if i in labelled else [],
                     "scores": dict(zip(top_names[i], top_p[i]))})
    return rows


def rows_frame(texts: Sequence[str], rows: list[dict[str, Any]]):  # -> pandas.DataFrame
    import pandas as pd

    return pd.DataFrame([{"text": t, **r} for t, r in zip(texts, rows)],
                        columns=["text", "is_problem", "problem_score", "labels", "scores"]).astype(
                            {"is_problem": object})


class TaggerModel:
    """A fitted problem tagger in plain arrays (see the module docs)."""

    def __init__(self, *, vectorizer: Vectorizer, classes: Sequence[str], weights: np.ndarray, bias: np.ndarray,
                 n_problem: int, calibration: np.ndarray | None, thresholds: np.ndarray, constant: np.ndarray,
                 params: dict[str, Any] | None = None) -> None:
        self.vectorizer = vectorizer
        self.classes_ = list(classes)
        self.leaves_ = self.classes_[1:]
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float64)
        self.n_problem = int(n_problem)
        self.calibration = None if calibration is None or len(calibration) == 0 else np.asarray(calibration, float)
        self.thresholds_ = np.asarray(thresholds, dtype=np.float64)
        self.constant = np.asarray(constant, dtype=np.float64)
        self.params = dict(params or {})
        self.multilabel_ = True

    def __repr__(self) -> str:
        return f"TaggerModel(classes={self.classes_!r}, n_features={self.weights.shape[0]})"

    # -- prediction --------------------------------------------------------------------
    def decision(self, texts: Sequence[str], kinds: Sequence[str | None] | None = None,
                 flags: Sequence[Sequence[Any]] | None = None) -> np.ndarray:
        """Raw head scores, shape (n, heads)."""
        import scipy.sparse as sp

        kinds = list(kinds) if kinds is not None else [None] * len(texts)
        chars, words, dense = self.vectorizer.blocks(texts, kinds, flags)
        n, nc = len(texts), len(self.vectorizer.char_terms)
        nw = len(self.vectorizer.word_terms)
        W = self._weights64()
        if dense.shape[1] != W.shape[0] - nc - nw:
            from .errors import ModelError

            raise ModelError(f"the model expects {W.shape[0] - nc - nw} cue/pattern/section columns but the installed "
                             f"lexicons give {dense.shape[1]}; retrain it with `dangjian train` on this version")
        # einsum's own loop, not BLAS (1 ms for 2,000 rows): OpenBLAS threads of parallel workers
        # fighting over the cores made 2-job screening of long reports no faster than one job
        # (measured), and limiting them to one thread per worker cost ~10% of the workers' time
        scores = np.einsum("ij,jk->ik", dense, W[nc + nw:], optimize=False)
        for (indptr, indices, data), block in ((chars, W[:nc]), (words, W[nc:nc + nw])):
            scores += sp.csr_matrix((data, indices, indptr), shape=(n, block.shape[0])) @ block
        return scores + self.bias

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_w64", None)  # a float64 copy of the weights, rebuilt on first use
        return state

    def _weights64(self) -> np.ndarray:
        if getattr(self, "_w64", None) is None:
            self._w64 = self.weights.astype(np.float64)
        return self._w64

    def predict_proba(self, X: Any, flags: Sequence[Sequence[Any]] | None = None) -> np.ndarray:
        """Probabilities over ``classes_`` (problem, then each leaf)."""
        texts, kinds = as_sentences(X)
        if not texts:
            return np.zeros((0, len(self.classes_)))
        s = self.decision(texts, kinds, flags)
        k = self.n_problem
        if self.calibration is not None:
            a, b = self.calibration[:, 0], self.calibration[:, 1]
            problem = _expit(-(a * s[:, :k] + b)).mean(axis=1)
        else:
            problem = _expit(s[:, 0])
        leaves = _expit(s[:, k:])
        fixed = ~np.isnan(self.constant)
        leaves[:, fixed] = self.constant[fixed]
        return np.column_stack([problem, leaves])

    def predict(self, X: Any) -> np.ndarray:
        """Indicator matrix over ``classes_``; leaves only where a problem is stated."""
        P = self.predict_proba(X)
        is_problem = P[:, 0] >= 0.5
        return np.column_stack([is_problem, (P[:, 1:] >= self.thresholds_) & is_problem[:, None]]).astype(int)

    def tag_rows(self, X: Any, flags: Sequence[Sequence[Any]] | None = None) -> list[dict[str, Any]]:
        """``{"is_problem", "problem_score", "labels", "scores"}`` per sentence (no pandas needed)."""
        return rows_from_proba(self.predict_proba(X, flags), self.leaves_, self.thresholds_)

    def tag(self, X: Any, flags: Sequence[Sequence[Any]] | None = None):  # -> pandas.DataFrame
        """One row per sentence: ``text, is_problem, problem_score, labels, scores``."""
        return rows_frame(as_sentences(X)[0], self.tag_rows(X, flags))

    # -- conversion --------------------------------------------------------------------
    @classmethod
    def from_estimator(cls, tagger: Any) -> TaggerModel:
        """Export a fitted multi-label :class:`~dangjian_nlp.ProblemTagger`."""
        from sklearn.calibration import CalibratedClassifierCV

        if not getattr(tagger, "multilabel_", False):
            raise ValueError("only a tagger fitted on multi-label targets (lists of codes) can be exported")
        vec = tagger.featurizer_.vectorizer_
        n_features = vec.n_features
        cols, bias, calib = [], [], []
        head = tagger.problem_
        if isinstance(head, CalibratedClassifierCV):
            for cc in head.calibrated_classifiers_:
                cols.append(cc.estimator.coef_.ravel())
                bias.append(float(cc.estimator.intercept_[0]))
                calib.append((float(cc.calibrators[0].a_), float(cc.calibrators[0].b_)))
        else:
            cols.append(head.coef_.ravel())
            bias.append(float(head.intercept_[0]))
        constant = []
        for m in tagger.leaf_models_:
            if isinstance(m, float):
                cols.append(np.zeros(n_features))
                bias.append(0.0)
                constant.append(m)
            else:
                cols.append(m.coef_.ravel())
                bias.append(float(m.intercept_[0]))
                constant.append(np.nan)
        return cls(vectorizer=vec, classes=tagger.classes_, weights=np.column_stack(cols), bias=np.array(bias),
                   n_problem=len(calib) or 1, calibration=np.array(calib) if calib else None,
                   thresholds=tagger.thresholds_, constant=np.array(constant, dtype=float),
                   params={k: v for k, v in tagger.get_params().items() if isinstance(v, (str, int, float, bool))})

    def to_state(self) -> dict[str, Any]:
        """Plain data (dicts, lists, strings, NumPy arrays): what the model file holds."""
        return {"format": FORMAT, "version": VERSION, "vectorizer": self.vectorizer.to_state(),
                "classes": list(self.classes_), "weights": self.weights, "bias": self.bias,
                "n_problem": self.n_problem,
                "calibration": self.calibration if self.calibration is not None else np.zeros((0, 2)),
                "thresholds": self.thresholds_, "constant": self.constant, "params": self.params}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> TaggerModel:
        if state.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} state")
        if int(state.get("version", 0)) > VERSION:
            raise ValueError(f"model format version {state['version']} is newer than this dangjian_nlp reads "
                             f"({VERSION}); upgrade dangjian-nlp")
        return cls(vectorizer=Vectorizer.from_state(state["vectorizer"]), classes=[str(c) for c in state["classes"]],
                   weights=state["weights"], bias=state["bias"], n_problem=int(state["n_problem"]),
                   calibration=state["calibration"], thresholds=state["thresholds"], constant=state["constant"],
                   params=dict(state.get("params") or {}))
