"""The convenient entry points: :func:`tag` for sentences and :func:`analyze` for documents.

Both use the shipped default tagger and pattern matcher unless given others, loaded once
per process and shared read-only.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError
from .patterns import Flag, PatternMatcher, default_matcher

__all__ = ["Document", "SentenceResult", "TAG_COLUMNS", "analyze", "tag"]

TAG_COLUMNS = ["id", "text", "is_problem", "problem_score", "labels", "scores", "flags", "error"]
TAG_DTYPES = {"is_problem": object, "problem_score": "float64", "labels": object, "scores": object, "flags": object,
              "error": object}
MAX_SENTENCE_CHARS = 5000
_HAN = re.compile(r"[\u3400-\u9fff]")


def _resolve_model(model: Any) -> Any:
    from .model import default_model, load_model

    if model is None:
        return default_model()
    if isinstance(model, (str, os.PathLike)):
        return load_model(model)
    return model


def sentence_error(text: Any) -> str | None:
    """Why a value cannot be tagged as a sentence, or None."""
    if not isinstance(text, str):
        return f"no text: expected a string in 'text', got {type(text).__name__}"
    if not text.strip():
        return "empty text"
    if len(text) > MAX_SENTENCE_CHARS:
        return (f"text is {len(text):,} characters long, over the {MAX_SENTENCE_CHARS:,}-character limit of one "
                "sentence; split documents into sentences first (dj.split_sentences or dj.analyze)")
    if not _HAN.search(text):
        return "no Chinese characters: the tagger reads Chinese sentences"
    return None


def _records(sentences: Any) -> list[dict[str, Any]]:
    import pandas as pd

    if isinstance(sentences, str):
        raise InputError("Iterable of sentences expected, str received; use dj.tag([sentence]) or dj.analyze(text)")
    if isinstance(sentences, pd.DataFrame):
        if "text" not in sentences.columns:
            raise InputError(f"the DataFrame needs a 'text' column (columns: {list(sentences.columns)})")
        records = sentences.to_dict("records")
        for idx, rec in zip(sentences.index, records):  # ids: an ``id`` column, else the index
            rec.setdefault("id", idx)
        return records
    if isinstance(sentences, pd.Series):
        return [{"id": idx, "text": v} for idx, v in sentences.items()]
    out = []
    for i, item in enumerate(sentences):
        out.append(dict(item) if isinstance(item, dict) else {"id": i, "text": item})
    return out


def tag(
    sentences: Iterable[Any],
    *,
    model: Any = None,
    matcher: PatternMatcher | None = None,
    n_jobs: int = 1,
):  # -> pandas.DataFrame
    """Tag sentences: problem statement or not, taxonomy leaves, formalism flags.

    Parameters
    ----------
    sentences : iterable of str or dict, Series, DataFrame, or a Dask collection
        Sentences, or records with ``text`` (and optionally ``id``, ``section_kind``);
        other fields are carried through. Ids come from ``id``, else the index of a
        Series/DataFrame, else the position. A ``dask.dataframe`` DataFrame/Series or a
        ``dask.bag`` gives the same result as a lazy Dask collection, computed on whatever
        scheduler is active (e.g. a ``distributed.Client``).
    model : ProblemTagger, path, or None
        A fitted tagger or a skops file; the shipped default if None.
    matcher : PatternMatcher, optional
    n_jobs : int
        Worker processes (batches of sentences go to each; the result is the same as with one
        job, in input order). Pays off from a few tens of thousands of sentences.

    Returns
    -------
    pandas.DataFrame
        One row per input, in input order: ``id, text, is_problem, problem_score, labels,
        scores, flags, error`` (and the carried fields). A record that cannot be tagged
        (no text, empty, too long, no Chinese) has ``error`` set and empty results.

    Examples
    --------
    >>> df = tag(["有的村党组织帮扶只送钱送物，重输血轻造血。", "全年召开党委会12次。"])
    >>> df["is_problem"].tolist()
    [True, False]
    >>> [f["text"] for f in df.loc[0, "flags"]]
    ['送钱送物', '重输血轻造血']
    """
    import pandas as pd

    from ._dask import is_dask
    from .research import register_accessor

    if is_dask(sentences):
        from ._dask import tag_collection

        return tag_collection(sentences, model=model)
    register_accessor()
    records = _records(sentences)
    rows = tag_records(records, model=model, matcher=matcher, n_jobs=n_jobs)
    extra = [c for r in rows for c in r if c not in TAG_COLUMNS]
    columns = TAG_COLUMNS + list(dict.fromkeys(extra))
    # the computed columns get the same dtypes whatever the batch holds (Dask partitions agree)
    out = pd.DataFrame(rows, columns=columns).astype(TAG_DTYPES)
    if isinstance(sentences, (pd.DataFrame, pd.Series)):
        out.index = sentences.index  # pandas in, pandas out: rows join back to the input
    return out


def _tag_texts(model: Any, texts: list[str], kinds: list[str | None], flags: list[list[Flag]] | None
               ) -> list[dict[str, Any]]:
    """is_problem/problem_score/labels/scores per text, with the model's fast path when it has one."""
    if hasattr(model, "tag_rows"):
        return model.tag_rows(_Frame(texts, kinds), flags)
    import pandas as pd

    frame = model.tag(pd.DataFrame({"text": texts, "section_kind": kinds}))
    return [{"is_problem": bool(r["is_problem"]), "problem_score": float(r["problem_score"]),
             "labels": list(r["labels"]), "scores": dict(r["scores"])} for r in frame.to_dict("records")]


class _Frame:
    """The two columns the featurizer reads, without building a pandas DataFrame."""

    def __init__(self, texts: list[str], kinds: list[str | None]) -> None:
        self.texts, self.kinds = texts, kinds


def tag_records(records: list[dict[str, Any]], *, model: Any = None, matcher: PatternMatcher | None = None,
                n_jobs: int = 1, batch_size: int = 2000) -> list[dict[str, Any]]:
    """:func:`tag` as a list of dicts, in input order (the command line's path; no pandas)."""
    if n_jobs > 1 and len(records) > batch_size:
        records = [r if "id" in r else {**r, "id": i} for i, r in enumerate(records)]  # ids are global positions
        batches = [records[i:i + batch_size] for i in range(0, len(records), batch_size)]
        return [row for rows in tag_batches(batches, model=model, matcher=matcher, n_jobs=n_jobs) for row in rows]
    from ._parallel import frozen_gc

    with frozen_gc():  # the program's objects are not walked by the collections tagging triggers
        return _tag_records(records, _resolve_model(model), matcher)


def _tag_records(records: list[dict[str, Any]], model: Any, matcher: PatternMatcher | None) -> list[dict[str, Any]]:
    default = default_matcher()
    matcher = matcher or default
    errors = [sentence_error(r.get("text")) for r in records]
    ok = [i for i, e in enumerate(errors) if e is None]
    texts = [records[i]["text"] for i in ok]
    flags = matcher.find_many(texts)
    tagged = _tag_texts(model, texts, [records[i].get("section_kind") for i in ok],
                        flags if matcher is default else None) if ok else []
    pos = {i: k for k, i in enumerate(ok)}
    rows = []
    for i, rec in enumerate(records):
        row = {c: rec[c] for c in rec if c not in TAG_COLUMNS}
        row["id"] = rec.get("id", i)
        row["text"] = rec.get("text")
        err = errors[i]
        if err is None:
            k = pos[i]
            row.update(tagged[k], flags=[f.to_dict() for f in flags[k]], error=None)
        else:
            row.update(is_problem=None, problem_score=None, labels=[], scores={}, flags=[], error=err)
        rows.append(row)
    return rows


_WARM_SENTENCE = "有的支部重部署轻落实，考核只看台账。"


def _tag_batch(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from ._parallel import worker_state

    state = worker_state()
    return tag_records(records, model=state["model"], matcher=state["matcher"])


def tag_batches(batches: Iterable[list[dict[str, Any]]], *, model: Any = None,
                matcher: PatternMatcher | None = None, n_jobs: int = 1) -> Iterator[list[dict[str, Any]]]:
    """:func:`tag_records` of each batch, in order; with ``n_jobs > 1`` over worker processes,
    a few batches ahead at most (so a stream of batches is tagged in bounded memory)."""
    model = _resolve_model(model)
    if n_jobs <= 1:
        for batch in batches:
            yield tag_records(batch, model=model, matcher=matcher)
        return
    from ._parallel import ordered_map

    yield from ordered_map(_tag_batch, batches, jobs=n_jobs, state={"model": model, "matcher": matcher},
                           warm=lambda: tag_records([{"text": _WARM_SENTENCE}], model=model, matcher=matcher))


@dataclass(frozen=True)
class SentenceResult:
    """A sentence of a document with its tags (offsets into the document's text)."""

    start: int
    end: int
    text: str
    section_kind: str | None
    section_title: str | None
    heading: bool
    is_problem: bool
    problem_score: float
    labels: tuple[str, ...]
    scores: dict[str, float]
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class Document:
    """The result of :func:`analyze`."""

    text: str
    sections: list[Any]
    sentences: list[SentenceResult]
    flags: list[Flag] = field(default_factory=list)

    @property
    def problems(self) -> list[SentenceResult]:
        """The sentences that state a problem."""
        return [s for s in self.sentences if s.is_problem]

    def to_frame(self):  # -> pandas.DataFrame
        """One row per sentence: offsets, section, tags and flags."""
        import pandas as pd

        rows = [{"start": s.start, "end": s.end, "text": s.text, "section_kind": s.section_kind,
                 "section_title": s.section_title, "heading": s.heading, "is_problem": s.is_problem,
                 "problem_score": s.problem_score, "labels": list(s.labels), "scores": s.scores,
                 "flags": [f.to_dict() for f in s.flags]} for s in self.sentences]
        return pd.DataFrame(rows, columns=["start", "end", "text", "section_kind", "section_title", "heading",
                                           "is_problem", "problem_score", "labels", "scores", "flags"])


def analyze(text: str, *, model: Any = None, matcher: PatternMatcher | None = None) -> Document:
    """Read a whole document: sections, sentences, problem statements, codes and flags.

    Every offset indexes ``text``. Headings are never problem statements.

    >>> doc = analyze("二、存在的问题\\n有的支部“三会一课”流于形式，重输血轻造血。")
    >>> [(s.text, s.section_kind, s.is_problem) for s in doc.sentences][1][1:]
    ('problems', True)
    """
    from .structure import parse

    if not isinstance(text, str):
        raise InputError(f"analyze() expects the text of one document as a str, got {type(text).__name__}")
    model = _resolve_model(model)
    matcher = matcher or default_matcher()
    sections, sentences = parse(text)
    flags = matcher.find(text)
    own_flags: list[list[Flag]] = []
    fi = 0
    for s in sentences:
        own = []
        while fi < len(flags) and flags[fi].start < s.end:
            if flags[fi].start >= s.start:
                own.append(flags[fi])
            fi += 1
        own_flags.append(own)
    ok = [k for k, s in enumerate(sentences) if not s.heading and sentence_error(s.text) is None]
    reuse = matcher is default_matcher()
    tagged = _tag_texts(model, [sentences[k].text for k in ok], [sentences[k].section_kind for k in ok],
                        [own_flags[k] for k in ok] if reuse else None) if ok else []
    position = {k: j for j, k in enumerate(ok)}
    results = []
    for n, s in enumerate(sentences):
        own = own_flags[n]
        k = position.get(n)
        if k is not None:
            t = tagged[k]
            res = SentenceResult(s.start, s.end, s.text, s.section_kind, s.section_title, s.heading,
                                 t["is_problem"], t["problem_score"], tuple(t["labels"]), t["scores"], tuple(own))
        else:
            res = SentenceResult(s.start, s.end, s.text, s.section_kind, s.section_title, s.heading,
                                 False, 0.0, (), {}, tuple(own))
        results.append(res)
    return Document(text, sections, results, flags)
