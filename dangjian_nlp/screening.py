"""Screening a batch of submitted reports: one ranked row per report, with evidence.

:func:`screen` reads each report, analyses it (sections, sentences, problem statements,
codes, formalism flags), computes the indicators of :mod:`dangjian_nlp.indicators`, finds
copied passages across the batch (and an optional reference folder), and ranks the
reports by a score whose parts are shown: reports that need a closer look come first;
files that could not be read follow, each with its reason.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .duplicates import paragraph_items
from .indicators import INDICATORS, Indicator, generic_problems, report_indicators

__all__ = ["SCREEN_COLUMNS", "WEIGHTS", "screen"]

WEIGHTS = {"slogans": 1.0, "activity_outcome": 1.0, "vague_commitments": 1.0, "rectification": 0.75,
           "generic_problems": 1.25, "absences": 1.5, "duplication": 2.0}
SCREEN_COLUMNS = ["rank", "score", "id", "path", "format", "title", "unit", "status", "error", "n_chars",
                  "sections", "n_sentences", "n_problems", "problem_codes", "n_flags", "flags",
                  *INDICATORS, *(f"{k}_concern" for k in INDICATORS), "copied_with", "score_parts", "readings",
                  "problems", "evidence", "text"]
_UNIT = re.compile(r"([\u4e00-\u9fff（）()]{2,24}?(?:党委|党总支|党支部|党组|支部委员会|委员会|工作委员会|街道|社区|村|镇|乡|局|"
                   r"公司|学校|医院|中心|管委会|办公室|集团))")


def _unit(title: str | None, text: str) -> str | None:
    for line in ([title] if title else []) + text.splitlines()[:3]:
        m = _UNIT.search(line or "")
        if m:
            name = re.sub(r"^(关于|在|20\d\d年度?|年度)", "", m.group(1))
            return name
    return None


def _inputs(paths_or_texts: Any, max_bytes: int, *, start: int = 0, defer: bool = False) -> Iterator[Any]:
    """One item per report: a :class:`~dangjian_nlp.readers.Record`, or with ``defer`` the
    ``Path`` of a single-document file (.txt/.md/.docx/.pdf), read later by whoever analyses
    it (the worker processes, so that reading and parsing .docx/.pdf runs in parallel too)."""
    from .readers import RECORD_SUFFIXES, Record, _expand, iter_records

    if isinstance(paths_or_texts, (str, os.PathLike)):
        paths_or_texts = [paths_or_texts]
    for k, item in enumerate(paths_or_texts, start=start):
        if isinstance(item, os.PathLike) or (isinstance(item, str) and "\n" not in item and len(item) < 1024
                                               and (os.path.exists(item) or Path(item).suffix)):
            if not defer:
                yield from iter_records([item], max_bytes=max_bytes)
                continue
            for path in _expand([item], True):
                if path.suffix.lower() in RECORD_SUFFIXES:
                    yield from iter_records([path], max_bytes=max_bytes)
                else:
                    yield path
        elif isinstance(item, str):
            first = next((ln.strip() for ln in item.splitlines() if ln.strip()), "")
            yield Record(f"text-{k + 1}", "", "text", None, first[:80] or None, item)
        else:
            yield Record(f"input-{k + 1}", "", "unknown", status="error",
                         error=f"expected a path or a text, got {type(item).__name__}")


def _analyse_one(rec: Any, model: Any, max_bytes: int = 0) -> dict[str, Any]:
    """Per-report work (runs in worker processes with jobs > 1); ``rec`` is a Record or the
    Path of a document file, read here."""
    from .api import analyze

    if isinstance(rec, Path):
        from .readers import DEFAULT_MAX_BYTES, _read_one

        rec = _read_one(rec, max_bytes or DEFAULT_MAX_BYTES)

    row: dict[str, Any] = {"id": rec.id, "path": rec.path, "format": rec.format, "title": rec.title,
                           "status": rec.status, "error": rec.error, "text": rec.text}
    if rec.status != "ok":
        return row
    text = rec.text or ""
    if not text.strip():
        row.update(status="error", error="empty document: no text to screen")
        return row
    doc = analyze(text, model=model)
    problems = [s for s in doc.sentences if s.is_problem]
    row.update(
        unit=_unit(rec.title, text), n_chars=len(text),
        sections=list(dict.fromkeys(sec.kind for sec in doc.sections if sec.kind != "other")),
        n_sentences=len(doc.sentences), n_problems=len(problems),
        problem_codes=dict(Counter(c for s in problems for c in s.labels).most_common()),
        n_flags=len(doc.flags), flags=[f.to_dict() for f in doc.flags],
        problems=[{"start": s.start, "end": s.end, "text": s.text, "labels": list(s.labels),
                   "score": s.problem_score, "section_kind": s.section_kind} for s in problems],
        readings={}, evidence=[],
    )
    for ind in report_indicators(doc).values():
        _put(row, ind)
    row["_paragraphs"] = paragraph_items(text)  # for the batch-wide copy search
    return row


def _put(row: dict[str, Any], ind: Indicator) -> None:
    row[ind.name] = ind.value
    row[f"{ind.name}_concern"] = round(ind.concern, 3)
    row["readings"][ind.name] = ind.reading
    row["evidence"].extend({"indicator": ind.name, **e} for e in ind.evidence)


def _worker(recs: list[Any]) -> list[dict[str, Any]]:
    from ._parallel import worker_state

    state = worker_state()
    rows = [_analyse_one(rec, state["model"], state["max_bytes"]) for rec in recs]
    for rec, row in zip(recs, rows):
        if not isinstance(rec, Path):
            row["text"] = None  # the parent has it: no need to send it back (the key keeps its place)
    return rows


def _shared_problem_sentences(rows: list[dict[str, Any]]) -> dict[str, set[int]]:
    """Problem statements that three or more reports of the batch state (almost) word for word.

    (Two reports sharing everything are a copied pair: the duplication indicator covers that.)
    """
    key = re.compile(r"[^\u3400-\u9fff]+")
    owners: dict[str, set[str]] = {}
    for row in rows:
        for p in row.get("problems", []):
            owners.setdefault(key.sub("", p["text"]), set()).add(row["id"])
    shared: dict[str, set[int]] = {}
    for row in rows:
        for p in row.get("problems", []):
            k = key.sub("", p["text"])
            if len(k) >= 6 and len(owners.get(k, ())) >= 3:
                shared.setdefault(row["id"], set()).add(p["start"])
    return shared


def screen(
    paths_or_texts: Any,
    *,
    model: Any = None,
    reference: Any = None,
    jobs: int = 1,
    scheduler: Any = None,
    progress: bool = False,
    max_bytes: int | None = None,
    duplicate_threshold: float = 0.6,
):  # -> pandas.DataFrame
    """Screen reports and rank them; one row per input, failures included.

    Parameters
    ----------
    paths_or_texts : path, folder, text, or an iterable of them
        Report files (.docx, .pdf, .txt/.md in UTF-8 or GB18030, .jsonl/.csv records) and
        folders; strings that are not paths are taken as report texts.
    model : ProblemTagger or path, optional
        The sentence tagger (the shipped default if None).
    reference : path or iterable, optional
        Earlier reports (e.g. last year's folder): passages copied from them are evidence.
    jobs : int
        Worker processes for the per-report analysis (results are identical to one job,
        in input order before ranking).
    scheduler : str or distributed.Client, optional
        Run the per-report analysis on a Dask cluster (``"tcp://host:8786"``); files are
        read here and their text sent, so the workers need no shared disk. Results equal
        the local run. ``paths_or_texts`` may also be a ``dask.bag`` of paths or texts,
        read and analysed where the bag's partitions live.
    progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SCREEN_COLUMNS`, sorted by ``score`` (highest first); rows of
        unreadable files come last with ``status="error"`` and the reason in ``error``.
    """
    import pandas as pd

    from .api import _resolve_model
    from .duplicates import copied_share, find_copies
    from .readers import DEFAULT_MAX_BYTES

    from ._dask import is_dask

    limit = max_bytes or DEFAULT_MAX_BYTES
    if is_dask(paths_or_texts):
        from ._dask import screen_bag

        rows = screen_bag(paths_or_texts, model, limit)
    else:
        # files are read by whoever analyses them (in parallel with jobs > 1); a Dask cluster
        # gets their text, so its workers need no shared disk
        records = list(_inputs(paths_or_texts, limit, defer=scheduler is None))
        bar = _progress(len(records), progress)
        if scheduler is not None:
            from ._dask import screen_on_cluster

            rows = screen_on_cluster(records, model, scheduler, bar)
        elif jobs and jobs > 1 and len(records) > 1:
            rows = _parallel(records, model, jobs, bar, limit)
        else:
            mdl = _resolve_model(model)
            rows = []
            for rec in records:
                rows.append(_analyse_one(rec, mdl, limit))
                bar.update(1)
        bar.close()
    seen: Counter[str] = Counter()
    for row in rows:  # ids must be unique within a batch
        seen[row["id"]] += 1
        if seen[row["id"]] > 1:
            row["id"] = f"{row['id']}#{seen[row['id']]}"
    ok = [r for r in rows if r["status"] == "ok"]
    shared = _shared_problem_sentences(ok)
    for row in ok:
        _put(row, generic_problems(row["problems"], shared.get(row["id"], set())))
    ref_docs: list[tuple[str, str]] = []
    if reference is not None:
        ref_rows = [r for r in _inputs(reference, limit) if r.status == "ok" and r.text]
        ref_docs = [(f"reference:{r.id}", r.text) for r in ref_rows]
    passages = find_copies([(r["id"], r["text"]) for r in ok], ref_docs, threshold=duplicate_threshold,
                           paragraphs=[r.pop("_paragraphs") for r in ok])
    by_doc: dict[str, list[Any]] = {}
    for p in passages:
        by_doc.setdefault(p.a, []).append(p)
        if p.b != p.a:
            by_doc.setdefault(p.b, []).append(p)
    for row in ok:
        mine = by_doc.get(row["id"], [])
        share = copied_share(row["id"], row["text"], mine) if mine else 0.0
        row["duplication"] = round(share, 3)
        row["duplication_concern"] = round(min(1.0, share / 0.5), 3)
        row["copied_with"] = sorted({p.b if p.a == row["id"] else p.a for p in mine})
        row.setdefault("readings", {})["duplication"] = (
            f"{share:.0%} 的段落与 {', '.join(row['copied_with'])} 几乎相同" if mine else "未发现与其他报告雷同的段落")
        for p in mine:
            own = (p.a_start, p.a_end) if p.a == row["id"] else (p.b_start, p.b_end)
            other = (p.b, p.b_start, p.b_end) if p.a == row["id"] else (p.a, p.a_start, p.a_end)
            row["evidence"].append({"indicator": "duplication", "start": own[0], "end": own[1],
                                    "text": row["text"][own[0]:own[1]], "other": other[0],
                                    "other_start": other[1], "other_end": other[2],
                                    "other_text": _text_of(other[0], rows, ref_docs)[other[1]:other[2]],
                                    "similarity": p.similarity,
                                    "reason": f"与 {other[0]} 的段落相似度 {p.similarity:.2f}"})
        parts = {k: round(WEIGHTS[k] * row[f"{k}_concern"], 3) for k in INDICATORS}
        row["score_parts"] = parts
        row["score"] = round(100 * sum(parts.values()) / sum(WEIGHTS.values()), 1)
        row["evidence"].sort(key=lambda e: (e["start"], e["indicator"]))
    for row in rows:
        if row["status"] != "ok":  # failed inputs keep the same columns, with empty evidence
            for col in ("sections", "problems", "flags", "evidence", "copied_with"):
                row.setdefault(col, [])
            for col in ("problem_codes", "readings", "score_parts"):
                row.setdefault(col, {})
    ranked = sorted(ok, key=lambda r: (-r["score"], r["id"])) + [r for r in rows if r["status"] != "ok"]
    for i, row in enumerate(ranked, start=1):
        row["rank"] = i if row["status"] == "ok" else None
    frame = pd.DataFrame(ranked)
    for col in SCREEN_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    return frame[SCREEN_COLUMNS + [c for c in frame.columns if c not in SCREEN_COLUMNS and not c.startswith("_")]]


def _text_of(doc_id: str, rows: list[dict[str, Any]], refs: list[tuple[str, str]]) -> str:
    for r in rows:
        if r["id"] == doc_id:
            return r["text"] or ""
    return next((t for d, t in refs if d == doc_id), "")


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, enabled: bool) -> Any:
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="份", desc="screening", leave=False)


def _parallel(records: list[Any], model: Any, jobs: int, bar: Any, max_bytes: int) -> list[dict[str, Any]]:
    from ._parallel import ordered_map
    from .api import _resolve_model

    # a few reports per task: fewer round trips, still enough tasks to balance the workers
    size = max(1, min(8, len(records) // (8 * jobs)))
    chunks = [records[i:i + size] for i in range(0, len(records), size)]
    state = {"model": _resolve_model(model), "max_bytes": max_bytes}
    rows = []
    for chunk, done in zip(chunks, ordered_map(_worker, chunks, jobs=jobs, state=state, in_flight=4 * jobs)):
        for rec, row in zip(chunk, done):
            if not isinstance(rec, Path):
                row["text"] = rec.text
            rows.append(row)
        bar.update(len(chunk))
    return rows
