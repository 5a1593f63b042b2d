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

__all__ = ["SCREEN_COLUMNS", "WEIGHTS", "screen", "screen_to_file"]

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


_KEY = re.compile(r"[^\u3400-\u9fff]+")


def _problem_keys(row: dict[str, Any]) -> list[tuple[int, bytes]]:
    """(start, digest) of each problem statement long enough to compare across reports: its Han
    characters only, so punctuation and spacing do not hide a shared sentence."""
    import hashlib

    out = []
    for p in row.get("problems", []):
        k = _KEY.sub("", p["text"])
        if len(k) >= 6:
            out.append((p["start"], hashlib.blake2b(k.encode("utf-8"), digest_size=12).digest()))
    return out


def _shared_problem_sentences(keys: dict[str, list[tuple[int, bytes]]]) -> dict[str, set[int]]:
    """Problem statements that three or more reports of the batch state (almost) word for word.

    (Two reports sharing everything are a copied pair: the duplication indicator covers that.)
    """
    owners: Counter[bytes] = Counter()
    for row_keys in keys.values():
        owners.update({k for _start, k in row_keys})
    shared: dict[str, set[int]] = {}
    for doc_id, row_keys in keys.items():
        for start, k in row_keys:
            if owners[k] >= 3:
                shared.setdefault(doc_id, set()).add(start)
    return shared


class _Rows:
    """The rows of a screening run, in input order: in memory, or with ``spill`` in a temporary
    file read back one row at a time, so that memory does not grow with the reports' text (what
    stays in memory per report: its id, score, problem digests and paragraph signatures). A
    row's text is stored apart from the rest, once, so that the copy search reads texts without
    parsing rows. Rows come back as they were put, numbers as Python numbers."""

    def __init__(self, spill: bool) -> None:
        import tempfile

        self._rows: list[dict[str, Any]] = []
        self._file = tempfile.TemporaryFile() if spill else None
        self._where: list[tuple[int, int, int, int]] = []  # row at, row size, text at, text size
        self._texts: dict[int, str] = {}  # the last texts read back

    def __len__(self) -> int:
        return len(self._where) if self._file is not None else len(self._rows)

    def _write(self, data: bytes) -> int:
        assert self._file is not None
        self._file.seek(0, os.SEEK_END)
        at = self._file.tell()
        self._file.write(data)
        return at

    def _read(self, at: int, n: int) -> bytes:
        assert self._file is not None
        self._file.seek(at)
        return self._file.read(n)

    def add(self, row: dict[str, Any]) -> int:
        if self._file is None:
            self._rows.append(row)
            return len(self._rows) - 1
        text = row.get("text")
        data = (text or "").encode("utf-8")
        self._where.append((0, 0, self._write(data), len(data) if text is not None else -1))
        i = len(self._where) - 1
        self.put(i, row)
        return i

    def put(self, i: int, row: dict[str, Any]) -> None:
        if self._file is None:
            self._rows[i] = row
            return
        import json

        from .report import _plain

        data = json.dumps({k: v for k, v in row.items() if k != "text"}, ensure_ascii=False,
                          default=_plain).encode("utf-8")
        _, _, t_at, t_n = self._where[i]
        self._where[i] = (self._write(data), len(data), t_at, t_n)

    def get(self, i: int) -> dict[str, Any]:
        if self._file is None:
            return self._rows[i]
        import json

        at, n, _, _ = self._where[i]
        row = json.loads(self._read(at, n))
        row["text"] = self.text(i) if self._where[i][3] >= 0 else None
        return row

    def text(self, i: int) -> str:
        if self._file is None:
            return self._rows[i].get("text") or ""
        if i not in self._texts:
            if len(self._texts) >= 64:
                self._texts.pop(next(iter(self._texts)))
            _, _, at, n = self._where[i]
            self._texts[i] = self._read(at, n).decode("utf-8") if n > 0 else ""
        return self._texts[i]

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


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

    See Also
    --------
    screen_to_file : the same ranking written to .jsonl/.csv with memory that does not grow
        with the reports' text (``dangjian screen -o report.jsonl`` uses it).
    """
    import pandas as pd

    rows = list(screen_rows(paths_or_texts, model=model, reference=reference, jobs=jobs, scheduler=scheduler,
                            progress=progress, max_bytes=max_bytes, duplicate_threshold=duplicate_threshold))
    frame = pd.DataFrame(rows)
    for col in SCREEN_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    return frame[SCREEN_COLUMNS + [c for c in frame.columns if c not in SCREEN_COLUMNS and not c.startswith("_")]]


def screen_to_file(paths_or_texts: Any, output: str | os.PathLike[str], **options: Any) -> list[dict[str, Any]]:
    """Screen reports like :func:`screen` and write the ranked rows to ``output`` (.jsonl or
    .csv) as they come, with the analysed reports kept in a temporary file rather than in
    memory: peak memory stays near that of a small batch however many reports there are.

    Returns the rows' ``rank, score, id, path, status, error`` (for a summary), in rank order.
    ``options`` are those of :func:`screen`.
    """
    from .report import write_rows

    summary: list[dict[str, Any]] = []

    def rows() -> Iterator[dict[str, Any]]:
        for row in screen_rows(paths_or_texts, spill=True, **options):
            summary.append({k: row.get(k) for k in ("rank", "score", "id", "path", "status", "error")})
            yield row

    write_rows(rows(), output)
    return summary


def screen_rows(
    paths_or_texts: Any,
    *,
    model: Any = None,
    reference: Any = None,
    jobs: int = 1,
    scheduler: Any = None,
    progress: bool = False,
    max_bytes: int | None = None,
    duplicate_threshold: float = 0.6,
    spill: bool = False,
) -> Iterator[dict[str, Any]]:
    """The ranked rows of :func:`screen`, one dict at a time; with ``spill`` the analysed reports
    wait in a temporary file, not in memory."""
    from .duplicates import find_copies
    from .readers import DEFAULT_MAX_BYTES

    limit = max_bytes or DEFAULT_MAX_BYTES
    store = _Rows(spill)
    try:
        ids: list[str] = []
        handle: dict[str, int] = {}
        keys: dict[str, list[tuple[int, bytes]]] = {}
        ok: list[int] = []
        paragraphs = []
        seen: Counter[str] = Counter()
        for row in _analysed(paths_or_texts, model, jobs, scheduler, progress, limit):
            seen[row["id"]] += 1
            if seen[row["id"]] > 1:  # ids must be unique within a batch
                row["id"] = f"{row['id']}#{seen[row['id']]}"
            paras = row.pop("_paragraphs", [])
            i = store.add(row)
            ids.append(row["id"])
            handle[row["id"]] = i
            if row["status"] == "ok":
                ok.append(i)
                keys[row["id"]] = _problem_keys(row)
                paragraphs.append(paras)
        n_refs = 0
        if reference is not None:
            for rec in _inputs(reference, limit):
                if rec.status == "ok" and rec.text:
                    ref_id = f"reference:{rec.id}"
                    handle[ref_id] = store.add({"id": ref_id, "text": rec.text})
                    ids.append(ref_id)
                    paragraphs.append(paragraph_items(rec.text))
                    n_refs += 1
        refs = list(range(len(store) - n_refs, len(store)))
        order = ok + refs  # find_copies's document numbering: the batch's reports, then the references
        passages = find_copies([(ids[i], None) for i in ok], [(ids[i], None) for i in refs],
                               threshold=duplicate_threshold, paragraphs=paragraphs,
                               text_of=lambda di: store.text(order[di]))
        by_doc: dict[str, list[Any]] = {}
        for p in passages:
            by_doc.setdefault(p.a, []).append(p)
            if p.b != p.a:
                by_doc.setdefault(p.b, []).append(p)
        shared = _shared_problem_sentences(keys)
        scores: list[tuple[float, str, int]] = []
        for i in ok:
            row = store.get(i)
            _put(row, generic_problems(row["problems"], shared.get(row["id"], set())))
            _duplication(row, by_doc.get(row["id"], []), lambda doc_id: store.text(handle[doc_id]))
            store.put(i, row)
            scores.append((-row["score"], row["id"], i))
        done = set(ok)
        failed = [i for i in range(len(store) - n_refs) if i not in done]
        ranked = [i for _score, _id, i in sorted(scores)] + failed
        for rank, i in enumerate(ranked, start=1):
            row = store.get(i)
            if row["status"] != "ok":  # failed inputs keep the same columns, with empty evidence
                for col in ("sections", "problems", "flags", "evidence", "copied_with"):
                    row.setdefault(col, [])
                for col in ("problem_codes", "readings", "score_parts"):
                    row.setdefault(col, {})
            row["rank"] = rank if row["status"] == "ok" else None
            yield row
    finally:
        store.close()


def _analysed(paths_or_texts: Any, model: Any, jobs: int, scheduler: Any, progress: bool,
              limit: int) -> Iterator[dict[str, Any]]:
    """The analysed rows of the inputs, in input order (with ``_paragraphs`` for the copy search)."""
    from ._dask import is_dask
    from .api import _resolve_model

    if is_dask(paths_or_texts):
        from ._dask import screen_bag

        yield from screen_bag(paths_or_texts, model, limit)
        return
    # files are read by whoever analyses them (in parallel with jobs > 1); a Dask cluster
    # gets their text, so its workers need no shared disk
    records = list(_inputs(paths_or_texts, limit, defer=scheduler is None))
    bar = _progress(len(records), progress)
    try:
        if scheduler is not None:
            from ._dask import screen_on_cluster

            yield from screen_on_cluster(records, model, scheduler, bar)
        elif jobs and jobs > 1 and len(records) > 1:
            yield from _parallel(records, model, jobs, bar, limit)
        else:
            from ._parallel import frozen_gc

            mdl = _resolve_model(model)
            with frozen_gc():
                for rec in records:
                    yield _analyse_one(rec, mdl, limit)
                    bar.update(1)
    finally:
        bar.close()


def _duplication(row: dict[str, Any], mine: list[Any], text_of: Any) -> None:
    """The duplication indicator of ``row`` from its copied passages, and its score."""
    from .duplicates import copied_share

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
                                "other_text": text_of(other[0])[other[1]:other[2]],
                                "similarity": p.similarity,
                                "reason": f"与 {other[0]} 的段落相似度 {p.similarity:.2f}"})
    parts = {k: round(WEIGHTS[k] * row[f"{k}_concern"], 3) for k in INDICATORS}
    row["score_parts"] = parts
    row["score"] = round(100 * sum(parts.values()) / sum(WEIGHTS.values()), 1)
    row["evidence"].sort(key=lambda e: (e["start"], e["indicator"]))


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


_CHUNK_CHARS = 12_000
_MIN_CHUNK_CHARS = 3_000


def _size(rec: Any) -> int:
    """About how many characters a report has (a file's bytes / 3: UTF-8 Chinese)."""
    if isinstance(rec, Path):
        try:
            return rec.stat().st_size // 3
        except OSError:
            return 0
    return len(rec.text or "")


def _chunks(records: list[Any], jobs: int) -> list[list[Any]]:
    """Consecutive reports in tasks of about 12,000 characters (a long report alone): few round trips.
    Towards the end the tasks shrink (guided scheduling: a quarter of what each process has left,
    down to 3,000 characters), so that at the end no process waits long for another's last task."""
    sizes = [_size(rec) for rec in records]
    left = sum(sizes)
    most_reports = max(1, len(records) // (8 * jobs))
    chunks: list[list[Any]] = []
    total = target = 0
    for rec, n in zip(records, sizes):
        if not chunks or total + n > target or len(chunks[-1]) >= most_reports:
            chunks.append([])
            total = 0
            target = max(_MIN_CHUNK_CHARS, min(_CHUNK_CHARS, left // (4 * jobs)))
        chunks[-1].append(rec)
        total += n
        left -= n
    return chunks


def _parallel(records: list[Any], model: Any, jobs: int, bar: Any, max_bytes: int) -> Iterator[dict[str, Any]]:
    from ._parallel import ordered_map
    from .api import _resolve_model

    chunks = _chunks(records, jobs)
    state = {"model": _resolve_model(model), "max_bytes": max_bytes}
    from .readers import Record

    warm = Record("warm", "", "text", None, None, "一、存在的问题\n支部重部署轻落实，考核只看台账。\n二、下步打算\n要进一步加强学习。")
    for chunk, done in zip(chunks, ordered_map(_worker, chunks, jobs=jobs, state=state, in_flight=4 * jobs,
                                               parent_works=True,
                                               warm=lambda: _analyse_one(warm, state["model"], max_bytes))):
        for rec, row in zip(chunk, done):
            if not isinstance(rec, Path):
                row["text"] = rec.text
            yield row
        bar.update(len(chunk))
