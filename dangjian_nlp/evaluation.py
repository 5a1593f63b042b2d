"""Scores of problem-sentence tagging: problem F1, per-leaf P/R/F1, confusions, cross-validation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from .tagger import PROBLEM

__all__ = ["cross_validated_predictions", "leaf_confusions", "lexicon_baseline", "score_targets"]


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_targets(true: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Problem-statement P/R/F1 and per-leaf P/R/F1 (macro-F1 over leaves present in ``true``).

    ``true`` and ``pred`` are target lists as :func:`~dangjian_nlp.datasets.targets` makes
    them (leaf codes, ``["problem"]`` for a problem with no leaf, ``[]`` for none).
    """
    tp = fp = fn = 0
    per: dict[str, list[int]] = {}
    for t, p in zip(true, pred):
        tb, pb = bool(t), bool(p)
        tp += tb and pb
        fp += pb and not tb
        fn += tb and not pb
        tl = {c for c in t if c != PROBLEM}
        pl = {c for c in p if c != PROBLEM}
        for c in tl | pl:
            counts = per.setdefault(c, [0, 0, 0, 0])
            counts[0] += c in tl and c in pl
            counts[1] += c in pl and c not in tl
            counts[2] += c in tl and c not in pl
            counts[3] += c in tl
    leaves = {}
    for c, (ltp, lfp, lfn, support) in sorted(per.items()):
        p_, r_, f_ = _prf(ltp, lfp, lfn)
        leaves[c] = {"precision": p_, "recall": r_, "f1": f_, "support": support}
    present = [v["f1"] for v in leaves.values() if v["support"] > 0]
    p, r, f = _prf(tp, fp, fn)
    return {"problem": {"precision": p, "recall": r, "f1": f, "support": tp + fn},
            "leaves": leaves, "leaf_macro_f1": float(np.mean(present)) if present else 0.0,
            "n": len(true)}


def leaf_confusions(true: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], top: int = 10) -> list[tuple[str, str, int]]:
    """Most frequent (gold leaf, predicted instead) pairs among problem sentences."""
    c: Counter[tuple[str, str]] = Counter()
    for t, p in zip(true, pred):
        tl = {x for x in t if x != PROBLEM}
        pl = {x for x in p if x != PROBLEM}
        for g in tl - pl:
            for q in (pl - tl) or {"(none)"}:
                c[(g, q)] += 1
    return [(g, q, n) for (g, q), n in c.most_common(top)]


def predictions_to_targets(tagger: Any, texts: Sequence[str]) -> list[list[str]]:
    if not texts:
        return []
    pred = tagger.predict(list(texts))
    out = []
    for row in pred:
        labels = [tagger.classes_[j] for j in range(1, len(row)) if row[j]]
        out.append(labels if labels else ([PROBLEM] if row[0] else []))
    return out


def cross_validated_predictions(
    texts: Sequence[str],
    targets: Sequence[Sequence[str]],
    *,
    groups: Sequence[Any] | None = None,
    n_splits: int = 5,
    make_tagger: Any = None,
    extra_train: tuple[Sequence[str], Sequence[Any]] | None = None,
    weight: float = 1.0,
    random_state: int = 0,
) -> list[list[str]]:
    """Out-of-fold predictions; with ``groups`` no group is in train and test at once.

    ``extra_train`` (texts, targets) is added to every training fold and never tested;
    ``weight`` is the sample weight of the folds' own sentences relative to it (1 each).
    """
    import numpy as np

    from sklearn.model_selection import GroupKFold, StratifiedKFold

    from .tagger import ProblemTagger

    make_tagger = make_tagger or (lambda: ProblemTagger(self_training=False))
    y_strat = [bool(t) for t in targets]
    if groups is not None:
        splitter = GroupKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
        splits = splitter.split(texts, y_strat, groups)
    else:
        splits = StratifiedKFold(n_splits, shuffle=True, random_state=random_state).split(texts, y_strat)
    out: list[list[str]] = [[] for _ in texts]
    for train, test in splits:
        X = [texts[i] for i in train]
        y = [list(targets[i]) for i in train]
        if extra_train is not None:
            X += list(extra_train[0])
            y += [None if t is None else list(t) for t in extra_train[1]]
        w = np.ones(len(X))
        w[:len(train)] = weight
        tagger = make_tagger().fit(X, y, sample_weight=w)
        for i, p in zip(test, predictions_to_targets(tagger, [texts[i] for i in test])):
            out[i] = p
    return out


def lexicon_baseline(texts: Sequence[str], taxonomy: Any = None, matcher: Any = None) -> list[list[str]]:
    """A lexicon-only tagger: a problem when the sentence has a deficit cue or a problem-stance
    formalism flag and no plan/prevent cue at its start; leaves whose taxonomy cues or
    expressions it contains (the leaf with most hits, ties all kept)."""
    import ahocorasick_rs

    from ._normalize import fold
    from .lexicon import load_lexicon
    from .patterns import default_matcher
    from .taxonomy import load_taxonomy

    tax = taxonomy if taxonomy is not None and not isinstance(taxonomy, str) else load_taxonomy(taxonomy)
    matcher = matcher or default_matcher()
    cues = load_lexicon("cues")
    deficit = [fold(t) for t in cues.terms if cues.categories[t] in ("deficit", "hedge")]
    opening = [fold(t) for t in cues.terms if cues.categories[t] in ("plan", "prevent", "negation")]
    leaf_terms: dict[str, str] = {}
    for code in tax.leaves:
        for term in (*tax[code].cues, *tax[code].expressions):
            if len(term) >= 2:
                leaf_terms.setdefault(fold(term), code)
    ac_def = ahocorasick_rs.AhoCorasick(deficit)
    keys = sorted(leaf_terms)
    ac_leaf = ahocorasick_rs.AhoCorasick(keys)
    out = []
    for text in texts:
        ft = fold(text)
        flags = [f for f in matcher.find(text) if f.stance == "problem"]
        starts_plan = any(ft.startswith(o) for o in opening)
        problem = (bool(ac_def.find_matches_as_indexes(ft)) or bool(flags)) and not starts_plan
        if not problem:
            out.append([])
            continue
        hits = Counter(leaf_terms[keys[i]] for i, _a, _b in ac_leaf.find_matches_as_indexes(ft, overlapping=True))
        hits.update(f.code for f in flags if f.code)
        if hits:
            best = max(hits.values())
            out.append(sorted(c for c, n in hits.items() if n == best))
        else:
            out.append([PROBLEM])
    return out
