"""Exceptions and warnings of dangjian_nlp.

Every error a user can cause names the input, what was wrong and what to do::

    DangjianError
     ├── ReadError(DangjianError, OSError)            a file could not be read as text
     ├── LexiconError(DangjianError, ValueError)      a lexicon/taxonomy/pattern file is malformed
     │    └── LexiconNotFoundError(LexiconError, FileNotFoundError)
     ├── ModelError(DangjianError, ValueError)        a model file is missing, untrusted or incompatible
     └── InputError(DangjianError, ValueError)        an argument has the wrong type or value

    DangjianWarning(UserWarning)
"""

from __future__ import annotations


class DangjianError(Exception):
    """Base class of every error raised on purpose by dangjian_nlp."""


class ReadError(DangjianError, OSError):
    """A file could not be read as text; ``reason`` says why in plain words."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class LexiconError(DangjianError, ValueError):
    """A lexicon, taxonomy or pattern file is malformed.

    ``errors`` holds every problem found, each as ``(line_number, message)``.
    """

    def __init__(self, path: object, errors: list[tuple[int, str]]) -> None:
        self.path = str(path)
        self.errors = list(errors)
        lines = "\n".join(f"  line {n}: {msg}" for n, msg in self.errors[:50])
        more = f"\n  … and {len(self.errors) - 50} more" if len(self.errors) > 50 else ""
        super().__init__(f"{self.path}: {len(self.errors)} error(s)\n{lines}{more}")


class LexiconNotFoundError(LexiconError, FileNotFoundError):
    """The bundled data files are missing (a broken installation)."""

    def __init__(self, what: str) -> None:
        DangjianError.__init__(self, f"{what} not found; reinstall dangjian-nlp")
        self.path = what
        self.errors = []


class ModelError(DangjianError, ValueError):
    """A model file is missing, untrusted or incompatible."""


class InputError(DangjianError, ValueError):
    """An argument has the wrong type or value."""


class DangjianWarning(UserWarning):
    """Warnings issued by dangjian_nlp."""
