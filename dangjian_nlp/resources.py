"""The one place that locates the package's bundled data (``lexicons/``)."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from .errors import LexiconNotFoundError


def lexicon_root() -> Path:
    """Return the folder of the bundled lexicons.

    In a wheel the folder is ``dangjian_nlp/lexicons`` (placed by hatchling's
    ``force-include``); in a source checkout or an editable install it is the
    top-level ``lexicons/`` next to ``pyproject.toml``.
    """
    packaged = files("dangjian_nlp") / "lexicons"
    if packaged.is_dir():
        return Path(str(packaged))
    root = Path(__file__).resolve().parents[1]
    if (root / "pyproject.toml").is_file() and (root / "lexicons").is_dir():
        return root / "lexicons"
    raise LexiconNotFoundError("bundled lexicons folder")


def lexicon_path(*parts: str) -> Path:
    """Path of a bundled data file, e.g. ``lexicon_path("core", "terms.tsv")``."""
    path = lexicon_root().joinpath(*parts)
    if not path.exists():
        raise LexiconNotFoundError(f"bundled data file {'/'.join(parts)!r}")
    return path


def cache_dir() -> Path:
    """The user cache directory (``$DANGJIAN_CACHE_DIR`` or the platform default).

    It is created on first use; nothing is ever written to the working directory.
    """
    env = os.environ.get("DANGJIAN_CACHE_DIR")
    if env:
        path = Path(env)
    elif os.name == "nt":
        path = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "dangjian_nlp"
    else:
        path = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dangjian_nlp"
    path.mkdir(parents=True, exist_ok=True)
    return path
