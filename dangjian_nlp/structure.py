"""Sentences and sections of Chinese official prose, in original coordinates.

Work reports, 述职报告 and 对照检查材料 have a stable shape: numbered headings
(``一、`` ``（一）`` ``1.`` ``（1）`` ``第一部分``) that open sections of a few kinds —
achievements (主要工作/成效), problems (存在问题/不足), causes (原因分析) and plans
(下步打算/整改措施). :func:`parse` finds the headings, gives each section its kind,
splits the text into sentences and tells each sentence which section it is in.

Splitting runs on the normalised text (so a PDF's wrapped line does not end a
sentence) and every offset is mapped back: ``text[s.start:s.end] == s.text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._normalize import Normalized, normalize

__all__ = ["Section", "Sentence", "parse", "section_kind", "split_sentences"]

SECTION_KINDS = ("achievements", "problems", "causes", "plans", "other")

_END = r"[。！？!?]+|……|…"
_SEMI = r"[；;]"
_CLOSE = r"[”’）)》」』\]】]*"
_HEADING = re.compile(
    r"(?P<marker>第[一二三四五六七八九十百0-9]{1,4}(?:部分|章|节|篇)"
    r"|[一二三四五六七八九十]{1,3}[、．.]"
    r"|[（(][一二三四五六七八九十]{1,3}[）)]"
    r"|[0-9]{1,2}[、．.](?![0-9])"
    r"|[（(][0-9]{1,2}[）)])[ \t]*"
)
_LEVELS = {"第": 0, "cn": 1, "(cn)": 2, "num": 3, "(num)": 4}


def _marker_level(marker: str) -> int:
    if marker.startswith("第"):
        return _LEVELS["第"]
    if marker[0] in "（(":
        return _LEVELS["(num)"] if marker[1].isdigit() else _LEVELS["(cn)"]
    return _LEVELS["num"] if marker[0].isdigit() else _LEVELS["cn"]


# (kind, pattern, strong): a strong sub-heading (存在的问题, 原因分析) opens its own kind even
# inside a section of another kind; a weak one (压实整改责任, 对4个问题挂牌督办) inherits the
# kind of the section it sits in.
_KIND_RULES: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    ("causes", re.compile(r"原因|根源|症结|根子|剖析"), True),
    ("problems", re.compile(r"存在|不足|差距|短板|弱项|薄弱|问题清单|突出问题|主要问题"), True),
    ("plans", re.compile(r"打算|措施|整改|下一步|下步|计划|思路|方向|建议|对策|举措|目标任务|努力"), False),
    ("problems", re.compile(r"问题"), False),
    ("achievements", re.compile(r"成效|成绩|成果|做法|工作|开展|完成|情况|回顾|亮点|经验|履职|落实"), False),
)


def _kind_strength(title: str) -> tuple[str, bool]:
    for kind, pattern, strong in _KIND_RULES:
        if pattern.search(title):
            return kind, strong
    return "other", False


def section_kind(title: str) -> str:
    """The kind of a section from its heading text.

    >>> section_kind("二、存在的问题和不足")
    'problems'
    >>> section_kind("（三）下一步工作打算")
    'plans'
    """
    return _kind_strength(title)[0]


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the text it governs (offsets in the original text)."""

    start: int
    end: int
    title: str
    level: int
    kind: str
    heading_start: int
    heading_end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence; ``section_kind`` is the kind of the section it is in.

    Nested sections inherit the kind of the outer section unless their own heading is a
    strong one (存在的问题, 原因分析).
    """

    start: int
    end: int
    text: str
    index: int
    section_kind: str | None = None
    section_title: str | None = None
    heading: bool = False


def _sentence_spans(text: str, semicolons: bool) -> list[tuple[int, int]]:
    """Half-open spans of sentences in ``text`` (whitespace excluded)."""
    end_re = re.compile(f"(?:{_END}{'|' + _SEMI if semicolons else ''}){_CLOSE}|\n")
    spans = []
    pos = 0
    for m in end_re.finditer(text):
        stop = m.end() if m.group() != "\n" else m.start()
        spans.append((pos, stop))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _headings(norm: str) -> list[tuple[int, int, int, str, bool, int]]:
    """(start, end, level, title, whole_line, line_start) of each heading in normalised text."""
    found = []
    pos = 0
    for line in norm.split("\n"):
        stripped = line.lstrip(" \t#")  # Markdown headings (## 一、…) count too
        offset = pos + len(line) - len(stripped)
        line_start = pos + len(line) - len(line.lstrip())
        m = _HEADING.match(stripped)
        if m and len(stripped) > m.end():
            body = stripped[m.end():].rstrip()
            whole = len(body) <= 40 and body[-1] not in "。！？；;，," and not re.search(r"[。！？]", body)
            if whole:
                title, end = body, offset + len(stripped.rstrip())
            else:
                clause = re.match(r"[^，。：；！？,;:]+", body)
                title = clause.group() if clause else body[:20]
                end = offset + m.end() + len(title)
            found.append((offset, end, _marker_level(m.group("marker")), title, whole, line_start))
        pos += len(line) + 1
    return found


def parse(
    text: str, *, normalized: Normalized | None = None, semicolons: bool = True
) -> tuple[list[Section], list[Sentence]]:
    """Find the sections and sentences of ``text``.

    Parameters
    ----------
    text : str
        The original text.
    normalized : Normalized, optional
        The result of :func:`~dangjian_nlp.normalize.normalize` on ``text`` if the
        caller already has it.
    semicolons : bool
        Whether ``；`` ends a sentence (it separates the clauses of 有的……；有的……
        enumerations, which state distinct problems).

    Returns
    -------
    sections, sentences : list of Section, list of Sentence
        Offsets index ``text``.

    Examples
    --------
    >>> secs, sents = parse("二、存在问题\\n有的支部学习流于形式。下一步要改进。")
    >>> [(s.text, s.section_kind) for s in sents]
    [('二、存在问题', 'problems'), ('有的支部学习流于形式。', 'problems'), ('下一步要改进。', 'problems')]
    """
    n = normalized if normalized is not None else normalize(text)
    norm = n.text
    heads = _headings(norm)
    sections: list[Section] = []
    # a section runs to the next heading of the same or a higher level
    for i, (hs, he, level, title, _whole, _ls) in enumerate(heads):
        end = len(norm)
        for hs2, _he2, level2, _t2, _w2, _ls2 in heads[i + 1:]:
            if level2 <= level:
                end = hs2
                break
        a, b = n.span(hs, end)
        ha, hb = n.span(hs, he)
        sections.append(Section(a, b, title, level, section_kind(title), ha, hb))
    whole_lines = {n.span(ls, he) for _hs, he, _l, _t, whole, ls in heads if whole}
    strengths = [_kind_strength(t)[1] for _hs, _he, _l, t, _w, _ls in heads]
    sentences = []
    for i, (a, b) in enumerate(_sentence_spans(norm, semicolons)):
        oa, ob = n.span(a, b)
        kind = title = None
        for sec, strong in zip(sections, strengths):  # outer to inner
            if not (sec.start <= oa < sec.end) or sec.kind == "other":
                continue
            if kind is None or strong:
                kind, title = sec.kind, sec.title
        sentences.append(
            Sentence(oa, ob, text[oa:ob], i, kind, title, heading=(oa, ob) in whole_lines)
        )
    return sections, sentences


def split_sentences(text: str, *, semicolons: bool = True) -> list[Sentence]:
    """Split ``text`` into sentences with original offsets.

    >>> [s.text for s in split_sentences("加强党建。“三会一课”落实不够！")]
    ['加强党建。', '“三会一课”落实不够！']
    """
    return parse(text, semicolons=semicolons)[1]
