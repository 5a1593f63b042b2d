"""Lexicons: named, versioned term lists with provenance.

A lexicon is a UTF-8 TSV file with a header row whose first column is ``term``
(other columns — ``category``, ``source``, ``note`` — are optional), or a plain word
list / jieba user dictionary (``word [freq] [tag]`` per line). The bundled lexicons
are listed in ``lexicons/manifest.toml``.
"""

from __future__ import annotations

import functools
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LexiconError
from .resources import lexicon_path, lexicon_root

__all__ = ["Lexicon", "list_lexicons", "load_lexicon", "stopwords"]


@dataclass(frozen=True)
class Lexicon:
    """A term list with one category and one provenance string per term."""

    name: str
    version: str
    terms: tuple[str, ...]
    categories: dict[str, str] = field(default_factory=dict, repr=False)
    sources: dict[str, str] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, term: object) -> bool:
        return term in self.categories

    @classmethod
    def from_mapping(cls, mapping: dict[str, list[str]], *, name: str = "dict", source: str = "user") -> Lexicon:
        """A lexicon from ``{category: [terms]}``; a term in several categories gets ``"a|b"``.

        >>> Lexicon.from_mapping({"作风": ["形式主义"], "问题": ["形式主义", "官僚主义"]}).categories["形式主义"]
        '作风|问题'
        """
        terms: list[str] = []
        cats: dict[str, str] = {}
        for cat, words in mapping.items():
            for w in words:
                w = str(w).strip()
                if not w:
                    continue
                if w in cats:
                    if str(cat) not in cats[w].split("|"):
                        cats[w] = f"{cats[w]}|{cat}"
                    continue
                terms.append(w)
                cats[w] = str(cat)
        return cls(name, f"{source}:{len(terms)}", tuple(terms), cats, dict.fromkeys(terms, source))

    def by_category(self) -> dict[str, list[str]]:
        """Terms grouped by category (terms without one go under ``"term"``)."""
        out: dict[str, list[str]] = {}
        for t in self.terms:
            out.setdefault(self.categories.get(t) or "term", []).append(t)
        return out


@functools.lru_cache(maxsize=1)
def _manifest() -> dict[str, dict[str, str]]:
    with open(lexicon_root() / "manifest.toml", "rb") as f:
        return dict(tomllib.load(f)["lexicons"])


def list_lexicons() -> dict[str, dict[str, str]]:
    """The bundled lexicons: name → manifest entry (file, version, description, source)."""
    return {k: dict(v) for k, v in _manifest().items()}


def _read_table(path: Path, name: str, version: str) -> Lexicon:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise LexiconError(path, [(0, f"not UTF-8 ({err.reason}); save the file as UTF-8")]) from None
    lines = text.splitlines()
    errors: list[tuple[int, str]] = []
    terms: list[str] = []
    categories: dict[str, str] = {}
    sources: dict[str, str] = {}
    header = lines[0].split("\t") if lines else []
    if header and header[0] == "term":
        for n, line in enumerate(lines[1:], start=2):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            term = cols[0].strip()
            if not term:
                errors.append((n, f"empty term in {line!r}; the first column must hold the term"))
                continue
            if len(cols) > len(header):
                errors.append((n, f"{len(cols)} columns, the header has {len(header)}: {line!r}"))
                continue
            row = dict(zip(header, cols))
            if term in categories:
                continue
            terms.append(term)
            categories[term] = row.get("category", "").strip()
            sources[term] = row.get("source", "").strip()
    else:  # word list or jieba user dictionary: word [freq] [tag]
        for n, line in enumerate(lines, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split()
            term = parts[0]
            if len(parts) > 1 and not parts[1].isdigit() and len(parts) == 3:
                errors.append((n, f"frequency {parts[1]!r} is not a number: {line!r}"))
                continue
            if term not in categories:
                terms.append(term)
                categories[term] = parts[2] if len(parts) > 2 else (parts[1] if len(parts) == 2 and not parts[1].isdigit() else "")
                sources[term] = str(path.name)
    if errors:
        raise LexiconError(path, errors)
    return Lexicon(name, version, tuple(terms), categories, sources)


@functools.lru_cache(maxsize=16)
def _load_cached(name: str) -> Lexicon:
    manifest = _manifest()
    entry = manifest[name]
    return _read_table(lexicon_path(*entry["file"].split("/")), name, str(entry["version"]))


def load_lexicon(name_or_path: str | os.PathLike[str] = "core") -> Lexicon:
    """Load a bundled lexicon by name or a user's lexicon file by path.

    Parameters
    ----------
    name_or_path : str or path
        A name from :func:`list_lexicons` (``"core"``), or a path to a TSV file with a
        ``term`` header, a word list, or a jieba user dictionary.

    Examples
    --------
    >>> lex = load_lexicon("core")
    >>> "三会一课" in lex
    True
    """
    if isinstance(name_or_path, str) and name_or_path in _manifest():
        return _load_cached(name_or_path)
    path = Path(name_or_path)
    if not path.is_file():
        names = ", ".join(sorted(_manifest()))
        raise LexiconError(path, [(0, f"no such file and no bundled lexicon of that name (bundled: {names})")])
    stat = path.stat()
    return _read_table(path, path.stem, f"file:{int(stat.st_mtime)}:{stat.st_size}")


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The bundled stopword list (function words and stock connectives)."""
    return frozenset(load_lexicon("stopwords").terms)
