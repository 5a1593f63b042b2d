"""The problem taxonomy as data.

A taxonomy file is JSON Lines. The first record describes the taxonomy, every other
record is one node::

    {"type": "taxonomy", "name": "dangjian-seed", "version": "1.0.0", "title": "…"}
    {"type": "node", "code": "2", "parent": null, "name": "责任目标不清", "definition": "…"}
    {"type": "node", "code": "2.2", "parent": "2", "name": "考评问效“失真”", "definition": "…",
     "cues": ["一把尺子量到底", …], "expressions": ["一锤定音", …], "analogues": ["督查检查考核过多过频", …],
     "positive": ["<problem sentences of this node>"], "negative": ["<look-alikes that are not>"]}

Required: ``code`` (unique; any string, e.g. ``"2.2"`` or ``"A-1"``) and ``name``; ``parent``
must name an earlier node or be null. A node with no children is a *leaf*; problem
labels are leaf codes. ``definition``, ``cues``, ``expressions``, ``analogues``,
``positive`` and ``negative`` are optional (lists of strings where given).
:func:`load_taxonomy` reports every error of a file at once, each with its line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._jsonl import json_objects
from .errors import LexiconError
from .resources import lexicon_path

__all__ = ["Node", "Taxonomy", "load_taxonomy"]

_LIST_FIELDS = ("cues", "expressions", "analogues", "positive", "negative")


@dataclass(frozen=True)
class Node:
    """One node of the taxonomy."""

    code: str
    name: str
    parent: str | None = None
    definition: str = ""
    cues: tuple[str, ...] = ()
    expressions: tuple[str, ...] = ()
    analogues: tuple[str, ...] = ()
    positive: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    """A versioned tree of problem codes."""

    name: str
    version: str
    nodes: dict[str, Node] = field(repr=False)
    title: str = ""
    path: str = ""

    @property
    def leaves(self) -> list[str]:
        """Leaf codes in file order (the labels of problem sentences)."""
        parents = {n.parent for n in self.nodes.values() if n.parent}
        return [c for c in self.nodes if c not in parents]

    def __getitem__(self, code: str) -> Node:
        return self.nodes[code]

    def __contains__(self, code: object) -> bool:
        return code in self.nodes

    def label(self, code: str) -> str:
        """``"2.2 考评问效“失真”"`` for display."""
        return f"{code} {self.nodes[code].name}"

    def to_frame(self):  # -> pandas.DataFrame
        """One row per node: code, parent, name, leaf, definition, and counts of the lists."""
        import pandas as pd

        leaves = set(self.leaves)
        rows = [
            {"code": n.code, "parent": n.parent, "name": n.name, "leaf": n.code in leaves,
             "definition": n.definition, **{f"n_{k}": len(getattr(n, k)) for k in _LIST_FIELDS}}
            for n in self.nodes.values()
        ]
        return pd.DataFrame(rows)


def _node(rec: dict[str, Any], n: int, codes: dict[str, int], errors: list[tuple[int, str]]) -> Node | None:
    bad = len(errors)
    code, name = rec.get("code"), rec.get("name")
    if not isinstance(code, str) or not code.strip():
        errors.append((n, "node without a 'code' (a non-empty string such as \"2.2\")"))
    elif code in codes:
        errors.append((n, f"duplicate code {code!r} (first on line {codes[code]})"))
    if not isinstance(name, str) or not name.strip():
        errors.append((n, f"node {code!r} has no 'name'"))
    parent = rec.get("parent")
    if parent is not None and parent not in codes:
        errors.append((n, f"parent {parent!r} of node {code!r} is not an earlier node"))
    for key in _LIST_FIELDS:
        value = rec.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors.append((n, f"{key!r} of node {code!r} must be a list of strings"))
    if not isinstance(rec.get("definition", ""), str):
        errors.append((n, f"'definition' of node {code!r} must be a string"))
    if len(errors) > bad:
        return None
    codes[code] = n
    return Node(code=code, name=name, parent=parent, definition=rec.get("definition", ""),
                **{k: tuple(rec.get(k, [])) for k in _LIST_FIELDS})


def load_taxonomy(path: str | os.PathLike[str] | None = None) -> Taxonomy:
    """Load the bundled taxonomy or a user's taxonomy file of the same schema.

    Raises :class:`~dangjian_nlp.errors.LexiconError` listing every error with its line.

    Examples
    --------
    >>> tax = load_taxonomy()
    >>> tax.leaves[:3], tax["2.2"].name
    (['1.1', '1.2', '1.3'], '考评问效“失真”')
    """
    path = Path(path) if path is not None else lexicon_path("taxonomy", "dangjian.jsonl")
    errors: list[tuple[int, str]] = []
    header: dict[str, Any] = {}
    nodes: dict[str, Node] = {}
    codes: dict[str, int] = {}
    for n, rec in json_objects(path, errors, what="taxonomy file"):
        kind = rec.get("type", "node")
        if kind == "taxonomy":
            if header:
                errors.append((n, "a second 'taxonomy' header record"))
            header = rec
        elif kind == "node":
            node = _node(rec, n, codes, errors)
            if node is not None:
                nodes[node.code] = node
        else:
            errors.append((n, f"unknown record type {kind!r} (expected 'taxonomy' or 'node')"))
    if not nodes and not errors:
        errors.append((0, "the file has no nodes"))
    if errors:
        raise LexiconError(path, errors)
    return Taxonomy(name=str(header.get("name", path.stem)), version=str(header.get("version", "0")),
                    nodes=nodes, title=str(header.get("title", "")), path=str(path))
