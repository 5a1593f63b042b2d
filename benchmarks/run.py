"""Speed and scale of the whole pipeline beside bare jieba, in one run.

    python benchmarks/run.py [--chars 1000000] [--reports 200] [--memory-mb 100] [--json out.json]

On the non-EVAL documents of ../shared/corpora (in a fixed order, up to ``--chars``
characters; split into sentences with ``dj.split_sentences``), each stage is timed beside
bare ``jieba.lcut`` on the same text, measured in the same run right before it (median of
three runs after a warm-up; these machines are noisy, so read the ratios):

* ``cut`` — ``dj.cut`` of each document (domain lexicon + rjieba);
* ``patterns`` — ``PatternMatcher.find`` of each document; ``patterns, sentence batches`` —
  ``find_many`` over the sentences, as ``tag`` calls it (the sentence joins and the per-sentence
  context windows cost more than whole documents do);
* ``tag`` — ``tag_records`` over the sentences in batches of 2,000: normalisation,
  segmentation, patterns, features and the model — everything ``dangjian tag`` does but
  reading and writing JSON;
* ``tag, 2 jobs`` and ``screen`` of ``--reports`` reports with 1 and 2 jobs (non-EVAL documents
  of at least 1,500 characters written as .txt files, once cut to their first 3,000 characters
  and once at full length): the scaling from 1 to 2. Timed in a warm process, like every stage;
  a one-shot ``dangjian screen`` also pays about half a second of serial start-up. The scaling
  figure is the median of five ratios of back-to-back pairs (1 job, then 2 jobs), so that a
  slow minute of a noisy machine weighs on both sides of a ratio, not on one stage;
* cold start: wall time of ``dangjian tag -`` on one sentence in a new process (beside a
  new process that imports jieba and cuts the same sentence);
* peak memory (max RSS) of ``dangjian tag`` over a 10 MB and a ``--memory-mb`` MB JSONL
  file of the same sentences repeated: the streaming makes the two nearly equal;
* peak memory of ``dangjian screen DIR -o report.jsonl`` over 100 and 8 times as many
  distinct 3,000-character reports (consecutive pieces of the non-EVAL documents): the
  analysed reports wait in a temporary file, so the two are nearly equal too.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _corpus import best_of, documents, require_shared, table, text_sample

SENTENCE = "考核仍以听汇报、看资料、查台账为主，重留痕轻实效的问题没有根本解决。"


def _run_wall(cmd: list[str], stdin: str = "") -> float:
    t = time.perf_counter()
    subprocess.run(cmd, input=stdin.encode("utf-8"), stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


def cold_start() -> tuple[float, float]:
    """Median wall seconds of ``dangjian tag -`` on one sentence, and of jieba in a new process."""
    tag = [sys.executable, "-m", "dangjian_nlp", "tag", "-", "-q"]
    jieba = [sys.executable, "-c", f"import jieba; jieba.setLogLevel(60); jieba.lcut({SENTENCE!r})"]
    line = json.dumps({"text": SENTENCE}, ensure_ascii=False) + "\n"
    _run_wall(tag, line)  # the first run fills the model cache
    _run_wall(jieba)
    return (statistics.median(_run_wall(tag, line) for _ in range(5)),
            statistics.median(_run_wall(jieba) for _ in range(5)))


def peak_rss_mb(*args: str) -> float:
    """Max RSS in MB of ``dangjian ARGS...`` (measured by a parent that runs only it)."""
    probe = ("import resource, subprocess, sys; "
             "subprocess.run([sys.executable, '-m', 'dangjian_nlp', *sys.argv[1:]]); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1]) / 1024


def write_reports(folder: Path, n: int) -> int:
    """``n`` distinct reports of 3,000 characters (consecutive pieces of the non-EVAL documents)."""
    folder.mkdir()
    k = 0
    for d in documents():
        for i in range(0, len(d["text"]) - 1500, 3000):
            if k == n:
                return k
            (folder / f"r{k:05d}.txt").write_text(d["text"][i:i + 3000], encoding="utf-8")
            k += 1
    return k


def write_jsonl(path: Path, sentences: list[str], mb: float) -> int:
    """Sentences repeated into a JSONL file of about ``mb`` megabytes; the number of records."""
    lines = [json.dumps({"text": s}, ensure_ascii=False) + "\n" for s in sentences]
    target, size, n = mb * 1e6, 0, 0
    with open(path, "w", encoding="utf-8") as f:
        while size < target:
            line = lines[n % len(lines)]
            f.write(line)
            size += len(line.encode("utf-8"))
            n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chars", type=int, default=1_000_000)
    ap.add_argument("--reports", type=int, default=200)
    ap.add_argument("--memory-mb", type=float, default=100, help="size of the large JSONL (0: skip memory)")
    ap.add_argument("--json", metavar="OUT")
    args = ap.parse_args()
    require_shared()
    import jieba

    import dangjian_nlp as dj
    from dangjian_nlp.api import tag_records
    from dangjian_nlp.model import default_model
    from dangjian_nlp.patterns import default_matcher

    jieba.setLogLevel(60)
    jieba.initialize()
    docs = text_sample(args.chars)
    sentences = [d[s.start:s.end] for d in docs for s in dj.split_sentences(d)]
    n_doc_chars, n_sent_chars = sum(map(len, docs)), sum(map(len, sentences))
    model, matcher = default_model(), default_matcher()
    records = [{"text": s} for s in sentences]

    def tag(jobs: int) -> None:
        tag_records(records, model=model, n_jobs=jobs, batch_size=2000)

    results: dict[str, dict[str, float]] = {}

    def stage(name: str, n_chars: int, fn, base_texts: list[str]) -> None:  # type: ignore[no-untyped-def]
        t_jieba = best_of(lambda: [jieba.lcut(t) for t in base_texts])
        t = best_of(fn)
        results[name] = {"seconds": t, "chars_per_s": n_chars / t, "jieba_seconds": t_jieba,
                         "vs_jieba": t_jieba / t}

    stage("cut", n_doc_chars, lambda: [dj.cut(d) for d in docs], docs)
    stage("patterns", n_doc_chars, lambda: [matcher.find(d) for d in docs], docs)
    stage("patterns, sentence batches", n_sent_chars, lambda: matcher.find_many(sentences), sentences)
    paired: dict[str, float] = {}

    def scaling(name: str, n_chars: int, one, two, base_texts: list[str]) -> None:  # type: ignore[no-untyped-def]
        """Both stages, then the median ratio of five back-to-back (1 job, 2 jobs) pairs."""
        stage(name, n_chars, one, base_texts)
        stage(f"{name}, 2 jobs", n_chars, two, base_texts)
        ratios = []
        for _ in range(5):
            t1 = time.perf_counter()
            one()
            t2 = time.perf_counter()
            two()
            ratios.append((t2 - t1) / (time.perf_counter() - t2))
        paired[name] = statistics.median(ratios)

    scaling("tag", n_sent_chars, lambda: tag(1), lambda: tag(2), sentences)

    reports = [d for d in documents() if len(d["text"]) >= 1500][: args.reports]
    with tempfile.TemporaryDirectory() as tmp:
        # two shapes of batch: reports cut to 3,000 characters (a typical 述职报告) and the same
        # documents at full length (median ~5,300 characters, long work reports among them)
        for label, cap in (("", 3000), (", full length", None)):
            folder = Path(tmp) / f"reports{cap}"
            folder.mkdir()
            texts = [d["text"][:cap] for d in reports]
            for d, text in zip(reports, texts):
                (folder / f"{d['id']}.txt").write_text(text, encoding="utf-8")
            n_rep = sum(map(len, texts))
            name = f"screen {len(reports)} reports{label}"
            scaling(name, n_rep, lambda: dj.screen(folder, jobs=1), lambda: dj.screen(folder, jobs=2), texts)

        rows = [(k, f"{v['seconds']:.2f}", f"{v['chars_per_s']:,.0f}", f"{v['jieba_seconds']:.2f}",
                 f"{v['vs_jieba']:.2f}x") for k, v in results.items()]
        print(f"{len(docs)} documents, {n_doc_chars:,} characters; {len(sentences):,} sentences, "
              f"{n_sent_chars:,} characters (non-EVAL documents of ../shared/corpora)\n")
        print(table(rows, ("stage", "seconds", "chars/s", "jieba s", "speed vs jieba.lcut")))
        scr = f"screen {len(reports)} reports"
        scaled = {"tag": paired["tag"], "screen": paired[scr],
                  "screen, full length": paired[f"{scr}, full length"]}
        print(f"\nscaling 1 -> 2 jobs (cores: {os.cpu_count()}; median of 5 back-to-back pairs): "
              f"tag {scaled['tag']:.2f}x, screen {scaled['screen']:.2f}x (3,000-character reports), "
              f"{scaled['screen, full length']:.2f}x (full length)")

        cold, cold_jieba = cold_start()
        print(f"cold start, one sentence: dangjian tag {cold:.2f} s (new process importing jieba and "
              f"cutting it: {cold_jieba:.2f} s)")
        memory = {}
        if args.memory_mb:
            for mb in (10, args.memory_mb):
                path = Path(tmp) / f"tag-{mb:g}mb.jsonl"
                n = write_jsonl(path, sentences, mb)
                t = time.perf_counter()
                memory[f"{mb:g}MB"] = {"records": n, "peak_rss_mb": peak_rss_mb("tag", str(path), "-o", os.devnull,
                                                                                   "-q"),
                                       "seconds": time.perf_counter() - t}
                path.unlink()
            small, large = memory["10MB"], memory[f"{args.memory_mb:g}MB"]
            print(f"peak memory of dangjian tag: {small['peak_rss_mb']:.0f} MB over 10 MB of JSONL "
                  f"({small['records']:,} records), {large['peak_rss_mb']:.0f} MB over {args.memory_mb:g} MB "
                  f"({large['records']:,} records, {large['seconds']:.0f} s): "
                  f"ratio {large['peak_rss_mb'] / small['peak_rss_mb']:.2f}")
        for n in (100, 800):
            folder = Path(tmp) / f"screen-{n}"
            k = write_reports(folder, n)
            t = time.perf_counter()
            memory[f"screen {n}"] = {"reports": k, "chars": sum(len(f.read_text(encoding="utf-8"))
                                                                for f in folder.iterdir()),
                                     "peak_rss_mb": peak_rss_mb("screen", str(folder), "-o",
                                                                str(Path(tmp) / "screen.jsonl"), "-q"),
                                     "seconds": time.perf_counter() - t}
        small, large = memory["screen 100"], memory["screen 800"]
        print(f"peak memory of dangjian screen -o report.jsonl: {small['peak_rss_mb']:.0f} MB over "
              f"{small['reports']} reports ({small['chars']:,} chars), {large['peak_rss_mb']:.0f} MB over "
              f"{large['reports']} reports ({large['chars']:,} chars, {large['seconds']:.0f} s): "
              f"ratio {large['peak_rss_mb'] / small['peak_rss_mb']:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"stages": results, "scaling": scaled, "cold_start_s": cold,
                                               "cold_start_jieba_s": cold_jieba, "memory": memory,
                                               "cores": os.cpu_count()}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
