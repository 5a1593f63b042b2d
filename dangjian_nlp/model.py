"""Saving and loading taggers with skops — never with pickle.

:func:`load_model` asks skops which types a file would create and refuses the file
unless every one is a plain data type, a NumPy/SciPy/scikit-learn type or a class of
this package; a crafted file that would call ``os.system`` or ``builtins.eval`` is
rejected before anything in it runs.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import zipfile
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelError

__all__ = ["default_model", "default_model_path", "load_model", "save_model"]

_SAFE_BUILTINS = {
    "builtins.dict", "builtins.list", "builtins.tuple", "builtins.set", "builtins.frozenset", "builtins.str",
    "builtins.int", "builtins.float", "builtins.bool", "builtins.NoneType", "builtins.bytes", "builtins.slice",
    "builtins.type", "builtins.complex",
}
_SAFE_PREFIXES = ("dangjian_nlp.", "sklearn.", "numpy.", "scipy.sparse.", "numpy")
_UNSAFE_NAMES = ("eval", "exec", "system", "popen", "compile", "__import__", "open", "getattr", "setattr")


def default_model_path() -> Path:
    """Where the shipped default model lives (inside the installed package)."""
    return Path(str(files("dangjian_nlp") / "models" / "default.skops"))


def _check_types(path: Path) -> None:
    import skops.io as sio

    try:
        untrusted = sio.get_untrusted_types(file=str(path))
    except Exception as err:  # zip/JSON errors of a damaged or foreign file
        raise ModelError(f"{path}: not a skops model file ({type(err).__name__}: {err}); "
                         "train one with `dangjian train` or ProblemTagger().fit(...)") from None
    bad = []
    for name in untrusted:
        leaf = name.rsplit(".", 1)[-1]
        if name in _SAFE_BUILTINS:
            continue
        if name.startswith(_SAFE_PREFIXES) and leaf not in _UNSAFE_NAMES:
            continue
        bad.append(name)
    if bad:
        raise ModelError(f"{path}: refused to load; the file would create untrusted objects: {', '.join(bad)}. "
                         "Only models made by dangjian_nlp (NumPy/SciPy/scikit-learn types) are loaded.")


def _flatten(state: dict[str, Any], prefix: str = "") -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    arrays, meta = {}, {}
    for k, v in state.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and key != "params":
            a, m = _flatten(v, key + "/")
            arrays.update(a)
            meta.update(m)
        elif isinstance(v, np.ndarray):
            arrays[key] = v
        else:
            meta[key] = v
    return arrays, meta


def _unflatten(arrays: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for key, v in [*arrays.items(), *meta.items()]:
        node = state
        parts = key.split("/")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = v
    return state


def _cache_path(path: Path) -> Path:
    from .resources import cache_dir

    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:32]
    return cache_dir() / "models" / f"{digest}.npz"


def _read_cache(cache: Path) -> Any:
    from .inference import TaggerModel

    with np.load(cache, allow_pickle=False) as z:  # never unpickles
        arrays = {k: z[k] for k in z.files if k != "__meta__"}
        meta = json.loads(str(z["__meta__"]))
    return TaggerModel.from_state(_unflatten(arrays, meta))


def _write_cache(cache: Path, state: dict[str, Any]) -> None:
    arrays, meta = _flatten(state)
    cache.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, __meta__=np.array(json.dumps(meta, ensure_ascii=False)), **arrays)
        os.replace(tmp, cache)  # atomic: concurrent readers see the old file or the new one
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def load_model(path: str | os.PathLike[str] | None = None) -> Any:
    """Load a tagger saved with :func:`save_model` (the shipped default if ``path`` is None).

    The file is read with skops after checking every type it would create. A fitted
    tagger comes back as a :class:`~dangjian_nlp.inference.TaggerModel`; its arrays are
    also cached (NumPy ``.npz``, read with ``allow_pickle=False``) in the user cache
    directory under the file's SHA-256, so later processes start without skops.
    """
    path = Path(path) if path is not None else default_model_path()
    if not path.is_file():
        hint = "reinstall dangjian-nlp" if path == default_model_path() else "check the path or train one with `dangjian train`"
        raise ModelError(f"{path}: model file not found; {hint}")
    cache = _cache_path(path)
    if cache.is_file():
        try:
            return _read_cache(cache)
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache is rebuilt from the model file
    import skops.io as sio

    _check_types(path)
    try:
        obj = sio.load(str(path), trusted=sio.get_untrusted_types(file=str(path)))
    except Exception as err:
        raise ModelError(f"{path}: cannot load the model ({type(err).__name__}: {err}); "
                         "it may come from an incompatible version — retrain it with `dangjian train`") from None
    if isinstance(obj, dict) and obj.get("format"):
        from .inference import TaggerModel

        try:
            model = TaggerModel.from_state(obj)
        except (ValueError, KeyError) as err:
            raise ModelError(f"{path}: {err}") from None
        try:
            _write_cache(cache, obj)
        except OSError:
            pass  # a read-only cache directory only costs speed
        return model
    return obj


def save_model(model: Any, path: str | os.PathLike[str], *, card: dict[str, Any] | None = None) -> Path:
    """Save a tagger with skops; write ``card`` (data, features, metrics) beside it as JSON.

    A fitted multi-label :class:`~dangjian_nlp.ProblemTagger` is saved in its compact
    form (plain arrays, see :class:`~dangjian_nlp.inference.TaggerModel`); other
    estimators are saved as they are.
    """
    import skops.io as sio

    from .inference import TaggerModel

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(model, TaggerModel):
        obj: Any = model.to_state()
    elif getattr(model, "multilabel_", False):
        obj = TaggerModel.from_estimator(model).to_state()
    else:
        obj = model
    sio.dump(obj, str(path), compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    if card is not None:
        path.with_suffix(".card.json").write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n",
                                                  encoding="utf-8")
    return path


@functools.lru_cache(maxsize=1)
def default_model() -> Any:
    """The shipped default tagger, loaded on first use and shared (read-only)."""
    return load_model(None)
