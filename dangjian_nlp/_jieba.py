"""The only module that imports jieba or rjieba.

Each backend owns a *private* tokenizer instance: jieba's global ``jieba.dt`` and the
module-level functions of both packages are never used, so nothing this library does
changes another caller's segmentation.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import Protocol

from .errors import InputError

BACKENDS = ("rjieba", "jieba")


class Backend(Protocol):
    name: str

    def cut(self, text: str) -> list[str]: ...


class RJiebaBackend:
    """jieba-rs through the ``rjieba`` binding (about 20× faster than jieba)."""

    name = "rjieba"

    def __init__(self, hmm: bool) -> None:
        import rjieba

        self._tok = rjieba.Jieba()
        self._hmm = hmm

    def cut(self, text: str) -> list[str]:
        return self._tok.cut(text, self._hmm)


class JiebaBackend:
    """The reference implementation: a private ``jieba.Tokenizer``."""

    name = "jieba"

    def __init__(self, hmm: bool) -> None:
        import jieba

        from .resources import cache_dir

        self._tok = jieba.Tokenizer()
        self._tok.tmp_dir = str(cache_dir())  # its prefix-dict cache goes to the user cache
        self._hmm = hmm
        self._lock = threading.Lock()

    def cut(self, text: str) -> list[str]:
        if not self._tok.initialized:
            with self._lock:
                self._tok.initialize()
        return self._tok.lcut(text, HMM=self._hmm)


def dictionary_path() -> Path:
    """The file of jieba's main dictionary (``word freq tag`` per line), found without importing jieba."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ImportError("jieba is not installed (pip install jieba)")
    return Path(spec.origin).parent / "dict.txt"


def make_backend(name: str, hmm: bool) -> Backend:
    """Create a backend by name (``"rjieba"`` or ``"jieba"``)."""
    if name == "rjieba":
        try:
            return RJiebaBackend(hmm)
        except ImportError:
            import warnings

            from .errors import DangjianWarning

            warnings.warn(
                "rjieba is not installed; falling back to the slower jieba backend "
                "(pip install rjieba)",
                DangjianWarning,
                stacklevel=3,
            )
            return JiebaBackend(hmm)
    if name == "jieba":
        return JiebaBackend(hmm)
    raise InputError(f"unknown segmentation backend {name!r}; choose one of {', '.join(BACKENDS)}")
