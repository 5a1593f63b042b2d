"""Shared helpers of the benchmarks: the non-EVAL documents of ../shared/corpora and timing."""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def require_shared() -> Path:
    if not (SHARED / "corpora" / "EVAL.txt").is_file():
        print(f"skipped: {SHARED}/corpora is absent (the benchmarks measure on the shared corpora)")
        sys.exit(0)
    return SHARED


def eval_ids() -> set[str]:
    lines = (SHARED / "corpora" / "EVAL.txt").read_text(encoding="utf-8").splitlines()
    return {x.strip() for x in lines if x.strip() and not x.startswith("#")}


def documents(*, include_eval: bool = False) -> list[dict]:
    """Every document of the corpora folders; EVAL documents only when asked explicitly."""
    skip = set() if include_eval else eval_ids()
    docs = []
    for path in sorted((SHARED / "corpora").glob("*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec["id"] not in skip:
                rec["corpus"] = path.parent.name
                docs.append(rec)
    return docs


def text_sample(max_chars: int) -> list[str]:
    """Non-EVAL documents, in a fixed order, up to about ``max_chars`` characters."""
    out, total = [], 0
    for d in documents():
        out.append(d["text"])
        total += len(d["text"])
        if total >= max_chars:
            break
    return out


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """Median wall time of ``repeat`` runs (after the first, which warms caches)."""
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def table(rows: list[tuple], headers: tuple[str, ...]) -> str:
    cols = list(zip(headers, *rows))
    widths = [max(len(str(c)) for c in col) for col in cols]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [line.format(*headers), line.format(*("-" * w for w in widths))]
    out += [line.format(*(str(c) for c in r)) for r in rows]
    return "\n".join(out)
