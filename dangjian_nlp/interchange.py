"""Lexicon interchange: quanteda YAML, LIWC ``.dic``, cntext YAML and jieba user dictionaries.

Researchers bring the dictionaries they already have::

    lex = dj.read_lexicon("my.dic")            # format from the suffix, or format="liwc"
    dj.count(texts, lex)
    dj.write_lexicon(lex, "my.yml", format="quanteda")

Formats:

``quanteda`` — YAML, categories (possibly nested) mapping to lists of terms
    (``dictionary(file = "x.yml", format = "YAML")`` in R). Nested keys are joined with ``.``.
``cntext`` — YAML with ``Name``, ``Desc``, ``Refer``, ``Category`` and ``Dictionary:
    {category: [terms]}`` (cntext 1.x dictionaries).
``liwc`` — a ``%``-delimited header of ``number<TAB>category`` lines, then
    ``term<TAB>number…`` lines. A term in several categories keeps all of them
    (:class:`Lexicon` has one category per term, so such terms are read as ``"a|b"``).
``jieba`` — ``word [freq] [tag]`` per line; the tag becomes the category.

YAML is read with ``yaml.safe_load`` (no code runs). Every format round-trips every entry.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .errors import InputError, LexiconError
from .lexicon import Lexicon

__all__ = ["FORMATS", "read_lexicon", "write_lexicon"]

FORMATS = ("quanteda", "cntext", "liwc", "jieba", "tsv")
_SUFFIX = {".dic": "liwc", ".txt": "jieba", ".tsv": "tsv"}


def _format(path: Path, fmt: str | None, text: str | None = None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise InputError(f"unknown lexicon format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return fmt
    if path.suffix.lower() in (".yml", ".yaml"):
        return "cntext" if text is not None and "Dictionary:" in text else "quanteda"
    if path.suffix.lower() in _SUFFIX:
        return _SUFFIX[path.suffix.lower()]
    raise InputError(f"{path}: cannot tell the lexicon format from the suffix; pass format= one of {', '.join(FORMATS)}")


def _from_mapping(mapping: dict[str, list[str]], name: str, source: str) -> Lexicon:
    return Lexicon.from_mapping(mapping, name=name, source=source)


def _flatten(node: Any, prefix: str, out: dict[str, list[str]], path: Path) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            _flatten(v, f"{prefix}.{k}" if prefix else str(k), out, path)
    elif isinstance(node, list):
        out.setdefault(prefix or "term", []).extend(str(x) for x in node)
    elif isinstance(node, str):
        out.setdefault(prefix or "term", []).append(node)
    else:
        raise LexiconError(path, [(0, f"category {prefix!r} holds {type(node).__name__}, expected a list of terms")])


def read_lexicon(path: str | os.PathLike[str], *, format: str | None = None) -> Lexicon:
    """Read a quanteda/cntext YAML, LIWC .dic, jieba user dictionary or TSV lexicon."""
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LexiconError(path, [(0, "no such lexicon file; check the path")]) from None
    except UnicodeDecodeError:
        raise LexiconError(path, [(0, "not UTF-8; save the lexicon as UTF-8")]) from None
    fmt = _format(path, format, text)
    if fmt in ("quanteda", "cntext"):
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as err:
            line = getattr(getattr(err, "problem_mark", None), "line", -1) + 1
            raise LexiconError(path, [(line, f"invalid YAML: {getattr(err, 'problem', err)}")]) from None
        if fmt == "cntext":
            data = data.get("Dictionary", {}) if isinstance(data, dict) else {}
        mapping: dict[str, list[str]] = {}
        _flatten(data, "", mapping, path)
        return _from_mapping(mapping, path.stem, path.name)
    if fmt == "liwc":
        return _read_liwc(path, text)
    from .lexicon import load_lexicon

    return load_lexicon(path)  # jieba user dictionary / word list / TSV


def _read_liwc(path: Path, text: str) -> Lexicon:
    lines = text.splitlines()
    marks = [i for i, ln in enumerate(lines) if ln.strip() == "%"]
    if len(marks) < 2:
        raise LexiconError(path, [(1, "a LIWC .dic starts with a '%' line, the categories, and another '%' line")])
    errors: list[tuple[int, str]] = []
    names: dict[str, str] = {}
    for i in range(marks[0] + 1, marks[1]):
        parts = lines[i].split()
        if len(parts) >= 2:
            names[parts[0]] = " ".join(parts[1:])
        elif lines[i].strip():
            errors.append((i + 1, f"expected 'number<TAB>category', got {lines[i]!r}"))
    mapping: dict[str, list[str]] = {}
    for i in range(marks[1] + 1, len(lines)):
        parts = lines[i].split("\t") if "\t" in lines[i] else lines[i].split()
        if not parts or not parts[0].strip():
            continue
        for num in parts[1:]:
            num = num.strip()
            if num not in names:
                errors.append((i + 1, f"category number {num!r} is not in the header"))
                continue
            mapping.setdefault(names[num], []).append(parts[0].strip())
    if errors:
        raise LexiconError(path, errors)
    return _from_mapping(mapping, path.stem, path.name)


def _mapping(lex: Lexicon) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for t in lex.terms:
        for cat in (lex.categories.get(t) or "term").split("|"):
            out.setdefault(cat, []).append(t)
    return out


def write_lexicon(lexicon: Lexicon, path: str | os.PathLike[str], *, format: str | None = None,
                  description: str = "") -> Path:
    """Write a lexicon in one of :data:`FORMATS` (from the suffix unless ``format`` is given)."""
    import yaml

    path = Path(path)
    fmt = _format(path, format)
    mapping = _mapping(lexicon)
    if fmt == "quanteda":
        body = yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False)
    elif fmt == "cntext":
        body = yaml.safe_dump({"Name": lexicon.name, "Desc": description or f"{lexicon.name} {lexicon.version}",
                               "Refer": "dangjian_nlp", "Category": list(mapping), "Dictionary": mapping},
                              allow_unicode=True, sort_keys=False)
    elif fmt == "liwc":
        numbers = {cat: str(i) for i, cat in enumerate(mapping, start=1)}
        head = ["%"] + [f"{n}\t{cat}" for cat, n in numbers.items()] + ["%"]
        rows = [f"{t}\t" + "\t".join(numbers[c] for c in (lexicon.categories.get(t) or "term").split("|"))
                for t in lexicon.terms]
        body = "\n".join(head + rows) + "\n"
    elif fmt == "jieba":
        bad = [t for t in lexicon.terms if " " in t or "\t" in t]
        if bad:
            raise InputError(f"jieba user dictionaries cannot hold terms with spaces: {bad[:3]}")
        body = "".join(f"{t} 10 {(lexicon.categories.get(t) or 'n').replace(' ', '_')}\n" for t in lexicon.terms)
    else:
        body = "term\tcategory\tsource\n" + "".join(
            f"{t}\t{lexicon.categories.get(t, '')}\t{lexicon.sources.get(t, '')}\n" for t in lexicon.terms)
    path.write_text(body, encoding="utf-8")
    return path
