"""Report-level formalism indicators, each with its evidence.

Every indicator returns a :class:`Indicator`: a raw ``value``, a ``concern`` between 0
(nothing to see) and 1 (look closely), a one-line reading in Chinese and the evidence
spans (offsets into the report's text). The definitions:

``slogans`` — stock phrases and slogans (高度重视, 扎实推进, 取得明显成效, 迈上新台阶 …, the
    bundled ``stock_phrases`` lexicon) per 1,000 characters. Concern reaches 1 at 12 per 1,000.
``activity_outcome`` — activity counts (召开会议X次, 印发文件X份, 培训X人次) against measurable
    outcomes (增长X%, 从X增至Y, 收入X万元, 办结X件). Value: activities / (activities + outcomes);
    concern is that share, damped when the report counts little of either.
``vague_commitments`` — measures and plans (sentences of a 下步打算/整改措施 section, or
    plan sentences elsewhere) that use vague verbs (进一步加强, 切实提高 …) and name no
    time limit, no owner and no target. Value: their share of the plan sentences.
``rectification`` — concreteness of the measures: the share of plan sentences that name a
    时限, a 责任人 or a measurable target. Concern = 1 − that share.
``generic_problems`` — problem statements that could be any unit's: they contain a phrase
    of the ``generic_problems`` lexicon, or they are short and name nothing specific (no
    number, no quoted term, no named place or unit). Value: their share of the problem
    statements (the batch adds problems that other reports state almost word for word).
``absences`` — absences of the 见述不见评 kind: no problem statement at all; a problem
    section of one generic sentence; 整改措施 without problems.
``duplication`` — the share of the report's text in paragraphs that nearly match a
    paragraph of another report of the batch or of the reference folder (MinHash over
    character 5-grams, Jaccard ≥ 0.6 verified exactly), with the paired passages.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["INDICATORS", "Indicator", "report_indicators"]

INDICATORS = ("slogans", "activity_outcome", "vague_commitments", "rectification", "generic_problems", "absences",
              "duplication")

_NUM = r"\d+(?:\.\d+)?"
_ACTIVITY = re.compile(
    rf"(?:召开|举办|开展|组织|印发|下发|制定|出台|培训|学习|走访|慰问|检查|督查|宣讲|讲授|上党课|发放|张贴|悬挂|编印|"
    rf"会议|活动|文件|简报|讲座|座谈)[^。；！？\n]{{0,10}}?{_NUM}\s*(?:次|场|期|份|篇|条|人次|批|轮|期次|余次|余场|余份)"
    rf"|{_NUM}\s*(?:余)?(?:次|场|份|人次)(?:会议|活动|培训|讲座|学习)"
)
_OUTCOME = re.compile(
    rf"(?:增长|增加|提高|提升|下降|减少|降低|达到|实现|增至|降至|超过|办结|解决|化解|收入|产值|覆盖率|满意度|完成率|"
    rf"合格率|办结率|就业|脱贫|创收|分红|回款|节约|整改)[^。；！？\n]{{0,10}}?{_NUM}\s*"
    rf"(?:%|％|个百分点|万元|亿元|元|户|人|件|个|家|倍|项|吨|亩|公里)"
    rf"|从{_NUM}[^。；！？\n]{{0,8}}?(?:增至|增加到|提高到|提升到|下降到|降至|减少到){_NUM}"
)
_TIME = re.compile(r"年底|年内|月底|月末|季度|\d{1,2}月|\d{4}年|[上下]半年|前完成|之前|限期|\d+\s*(?:天|日|周|个月)内|每(?:月|季|周|年)")
_OWNER = re.compile(r"负责|牵头|责任人|责任部门|分管|书记|委员|主任|组长|部长|局长|镇长|支委|专干|班子成员")
_TARGET = re.compile(rf"{_NUM}|全覆盖|百分之|一[个项次]|两[个项次]|三[个项次]")
_SPECIFIC = re.compile(rf"{_NUM}|“[^”]{{1,12}}”|[村镇乡街社局委办厂校院司队站所]|[一二三四五六七八九十两]{{1,2}}[个名家户次]")


@dataclass
class Indicator:
    """One indicator of one report: value, concern (0–1), reading and evidence."""

    name: str
    value: float
    concern: float
    reading: str
    evidence: list[dict[str, Any]] = field(default_factory=list)


@functools.lru_cache(maxsize=4)
def _phrase_automaton(lexicon: str):  # type: ignore[no-untyped-def]
    import ahocorasick_rs

    from ._normalize import fold
    from .lexicon import load_lexicon

    lex = load_lexicon(lexicon)
    category = {fold(t): lex.categories[t] for t in lex.terms if len(t) >= 2}
    keys = sorted(category)
    automaton = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    return automaton, [category[k] for k in keys]


def phrase_hits(text: str, lexicon: str) -> list[tuple[int, int, str]]:
    """Leftmost-longest hits of a bundled phrase lexicon: ``(start, end, category)``."""
    from ._normalize import fold

    automaton, categories = _phrase_automaton(lexicon)
    return [(a, b, categories[i]) for i, a, b in automaton.find_matches_as_indexes(fold(text))]


def _ev(text: str, a: int, b: int, reason: str) -> dict[str, Any]:
    return {"start": a, "end": b, "text": text[a:b], "reason": reason}


def slogans(text: str) -> Indicator:
    hits = phrase_hits(text, "stock_phrases")
    per_k = 1000 * len(hits) / max(len(text), 1)
    ev = [_ev(text, a, b, f"套话（{c}）") for a, b, c in hits]
    return Indicator("slogans", round(per_k, 2), min(1.0, per_k / 12), f"每千字套话 {per_k:.1f} 处", ev)


def activity_outcome(text: str) -> Indicator:
    acts = [m for m in _ACTIVITY.finditer(text)]
    outs = [m for m in _OUTCOME.finditer(text)]
    a, o = len(acts), len(outs)
    share = a / (a + o) if a + o else 0.0
    damp = min(1.0, (a + o) / 4)
    ev = [_ev(text, m.start(), m.end(), "活动数量") for m in acts] + [_ev(text, m.start(), m.end(), "成效数据") for m in outs]
    return Indicator("activity_outcome", round(share, 3), share * damp,
                     f"活动数量 {a} 处、可衡量成效 {o} 处", sorted(ev, key=lambda e: e["start"]))


def _plan_sentences(doc: Any) -> list[Any]:
    from .lexicon import load_lexicon

    in_plans = [s for s in doc.sentences if s.section_kind == "plans" and not s.heading]
    if in_plans:
        return in_plans
    cues = load_lexicon("cues")
    starts = tuple(t for t in cues.terms if cues.categories[t] == "plan" and len(t) >= 2)
    return [s for s in doc.sentences if not s.heading and s.text.lstrip("一二三四五六七八九十是（）、.0123456789").startswith(starts)]


def _specifics(sentence: str) -> dict[str, bool]:
    return {"time": bool(_TIME.search(sentence)), "owner": bool(_OWNER.search(sentence)),
            "target": bool(_TARGET.search(sentence))}


def vague_and_rectification(doc: Any) -> tuple[Indicator, Indicator]:
    plans = _plan_sentences(doc)
    vague, concrete, ev_v, ev_c = 0, 0.0, [], []
    for s in plans:
        spec = _specifics(s.text)
        has_vague = any(c == "vague-promise" for _a, _b, c in phrase_hits(s.text, "stock_phrases"))
        if has_vague and not any(spec.values()):
            vague += 1
            ev_v.append({"start": s.start, "end": s.end, "text": s.text, "reason": "空泛承诺：无时限、无责任人、无目标"})
        named = [k for k, v in spec.items() if v]
        concrete += len(named) / 3
        if named:
            names = {"time": "时限", "owner": "责任人", "target": "目标"}
            ev_c.append({"start": s.start, "end": s.end, "text": s.text,
                         "reason": "具体措施：" + "、".join(names[k] for k in named)})
    n = len(plans)
    v_share = vague / n if n else 0.0
    c_share = concrete / n if n else 0.0
    vi = Indicator("vague_commitments", round(v_share, 3), v_share,
                   f"{n} 条措施/打算中 {vague} 条空泛（无时限、责任人、目标）" if n else "未见措施或打算", ev_v)
    ri = Indicator("rectification", round(c_share, 3), 1 - c_share if n else 0.5,
                   f"措施具体度 {c_share:.0%}（时限、责任人、目标）" if n else "未见整改措施", ev_c)
    return vi, ri


def generic_problems(problems: list[dict[str, Any]], batch_generic: set[int] | None = None) -> Indicator:
    """``problems``: the report's problem statements as dicts with start, end, text."""
    generic, ev = 0, []
    for s in problems:
        lex_hit = bool(phrase_hits(s["text"], "generic_problems"))
        vague = len(s["text"]) < 30 and not _SPECIFIC.search(s["text"])
        shared = batch_generic is not None and s["start"] in batch_generic
        if lex_hit or vague or shared:
            generic += 1
            why = "套用型问题表述" if lex_hit else ("与其他报告几乎相同的问题表述" if shared else "问题表述笼统，未指明具体对象或事实")
            ev.append({"start": s["start"], "end": s["end"], "text": s["text"], "reason": why})
    n = len(problems)
    share = generic / n if n else 0.0
    return Indicator("generic_problems", round(share, 3), share,
                     f"{n} 条问题陈述中 {generic} 条笼统、可套用" if n else "未陈述问题", ev)


def absences(doc: Any) -> Indicator:
    kinds = {sec.kind for sec in doc.sections}
    problems = [s for s in doc.sentences if s.is_problem]
    in_section = [s for s in doc.sentences if s.section_kind == "problems" and not s.heading]
    reasons, concern = [], 0.0
    if not problems:
        reasons.append("全文没有陈述任何问题（见述不见评）")
        concern = 1.0
    elif "problems" not in kinds:
        reasons.append("没有“存在问题/不足”部分")
        concern = max(concern, 0.5)
    elif len(in_section) <= 1:
        reasons.append("问题部分只有一句话")
        concern = max(concern, 0.8)
    if "plans" in kinds and not problems:
        reasons.append("有整改措施却没有问题")
        concern = 1.0
    ev = [{"start": s.start, "end": s.end, "text": s.text, "reason": "问题部分仅有的内容"} for s in in_section[:2]]
    return Indicator("absences", concern, concern, "；".join(reasons) or "问题、原因、措施俱全", ev)


def report_indicators(doc: Any) -> dict[str, Indicator]:
    """The indicators of one analysed report that need no other report.

    ``generic_problems`` (which also looks across the batch) and ``duplication`` are
    computed by :func:`~dangjian_nlp.screen` once the batch is read.
    """
    vi, ri = vague_and_rectification(doc)
    return {"slogans": slogans(doc.text), "activity_outcome": activity_outcome(doc.text), "vague_commitments": vi,
            "rectification": ri, "absences": absences(doc)}
