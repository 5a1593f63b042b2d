"""Dictionary counting: ``dj.count`` beside cntext's ``sentiment(text, diction)``, in one run.

    python benchmarks/count.py [--chars 1000000] [--cntext-python PATH] [--json out.json]

cntext pins old numpy/pandas, so it lives in its own venv; the cntext side runs in a subprocess
of that interpreter (``--cntext-python``, else ``$CNTEXT_PYTHON``, else this interpreter if it
can import cntext, else ``../cntext-venv/bin/python`` beside the checkout) and times itself
there, so process start-up and imports are not counted. Make that venv with::

    python -m venv ../cntext-venv && ../cntext-venv/bin/pip install cntext==2.2.1 ipython psutil

(cntext 2.2.1 imports IPython and psutil at import time without declaring them.)

Text: the first ``--chars`` characters' worth of non-EVAL documents of ../shared/corpora
(whole documents, fixed order). Dictionary: one cntext-style ``{category: [words]}`` made from
the project's lexicons — four categories of core/curated.tsv (作风建设, 组织生活, 监督检查,
考核评价), the slogans of screening/stock_phrases.tsv (套话) and the idioms of
formalism/expressions.jsonl with their variants (形式主义表述) — keeping terms of two or more
Han characters only: jieba never keeps a term with punctuation as one token, so cntext could
never count those, and the comparison would measure that rather than the counting.

Speed: characters per second of ``dj.count(docs, diction)`` (one call on all documents), of
``[cntext.sentiment(t, diction) for t in docs]`` (the per-document call researchers use), and
of bare ``jieba.lcut`` (default settings, global tokenizer) as the common reference, measured
in each process before cntext touches jieba. Median of 3 runs after a warm-up run.

Agreement: cntext counts, per category, the jieba tokens (after its ``jieba.add_word(w,
freq=20000)`` of every dictionary word) that equal a word of that category. ``dj.count``
counts non-overlapping leftmost-longest occurrences of the terms on the characters, after
folding width, quotes and Traditional characters. On a dictionary of Han-only terms the two
coincide wherever jieba keeps each dictionary word whole, which its freq=20000 nearly always
makes it do. A (document, category) cell agrees when both counts are equal; the script prints
the share of agreeing cells, the totals per category and every disagreeing cell with the
occurrences ``dj.count`` found there; then, to separate the folding from the counting, the
agreement with cntext run (untimed, in a fresh process) on the folded texts. cntext's counts
are those of its first pass over the documents (fresh process, document order); what it counts
depends on how many calls came before, since every call adds 20000 per word to jieba's total
frequency, which favours longer tokens, so the script also prints how many cells change
between its first and its last pass.

Measured 2026-11-29 (262 terms in 6 categories; cntext 2.2.1 in /work/cntext-venv, jieba 0.42.1
in both venvs; speeds vary by about 20% between runs on this machine):

* default, 1,011,732 characters of 104 documents (45 s): dj.count 36.4 M chars/s, cntext
  148 k chars/s (0.27x bare jieba at 560 k chars/s), so dj.count = 245x cntext and 65x bare
  jieba (other runs: 236x-292x). Counts: 623 / 624 cells agree (2,774 vs 2,773 occurrences);
  the one that does not is a Traditional-character document (黨費), which dj.count folds and
  cntext does not: on the folded texts cntext agrees on 624 / 624.
* ``--chars 100000000`` (every non-EVAL document: 2,517,536 characters of 367 documents, 2 min):
  dj.count 40.7 M chars/s = 266x cntext (153 k chars/s, 0.27x bare jieba; other runs 317x,
  345x). 2,196 / 2,202 cells agree (4,835 vs 4,823 occurrences): 3 cells differ by folding
  (the 1954 government work report and the 1923 congress report, in Traditional characters),
  2 by cntext's drift (after hundreds of calls jieba keeps 官僚主义者 and 大打折扣 whole; in a
  fresh state it cuts 官僚主义/者 and 大/打折扣, as dj.count counts), and 1 by the semantics: 欠账 in
  拖欠账款, which jieba cuts 拖欠/账款 and dj.count counts (a false positive of matching on
  characters). On folded texts without drift: 2,201 / 2,202.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _corpus import ROOT, best_of, documents, require_shared, table

CURATED_CATEGORIES = ("作风建设", "组织生活", "监督检查", "考核评价")
HAN_TERM = re.compile(r"[\u4e00-\u9fff]{2,}")


def build_dictionary() -> dict[str, list[str]]:
    """The one cntext-style dictionary both counters get: Han-only terms of the project's lexicons."""
    lex = ROOT / "lexicons"
    d: dict[str, list[str]] = {}
    with open(lex / "core" / "curated.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["category"] in CURATED_CATEGORIES:
                d.setdefault(row["category"], []).append(row["term"])
    with open(lex / "screening" / "stock_phrases.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["category"] == "slogan":
                d.setdefault("套话", []).append(row["term"])
    with open(lex / "formalism" / "expressions.jsonl", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec["family"] == "idiom":
                d.setdefault("形式主义表述", []).extend([rec["text"], *rec.get("variants", [])])
    return {cat: sorted({t for t in terms if HAN_TERM.fullmatch(t)}) for cat, terms in d.items()}


def cntext_worker(in_path: str, out_path: str) -> None:
    """Runs in the cntext interpreter: bare jieba first, then cntext; only the calls are timed.

    With ``repeat == 0`` (the untimed diagnostic) it makes one pass as cntext does and then one
    pass with jieba's total frequency put back before every call, as in a fresh process.
    """
    with open(in_path, encoding="utf-8") as f:
        job = json.load(f)
    docs, diction, repeat = job["docs"], job["diction"], job["repeat"]
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    total0 = jieba.dt.total
    jieba_s = best_of(lambda: [jieba.lcut(t) for t in docs], repeat) if repeat else None  # before add_word

    import cntext

    def counts(res: list[dict]) -> list[list[int]]:
        return [[r[f"{cat}_num"] for cat in diction] for r in res]

    runs, times = [], []
    for i in range(repeat + 1):  # run 0 warms up and gives the fresh-process counts
        t = time.perf_counter()
        res = [cntext.sentiment(text, diction) for text in docs]
        if i:
            times.append(time.perf_counter() - t)
        runs.append(counts(res))
    out = {"cntext_s": statistics.median(times) if times else None, "jieba_s": jieba_s,
           "first": runs[0], "last": runs[-1], "cntext_version": cntext.__version__,
           "jieba_version": jieba.__version__, "python": sys.executable}
    if not repeat:
        res = []
        for text in docs:
            jieba.dt.total = total0  # add_word only sets FREQ[w] = 20000 again; total is all that drifts
            res.append(cntext.sentiment(text, diction))
        out["no_drift"] = counts(res)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(out, f)


def find_cntext_python(arg: str | None) -> str | None:
    if arg:
        return arg
    if os.environ.get("CNTEXT_PYTHON"):
        return os.environ["CNTEXT_PYTHON"]
    if importlib.util.find_spec("cntext") is not None:
        return sys.executable
    venv = ROOT.parent / "cntext-venv" / "bin" / "python"
    return str(venv) if venv.exists() else None


def run_cntext(python: str, docs: list[str], diction: dict[str, list[str]], repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        in_path, out_path = Path(tmp, "in.json"), Path(tmp, "out.json")
        in_path.write_text(json.dumps({"docs": docs, "diction": diction, "repeat": repeat}, ensure_ascii=False),
                           encoding="utf-8")
        try:
            proc = subprocess.run([python, __file__, "--cntext-worker", str(in_path), str(out_path)],
                                  capture_output=True, text=True)
        except OSError as e:
            sys.exit(f"cannot run the cntext interpreter {python}: {e}")
        if proc.returncode:
            sys.exit(f"the cntext side failed under {python}:\n{proc.stderr[-3000:]}")
        return json.loads(out_path.read_text(encoding="utf-8"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs (median), after one warm-up run")
    ap.add_argument("--cntext-python", help="interpreter that can import cntext (default: $CNTEXT_PYTHON, "
                    "this one, or ../cntext-venv/bin/python)")
    ap.add_argument("--json", help="also write the figures to this JSON file")
    ap.add_argument("--cntext-worker", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.cntext_worker:
        cntext_worker(*args.cntext_worker)
        return
    require_shared()

    import ahocorasick_rs
    import jieba
    import numpy as np

    import dangjian_nlp as dj
    from dangjian_nlp._normalize import fold

    recs, total = [], 0
    for d in documents():  # as _corpus.text_sample, keeping ids for the report
        recs.append(d)
        total += len(d["text"])
        if total >= args.chars:
            break
    docs = [d["text"] for d in recs]
    n_chars = sum(map(len, docs))
    diction = build_dictionary()
    cats = list(diction)
    python = find_cntext_python(args.cntext_python)
    if python is None:
        sys.exit("cntext not found: pass --cntext-python PATH or set CNTEXT_PYTHON (see the docstring for the venv)")

    jieba.setLogLevel(60)  # benchmark script only: silence jieba's start-up log
    jieba.initialize()
    jieba_s = best_of(lambda: [jieba.lcut(t) for t in docs], args.repeat)
    dj_s = best_of(lambda: dj.count(docs, diction), args.repeat)
    dj_counts = dj.count(docs, diction)[cats].to_numpy()
    ct = run_cntext(python, docs, diction, args.repeat)
    first, last = np.array(ct["first"]), np.array(ct["last"])
    # untimed, fresh process: cntext on the folded texts, as is and without drift, to tell causes apart
    diag = run_cntext(python, [fold(t) for t in docs], diction, 0)
    folded, no_drift = np.array(diag["first"]), np.array(diag["no_drift"])

    speed = {"dj.count": n_chars / dj_s, "cntext.sentiment": n_chars / ct["cntext_s"],
             "bare jieba.lcut (dj venv)": n_chars / jieba_s, "bare jieba.lcut (cntext venv)": n_chars / ct["jieba_s"]}
    same_process_jieba = {"dj.count": speed["bare jieba.lcut (dj venv)"],
                          "cntext.sentiment": speed["bare jieba.lcut (cntext venv)"],
                          "bare jieba.lcut (dj venv)": speed["bare jieba.lcut (dj venv)"],
                          "bare jieba.lcut (cntext venv)": speed["bare jieba.lcut (cntext venv)"]}
    base = speed["cntext.sentiment"]
    agree = dj_counts == first
    n_cells = agree.size

    print(f"text: {len(docs)} non-EVAL documents, {n_chars:,} characters")
    print(f"dictionary: {sum(map(len, diction.values()))} terms in {len(cats)} categories "
          f"({', '.join(f'{c} {len(v)}' for c, v in diction.items())})")
    print(f"cntext {ct['cntext_version']} with jieba {ct['jieba_version']} under {ct['python']}; "
          f"dj venv jieba {jieba.__version__}")
    print()
    print(table([(k, f"{v:,.0f}", f"{v / base:.2f}x", f"{v / same_process_jieba[k]:.2f}x") for k, v in speed.items()],
                ("counter", "chars/s", "vs cntext", "vs bare jieba.lcut (same process)")))
    print()
    print(table([(c, f"{dj_counts[:, j].sum():,}", f"{first[:, j].sum():,}", f"{int(agree[:, j].sum())} / {len(docs)}")
                 for j, c in enumerate(cats)]
                + [("all", f"{dj_counts.sum():,}", f"{first.sum():,}", f"{int(agree.sum())} / {n_cells}")],
                ("category", "dj.count total", "cntext total", "documents with equal counts")))
    print()
    print(f"agreement (document x category cells with equal counts): {int(agree.sum())} / {n_cells} "
          f"= {100 * agree.mean():.2f}%; occurrences dj.count {dj_counts.sum():,}, cntext {first.sum():,}")
    print(f"agreement with cntext given the folded texts (fresh process, untimed): "
          f"{int((dj_counts == folded).sum())} / {n_cells} = {100 * (dj_counts == folded).mean():.2f}%; "
          f"occurrences cntext {folded.sum():,}")
    print(f"... and without cntext's drift (jieba's total frequency put back before each call): "
          f"{int((dj_counts == no_drift).sum())} / {n_cells} = {100 * (dj_counts == no_drift).mean():.2f}%; "
          f"occurrences cntext {no_drift.sum():,}")
    for i, j in zip(*np.nonzero(~agree)):
        text = docs[i]
        ac = ahocorasick_rs.AhoCorasick(diction[cats[j]], matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
        hits = [f"…{text[max(0, a - 6):a]}[{text[a:b]}]{text[b:b + 6]}…"
                for _k, a, b in ac.find_matches_as_indexes(fold(text))]
        why = ("folding" if folded[i, j] == dj_counts[i, j] else
               "cntext drift" if no_drift[i, j] == dj_counts[i, j] else "jieba tokens")
        print(f"  differs: {recs[i]['id']} {cats[j]}: dj.count {dj_counts[i, j]}, cntext {first[i, j]} [{why}]; "
              f"dj.count found {' '.join(hits[:4]) or 'nothing'}")
    drift = int((first != last).sum())
    print(f"cntext drift: {drift} cell(s) differ between its first and its last pass over the same text "
          f"(agreement with its last run: {100 * (dj_counts == last).mean():.2f}%)")
    ratio = speed["dj.count"] / base
    print(f"dj.count / cntext: {ratio:.1f}x (target >= 30x: {'met' if ratio >= 30 else 'NOT met'})")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"chars": n_chars, "documents": len(docs), "dictionary": diction, "speed": speed,
                       "ratio_dj_count_vs_cntext": ratio, "cells": n_cells, "cells_agree": int(agree.sum()),
                       "cells_agree_folded": int((dj_counts == folded).sum()),
                       "cells_agree_folded_no_drift": int((dj_counts == no_drift).sum()),
                       "occurrences": {"dj.count": int(dj_counts.sum()), "cntext": int(first.sum())},
                       "cntext_drift_cells": drift, "cntext_version": ct["cntext_version"],
                       "jieba_version": ct["jieba_version"]}, f, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
