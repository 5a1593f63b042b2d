"""Dask glue: the same work on a ``dask.dataframe``/``dask.bag`` or on a running cluster.

Optional (``pip install "dangjian-nlp[dask]"``). Each partition is tagged, counted or
screened by the ordinary in-memory functions in a worker, which loads the model itself
(the shipped default, or a model file the workers can read), so results equal the local
run. Nothing here is imported unless a Dask object or a scheduler address is given.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from .errors import InputError

__all__ = ["client", "count_collection", "is_dask", "screen_bag", "screen_on_cluster", "tag_collection"]


def is_dask(obj: Any) -> bool:
    """Whether ``obj`` is a Dask collection (without importing Dask)."""
    return type(obj).__module__.split(".")[0] in ("dask", "dask_expr") and hasattr(obj, "__dask_graph__")


def _require() -> None:
    try:
        import dask  # noqa: F401
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise InputError('Dask is not installed; install the extra: pip install "dangjian-nlp[dask]"') from err


def client(scheduler: Any):  # type: ignore[no-untyped-def]
    """A ``distributed.Client`` for a scheduler address (``tcp://host:8786``) or a Client."""
    _require()
    from distributed import Client

    if isinstance(scheduler, Client):
        return scheduler
    try:
        return Client(str(scheduler), timeout="10s", set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {err}; start one with "
                         "`dask scheduler` and workers with `dask worker ADDRESS`, or drop --scheduler") from err


def _model_arg(model: Any) -> Any:
    """What travels to the workers: None (default model) or a path; objects are pickled by Dask."""
    return str(model) if isinstance(model, os.PathLike) else model


def _tag_frame(part: Any, model: Any, dtypes: dict[str, Any]) -> Any:
    from .api import tag

    out = tag(part, model=model).astype(dtypes)
    out.index = part.index  # the partition's own labels, so the whole keeps the input's index
    return out


def _tag_partition(part: list[Any], k: int, model: Any) -> list[dict[str, Any]]:
    from .api import _records, tag_records

    records = _records(part)
    for i, (item, rec) in enumerate(zip(part, records)):
        if not (isinstance(item, dict) and "id" in item):
            rec["id"] = f"{k}-{i}"  # partition-position: unique over the bag
    return tag_records(records, model=model)


def tag_collection(coll: Any, *, model: Any = None) -> Any:
    """:func:`dangjian_nlp.tag` of each partition, lazily.

    A Dask DataFrame (with ``text``) or Series gives a Dask DataFrame of the tag columns
    with the dtypes of the pandas result (ids from an ``id`` column or the index, as with
    pandas); a Bag of sentences or records gives a Bag of row dicts (records without ``id``
    get ``"partition-position"``).
    """
    _require()
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd
    from dask import delayed

    from .api import TAG_COLUMNS, TAG_DTYPES

    model = _model_arg(model)
    if isinstance(coll, (dd.DataFrame, dd.Series)):
        if isinstance(coll, dd.DataFrame):
            if "text" not in coll.columns:
                raise InputError(f"the Dask DataFrame needs a 'text' column (columns: {list(coll.columns)})")
            given = dict(coll.dtypes.items())
        else:
            given = {"text": coll.dtype}
        dtypes = {"id": given.get("id", coll.index.dtype), "text": given["text"], **TAG_DTYPES,
                  **{c: t for c, t in given.items() if c not in TAG_COLUMNS}}
        meta = pd.DataFrame({c: pd.Series(dtype=t) for c, t in dtypes.items()})
        return coll.map_partitions(_tag_frame, model, dtypes, meta=meta)
    if isinstance(coll, db.Bag):
        parts = [delayed(_tag_partition)(p, k, model) for k, p in enumerate(coll.to_delayed())]
        return db.from_delayed(parts)
    raise InputError(f"unsupported Dask collection {type(coll).__name__}; give a dask DataFrame, Series or Bag")


@functools.lru_cache(maxsize=4)
def _model_from(path: str | None) -> Any:
    from .api import _resolve_model

    return _resolve_model(path)


def _analyse(rec: Any, model: Any) -> dict[str, Any]:
    from .screening import _analyse_one

    return _analyse_one(rec, _model_from(model) if model is None or isinstance(model, str) else model)


def screen_on_cluster(records: list[Any], model: Any, scheduler: Any, bar: Any) -> list[dict[str, Any]]:
    """Per-report analysis of :func:`dangjian_nlp.screen` on a Dask cluster, in input order."""
    c = client(scheduler)
    try:
        model = _model_arg(model)
        if model is not None and not isinstance(model, str):
            model = c.scatter(model, broadcast=True)
        futures = c.map(_analyse, records, model=model, pure=False)
        rows = []
        for f in futures:
            rows.append(f.result())
            bar.update(1)
        return rows
    finally:
        if c is not scheduler:
            c.close()


def _read_and_analyse(items: list[Any], start: int, limit: int, model: Any) -> list[dict[str, Any]]:
    from .screening import _inputs

    return [_analyse(rec, model) for rec in _inputs(list(items), limit, start=start)]


def screen_bag(bag: Any, model: Any, limit: int) -> list[dict[str, Any]]:
    """Read and analyse the paths or texts of a ``dask.bag`` where they live; rows in bag order
    (texts numbered over the whole bag, as in a local run)."""
    _require()
    import dask
    import dask.bag as db
    from dask import delayed

    if not isinstance(bag, db.Bag):
        raise InputError(f"screen takes a dask.bag of paths or texts, not {type(bag).__name__}")
    parts = bag.to_delayed()
    sizes = dask.compute(*[delayed(len)(p) for p in parts])
    starts = [sum(sizes[:k]) for k in range(len(parts))]
    model = _model_arg(model)
    done = dask.compute(*[delayed(_read_and_analyse)(p, s, limit, model) for p, s in zip(parts, starts)])
    return [row for rows in done for row in rows]


def _count_partition(part: Any, lexicon: Any, by: str | None) -> Any:
    from .research import count

    frame = count(part, lexicon)  # ids and missing texts exactly as with pandas
    texts = part if not hasattr(part, "columns") else part["text"]
    frame["_chars"] = [len(t) if isinstance(t, str) else 0 for t in texts]
    if by is not None:
        frame["_by"] = part[by].to_numpy()
    return frame


def count_collection(coll: Any, lexicon: Any, *, by: Any = None, per: int | None = None) -> Any:
    """:func:`dangjian_nlp.count` of a Dask DataFrame (``text`` column) or Series, lazily: a
    Dask DataFrame of category counts per document (the input's index), or per group when
    ``by`` names a column."""
    _require()
    import dask.dataframe as dd
    import numpy as np
    import pandas as pd

    from .research import count

    if not isinstance(coll, (dd.DataFrame, dd.Series)):
        raise InputError(f"count takes a Dask DataFrame (with 'text') or Series, not {type(coll).__name__}")
    if isinstance(coll, dd.DataFrame) and "text" not in coll.columns:
        raise InputError(f"the Dask DataFrame needs a 'text' column (columns: {list(coll.columns)})")
    if by is not None and (not isinstance(by, str) or not isinstance(coll, dd.DataFrame) or by not in coll.columns):
        raise InputError("with a Dask collection, `by` must name a column of the Dask DataFrame")
    empty = count([], lexicon)
    meta = pd.DataFrame({c: pd.Series(dtype="int64") for c in empty.columns})
    meta["_chars"] = pd.Series(dtype="int64")
    if by is not None:
        meta["_by"] = pd.Series(dtype=coll[by].dtype)
    frame = coll.map_partitions(_count_partition, lexicon, by, meta=meta)
    if by is not None:
        frame = frame.groupby("_by").sum().rename_axis(None)
    lengths = frame["_chars"]
    frame = frame.drop(columns=["_chars"])
    if per:
        frame = frame.div(lengths.replace(0, np.nan), axis=0).mul(per).fillna(0.0)
    return frame
