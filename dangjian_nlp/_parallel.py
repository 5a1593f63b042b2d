"""Worker processes for ``jobs > 1``: ordered results, bounded work in flight, warm workers.

Where the platform can fork (Linux), the parent loads the model, the segmenter and the
pattern matcher *before* the workers start, so they inherit them instead of loading them
again (loading costs about as much as tagging a hundred reports). The state (the model)
reaches each worker through the pool's initializer: inherited when forking, pickled once
per worker otherwise (models drop their look-up caches when pickled).
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import Future
from typing import Any

__all__ = ["frozen_gc", "ordered_map", "worker_state"]

_STATE: dict[str, Any] = {}
_LOCAL = threading.local()  # the state of items the parent process works on itself


def worker_state() -> dict[str, Any]:
    """What the parent handed to this worker process (or to the parent's own share of the work)."""
    return getattr(_LOCAL, "state", None) or _STATE


def _init(state: dict[str, Any] | None) -> None:
    # No BLAS thread limit here: prediction does no BLAS work (see TaggerModel.decision), and
    # threadpoolctl's limit of one thread per worker made both 2-job tag and screen about 10%
    # slower (measured: tag 2 jobs/1 job 1.36-1.39x with it, 1.65-1.71x without).
    if state is not None:
        _STATE.update(state)


@contextmanager
def frozen_gc() -> Iterator[None]:
    """Objects that exist now go to the garbage collector's permanent generation for the duration.

    Tagging allocates many small objects that survive (the result rows), which triggers full
    collections; each walks every object of the program — a loaded jieba dictionary alone is
    hundreds of thousands — and cost 16% of ``tag``'s time beside one (measured: 0.82 s → 0.69 s).
    A forked worker's collector then also never walks (and so never copies) the parent's heap.
    Not when the program froze objects itself (or an outer call did): unfreezing afterwards would
    thaw those too. Nothing is collected less: the frozen objects were alive anyway.
    """
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        yield
    finally:
        if freeze:
            gc.unfreeze()


_WARMED: Any = None  # weakref.WeakSet of the models already warmed in this process


def _warmed(state: dict[str, Any]) -> bool:
    """Whether this process already warmed the state's model (and records that it now has)."""
    import weakref

    global _WARMED
    if _WARMED is None:
        _WARMED = weakref.WeakSet()
    model = state.get("model")
    try:
        if model in _WARMED:
            return True
        _WARMED.add(model)
    except TypeError:  # not weak-referenceable: warm every time
        pass
    return False


def _warm() -> None:
    """Build the lazily loaded segmenter and matcher so forked workers inherit them."""
    from .patterns import default_matcher
    from .segment import default_segmenter

    default_segmenter().cut("预热")
    default_matcher().find("预热")


class _Done:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _local(fn: Callable[[Any], Any], item: Any, state: dict[str, Any]) -> _Done:
    _LOCAL.state = state
    try:
        return _Done(fn(item))
    finally:
        _LOCAL.state = None


def _result(p: Any) -> Any:
    return p.value if isinstance(p, _Done) else p.result()


def ordered_map(fn: Callable[[Any], Any], items: Iterable[Any], *, jobs: int, state: dict[str, Any],
                in_flight: int | None = None, parent_works: bool = False,
                warm: Callable[[], Any] | None = None) -> Iterator[Any]:
    """``map(fn, items)`` over ``jobs`` processes, in input order, with at most ``in_flight``
    items submitted and not yet yielded (so a stream of items is never read ahead in full).

    ``fn`` must be a module-level function; it reads what it needs from :func:`worker_state`.

    With ``parent_works`` the pool has ``jobs - 1`` worker processes and the parent is the last
    one: it keeps two items queued per worker and works on the next item itself in between (its
    share needs no fork and no pickling). For many small items (screening a few reports at a
    time) this made 2 jobs 1.70x one job instead of 1.58x (measured); for a few large ones
    (tagging batches of 2,000 sentences) the end of the run waits on a worker's last batch, and
    ``jobs`` workers do better.

    ``warm`` is run in the parent before the workers fork: one small piece of the real work, so
    that every table the model and the matchers build lazily on first use is built once and
    inherited. Without it each worker built them again for every call, and 2 jobs were barely
    faster than 1 in a fresh process (tag: 0.65–0.70 s against 0.69–0.76 s; measured).
    """
    from concurrent.futures import ProcessPoolExecutor

    fork = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
    if fork:  # the real work warms the segmenter and the matcher too
        if warm is None:
            _warm()
        elif not _warmed(state):
            warm()
    ctx = multiprocessing.get_context("fork" if fork else "spawn")
    limit = in_flight or 2 * jobs
    with frozen_gc():  # (see frozen_gc: the forked workers do not copy the parent's heap)
        # the state goes to each worker's initializer (forked workers inherit it without pickling)
        # and to the parent's own share through a thread-local, never through a module global of
        # the parent: concurrent calls keep their own models
        workers = jobs - 1 if parent_works else jobs
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init,
                                 initargs=(dict(state),)) as pool:
            pending: deque[Any] = deque()
            for item in items:
                if not parent_works:
                    pending.append(pool.submit(fn, item))
                elif sum(1 for p in pending if isinstance(p, Future) and not p.done()) < 2 * workers:
                    pending.append(pool.submit(fn, item))  # one running and one waiting per worker
                else:
                    pending.append(_local(fn, item, state))  # the workers have enough: the parent works
                while pending and (len(pending) >= limit or isinstance(pending[0], _Done) or pending[0].done()):
                    yield _result(pending.popleft())
            while pending:
                yield _result(pending.popleft())

