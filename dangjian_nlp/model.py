"""Saving and loading taggers with skops — never with pickle.

:func:`load_model` asks skops which types a file would create and refuses the file
unless every one is a plain data type, a NumPy/SciPy/scikit-learn type or a class of
this package; a crafted file that would call ``os.system`` or ``builtins.eval`` is
rejected before anything in it runs.
"""

from __future__ import annotations

import functools
import json
import os
import zipfile
from importlib.resources import files
from pathlib import Path
from typing import Any

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


def load_model(path: str | os.PathLike[str] | None = None) -> Any:
    """Load a tagger saved with :func:`save_model` (the shipped default if ``path`` is None)."""
    import skops.io as sio

    path = Path(path) if path is not None else default_model_path()
    if not path.is_file():
        hint = "reinstall dangjian-nlp" if path == default_model_path() else "check the path or train one with `dangjian train`"
        raise ModelError(f"{path}: model file not found; {hint}")
    _check_types(path)
    trusted = sio.get_untrusted_types(file=str(path))
    try:
        return sio.load(str(path), trusted=trusted)
    except Exception as err:
        raise ModelError(f"{path}: cannot load the model ({type(err).__name__}: {err}); "
                         "it may come from an incompatible version — retrain it with `dangjian train`") from None


def save_model(model: Any, path: str | os.PathLike[str], *, card: dict[str, Any] | None = None) -> Path:
    """Save ``model`` with skops; write ``card`` (data, features, metrics) beside it as JSON."""
    import skops.io as sio

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(model, str(path), compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    if card is not None:
        path.with_suffix(".card.json").write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n",
                                                  encoding="utf-8")
    return path


@functools.lru_cache(maxsize=1)
def default_model() -> Any:
    """The shipped default tagger, loaded on first use and shared (read-only)."""
    return load_model(None)
