"""The problem-sentence tagger: a scikit-learn estimator.

:class:`ProblemTagger` decides, for each sentence, whether it states a problem and which
taxonomy leaves the problem fits.

Targets ``y`` come in two shapes:

* **multi-label** (the tagger's own task): one collection of codes per sentence — leaf
  codes for a problem that fits leaves, ``["problem"]`` for a problem that fits none,
  ``[]`` for a sentence that states no problem, and ``None`` for an unlabelled sentence
  (used for self-training). :meth:`predict` then returns an indicator matrix over
  ``classes_ = ["problem", *leaves]``.
* **single-label** (any 1-D ``y``, e.g. booleans): an ordinary classifier, so the estimator
  also works with ``cross_val_score`` and passes scikit-learn's estimator checks.

The problem head is a logistic regression with sigmoid-calibrated probabilities; each leaf
has its own logistic regression on problem sentences and its own threshold, chosen by
cross-validation to maximise that leaf's F1. With ``self_training=True``, unlabelled
sentences that the first model labels with high confidence join the training data (with
a lower weight), so the model learns wording beyond the lexicon.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted

from .errors import InputError
from .features import SentenceFeaturizer, as_sentences

__all__ = ["PROBLEM", "ProblemTagger"]

PROBLEM = "problem"


def _is_multilabel(y: Any) -> bool:
    if isinstance(y, np.ndarray) and y.dtype != object:
        return False
    items = list(y)
    return bool(items) and all(v is None or isinstance(v, (list, tuple, set, frozenset)) for v in items)


class ProblemTagger(ClassifierMixin, BaseEstimator):
    """Problem statements and taxonomy leaves of sentences.

    Parameters
    ----------
    taxonomy : str or None
        Path of a taxonomy file (its cues become features); the bundled one if None.
        The leaf codes themselves are learned from ``y``.
    lexicons : tuple of str
        Lexicons of the word segmenter.
    C : float
        Inverse regularisation of the problem head (and of the single-label model). 32 was
        chosen on the project's written sentences (5-fold CV problem F1: 0.945 at 4, 0.951 at
        16, 0.953 at 32, 0.954 at 64, 0.953 at 128): the smallest value on the plateau.
    leaf_C : float
        Inverse regularisation of the leaf heads.
    self_training : bool
        Add confidently predicted unlabelled sentences (``y`` item ``None``) to training.
    confidence : float
        Probability a pseudo-label needs.
    unlabeled_weight : float
        Sample weight of pseudo-labelled sentences.
    random_state : int
        Seed of the cross-validation splits (the fit is deterministic).

    Examples
    --------
    >>> X = ["有的党支部三会一课流于形式", "全年召开党委会12次", "帮扶只送钱物，重输血轻造血",
    ...      "下一步要加强学习", "考核只看台账资料", "完成了年度目标任务"] * 4
    >>> y = [["4.3"], [], ["3.3"], [], ["2.2"], []] * 4
    >>> tagger = ProblemTagger(self_training=False).fit(X, y)
    >>> tagger.classes_
    ['problem', '2.2', '3.3', '4.3']
    >>> tagger.tag(["结对帮扶只送钱物"]).loc[0, "is_problem"]
    True
    """

    def __init__(
        self,
        *,
        taxonomy: str | None = None,
        lexicons: tuple[str, ...] = ("core",),
        C: float = 32.0,
        leaf_C: float = 8.0,
        self_training: bool = True,
        confidence: float = 0.9,
        unlabeled_weight: float = 0.3,
        random_state: int = 0,
    ) -> None:
        self.taxonomy = taxonomy
        self.lexicons = lexicons
        self.C = C
        self.leaf_C = leaf_C
        self.self_training = self_training
        self.confidence = confidence
        self.unlabeled_weight = unlabeled_weight
        self.random_state = random_state

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.target_tags.multi_output = True
        return tags

    # -- fitting -------------------------------------------------------------------------
    def _linear(self, C: float) -> LogisticRegression:
        return LogisticRegression(C=C, max_iter=2000, class_weight="balanced", solver="liblinear",
                                  random_state=self.random_state)

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> ProblemTagger:
        """Fit on sentences ``X`` and targets ``y`` (see the class docs for the shapes)."""
        texts, kinds = as_sentences(X)
        y_list = list(y) if not isinstance(y, np.ndarray) or y.ndim == 1 else y
        if len(y_list) != len(texts):
            raise InputError(f"X has {len(texts)} sentences but y has {len(y_list)} targets")
        frame = _frame(texts, kinds)
        self.featurizer_ = SentenceFeaturizer(lexicons=tuple(self.lexicons), taxonomy=self.taxonomy).fit(frame)
        if _is_multilabel(y_list):
            self._fit_multilabel(frame, y_list, sample_weight)
        else:
            self._fit_single(frame, np.asarray(y_list), sample_weight)
        self.n_features_in_ = 1
        return self

    def _fit_single(self, frame: Any, y: np.ndarray, sample_weight: Any) -> None:
        kind = type_of_target(y)
        if kind not in ("binary", "multiclass"):
            raise InputError(f"unsupported target type {kind!r}: give one label per sentence, or a list of "
                             "codes per sentence for multi-label tagging")
        self.multilabel_ = False
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError(f"y has only one class ({self.classes_[0]!r}); at least two are needed")
        Xf = self.featurizer_.transform(frame)
        self.model_ = self._linear(self.C).fit(Xf, y, sample_weight=sample_weight)

    def _fit_multilabel(self, frame: Any, y: list[Any], sample_weight: Any) -> None:
        self.multilabel_ = True
        labelled = [i for i, v in enumerate(y) if v is not None]
        unlabelled = [i for i, v in enumerate(y) if v is None]
        sets = [set(y[i]) for i in labelled]
        leaves = sorted({c for s in sets for c in s if c != PROBLEM}, key=_code_key)
        self.leaves_ = leaves
        self.classes_ = [PROBLEM, *leaves]
        Xall = self.featurizer_.transform(frame)
        XL = Xall[labelled]
        yp = np.array([bool(s) for s in sets])
        if yp.all() or not yp.any():
            raise ValueError("the labelled sentences must include both problem and non-problem sentences")
        Y = np.array([[c in s for c in leaves] for s in sets], dtype=bool).reshape(len(sets), len(leaves))
        w = np.ones(len(labelled)) if sample_weight is None else np.asarray(sample_weight, float)[labelled]
        self._fit_heads(XL, yp, Y, w)
        if self.self_training and unlabelled:
            XU = Xall[unlabelled]
            pu = self._problem_proba(XU)
            sure = (pu >= self.confidence) | (pu <= 1 - self.confidence)
            if sure.any():
                leaf_scores = self._leaf_proba(XU[sure])
                Yu = (leaf_scores >= np.maximum(self.thresholds_, self.confidence)) & (pu[sure] >= 0.5)[:, None]
                X2 = _vstack(XL, XU[sure])
                self._fit_heads(X2, np.concatenate([yp, pu[sure] >= 0.5]), np.vstack([Y, Yu]),
                                np.concatenate([w, np.full(int(sure.sum()), self.unlabeled_weight)]))
            self.n_pseudo_labelled_ = int(sure.sum())
        else:
            self.n_pseudo_labelled_ = 0

    def _fit_heads(self, X: Any, yp: np.ndarray, Y: np.ndarray, w: np.ndarray) -> None:
        n_splits = int(min(3, np.bincount(yp.astype(int)).min()))
        if n_splits >= 2:
            cv = StratifiedKFold(n_splits, shuffle=True, random_state=self.random_state)
            self.problem_ = CalibratedClassifierCV(self._linear(self.C), method="sigmoid", cv=cv)
        else:
            self.problem_ = self._linear(self.C)
        self.problem_.fit(X, yp, sample_weight=w)
        self.leaf_models_ = []
        thresholds = []
        for j in range(Y.shape[1]):
            yj = Y[:, j]
            if yj.all() or not yj.any():
                self.leaf_models_.append(float(yj.mean()))  # constant score
                thresholds.append(0.5)
                continue
            model = self._linear(self.leaf_C)
            k = int(min(3, yj.sum(), (~yj).sum()))
            if k >= 2:
                cv = StratifiedKFold(k, shuffle=True, random_state=self.random_state)
                oof = cross_val_predict(model, X, yj, cv=cv, method="predict_proba",
                                        params={"sample_weight": w})[:, 1]
                thresholds.append(_best_threshold(yj, oof))
            else:
                thresholds.append(0.5)
            self.leaf_models_.append(model.fit(X, yj, sample_weight=w))
        self.thresholds_ = np.array(thresholds)

    # -- prediction ------------------------------------------------------------------------
    def _problem_proba(self, Xf: Any) -> np.ndarray:
        return self.problem_.predict_proba(Xf)[:, 1]

    def _leaf_proba(self, Xf: Any) -> np.ndarray:
        cols = [np.full(Xf.shape[0], m) if isinstance(m, float) else m.predict_proba(Xf)[:, 1]
                for m in self.leaf_models_]
        return np.column_stack(cols) if cols else np.zeros((Xf.shape[0], 0))

    def _transform(self, X: Any) -> Any:
        check_is_fitted(self, "featurizer_")
        texts, kinds = as_sentences(X)
        return self.featurizer_.transform(_frame(texts, kinds))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities: per class (single-label) or per ``classes_`` column (multi-label)."""
        Xf = self._transform(X)
        if not self.multilabel_:
            return self.model_.predict_proba(Xf)
        return np.column_stack([self._problem_proba(Xf), self._leaf_proba(Xf)])

    def decision_function(self, X: Any) -> np.ndarray:
        """Signed scores of the single-label model (multi-label: log-odds of ``predict_proba``)."""
        if not getattr(self, "multilabel_", True):
            return self.model_.decision_function(self._transform(X))
        p = np.clip(self.predict_proba(X), 1e-9, 1 - 1e-9)
        return np.log(p / (1 - p))

    def predict(self, X: Any) -> np.ndarray:
        """Class labels (single-label) or an indicator matrix over ``classes_`` (multi-label)."""
        if not self.multilabel_:
            check_is_fitted(self, "model_")
            return self.model_.predict(self._transform(X))
        P = self.predict_proba(X)
        is_problem = P[:, 0] >= 0.5
        leaves = (P[:, 1:] >= self.thresholds_) & is_problem[:, None]
        return np.column_stack([is_problem, leaves]).astype(int)

    def tag_rows(self, X: Any, flags: Any = None) -> list[dict[str, Any]]:
        """``{"is_problem", "problem_score", "labels", "scores"}`` per sentence."""
        from .inference import rows_from_proba

        if not getattr(self, "multilabel_", False):
            raise InputError("tagging needs a tagger fitted on multi-label targets (lists of codes)")
        return rows_from_proba(self.predict_proba(X), self.leaves_, self.thresholds_)

    def tag(self, X: Any):  # -> pandas.DataFrame
        """One row per sentence: ``text, is_problem, problem_score, labels, scores``."""
        from .inference import rows_frame

        return rows_frame(as_sentences(X)[0], self.tag_rows(X))


def _frame(texts: Sequence[str], kinds: Sequence[str | None]):  # type: ignore[no-untyped-def]
    import pandas as pd

    return pd.DataFrame({"text": list(texts), "section_kind": list(kinds)})


def _vstack(a: Any, b: Any) -> Any:
    import scipy.sparse as sp

    return sp.vstack([a, b], format="csr")


def _best_threshold(y: np.ndarray, scores: np.ndarray) -> float:
    best, best_f1 = 0.5, -1.0
    for t in np.arange(0.15, 0.86, 0.05):
        pred = scores >= t
        tp = float((pred & y).sum())
        f1 = 2 * tp / (pred.sum() + y.sum()) if pred.sum() + y.sum() else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = float(round(t, 2)), f1
    return best


def _code_key(code: str) -> tuple[Any, ...]:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in str(code).replace("-", ".").split("."))
