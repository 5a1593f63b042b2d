"""Screening time: the bundled samples, and 200 reports, with 1 and 2 jobs, in one run.

    python benchmarks/screening.py [--reports 200] [--json out.json]

The 200 reports are the first 3,000 characters of 200 non-EVAL documents of
../shared/corpora (government work reports, speeches, State Council documents …), written
to a temporary folder as UTF-8 .txt files; the baseline is bare ``jieba.lcut`` over the
same texts in the same run.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from _corpus import ROOT, documents, require_shared, table


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=200)
    ap.add_argument("--json")
    args = ap.parse_args()
    require_shared()
    import jieba

    import dangjian_nlp as dj

    jieba.setLogLevel(60)
    jieba.initialize()
    dj.screen([ROOT / "corpora" / "samples" / "03-guiyuan-community.txt"])  # load the model once
    samples = ROOT / "corpora" / "samples"
    n_samples = len(list(samples.iterdir()))
    t_samples = timed(lambda: dj.screen(samples))
    docs = [d for d in documents() if len(d["text"]) >= 1500][: args.reports]
    with tempfile.TemporaryDirectory() as tmp:
        for d in docs:
            (Path(tmp) / f"{d['id']}.txt").write_text(d["text"][:3000], encoding="utf-8")
        texts = [d["text"][:3000] for d in docs]
        n_chars = sum(map(len, texts))
        t_jieba = timed(lambda: [jieba.lcut(t) for t in texts])
        t1 = timed(lambda: dj.screen(tmp, jobs=1))
        t2 = timed(lambda: dj.screen(tmp, jobs=2))
    rows = [(f"{n_samples} bundled samples, 1 job", f"{t_samples:.2f}", "", ""),
            (f"{len(docs)} reports ({n_chars:,} chars), 1 job", f"{t1:.2f}", f"{n_chars / t1:,.0f}",
             f"{t_jieba / t1:.2f}x"),
            (f"{len(docs)} reports, 2 jobs", f"{t2:.2f}", f"{n_chars / t2:,.0f}", f"{t_jieba / t2:.2f}x"),
            (f"bare jieba.lcut on the same {len(docs)} texts", f"{t_jieba:.2f}", f"{n_chars / t_jieba:,.0f}", "1.00x")]
    print(table(rows, ("run", "seconds", "chars/s", "speed vs jieba")))
    print(f"jobs 2 / jobs 1 speed-up: {t1 / t2:.2f}x")
    if args.json:
        Path(args.json).write_text(json.dumps({"samples_s": t_samples, "reports": len(docs), "jobs1_s": t1,
                                               "jobs2_s": t2, "jieba_s": t_jieba}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
