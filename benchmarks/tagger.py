"""Problem-sentence tagger: F1 beside a lexicon-only baseline, measured in one run.

    python benchmarks/tagger.py [--folds 5] [--self-training] [--real-weight 3] [--json out.json]

(a) written data (``corpora/annotated/written``, written by the project): stratified
    k-fold cross-validation.
(b) real sentences (``corpora/annotated/real``, pointers into ../shared/corpora, non-EVAL
    documents): document-grouped k-fold — no document is in train and test at once; every
    training fold also gets all the written data (the fold's real sentences weigh 3 each, as
    when the shipped model is built). CCDI articles (licensed for evaluation
    only) never train: they are scored separately by a tagger trained on everything else.
The baseline is ``dangjian_nlp.evaluation.lexicon_baseline``: a sentence is a problem when
it has a deficit/hedge cue or a problem-stance formalism flag and does not open with a
plan/prevent cue; its leaves are those whose taxonomy cues it contains most.
Reported: problem-statement P/R/F1 and leaf macro-F1 (over leaves present in the test data).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from _corpus import ROOT, require_shared, table

import dangjian_nlp as dj
from dangjian_nlp.datasets import targets, unlabelled_sentences
from dangjian_nlp.evaluation import (cross_validated_predictions, lexicon_baseline, predictions_to_targets,
                                     score_targets)


def row(name: str, s: dict) -> tuple:
    p = s["problem"]
    return (name, s["n"], f"{p['precision']:.3f}", f"{p['recall']:.3f}", f"{p['f1']:.3f}", f"{s['leaf_macro_f1']:.3f}",
            len([v for v in s["leaves"].values() if v["support"]]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--self-training", action="store_true", help="also add unlabelled sentences in every fold")
    ap.add_argument("--real-weight", type=float, default=3.0,
                    help="sample weight of the real training sentences (the shipped model's setting: 3)")
    ap.add_argument("--json")
    args = ap.parse_args()
    shared = require_shared()
    t0 = time.perf_counter()
    written = dj.load_labelled(ROOT / "corpora" / "annotated" / "written")
    real = dj.load_labelled(ROOT / "corpora" / "annotated" / "real", corpora=shared / "corpora")
    ccdi = real[real["corpus"] == "ccdi_conduct_articles"]
    real = real[real["corpus"] != "ccdi_conduct_articles"]
    yw, yr, yc = targets(written), targets(real), targets(ccdi)
    Xw, Xr, Xc = written["text"].tolist(), real["text"].tolist(), ccdi["text"].tolist()

    unl: list[str] = []
    if args.self_training:
        unl = unlabelled_sentences(shared / "corpora", 20000, exclude_corpora=["ccdi_conduct_articles"],
                                   exclude_docs=set(real["doc_id"]), exclude_texts=Xw + Xr)

    def make() -> dj.ProblemTagger:
        return dj.ProblemTagger(self_training=bool(unl))

    results = {}
    results["a_written_cv_baseline"] = score_targets(yw, lexicon_baseline(Xw))
    results["a_written_cv_model"] = score_targets(yw, cross_validated_predictions(
        Xw, yw, n_splits=args.folds, make_tagger=make, extra_train=(unl, [None] * len(unl)) if unl else None))
    results["b_real_grouped_baseline"] = score_targets(yr, lexicon_baseline(Xr))
    results["b_real_grouped_model"] = score_targets(yr, cross_validated_predictions(
        Xr, yr, groups=real["doc_id"].tolist(), n_splits=args.folds, make_tagger=make,
        extra_train=(Xw + unl, list(yw) + [None] * len(unl)), weight=args.real_weight))
    full = make().fit(Xw + Xr + unl, list(yw) + list(yr) + [None] * len(unl),
                      sample_weight=[1.0] * len(Xw) + [args.real_weight] * len(Xr) + [1.0] * len(unl))
    results["c_ccdi_heldout_baseline"] = score_targets(yc, lexicon_baseline(Xc))
    results["c_ccdi_heldout_model"] = score_targets(yc, predictions_to_targets(full, Xc))

    print(f"written: {len(Xw)} sentences; real (non-CCDI): {len(Xr)} sentences in {real['doc_id'].nunique()} "
          f"documents; CCDI held out: {len(Xc)}; unlabelled for self-training: {len(unl)}")
    print(table([row(k, v) for k, v in results.items()],
                ("evaluation", "n", "problem P", "problem R", "problem F1", "leaf macro-F1", "leaves")))
    print("\nper-leaf F1, real sentences (document-grouped CV):")
    leaves = results["b_real_grouped_model"]["leaves"]
    print(table([(c, v["support"], f"{v['precision']:.2f}", f"{v['recall']:.2f}", f"{v['f1']:.2f}")
                 for c, v in leaves.items() if v["support"]], ("leaf", "support", "P", "R", "F1")))
    print(f"\n{time.perf_counter() - t0:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
