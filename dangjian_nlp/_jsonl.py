"""Reading the project's JSON Lines data files with every error reported at once."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import LexiconError


def json_objects(path: str | os.PathLike[str], errors: list[tuple[int, str]], *, what: str = "file"
                 ) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` of each JSON object line of a UTF-8 file.

    Blank lines and ``#`` comments are skipped; a line that is not a JSON object adds
    ``(line, reason)`` to ``errors`` (the caller raises them all together). A missing or
    non-UTF-8 file raises :class:`~dangjian_nlp.errors.LexiconError` at once.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise LexiconError(path, [(0, f"no such {what}; check the path")]) from None
    except UnicodeDecodeError:
        raise LexiconError(path, [(0, f"not UTF-8; save the {what} as UTF-8")]) from None
    for n, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as err:
            errors.append((n, f"invalid JSON: {err.msg} at column {err.colno}"))
            continue
        if not isinstance(rec, dict):
            errors.append((n, "expected a JSON object"))
            continue
        yield n, rec
