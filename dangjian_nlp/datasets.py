"""Labelled sentences: read them from JSONL/CSV files and folders.

Two record shapes are understood (one per line in ``.jsonl``, one per row in ``.csv``):

* **text records**: ``{"id", "text", "is_problem", "labels", …}``. ``labels`` is a list of
  codes or a string ``"2.2;3.3"``; ``is_problem`` defaults to "has labels".
* **pointer records** into a corpus folder (the project's real sentences, stored without
  their text): ``{"id", "corpus", "doc_id", "start", "end", "sha1", "is_problem", "labels"}``.
  The text is read from ``<corpora>/<corpus>/*.jsonl`` at run time and checked against
  ``sha1`` (first 12 hex digits of the SHA-1 of the UTF-8 sentence).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import DangjianWarning, InputError, LexiconError
from .tagger import PROBLEM

__all__ = ["find_corpora", "load_labelled", "targets"]

COLUMNS = ["id", "text", "is_problem", "labels", "source", "corpus", "doc_id", "start", "end", "register", "file"]


def _labels(value: Any) -> list[str]:
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).strip()
    if text.startswith("["):
        return _labels(json.loads(text))
    for sep in (";", "|", ",", "，", " "):
        if sep in text:
            return [p.strip() for p in text.split(sep) if p.strip()]
    return [text]


def _bool(value: Any, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "y", "是", "t"}:
        return True
    if text in {"0", "false", "no", "n", "否", "f"}:
        return False
    raise ValueError(f"is_problem must be true/false or 1/0, got {value!r}")


def find_corpora(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The ``shared/corpora`` folder next to the repository that holds ``start``, if any."""
    env = os.environ.get("DANGJIAN_CORPORA")
    if env:
        return Path(env) if Path(env).is_dir() else None
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        cand = folder.parent / "shared" / "corpora"
        if (folder / "pyproject.toml").is_file() and cand.is_dir():
            return cand
    return None


class _Documents:
    def __init__(self, corpora: Path | None) -> None:
        self.corpora = corpora
        self._cache: dict[str, dict[str, str]] = {}

    def text(self, corpus: str, doc_id: str) -> str | None:
        if self.corpora is None:
            return None
        if corpus not in self._cache:
            docs: dict[str, str] = {}
            for path in sorted((self.corpora / corpus).glob("*.jsonl")):
                for line in path.read_text(encoding="utf-8").splitlines():
                    rec = json.loads(line)
                    docs[rec["id"]] = rec["text"]
            self._cache[corpus] = docs
        return self._cache[corpus].get(doc_id)


def _records(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        for n, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            yield n, dict(row)
        return
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as err:
                raise LexiconError(path, [(n, f"invalid JSON: {err.msg}")]) from None


def load_labelled(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    corpora: str | os.PathLike[str] | None = None,
    exclude_corpora: Iterable[str] = (),
):  # -> pandas.DataFrame
    """Read labelled sentences from files or folders (``.jsonl`` and ``.csv``).

    Parameters
    ----------
    paths : path or iterable of paths
    corpora : path, optional
        The folder pointer records point into; found next to the repository if omitted.
        Pointer records are skipped with a warning when it cannot be found.
    exclude_corpora : iterable of str
        Corpus folder names whose pointer records are left out.

    Returns
    -------
    pandas.DataFrame
        Columns ``id, text, is_problem, labels, source, corpus, doc_id, start, end, register, file``.
    """
    import pandas as pd

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.suffix.lower() in (".jsonl", ".csv"))
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(f"{p}: no such file or folder of labelled sentences")
    docs = _Documents(Path(corpora) if corpora else find_corpora(files[0] if files else None))
    excluded = set(exclude_corpora)
    rows, errors, skipped = [], {}, 0
    for f in files:
        errs: list[tuple[int, str]] = []
        for n, rec in _records(f):
            try:
                labels = _labels(rec.get("labels"))
                is_problem = _bool(rec.get("is_problem"), bool(labels))
            except (ValueError, json.JSONDecodeError) as err:
                errs.append((n, str(err)))
                continue
            row = {"id": str(rec.get("id") or f"{f.stem}:{n}"), "is_problem": is_problem, "labels": labels,
                   "source": rec.get("source"), "corpus": rec.get("corpus"), "doc_id": rec.get("doc_id"),
                   "start": rec.get("start"), "end": rec.get("end"), "register": rec.get("register"),
                   "file": str(f)}
            if isinstance(rec.get("text"), str):
                row["text"] = rec["text"]
            elif {"corpus", "doc_id", "start", "end"} <= set(rec):
                if rec["corpus"] in excluded:
                    continue
                doc = docs.text(str(rec["corpus"]), str(rec["doc_id"]))
                if doc is None:
                    skipped += 1
                    continue
                sentence = doc[int(rec["start"]):int(rec["end"])]
                digest = hashlib.sha1(sentence.encode("utf-8")).hexdigest()[:12]
                if rec.get("sha1") and rec["sha1"] != digest:
                    errs.append((n, f"text at {rec['doc_id']}[{rec['start']}:{rec['end']}] does not match its sha1 "
                                    "(the corpus changed?)"))
                    continue
                row["text"] = sentence
                row["source"] = row["source"] or f"{rec['corpus']}/{rec['doc_id']}"
            else:
                errs.append((n, "record has neither 'text' nor corpus/doc_id/start/end"))
                continue
            rows.append(row)
        if errs:
            errors[f] = errs
    if errors:
        path, errs = next(iter(errors.items()))
        raise LexiconError(path, errs)
    if skipped:
        warnings.warn(f"{skipped} pointer records skipped: their corpus folder was not found "
                      "(pass corpora=… or set DANGJIAN_CORPORA)", DangjianWarning, stacklevel=2)
    return pd.DataFrame(rows, columns=COLUMNS)


def targets(frame: Any) -> list[list[str]]:
    """Multi-label targets for :class:`~dangjian_nlp.ProblemTagger` from a labelled frame."""
    out = []
    for is_problem, labels in zip(frame["is_problem"], frame["labels"]):
        labels = [c for c in labels if c != PROBLEM]
        out.append(labels if labels else ([PROBLEM] if is_problem else []))
    return out


def eval_ids(corpora: str | os.PathLike[str]) -> set[str]:
    """Document ids listed in ``EVAL.txt`` of a corpora folder (reserved for evaluation)."""
    path = Path(corpora) / "EVAL.txt"
    if not path.is_file():
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()
    return {x.strip() for x in lines if x.strip() and not x.startswith("#")}


def unlabelled_sentences(
    corpora: str | os.PathLike[str],
    n: int,
    *,
    exclude_corpora: Iterable[str] = (),
    exclude_docs: Iterable[str] = (),
    exclude_texts: Iterable[str] = (),
) -> list[str]:
    """A deterministic sample of ``n`` sentences of the non-EVAL documents, for self-training.

    Documents of ``EVAL.txt`` are never read. Sentences are 12–200 characters with Chinese
    text, not headings, and not among ``exclude_texts``.
    """
    from .structure import split_sentences

    corpora = Path(corpora)
    skip_docs = eval_ids(corpora) | set(exclude_docs)
    skip_corpora = set(exclude_corpora)
    skip_texts = set(exclude_texts)
    pool: list[str] = []
    for path in sorted(corpora.glob("*/*.jsonl")):
        if path.parent.name in skip_corpora or path.parent.name == "lexicons":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec["id"] in skip_docs:
                continue
            for s in split_sentences(rec["text"]):
                if 12 <= len(s.text) <= 200 and not s.heading and s.text not in skip_texts:
                    pool.append(s.text)
    pool = sorted(set(pool))
    if n >= len(pool):
        return pool
    step = len(pool) / n
    return [pool[int(i * step)] for i in range(n)]
