"""Formalism expressions: a catalogue of idioms, a template language, and :class:`PatternMatcher`.

Two kinds of patterns, both data in ``lexicons/formalism/``:

* **expressions** (``expressions.jsonl``): fixed idioms and the seed's set expressions —
  一刀切, 文山会海, 听汇报、看资料、查台账, 重输血轻造血 … — each with an id, a family,
  a description and a taxonomy code where one fits;
* **templates** (``templates.jsonl``): the productive families (重X轻Y, 见X不见Y, X一阵Y一阵,
  强X弱Y, 前X后Y, 边X边Y, 为X而X, 年年X年年Y, 以X落实X, 以X代Y, 一X了之, 多X少Y, X多Y少, 只X不Y,
  X热Y温Z冷), which also find fillers nobody listed (重留痕轻实效, 见物不见人, 县热乡温村冷).

Template language (one JSON object per line)::

    {"id": "zhong-X-qing-Y", "family": "重X轻Y", "pattern": "重{X} 轻{Y}", "anchor": "轻",
     "slots": {"X": {"min": 1, "max": 6}, "Y": {"min": 1, "max": 6, "balance": "X"}},
     "exclude_prefix": {"Y": ["松", "易", "装"]}, "exclude_contains": {"Y": ["@form"]},
     "context": "@governance", "code": null, "description": "…"}

``pattern`` is literal characters, slots ``{NAME}`` and spaces; a space stands for an
optional separator (、，, or nothing); a slot used twice must repeat the same text
(为{X}而{X}). A slot is a run of Han characters that are not function words (的, 了,
不 …), ``min``–``max`` long; it may also hold ASCII letters and digits, full-width ones folded
(重ＡＰＰ推广、轻窗口服务; 年年定１０条), but not only those; ``quoted_min`` lets a filler be shorter
than ``min`` where it stands in quotation marks of its own (强“考”弱“帮”: one character, quoted);
``balance`` limits it to the length of another slot
(parallel halves; an open-ended last filler so trimmed runs on to the end of the word it would cut:
见系统不见纳税人, not 纳税|人); ``only`` lists the characters it may be; ``words`` lists the exact
words it may be; ``allow`` names function characters the slot may hold after all
(``"allow": "不在"``: 年年不见效, 年年存在); ``exclude_prefix`` lists beginnings that make ordinary
words (重要, 轻松 …), and ``keep_prefix`` beginnings that escape them and ``exclude_suffix`` (强制|度
is 强 + 制度, not 强制; 弱项|目 is 弱 + 项目; 谈问题少 is talk about problems, not few problems).
``exclude_words`` whole matches to reject, ``exclude_before``/``exclude_after``
text that must not stand right before/after the match (also allowed on expressions: 一刀切 is
literal in 一刀切开), ``exclude_contains``/``require_contains`` strings a slot must not/must contain,
``exclude_suffix`` strings it must not end with (问题少 is good news, 问题剖析少 is not)
(an item ``"@name"`` stands for every word of a vocabulary, below), ``different`` slots that
must differ. ``anchor`` is the literal the automaton looks for first.

Slot edges. A balanced slot that ends the match is trimmed to its partner's length, except
that a filler opening with a quotation mark runs to its closing mark (重“网格”轻“网格员”), and
a slot with ``"whole_clause": true`` keeps a longer filler that ends its clause and reads as at
most two words, a verb and its object (只挂牌、不发挥作用， — not 只转办不督办效果差). A
``whole_clause`` slot drops a frame noun at its end (只表态不落实现象 → 只表态不落实), unless
the filler fails without it and holds with it (年年老问题 is not 年年老 + 问题); in a clause framed
by 存在/出现/暴露/反映出 any last filler drops 问题/现象/倾向/情况 (存在重申报材料轻落地实施问题 →
重申报材料轻落地实施), unless the noun is its verb's object (重部署轻解决问题: 解决|问题 would be cut),
its parallel half ends the same way, or the filler is quoted. A filler holds no function character
(的, 了, 就, 和 …) except one that opens a common word (就业, 了解, 和谐; not 了|解决). Every start of
a match around its anchor is tried, so where the word-boundary check (below) rejects a match
that opens inside a word (督|查走过场多、解决问题少), a later start (走过场多、解决问题少) remains.
``require_after`` (as on expressions, below) makes the match end its phrase: punctuation, the
text's end, a frame noun (现象, 问题 …) or one of the listed strings. ``advice`` lists words
and/or vocabularies of exhortation: a template match preceded in its clause by one of them (a
word of one character only right before it), with no word of prevention or negation after that
word and no frame noun after the match, is advice, not a problem, and is not flagged
(党员干部要重实干、轻名利; 倡导市民多乘公交、少开私家车; but 不要重部署轻落实, 要防止…,
要正视重部署轻落实的问题 are flagged).

Context condition (``"context"``, on expressions and templates, bundled or a user's own).
Many idioms have a literal or everyday sense (一刀切出面片, 走过场坝, 看看盆景 as a hobby,
雷声大雨点小 weather) and every template shape occurs outside public work (冷一阵热一阵 a
fever, 多吃蔬菜、少吃油盐 a diet, 只换不修 a warranty). A pattern with ``"context"`` counts
only where its sentence is about public work. The value lists words and/or ``"@name"``
vocabularies (a single string is one item): ``"context": "@governance"`` or
``"context": ["@governance", "物业"]``. It holds when

* one of the words stands in the match's sentence (up to 。！？!?, at most 80 characters either
  side) outside the match, or inside a template's slot filler (重部署轻落实, 为检查而检查);
* a frame names the match as a practice or a problem: a word of ``@frame-before`` right before
  it (搞一刀切, 防止走过场) or of ``@frame-after`` right after it or after 的 (走过场的现象);
* or the writer sets it in quotation marks, alone or in a short quoted phrase without 。！？
  (搞“一刀切”, 看“盆景”, “只想争功不想揽过，只想出彩不想出力”): a citation or a figurative use —
  but not words sung or recited (歌里唱着“为爱而爱”: a quotation opened after 唱, 歌词, 诗里 …), nor a
  term named or defined (所谓的“灯下黑”, 戏曲里的“走过场”是指…, 挂着“一言堂”的匾额);
* or the match opens an item of a numbered list (（五）重安全防范轻教育改造。; 3. …; 三、…):
  the headings of problem lists name no public work of their own;
* or one of the words stands in the sentence before or after the match's, within its line
  (对照检视，支部理论学习还存在短板。学习笔记见摘抄不见思考): report paragraphs name the public
  work once and go on about it (the texts of a :meth:`~PatternMatcher.find_many` batch are lines
  apart, so context never passes between them);
* or, failing all these, another formalism expression whose condition holds (or that has none)
  stands in the same sentence, not overlapping it: such a sentence is about public work
  (不搞形象工程，不做表面文章; 决不允许数据造假、弄虚作假).

A context word counts only as a word of its sentence: one that begins inside another word is a
chance string (小区|里 holds no 区里 of the district government, 城市|里 no 市里), judged like a
match's edges (below) with the vocabulary's word counted as a common word (服务|台账).

Weaker context. Some shapes are strong evidence of the formalism sense by themselves, so their
templates name ``@public`` beside ``@governance``: public affairs and complaints that are no words
of government work (roads, rivers, traffic, estates, services, residents, 问题, 投诉, 意见很大,
屡禁不止 …). They are 年年X、年年Y with a second half of failure or recurrence (这条路年年修、年年坏;
该路口的拥堵问题年年治、年年堵), X一阵Y一阵 whose first half is enforcement (管, 查, 治, 整 …), 前X后Y
with a decay (前修后坏), 一X了之, 为X而X (为收费而收费), 只X不Y whose neglected half is upkeep
or other real work (只收费不养护), 边X边Y of procedure inverted (边报批边建设); and the idioms of
misconduct without a literal reading (急功近利,
弄虚作假, 数据造假 …), which also take ``@prohibition`` (决不允许…). 边X边Y of removal and return
(边拆边建, 边清边冒, 边治边污) names ``@violation``: without a violation in its sentence 边拆边建
is ordinary urban renewal. Schools, hospitals and residents are public affairs, so the shapes that
take ``@public`` are those whose everyday readings are rare; weather, pets and music name none of
these words. ``@warning`` (不能, 切忌 …) is an adjacent vocabulary: it counts only right before the
match, at most one character away (整治不能一阵风, 不能刮一阵风).

Every bundled template carries a context condition (``"@governance"``, or a weaker one above), and
``"@governance"`` is on every catalogue entry
whose words all have an everyday literal reading, so that the whole phrase can describe an
ordinary physical action or situation (62 of 144: 一刀切, 走过场, 盲区, 作秀, 沙滩流水不到头
(water on a beach), 一把尺子量到底 (a carpenter), 抓一阵放一阵 (a cat), 边建边散 (a sandcastle),
边改边犯 (a child's handwriting), 穿新鞋走老路, 击鼓传花 (a game) …), whether it is an idiom or
an instance of a template family. Entries that name public work themselves (文山会海,
痕迹主义, 等靠要, 重业务轻党建, 以会议落实会议, 表态多、落实少) need no context.

The vocabularies are data, ``lexicons/formalism/context.tsv`` (``term<TAB>vocabulary<TAB>category``):
``@governance`` (干部, 党组织, 部门, 基层, 落实, 考核, 督查, 整改, 会议, 文件 …), ``@frame-before``,
``@frame-after`` and ``@form`` (the superficial side of work: 会议, 留痕, 空话 …; the imbalance
templates exclude it from their neglected half, so advice such as 多干实事、少说空话 or
重实绩、轻留痕 is not flagged), ``@advice`` (要, 应当, 倡导, 建议 … for ``advice``), ``@show``
(the shown or ordered side of work — 表态, 部署, 汇报, 讲, 展示 —, which the first half of X多Y少
must name: 听汇报多、看现场少, not 老党员多、年轻党员少) and ``@unchanged`` (老问题, 一个样,
打折扣, 存在, 不见 …, which the second half of 年年X、年年Y must name: not 年年来、年年有新变化),
``@improvement`` (新变化, 提升, 改善 …: good news, which that second half must not name) and
``@trouble`` (问题, 隐患, 投诉 …: a scarce half of X多Y少 or 多X少Y naming one is good news or
advice: 检查多、问题少; a second half of 年年X、年年Y naming one is a problem that stays:
年年喊减负、年年负担重), ``@substance`` (落实, 解决, 办结, 干活, 办法 …: X多Y少 whose scarce half
names one is show over substance whatever the first half: 拍照多、干活少, 走过场多、解决问题少),
``@outcome`` (解决, 办结, 整改, 见效 …: X多Y少 whose scarce half names one and whose plentiful half
does not is effort without result, even where the effort is real work: 走访多、解决少),
``@public``, ``@prohibition`` and ``@violation`` (the weaker contexts above), and ``@warning``
(不能, 切忌, 避免 …, adjacent: 一阵风 warned against right after one — 创建工作不能一阵风 — is the practice).
``PatternMatcher(vocabularies=...)`` adds a user's TSV files of
the same shape (a new name makes a new vocabulary, a known one gets more words). An unknown
``"@name"`` is an error naming the line. The check runs only on candidate matches.

``exclude_context`` (expressions and templates): words of the literal sense; one of them in the
match's sentence vetoes it, even in a governance register (二传手 beside 排球, 肠梗阻 beside 病历,
打太极 beside 太极拳): the 150 bundled entries with an everyday reading list such words.

Two more expression fields. ``require_after``: the match must end its phrase — the text ends,
punctuation follows, or one of the listed strings (不作为、慢作为 and 不作为的干部 are the idiom;
不作为考核依据 is 不 + 作为). ``kind``: ``"formalism"`` (the default); ``"positive"``, an
established positive method or slogan that has a template's shape (边查边改, 强村带弱村,
多干实事、少说空话); ``"literal"``, a fixed literal phrase that holds an expression (一拍脑袋，
the gesture). Positive and literal entries are matched like the others but never flagged, and
they veto every candidate that overlaps them; their ``note`` gives the reason.

Word boundaries. A candidate whose first or last character belongs to a word of the sentence
is a chance string, not the expression: 知青走过场部门前 (场部), 用一把尺子量到底板边缘
(底板), 营收因为创新而创新高 (因为, 新高). A template that opens with a literal of its own is read
from it where the word before is one of a few function and place words (只|见横幅不见行动,
所|以通报落实通报, 路|边修边挖, 过去|年年提), and one that opens with a filler it repeats is read
from that (教育|学归学、做归做). Around each candidate (never over the whole text) the
matcher reads a window of up to 5 Han characters before and 8 after with jieba's unigram dictionary
(the project's private reference tokenizer, no HMM) and rejects the candidate when a common
word (frequency ≥ 10) runs across its start or end and (a) the best reading of the window with
such a word beats the best reading that keeps both edges by more than 1 (log-probability), or
(b) for the end, the characters from that word's start on read better with it than with a
boundary at the end (by more than -2), and the text after it reads on cleanly (punctuation, a
particle or a word: 底板|边缘, not 实现|象 in 落实现象). A word that holds the whole match (the
expression itself, or longer) never counts, nor one whose part outside the match is a single
closed-class character (站位不高|等问题, 走马观花|式调研, 工作中|庸懒散, 文山会海|难以根治).
``PatternMatcher(word_boundaries=False)`` turns the check off (and the same test on context words).

The check needs only the common words, not jieba's whole dictionary (half a second and 60 MB to
load): a compact table — every single character, the words of two or more characters with
frequency ≥ 10 and their prefixes, about 137,000 entries — is built once from the dictionary file
and kept in the user cache directory as NumPy arrays (``np.savez``, read with
``allow_pickle=False``); a process loads it in a few tens of milliseconds at its first candidate.
Rarer words are no evidence of a word at an edge, and the flags are the same as with the whole
dictionary.

Matching runs on a projection of the text: line breaks inside sentences removed, width,
quotes and Traditional characters folded (OpenCC's character table, and the forms it leaves
because the character is also Simplified: 搶著辦 → 抢着办 but 著名, 反覆 → 反复 but 覆盖), quotation
marks and spaces dropped; a catalogue entry's 、 and ， also match an ASCII comma. So 重"输血"、
轻"造血", 重輸血輕造血 and a PDF's 一把尺子量到\\n底 all match, and every flag is mapped back
to the original text: ``text[f.start:f.end] == f.text``.

Overlap policy: leftmost-longest, non-overlapping. Among overlapping candidates the one
that starts first wins, and at the same start the longer one; a catalogue idiom beats a
template match of the same span (it carries the idiom's own id and code), and a longer
template match that holds a catalogue idiom swallows it (听汇报多、看现场少, not 听汇报;
年年定目标、年年打折扣, not 打折扣). A positive or
literal catalogue entry removes every candidate that overlaps it before this choice. Enumerations
such as 重现实轻长远、重输血轻造血 give one flag per expression.

Stance: each flag says how its sentence treats the expression — ``"problem"`` (stated as a
problem), ``"prevent"`` (something to prevent or fix: 要防止…, 坚决纠治…, 针对…) or
``"negated"`` (未发现…, 没有…).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import math
import os
import threading
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ._jsonl import json_objects
from ._normalize import fold, normalize
from .errors import InputError, LexiconError
from .resources import lexicon_path

__all__ = ["Flag", "PatternMatcher", "load_expressions", "load_templates", "load_vocabularies"]

FUNCTION_CHARS = "的了是在不和与及或着也都就而之把被又很"
_HAN = "\u3400-\u9fff"


_FRAMED_BY = re.compile("存在|出现|暴露出?|反映出")
_FRAME_DROP = ("问题", "现象", "倾向", "情况")  # the nouns a clause framed by _FRAMED_BY ends with


def _han_class_without(excluded: str) -> str:
    """A regex class of the Han characters U+3400–U+9FFF minus ``excluded``, plus ASCII letters and
    digits (full-width ones are folded to these): a filler may hold them (重APP推广, 年年定10条)."""
    ranges, lo = ["0-9A-Za-z"], 0x3400
    for code in sorted({ord(c) for c in excluded}):
        if code > lo:
            ranges.append(f"{chr(lo)}-{chr(code - 1)}")
        lo = code + 1
    ranges.append(f"{chr(lo)}-\u9fff")
    return "[" + "".join(ranges) + "]"


# A function character that opens a common content word may stand in a filler when that word's second
# character follows it (and not a third that makes the particle read on: 了|解决, 被|动员): 见人数不见就业,
# 重了解轻解决, 重和谐轻原则, 重项目建设轻党的建设 (就, 了, 和, 的 are kept out of fillers otherwise).
# Each entry: the character and the regex alternatives that let it stand (的 only inside 党的建设/党的领导).
_FUNCTION_WORDS = {"就": "就(?=[业医诊餐职])|就(?=学(?!习))", "和": "和(?=谐)|和(?=解(?!决))", "是": "是(?=非)",
                   "都": "都(?=市)", "及": "及(?=[时格])", "被": "被(?=动(?!员))", "了": "了(?=解(?!决))",
                   "把": "把(?=[关握])", "的": "(?<=党)的(?=建设|领导)"}


def _slot_unit(excluded: str) -> str:
    """A regex for one character of a filler: a Han character outside ``excluded`` (see
    :func:`_han_class_without`), or an excluded one that opens a word of :data:`_FUNCTION_WORDS`."""
    alts = [alt for c, alt in _FUNCTION_WORDS.items() if c in excluded]
    return "(?:" + "|".join([_han_class_without(excluded), *alts]) + ")"


_QUOTES_SPACES = re.compile("[“”‘’\"'\\s\u3000]")
_SEP = "[、，,]?"
_OPEN_Q, _CLOSE_Q = "“‘\"「『", "”’\"」』"
STANCES = ("problem", "prevent", "negated")
_BATCH_SEP = "\n。\n"
_PREVENT = re.compile(
    "防止|避免|杜绝|纠治|纠正|克服|整治|反对|力戒|戒除|破除|摒弃|扭转|根治|治理|解决|警惕|谨防|严防|切忌|"
    "不搞|不得|严禁|禁止|坚决|减少|消除|遏制|整改|破解|纠偏|改变|不能|不要|不准|决不|绝不|防范|针对|"
    "祛除|清理|精简|力避|严查|查处|纠|治"
)
_NEGATED = re.compile("(?:没有|未曾|未|不存在|并未|从未|并非|不是|无|不再|未发现|没发现)[^，。；！？]{0,6}$")


@dataclass(frozen=True, slots=True)
class Flag:
    """One formalism expression found in a text (offsets into the caller's text)."""

    start: int
    end: int
    text: str
    pattern: str
    family: str
    code: str | None
    stance: str = "problem"
    expression: str | None = None
    kind: str = "idiom"
    slots: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape used in ``dangjian tag`` records."""
        d = asdict(self)
        if not d["slots"]:
            del d["slots"]
        return d


@dataclass(frozen=True)
class Expression:
    id: str
    text: str
    family: str
    code: str | None
    description: str
    variants: tuple[str, ...] = ()
    source: str = ""
    exclude_before: tuple[str, ...] = ()
    exclude_after: tuple[str, ...] = ()
    context: tuple[str, ...] | None = None  # None: no condition; else folded words, one needed nearby
    require_after: tuple[str, ...] | None = None  # None: no condition; else what may follow besides punctuation
    kind: str = "formalism"  # "positive" (边查边改) / "literal" (一拍脑袋，): matched, never flagged, vetoes overlaps
    exclude_context: tuple[str, ...] = ()  # words of the literal sense: one in the sentence vetoes the match


@dataclass(frozen=True)
class Template:
    id: str
    family: str
    pattern: str
    anchors: tuple[str, ...]
    regex: re.Pattern[str]
    slots: dict[str, dict[str, Any]]
    exclude_prefix: dict[str, tuple[str, ...]]
    keep_prefix: dict[str, tuple[str, ...]]
    exclude_words: frozenset[str]
    exclude_before: tuple[str, ...]
    exclude_after: tuple[str, ...]
    exclude_contains: dict[str, tuple[str, ...]]
    exclude_suffix: dict[str, tuple[str, ...]]
    require_contains: dict[str, tuple[str, ...]]
    different: tuple[str, ...]
    code: str | None
    description: str
    width: int  # longest possible match, for the search window around the anchor
    context: tuple[str, ...] | None = None
    require_after: tuple[str, ...] | None = None  # None: no condition; else what may follow besides punctuation
    advice: tuple[str, ...] = ()  # words that, before the match in its clause, make it advice (要重实干、轻名利)
    literals: str = ""  # the pattern's literal characters: a window around an anchor that lacks one holds no match
    exclude_context: tuple[str, ...] = ()  # words of the literal sense: one in the sentence vetoes the match


# Traditional forms that the one-to-one character table leaves alone because the character is also
# Simplified with another use: 著 (搶著辦 → 抢着办; but 著名, 显著 stay), 覆 (反覆 → 反复; but 覆盖
# stays), 祇 (祇是 → 只是). Length-preserving, so offsets are unchanged. Each entry: the character, its
# fold, the characters before it that keep it, the characters after it that keep it; 覆 folds only
# next to the characters below.
_MORE_FOLD = (
    ("著", "着", "显卓昭名巨论编专原土遗译合所新撰拙", "名作称述录者书"),
    ("祇", "只", "神", ""),
)
_FOLD_FU_BEFORE, _FOLD_FU_AFTER = "反答回批重", "核查议审信函电"  # 反覆, 答覆, 覆核 … (not 重覆盖)


def _fold(text: str) -> str:
    """:func:`fold` and the Traditional forms of :data:`_MORE_FOLD` (a character found with ``str.find``,
    its neighbours read in Python: no scan of the whole text when it holds none)."""
    folded = fold(text)
    repl: list[tuple[int, str]] = []
    for ch, to, keep_before, keep_after in _MORE_FOLD:
        i = folded.find(ch)
        while i >= 0:
            prev = folded[i - 1] if i else ""
            nxt = folded[i + 1] if i + 1 < len(folded) else ""
            if not (prev and prev in keep_before) and not (nxt and nxt in keep_after):
                repl.append((i, to))
            i = folded.find(ch, i + 1)
    i = folded.find("覆")
    while i >= 0:
        prev = folded[i - 1] if i else ""
        nxt = folded[i + 1] if i + 1 < len(folded) else ""
        if ((prev and prev in _FOLD_FU_BEFORE and not (prev == "重" and nxt == "盖"))
                or (nxt and nxt in _FOLD_FU_AFTER)):
            repl.append((i, "复"))
        i = folded.find("覆", i + 1)
    if not repl:
        return folded
    pieces, last = [], 0
    for i, to in sorted(repl):  # one character each: the length and the offsets stay
        pieces += [folded[last:i], to]
        last = i + 1
    pieces.append(folded[last:])
    return "".join(pieces)


def _key(text: str) -> str:
    """The matching key of an expression: folded, quotes and spaces dropped."""
    return _QUOTES_SPACES.sub("", _fold(text))


def _compile_pattern(pattern: str, slots: dict[str, dict[str, Any]]) -> tuple[re.Pattern[str], int]:
    parts: list[str] = []
    seen: set[str] = set()
    width = 0
    for token in re.findall(r"\{[A-Z]\}|\s+|[^\s{]", pattern):
        if token.isspace():
            parts.append(_SEP)
            width += 1
        elif token.startswith("{"):
            name = token[1]
            spec = slots.get(name)
            if spec is None:
                raise ValueError(f"slot {token} has no entry in 'slots'")
            if name in seen:
                parts.append(f"(?P={name})")
            elif "words" in spec:
                alts = "|".join(re.escape(_key(w)) for w in sorted(spec["words"], key=len, reverse=True))
                parts.append(f"(?P<{name}>{alts})")
            else:
                if "only" in spec:
                    cls = f"[{re.escape(''.join(spec['only']))}]"
                elif spec.get("allow"):
                    allow = spec["allow"]
                    if not isinstance(allow, str) or not set(allow) <= set(FUNCTION_CHARS):
                        raise ValueError(f"slot {token}: 'allow' must be a string of function characters "
                                         f"(some of {FUNCTION_CHARS})")
                    cls = _slot_unit("".join(c for c in FUNCTION_CHARS if c not in allow))
                else:
                    cls = _slot_unit(FUNCTION_CHARS)
                least = min(int(spec.get("min", 1)), int(spec.get("quoted_min", spec.get("min", 1))))
                parts.append(f"(?P<{name}>{cls}{{{least},{int(spec.get('max', 4))}}})")
            width += max((len(w) for w in spec.get("words", [])), default=int(spec.get("max", 4)))
            seen.add(name)
        else:
            parts.append(re.escape(_key(token)))
            width += 1
    return re.compile("".join(parts)), width


_TEMPLATE_KEYS = {"id", "family", "pattern", "anchor", "slots", "exclude_prefix", "keep_prefix", "exclude_words",
                  "exclude_before", "exclude_after", "exclude_contains", "exclude_suffix", "require_contains",
                  "different", "code", "description", "source", "kind", "context", "note", "require_after", "advice",
                  "exclude_context"}
_EXPRESSION_KEYS = {"id", "text", "family", "variants", "description", "code", "source", "seed_text",
                    "exclude_before", "exclude_after", "require_after", "kind", "note", "context", "exclude_context"}
_KINDS = ("formalism", "positive", "literal")


def _strings(rec: dict[str, Any], key: str, vocab: dict[str, tuple[str, ...]] | None = None) -> tuple[str, ...]:
    """The folded strings of ``rec[key]``; with ``vocab``, an ``"@name"`` item stands for a vocabulary's terms."""
    value = rec.get(key, [])
    if vocab is not None and isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"{key!r} must be a list of non-empty strings")
    out: list[str] = []
    for v in value:
        if vocab is not None and v.startswith("@"):
            if v[1:] not in vocab:
                known = ", ".join("@" + k for k in sorted(vocab)) or "none"
                raise ValueError(f"{key!r}: unknown vocabulary {v!r} (known: {known})")
            out.extend(vocab[v[1:]])
        else:
            out.append(_key(v))
    return tuple(dict.fromkeys(k for k in out if k))


def _slot_strings(rec: dict[str, Any], key: str, vocab: dict[str, tuple[str, ...]] | None = None
                  ) -> dict[str, tuple[str, ...]]:
    """The folded strings of ``rec[key]``, an object from slot names of the pattern to lists of strings
    (with ``vocab``, an ``"@name"`` item stands for a vocabulary's terms)."""
    value = rec.get(key, {})
    if not isinstance(value, dict):
        raise ValueError(f"{key!r} must be an object such as {{\"X\": [\"…\"]}}")
    names = set(re.findall(r"\{([A-Z])\}", str(rec.get("pattern", ""))))
    out = {}
    for k, items in value.items():
        if k not in names:
            raise ValueError(f"{key!r}: {k!r} is not a slot of pattern {rec.get('pattern')!r}")
        if not isinstance(items, list):
            raise ValueError(f"{key!r}: slot {k!r} must be a list of non-empty strings")
        if vocab is None and any(isinstance(v, str) and v.startswith("@") for v in items):
            raise ValueError(f"{key!r}: slot {k!r} takes literal strings, not vocabularies ({items!r})")
        try:
            out[k] = _strings(value, k, vocab)
        except ValueError as exc:
            raise ValueError(f"{key!r}: {exc}") from None
    return out


_ADJACENT = "\x01"  # marks a context word that counts only right before the match (see _ADJACENT_VOCABULARIES)
_ADJACENT_VOCABULARIES = ("warning",)


def _context(rec: dict[str, Any], vocab: dict[str, tuple[str, ...]]) -> tuple[str, ...] | None:
    """The ``context`` condition of a record: ``None`` (none) or the folded words of which one must be near.
    The words of an adjacent vocabulary (``@warning``) are marked: they count only right before the
    match, at most one character away (不能一阵风, 不能刮一阵风), not anywhere in its sentence."""
    if "context" not in rec:
        return None
    items = rec["context"] if isinstance(rec["context"], list) else [rec["context"]]
    adjacent = {f"@{v}" for v in _ADJACENT_VOCABULARIES} & set(items)
    words = _strings({"context": [x for x in items if x not in adjacent]}, "context", vocab)
    words += tuple(_ADJACENT + w for v in sorted(adjacent) for w in _strings({"context": [v]}, "context", vocab))
    if not words:
        raise ValueError("'context' names no word; give words or a vocabulary such as \"@governance\"")
    return words


def _template_from(rec: dict[str, Any], vocab: dict[str, tuple[str, ...]] | None = None) -> Template:
    vocab = load_vocabularies() if vocab is None else vocab
    for key in ("id", "family", "pattern", "anchor", "slots"):
        if key not in rec:
            raise ValueError(f"missing field {key!r}")
    unknown = set(rec) - _TEMPLATE_KEYS
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}")
    if not isinstance(rec["slots"], dict):
        raise ValueError("'slots' must be an object such as {\"X\": {\"min\": 1, \"max\": 4}}")
    if rec.get("kind", "formalism") != "formalism":
        raise ValueError("a template's 'kind' can only be \"formalism\"; list a positive slogan as an expression")
    anchors = [rec["anchor"]] if isinstance(rec["anchor"], str) else list(rec["anchor"])
    literal = _key(re.sub(r"\{[A-Z]\}", "", rec["pattern"]))
    words = {_key(w) for spec in rec["slots"].values() if isinstance(spec, dict) for w in spec.get("words", [])}
    # a literal and one character of the "only" slot right after it (代管 of 以{X}代{Y}): rarer than the
    # literal alone (代 of 代表, 时代), so fewer windows to search
    for lit, name in re.findall(r"([^\s{}]+)\{([A-Z])\}", rec["pattern"]):
        spec = rec["slots"].get(name)
        if isinstance(spec, dict) and spec.get("only"):
            words |= {_key(lit + c) for c in spec["only"]}
    for anchor in anchors:
        if not isinstance(anchor, str) or not anchor or (_key(anchor) not in literal and _key(anchor) not in words):
            raise ValueError(f"anchor {anchor!r} is neither a literal of pattern {rec['pattern']!r} nor a slot word, "
                             "nor a literal and a character of the slot after it")
    regex, width = _compile_pattern(rec["pattern"], rec["slots"])
    return Template(
        id=rec["id"], family=rec["family"], pattern=rec["pattern"], anchors=tuple(_key(a) for a in anchors),
        regex=regex,
        slots=rec["slots"],
        exclude_prefix=_slot_strings(rec, "exclude_prefix"),
        keep_prefix=_slot_strings(rec, "keep_prefix"),
        exclude_words=frozenset(_strings(rec, "exclude_words")),
        exclude_before=_strings(rec, "exclude_before"), exclude_after=_strings(rec, "exclude_after"),
        exclude_contains=_slot_strings(rec, "exclude_contains", vocab),
        exclude_suffix=_slot_strings(rec, "exclude_suffix", vocab),
        require_contains=_slot_strings(rec, "require_contains", vocab),
        different=tuple(rec.get("different", [])),
        code=rec.get("code"), description=rec.get("description", ""), width=width,
        context=_context(rec, vocab),
        require_after=_strings(rec, "require_after") if "require_after" in rec else None,
        advice=_strings(rec, "advice", vocab) if "advice" in rec else (),
        literals="".join(sorted(set(literal) - {c for a in anchors for c in _key(a)})),
        exclude_context=_strings(rec, "exclude_context", vocab),
    )


def _expression_from(rec: dict[str, Any], vocab: dict[str, tuple[str, ...]] | None = None) -> Expression:
    vocab = load_vocabularies() if vocab is None else vocab
    for key in ("id", "text"):
        if not isinstance(rec.get(key), str) or not rec[key].strip():
            raise ValueError(f"missing or empty field {key!r}")
    variants = rec.get("variants", [])
    if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
        raise ValueError("'variants' must be a list of strings")
    code = rec.get("code")
    if code is not None and not isinstance(code, str):
        raise ValueError("'code' must be a string such as \"2.2\" or null")
    unknown = set(rec) - _EXPRESSION_KEYS
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}")
    kind = rec.get("kind", "formalism")
    if kind not in _KINDS:
        raise ValueError(f"'kind' must be one of {', '.join(map(repr, _KINDS))}, not {kind!r}")
    if kind != "formalism" and "context" in rec:
        raise ValueError(f"a {kind!r} entry takes no 'context'")
    return Expression(rec["id"], rec["text"], rec.get("family", "idiom"), code, rec.get("description", ""),
                      tuple(variants), rec.get("source", ""), _strings(rec, "exclude_before"),
                      _strings(rec, "exclude_after"), _context(rec, vocab),
                      _strings(rec, "require_after") if "require_after" in rec else None, kind,
                      _strings(rec, "exclude_context", vocab))


def _read_jsonl(path: str | os.PathLike[str], build: Any, vocab: dict[str, tuple[str, ...]] | None = None
                ) -> list[Any]:
    vocab = load_vocabularies() if vocab is None else vocab
    items: list[Any] = []
    errors: list[tuple[int, str]] = []
    ids: set[str] = set()
    for n, rec in json_objects(path, errors, what="pattern file"):
        if "pattern" in rec and build is _expression_from:
            build_fn = _template_from
        elif "text" in rec and build is _template_from:
            build_fn = _expression_from
        else:
            build_fn = build
        try:
            item = build_fn(rec, vocab)
        except (ValueError, re.error, TypeError) as err:
            errors.append((n, str(err)))
            continue
        if item.id in ids:
            errors.append((n, f"duplicate id {item.id!r}"))
            continue
        ids.add(item.id)
        items.append(item)
    if errors:
        raise LexiconError(path, errors)
    return items


def load_expressions(path: str | os.PathLike[str] | None = None, *,
                     vocabularies: dict[str, tuple[str, ...]] | None = None) -> list[Expression]:
    """The expression catalogue (bundled, or a user's JSONL file of the same shape).

    ``vocabularies`` (from :func:`load_vocabularies`) resolves ``"@name"`` references; the
    bundled vocabularies by default.
    """
    return _read_jsonl(path or lexicon_path("formalism", "expressions.jsonl"), _expression_from, vocabularies)


def load_templates(path: str | os.PathLike[str] | None = None, *,
                   vocabularies: dict[str, tuple[str, ...]] | None = None) -> list[Template]:
    """The bundled templates (or a user's JSONL file of the same shape)."""
    return _read_jsonl(path or lexicon_path("formalism", "templates.jsonl"), _template_from, vocabularies)


_VOCAB_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def _read_vocabularies(path: str | os.PathLike[str], into: dict[str, list[str]]) -> None:
    """Add the terms of a context-vocabulary TSV (``term``, ``vocabulary``, … columns) to ``into``."""
    from pathlib import Path

    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise LexiconError(path, [(0, "no such vocabulary file; check the path")]) from None
    except UnicodeDecodeError:
        raise LexiconError(path, [(0, "not UTF-8; save the vocabulary file as UTF-8")]) from None
    errors: list[tuple[int, str]] = []
    header = [h.strip() for h in lines[0].split("\t")] if lines else []
    if header[:2] != ["term", "vocabulary"]:
        raise LexiconError(path, [(1, "the header must begin with the columns term<TAB>vocabulary")])
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < 2 or not cols[0] or not cols[1]:
            errors.append((n, f"expected a term and a vocabulary name separated by a tab: {line!r}"))
        elif len(cols) > len(header):
            errors.append((n, f"{len(cols)} columns, the header has {len(header)}: {line!r}"))
        elif not _VOCAB_NAME.fullmatch(cols[1]):
            errors.append((n, f"vocabulary name {cols[1]!r} must be a word of ASCII letters, digits, - or _"))
        else:
            into.setdefault(cols[1], []).append(_key(cols[0]))
    if errors:
        raise LexiconError(path, errors)


@functools.lru_cache(maxsize=1)
def _bundled_vocabularies() -> dict[str, tuple[str, ...]]:
    into: dict[str, list[str]] = {}
    _read_vocabularies(lexicon_path("formalism", "context.tsv"), into)
    return {k: tuple(dict.fromkeys(v)) for k, v in into.items()}


def load_vocabularies(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None
                      ) -> dict[str, tuple[str, ...]]:
    """The named word lists that ``"@name"`` refers to in ``context``, ``exclude_contains`` and
    ``require_contains``: the bundled ``lexicons/formalism/context.tsv`` (``@governance``,
    ``@form``), extended by the user's TSV files of the same shape (``term<TAB>vocabulary``
    header; a new name adds a vocabulary, a known name adds terms to it).

    >>> "干部" in load_vocabularies()["governance"]
    True
    """
    if paths is None:
        return _bundled_vocabularies()
    into: dict[str, list[str]] = {k: list(v) for k, v in _bundled_vocabularies().items()}
    for path in [paths] if isinstance(paths, (str, os.PathLike)) else paths:
        _read_vocabularies(path, into)
    return {k: tuple(dict.fromkeys(v)) for k, v in into.items()}


def _variant_keys(e: Expression) -> set[str]:
    keys = set()
    for form in (e.text, *e.variants):
        k = _key(form)
        keys |= {k, k.replace("、", ""), k.replace("、", "，"), k.replace("，", "、"), k.replace("，", ""),
                 k.replace("、", ",").replace("，", ",")}  # an ASCII comma too (上有政策,下有对策)
    return {k for k in keys if len(k) >= 2}


_DROP_CODES = np.array(sorted({ord(c) for c in "“”‘’\"' \t\n\r\u3000\x0b\x0c\u00a0"}), dtype=np.uint32)
_DROP_LUT = np.zeros(0x10000, dtype=bool)
_DROP_LUT[_DROP_CODES] = True


class _Projection:
    """The matching text: normalised, folded, quotes and spaces dropped, with a map to the original."""

    __slots__ = ("index", "text")

    def __init__(self, text: str) -> None:
        n = normalize(text, width=False, quotes=False)
        folded = _fold(n.text)
        codes = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        keep = ~_DROP_LUT[np.minimum(codes, 0xFFFF)]  # a look-up table: twice as fast as np.isin here
        self.index = n.index[:-1][keep]
        self.text = codes[keep].tobytes().decode("utf-32-le", "surrogatepass") if not keep.all() else folded

    def span(self, a: int, b: int) -> tuple[int, int]:
        return int(self.index[a]), int(self.index[b - 1]) + 1


def _context_excluded(p: str, a: int, b: int, before: tuple[str, ...], after: tuple[str, ...]) -> bool:
    """True when the text right before/after a match makes it an ordinary, literal use."""
    return any(p.endswith(x, 0, a) for x in before) or any(p.startswith(x, b) for x in after)


def _phrase_ends(p: str, b: int, allowed: tuple[str, ...]) -> bool:
    """True when the match ends its phrase: the text ends, punctuation follows, or one of ``allowed``."""
    return b >= len(p) or not p[b].isalnum() or any(p.startswith(x, b) for x in allowed)


_CONTEXT_REACH = 80
_STOPS = "。！？!?"
_QUOTE_CHARS = frozenset("“”‘’\"'「」『』＂")
_OPENING = frozenset("“‘「『\"'＂")
_CLOSING = frozenset("”’」』\"'＂")
_CITATION_REACH = 24  # a quoted phrase, not quoted speech: short and without 。！？


# the opening of an item of a numbered list — （三）, 3., 三、, ③, 第三， — and at most a few words of it before
# a match: the headings of problem lists (检视问题清单, 整改方案), whose items name no public work of their own
_LIST_ITEM = re.compile(r"\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、.．)）]"
                        r"|[①-⑳]|第[一二三四五六七八九十]{1,3}[，、,])[^，。；！？,;!?]{0,12}$")


_LINE_BREAKS = "\n\r\u2028\u2029"
_DFA_MAX_KEYS = 5_000


def _line_around(p: str, a: int, proj: _Projection, text: str) -> tuple[int, int]:
    """The bounds in the matching text ``p`` of the original text's line around ``p[a]`` (the matching
    text drops line breaks; the texts of a batch are lines apart), looked for no further than
    _CONTEXT_REACH characters either side (a line longer than that is as good as unbounded here)."""
    oa = int(proj.index[a])
    lo, hi = max(0, oa - 2 * _CONTEXT_REACH), min(len(text), oa + 2 * _CONTEXT_REACH)
    tl = max(text.rfind(c, lo, oa) for c in _LINE_BREAKS) + 1 or lo
    ends = [i for i in (text.find(c, oa, hi) for c in _LINE_BREAKS) if i >= 0]
    line_start = int(np.searchsorted(proj.index, max(tl, lo)))
    line_end = int(np.searchsorted(proj.index, min(ends))) if ends else (
        len(p) if hi == len(text) else int(np.searchsorted(proj.index, hi)))
    return line_start, line_end


def _stretch_start(p: str, a: int, stops: str) -> int:
    """Where the sentence or clause (ended by ``stops``) that holds ``p[a]`` begins, looked for no
    further back than _CONTEXT_REACH characters."""
    lo = max(0, a - _CONTEXT_REACH)
    return max(lo, max(p.rfind(c, lo, a) for c in stops) + 1)


def _sentence_around(p: str, a: int, b: int) -> tuple[int, int]:
    """The sentence of ``p`` holding ``p[a:b]`` (at most _CONTEXT_REACH characters either side)."""
    hi = min(len(p), b + _CONTEXT_REACH)
    s = _stretch_start(p, a, _STOPS)
    e = min((i for i in (p.find(c, b, hi) for c in _STOPS) if i >= 0), default=hi)
    return s, e


# a quotation opened right after these is words sung, recited or printed in a work (歌里唱着“为爱而爱”),
# not the writer's citation of an expression
_SUNG = re.compile("(?:[唱吟诵哼]|歌词|台词|歌名|诗句|诗里|歌里|歌中|曲名|片名|书名)[^，。！？；“”‘’\"]{0,3}[：:，,]?\\s*$")


def _quoted(text: str, proj: _Projection, a: int, b: int) -> bool:
    """True when the writer sets the match in quotation marks — 搞“一刀切”, 看“盆景”, 重“输血”轻“造血”,
    “只想争功不想揽过，只想出彩不想出力” — that is, in a short quoted phrase (at most
    _CITATION_REACH characters, no 。！？ inside: quoted speech does not count, nor words sung or
    recited: 歌里唱着“为爱而爱”)."""
    oa, ob = proj.span(a, b)
    if any(ch in _QUOTE_CHARS for ch in text[oa:ob]):
        return True
    lo = max(0, ob - _CITATION_REACH)
    i = oa - 1
    while i >= lo and text[i] not in _OPENING:
        if text[i] in _CLOSING or text[i] in _STOPS:
            return False
        i -= 1
    if i < lo or _SUNG.search(text, max(0, i - 6), i) or text.endswith(("所谓", "所谓的", "俗话说的", "俗称", "人们常说的"), 0, i):
        return False  # words sung, or a term named (所谓的“灯下黑”)
    j, hi = ob, min(len(text), i + _CITATION_REACH + 2)
    while j < hi and text[j] not in _CLOSING:
        if text[j] in _OPENING or text[j] in _STOPS:
            return False
        j += 1
    # a term being defined or a name on a sign is mentioned, not cited as a practice: 戏曲里的“走过场”是指…,
    # 挂着“一言堂”的匾额
    return j < hi and not _MENTION.match(text, j + 1)


_MENTION = re.compile(r"[，,]?(?:是指|指的是|原指|本指|原意|本意|意思是|的匾额|的招牌|牌匾|匾额|字号|的典故|典故|一词|这个词|的老招牌|老招牌)")


_CLAUSE_STOPS = "，,；;：:。！？!?\n"
_NOT_ADVICE = frozenset({"纪要", "摘要", "提要", "纲要", "概要", "主要", "重要", "首要", "次要", "机要", "政要", "显要"})
_NEGATORS = frozenset("不没未无别勿莫非")
_PROPOSERS = frozenset({"代表", "委员", "意见", "群众", "合理", "审计", "监察", "纪检"})  # …建议 is a proposal (noun)
_PROPOSAL_WORK = ("办理", "答复", "提案", "事项")


def _contiguous(proj: _Projection, a: int, b: int) -> bool:
    """True when p[a:b] stands in the original text without a dropped quotation mark or space inside."""
    return int(proj.index[b - 1]) - int(proj.index[a]) == b - 1 - a


def _closing_quote(proj: _Projection, text: str, a: int, b: int) -> int | None:
    """For a slot filler p[a:b] that opens right after a quotation mark in the original text, the
    projected position of its closing quotation mark (the filler ends there); else None."""
    o = int(proj.index[a])
    if o == 0 or text[o - 1] not in _OPENING:
        return None
    for k in range(a + 1, b + 1):
        q = int(proj.index[k - 1]) + 1
        if q < len(text) and text[q] in _CLOSING:
            return k
    return None


def _quoted_filler(proj: _Projection, text: str, a: int, b: int) -> bool:
    """True when the filler p[a:b] stands in the original text between an opening and a closing
    quotation mark of its own (强“考”弱“帮”)."""
    oa, ob = int(proj.index[a]), int(proj.index[b - 1]) + 1
    return oa > 0 and text[oa - 1] in _OPENING and ob < len(text) and text[ob] in _CLOSING


def _balance_quotes(text: str, a: int, b: int) -> tuple[int, int]:
    """Take in a closing (opening) quote whose partner lies inside the span."""
    inner = text[a:b]
    for q in '"＂':
        if inner.count(q) % 2 and b < len(text) and text[b] == q:
            return a, b + 1
    opens = sum(inner.count(q) for q in "“‘「『")
    closes = sum(inner.count(q) for q in "”’」』")
    if opens > closes and b < len(text) and text[b] in _CLOSE_Q:
        b += 1
    elif closes > opens and a > 0 and text[a - 1] in _OPEN_Q:
        a -= 1
    return a, b


# --- word boundaries at a match's edges --------------------------------------------------------------------

_EDGE_REACH = 5       # Han characters before a match that the edge check segments …
_EDGE_REACH_AFTER = 8  # … and after it (room for the word that follows a cut: 一锤定音|乐声戛然而止)
_EDGE_MARGIN = 1.0    # log-probability by which a reading across an edge must beat the edge (window test)
_TAIL_MARGIN = -2.0   # … and by which the match's last characters must prefer the following word (tail test)
_EDGE_MIN_FREQ = 10   # dictionary entries rarer than this are no evidence of a word
_MAX_WORD = 8
_HAN_RE = re.compile(f"[{_HAN}]")
_ACRONYM = re.compile("[A-Z]{2,5}")
# closed-class characters (particles, prepositions, modals, localisers, productive suffixes): a word that one of
# them forms with the match's first or last character is no evidence of a cut (站位不高|等问题, 不作为|了,
# 走马观花|式调研, 工作中|庸懒散, 文山会海|难以根治)
_GRAMMATICAL = frozenset("的地得了着过之于以而且并与和及或也都就还又再才便即则却但如若因为被把将对向从由让使给在是有无"
                         "不没未很更最太已曾正要会能可应需须中上下里内外间前后时成式型化性者们度率类难易仍等些个")
_freq_lock = threading.Lock()


_FREQ_TABLE_VERSION = 1


def _build_freq_table(dict_path: Any) -> tuple[dict[str, int], int]:
    """The compact table from jieba's dictionary file, read the way jieba reads it (a later line wins,
    every line adds to the total): every single character, every word of two or more characters with
    frequency ≥ _EDGE_MIN_FREQ, and the prefixes of those words with frequency 0 (so that a look-up
    loop can stop at the first string that starts no word). Rarer words are left out: they are no
    evidence of a word at a match's edge."""
    freq: dict[str, int] = {}
    total = 0
    with open(dict_path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ")
            if len(parts) < 2 or not parts[0]:
                continue
            f = int(parts[1])
            freq[parts[0]] = f
            total += f
    table = {w: f for w, f in freq.items() if (len(w) == 1 and f > 0) or f >= _EDGE_MIN_FREQ}
    for w in list(table):
        for k in range(2, len(w)):
            table.setdefault(w[:k], 0)
    return table, total


def _freq_cache_file(dict_path: Any) -> Any:
    """The table's file in the user cache, named after the dictionary file's size and time and the
    table's format, so that a changed dictionary or format makes a new one."""
    from .resources import cache_dir

    st = os.stat(dict_path)
    key = f"{_FREQ_TABLE_VERSION}-{_EDGE_MIN_FREQ}-{st.st_size}-{st.st_mtime_ns}"
    return cache_dir() / "patterns" / f"wordfreq-{key}.npz"


@functools.lru_cache(maxsize=1)
def _word_freq() -> tuple[dict[str, int], float]:
    """Word frequencies of jieba's dictionary for the word-boundary check, and log of their total.

    Loading jieba's whole dictionary costs about half a second and 60 MB; the check needs only the
    common words. So the compact table of :func:`_build_freq_table` is built once from the dictionary
    file (jieba itself is never imported here) and stored in the user cache directory as NumPy arrays
    (``np.savez``; read with ``allow_pickle=False``): words as UTF-8 joined by newlines, their
    frequencies, the total. Later processes load it in a few tens of milliseconds. If the cache cannot
    be written the table is built in memory."""
    import tempfile

    from ._jieba import dictionary_path

    with _freq_lock:
        dict_path = dictionary_path()
        try:
            cache = _freq_cache_file(dict_path)
        except OSError:
            cache = None
        if cache is not None and cache.is_file():
            try:
                with np.load(cache, allow_pickle=False) as z:  # never unpickles
                    words = z["words"].tobytes().decode("utf-8").split("\n")
                    freqs = z["freq"].tolist()
                    total = int(z["total"][0])
                if len(words) == len(freqs):
                    return dict(zip(words, freqs)), math.log(total)
            except (OSError, ValueError, KeyError, UnicodeDecodeError):
                pass  # a damaged cache file is rebuilt below
        table, total = _build_freq_table(dict_path)
        if cache is not None:
            words = list(table)
            try:
                cache.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=cache.parent, suffix=".tmp")
                try:
                    with os.fdopen(fd, "wb") as f:
                        np.savez(f, words=np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
                                 freq=np.array([table[w] for w in words], dtype=np.int64),
                                 total=np.array([total], dtype=np.int64))
                    os.replace(tmp, cache)  # atomic: a concurrent reader sees no file or the whole file
                finally:
                    if os.path.exists(tmp):
                        os.unlink(tmp)
            except OSError:
                pass
        return table, math.log(total)


class _Lattice:
    """Unigram segmentation lattice of a short string (jieba's dictionary and scores): the best
    log-probability of every prefix and suffix, so that readings across a position can be compared
    with readings that keep a boundary there."""

    __slots__ = ("s", "n", "words", "fwd", "bwd")

    def __init__(self, s: str) -> None:
        freq, log_total = _word_freq()
        self.s, self.n = s, len(s)
        n = self.n
        # words[i]: (j, logp, freq) for every dictionary word s[i:j]; a single character always counts
        self.words: list[list[tuple[int, float, int]]] = []
        for i in range(n):
            row = []
            for j in range(i + 1, min(n, i + _MAX_WORD) + 1):
                f = freq.get(s[i:j])
                if f is None and j > i + 1:
                    break  # no longer word starts with this prefix
                if f or j == i + 1:
                    row.append((j, math.log(f or 1) - log_total, f or 0))
            self.words.append(row)
        neg = -math.inf
        self.fwd = [0.0] + [neg] * n
        for i in range(n):
            if self.fwd[i] == neg:
                continue
            for j, lp, _f in self.words[i]:
                if self.fwd[i] + lp > self.fwd[j]:
                    self.fwd[j] = self.fwd[i] + lp
        self.bwd = [neg] * n + [0.0]
        for i in range(n - 1, -1, -1):
            self.bwd[i] = max(lp + self.bwd[j] for j, lp, _f in self.words[i])

    def next_word(self, i: int) -> int:
        """The end of the first word of the best reading of s[i:]."""
        return max(self.words[i], key=lambda w: w[1] + self.bwd[w[0]])[0]

    def tokens(self) -> list[str]:
        """The best segmentation of the whole string."""
        out, i = [], 0
        while i < self.n:
            j = self.next_word(i)
            out.append(self.s[i:j])
            i = j
        return out

    def best(self, i: int, j: int) -> float:
        """The best log-probability of s[i:j] on its own."""
        if i == 0:
            return self.fwd[j]
        best = [0.0] + [-math.inf] * (j - i)
        for k in range(i, j):
            if best[k - i] == -math.inf:
                continue
            for e, lp, _f in self.words[k]:
                if e <= j and best[k - i] + lp > best[e - i]:
                    best[e - i] = best[k - i] + lp
        return best[j - i]

    def crossing(self, x: int, a: int, b: int) -> float:
        """The best reading in which a word runs across position x: not one holding all of s[a:b], nor one
        whose part outside the match is a single closed-class character."""
        out = -math.inf
        for i in range(max(0, x - _MAX_WORD + 1), x):
            for j, lp, f in self.words[i]:
                if j > x and f >= _EDGE_MIN_FREQ and not (i <= a and j >= b) and not _grammatical_edge(
                        self.s, i, j, a, b):
                    out = max(out, self.fwd[i] + lp + self.bwd[j])
        return out


def _crossing_words(s: str, freq: dict[str, int], x: int, a: int, b: int) -> bool:
    """True when some common word of the dictionary runs across position x of s (see :func:`_cuts_a_word`)."""
    for i in range(max(0, x - _MAX_WORD + 1), x):
        for j in range(x + 1, min(len(s), i + _MAX_WORD) + 1):
            f = freq.get(s[i:j])
            if f is None:
                break  # no longer word starts with this prefix
            if f >= _EDGE_MIN_FREQ and not (i <= a and j >= b) and not _grammatical_edge(s, i, j, a, b):
                return True
    return False


def _grammatical_edge(s: str, i: int, j: int, a: int, b: int) -> bool:
    """True when the word s[i:j] that crosses an edge of s[a:b] has one closed-class character outside it."""
    return (j == b + 1 and s[b] in _GRAMMATICAL) or (i == a - 1 and s[i] in _GRAMMATICAL)


def _cuts_a_word(p: str, a: int, b: int, start_edge: bool = True) -> bool:
    """True when the match p[a:b] starts or ends inside a word of its sentence (走过场部门前,
    量到底板, 因为创新而创新高): the edge test that rejects a candidate.

    Two tests on a window of up to _EDGE_REACH Han characters before the match and _EDGE_REACH_AFTER
    after it, with jieba's unigram dictionary (no HMM), about the common words (frequency ≥
    _EDGE_MIN_FREQ) that run across an edge:

    * window: the best segmentation in which a word runs across an edge beats the best one that keeps
      both edges by more than _EDGE_MARGIN (因为|创新…, 加强|力量…, 私家|车);
    * tail: a common word begins inside the match and runs past its end, and the characters from that
      word's start on read better with it than with a boundary at the end (到底|板 → 底板, 场|部门 →
      场部, 创新|高 → 新高), by more than _TAIL_MARGIN, and the text after that word reads on cleanly.
      The left context is left out here on purpose: a word that the match's last characters form with
      the next ones is what a reader sees, whatever the idiom before it.

    A word that holds the whole match (the expression itself, or longer) never counts, nor one whose
    part outside the match is a single closed-class character (站位不高|等问题). Without
    ``start_edge`` only the end is tested (a leading filler that is a word of its own may be the head
    of a compound: 建设|项目多、运营少). Most candidates
    have no crossing word at all and cost one pass of dictionary look-ups."""
    lo = a
    while lo > 0 and a - lo < _EDGE_REACH and _HAN_RE.match(p[lo - 1]):
        lo -= 1
    hi = b
    while hi < len(p) and hi - b < _EDGE_REACH_AFTER and _HAN_RE.match(p[hi]):
        hi += 1
    if lo == a and hi == b:
        return False
    freq = _word_freq()[0]
    s = p[lo:hi]
    A, B = a - lo, b - lo
    edges = (A, B) if start_edge else (B,)
    if not any(_crossing_words(s, freq, x, A, B) for x in edges if 0 < x < len(s)):
        return False  # the usual case: no word of the dictionary runs across either edge
    truncated = hi < len(p) and bool(_HAN_RE.match(p[hi]))
    lat = _Lattice(s)
    kept = lat.best(0, A) + lat.best(A, B) + lat.best(B, lat.n)
    for x in edges:
        if 0 < x < lat.n and lat.crossing(x, A, B) - kept > _EDGE_MARGIN:
            return True
    if B < lat.n:
        for i in range(max(A + 1, B - _MAX_WORD + 1), B):
            for j, lp, f in lat.words[i]:
                if j > B and f >= _EDGE_MIN_FREQ and not _grammatical_edge(lat.s, i, j, A, B):
                    across = lp + lat.bwd[j]
                    boundary = lat.best(i, B) + lat.bwd[B]
                    # … and the text after that word reads on cleanly: punctuation, a particle or a word
                    # (底板|边缘, 场部|门前), not a stranded character (落实|现象 is not 实现|象)
                    nxt = lat.next_word(j) if j < lat.n else j
                    clean = (j == lat.n or lat.s[j] in _GRAMMATICAL or nxt > j + 1
                             or (nxt == lat.n and truncated))  # the window may cut the next word short
                    if across - boundary > _TAIL_MARGIN and clean:
                        return True
    return False


_WORD_END_MIN_FREQ = 100


# Words a template's opening literal may form with the character before it and still open the template:
# function words and place words that are read apart there (只|见X不见Y, 所|以X落实X, 路|边X边Y, 去|年年X,
# 日|前有X后无Y, 工|单一X了之: 了之 must end the phrase anyway) — not nouns and words such as 意见, 一只,
# 因为 (意见大不见回应 is no 见X不见Y).
_SPLIT_BEFORE = frozenset({"只见", "所以", "用以", "可以", "足以", "借以", "路边", "身边", "旁边", "这边", "那边",
                           "去年", "日前", "单一", "唯一", "统一", "逐一", "同一"})


def _open_start(item: Any, slots: dict[str, str], p: str, a: int) -> bool:
    """Whether the start edge of a template match ``p[a:…]`` is exempt from the word-cut test. A
    template that opens with a literal of its own (见…不见, 边…边, 以…落实, 年年…) is read from that
    literal where the word it makes with the character before it is one of _SPLIT_BEFORE (只见|横幅,
    路边|修, 所以|通报, 过去|年年); one that opens with a filler it repeats is read from that filler
    (教育|学归学、做归做). A match that opens with a filler that is a common word of its own (项目 of
    项目多、运营少) may split a compound there (建设|项目), as parallel halves are written."""
    if not isinstance(item, Template):
        return False
    first = re.match(r"\{([A-Z])\}", item.pattern)
    if first is None:
        return a > 0 and p[a - 1:a + 1] in _SPLIT_BEFORE
    if item.pattern.count(first.group(0)) > 1:
        return True  # the repetition marks the start (学归学、做归做 after 教育|学)
    filler = slots.get(first.group(1), "")
    return len(filler) >= 2 and (_word_freq()[0].get(filler) or 0) >= _EDGE_MIN_FREQ


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _whole_words(filler: str, keep: int, most: int) -> int:
    """How much of an open-ended last filler to keep when it is trimmed to the length of its parallel
    half: at least ``keep`` characters, running on to the end of the word it would cut (见系统不见纳税|人
    keeps 纳税人, 多坐办公室、少进田间|地头 keeps 进田间地头), but never past ``most``. (A leading filler
    trimmed from its start needs no such rule: every later start is tried, see
    :meth:`PatternMatcher._template_match`.)"""
    if keep >= len(filler):
        return len(filler)
    n = 0
    for w in _Lattice(filler).tokens():
        n += len(w)
        if n >= keep:
            return n if n <= max(most, keep) else keep
    return keep


@functools.lru_cache(maxsize=256)
def _last_slot(pattern: str) -> str:
    """The name of the slot that ends a template pattern ("" when it ends in a literal)."""
    return re.findall(r"\{([A-Z])\}|\S", pattern)[-1]


def _word_end(t: Template, p: str, res: tuple[int, int, dict[str, str]]) -> tuple[int, int, dict[str, str]]:
    """A last filler cut before a function character that ends its word runs on to the clause's end:
    重签到轻参|与， becomes 重签到轻参与 (与 is kept out of fillers, but 参与 is one common word)."""
    start, end, slots = res
    last = _last_slot(t.pattern)
    if (last and last in slots and end < len(p) and p[end] in FUNCTION_CHARS
            and (end + 1 == len(p) or p[end + 1] in _CLAUSE_STOPS or p[end + 1] in "等的")
            and (_word_freq()[0].get(p[end - 1:end + 1]) or 0) >= _WORD_END_MIN_FREQ):
        return start, end + 1, {**slots, last: slots[last] + p[end]}
    return res


def _starts_inside_word(p: str, i: int, j: int) -> bool:
    """True when p[i:j] — a word of a context vocabulary — begins inside a word of its sentence: 小区|里
    holds no 区里 (the district government), 城市|里 no 市里; but 各|部门, 市政府 (a word that holds
    it) and 服务|台账 (a vocabulary word counts as a common word even where the dictionary lacks it)
    keep theirs. The window test of :func:`_cuts_a_word` at the start edge, on the text up to the
    word's end: what follows it (often the match itself) is left out."""
    lo = i
    while lo > 0 and i - lo < _EDGE_REACH and _HAN_RE.match(p[lo - 1]):
        lo -= 1
    if lo == i:
        return False
    s, x = p[lo:j], i - lo
    freq, log_total = _word_freq()
    if not _crossing_words(s, freq, x, x, len(s)):
        return False
    lat = _Lattice(s)
    # the vocabulary's word is a word even where jieba's dictionary lacks it (台账): a common one at least
    whole = math.log(max(freq.get(s[x:]) or 0, _EDGE_MIN_FREQ)) - log_total
    return lat.crossing(x, x, lat.n) - (lat.best(0, x) + max(lat.best(x, lat.n), whole)) > _EDGE_MARGIN


def _stance(text: str, a: int) -> str:
    """How the sentence around text[a:] treats the expression."""
    start = max(text.rfind(c, 0, a) for c in "。！？；!?\n") + 1
    left = text[start:a]
    clause = left[max(left.rfind(c) for c in "，,：:") + 1:]
    if _NEGATED.search(clause) or _NEGATED.search(left[-8:]):
        return "negated"
    if _PREVENT.search(left):
        return "prevent"
    return "problem"


class PatternMatcher:
    """Find formalism expressions with exact original offsets.

    Parameters
    ----------
    expressions : path, optional
        An expression catalogue (JSONL); the bundled one by default.
    templates : path, optional
        A template file (JSONL); the bundled one by default.
    user_patterns : path or list of paths, optional
        Extra JSONL files; each line is an expression (``{"id", "text", …}``) or a
        template (``{"id", "pattern", …}``). A broken line raises
        :class:`~dangjian_nlp.errors.LexiconError` naming the line and the fault. A user's
        expression whose text (or variant) is already in the catalogue replaces that entry there,
        with its own context conditions, for the texts it lists.
    templates_enabled : bool
        Set to false to leave out the bundled (or given) templates: the catalogue only, plus any
        templates of ``user_patterns``.
    vocabularies : path or list of paths, optional
        Extra context vocabularies (TSV with a ``term<TAB>vocabulary`` header) that the
        patterns' ``context`` conditions and ``"@name"`` references can name, on top of the
        bundled ``@governance`` and ``@form``.
    word_boundaries : bool
        Reject candidates whose first or last character belongs to a word of the sentence
        (走过场|部门, 量到底|板); see the module docs. On by default.

    Examples
    --------
    >>> m = PatternMatcher()
    >>> [(f.text, f.family, f.stance) for f in m.find("有的地方重留痕轻实效，要防止一刀切。")]
    [('重留痕轻实效', '重X轻Y', 'problem'), ('一刀切', 'idiom', 'prevent')]
    """

    def __init__(
        self,
        expressions: str | os.PathLike[str] | None = None,
        templates: str | os.PathLike[str] | None = None,
        *,
        user_patterns: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
        templates_enabled: bool = True,
        vocabularies: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
        word_boundaries: bool = True,
    ) -> None:
        self.word_boundaries = word_boundaries
        self.expressions = expressions
        self.templates = templates
        self.user_patterns = user_patterns
        self.templates_enabled = templates_enabled
        self.vocabularies = vocabularies
        self._compiled = self._compile()

    def _compile(self) -> dict[str, Any]:
        import ahocorasick_rs

        vocab = load_vocabularies(self.vocabularies)
        loaded = [*load_expressions(self.expressions, vocabularies=vocab),
                  *(load_templates(self.templates, vocabularies=vocab) if self.templates_enabled else [])]
        # either file may hold both kinds of line (as user pattern files do)
        exprs = [x for x in loaded if isinstance(x, Expression)]
        temps = [x for x in loaded if isinstance(x, Template) and self.templates_enabled]
        users = self.user_patterns
        if isinstance(users, (str, os.PathLike)):
            users = [users]
        n_bundled = len(exprs)
        for path in users or []:
            for item in _read_jsonl(path, _expression_from, vocab):
                (temps if isinstance(item, Template) else exprs).append(item)
        # one small automaton per distinct context condition, run only around candidate matches
        distinct = {item.context for item in (*exprs, *temps) if item.context}
        contexts = {words: ahocorasick_rs.AhoCorasick([w for w in words if not w.startswith(_ADJACENT)] or ["\x00"])
                    for words in distinct}
        adjacent = {words: tuple(w[1:] for w in words if w.startswith(_ADJACENT)) for words in distinct}
        frames = (vocab.get("frame-before", ()), vocab.get("frame-after", ()))
        by_key: dict[str, Expression] = {}
        for e in exprs[:n_bundled]:
            for k in sorted(_variant_keys(e)):
                by_key.setdefault(k, e)
        user_keys: dict[str, Expression] = {}
        for e in exprs[n_bundled:]:  # a user's entry replaces a bundled one of the same text
            for k in sorted(_variant_keys(e)):
                user_keys.setdefault(k, e)
        by_key.update(user_keys)
        anchors = sorted({a for t in temps for a in t.anchors})
        keys = list(by_key)
        patterns = keys + anchors
        # a DFA: twice as fast to search as the default NFA on this many keys (measured 16 → 8 ms per
        # million characters), for a few milliseconds more to build
        # (its memory grows fast with the keys: a user's catalogue of many thousands keeps the default NFA)
        impl = ahocorasick_rs.Implementation.DFA if len(patterns) <= _DFA_MAX_KEYS else None
        automaton = ahocorasick_rs.AhoCorasick(patterns, implementation=impl) if patterns else None
        by_anchor: dict[str, list[Template]] = {}
        for t in temps:
            for a in t.anchors:
                by_anchor.setdefault(a, []).append(t)
        # per anchor: the literal characters every one of its templates needs near it (前 beside 后, 多
        # beside 少) and the widest window: a hit without them is skipped before any template is tried
        anchor_gate = {}
        for a, ts in by_anchor.items():
            common = set.intersection(*(set(t.literals) for t in ts))
            anchor_gate[a] = ("".join(sorted(common)), max(t.width for t in ts))
        family_template: dict[str, str] = {}
        for t in temps:
            family_template.setdefault(t.family, t.id)
        frame_nouns = tuple(sorted({*frames[1], "问题", "情况"}, key=len, reverse=True))
        return {"automaton": automaton, "keys": keys, "by_key": by_key, "n_keys": len(keys), "frame_nouns": frame_nouns,
                "family_template": family_template, "contexts": contexts, "adjacent": adjacent, "frames": frames,
                "anchors": anchors, "by_anchor": by_anchor, "exprs": exprs, "temps": temps,
                "anchor_gate": anchor_gate}

    def _in_context(self, words: tuple[str, ...], p: str, a: int, b: int, proj: _Projection, text: str,
                    slots: Iterable[str] = (), list_items: bool = False) -> bool:
        """The ``context`` condition: a word of ``words`` in the match's sentence outside the match (and
        not a chance string across two of its words: 小区|里 holds no 区里), or in a slot filler; a
        frame that names the match as a practice or a problem (搞…, 防止…,
        …的现象); or the writer's quotation marks around it."""
        s, e = _sentence_around(p, a, b)
        around = "\x00".join((p[s:a], p[b:e], *slots))
        second = a - s + 1  # where p[b:e] begins in ``around``
        for _idx, i, j in self._compiled["contexts"][words].find_matches_as_indexes(around, overlapping=True):
            if j > second + e - b:
                return True  # a word in a slot filler (重部署轻落实)
            # a word of the sentence, not a chance string across two of its words (小区|里 is not 区里)
            i, j = (s + i, s + j) if j <= a - s else (b + i - second, b + j - second)
            if not self.word_boundaries or not _starts_inside_word(p, i, j):
                return True
        before, after = self._compiled["frames"]
        if any(p.endswith(w, s, a) for w in before) or any(
                p.endswith(w, s, a) or p.endswith(w, s, a - 1) for w in self._compiled["adjacent"][words]):
            return True  # a frame (搞…, 防止…), or an adjacent word of the condition (不能一阵风, 不能刮一阵风)
        c = b + 1 if p.startswith("的", b) else b
        if any(p.startswith(w, c, e) for w in after) or _quoted(text, proj, a, b):
            return True
        line = _line_around(p, a, proj, text)  # the rest look at the match's line
        if list_items and _LIST_ITEM.match(p, max(s, line[0]), a):
            return True  # an item of a problem list: （三）重部署轻落实。 (match() anchors at its start)
        return self._in_neighbours(words, p, s, e, line)

    def _in_neighbours(self, words: tuple[str, ...], p: str, s: int, e: int, line: tuple[int, int]) -> bool:
        """A word of ``words`` in the sentence before or after the match's sentence ``p[s:e]``, within
        its paragraph (a line): 对照检视，支部理论学习还存在短板。学习笔记见摘抄不见思考 — report
        paragraphs name the public work once and go on about it."""
        line_start, line_end = line  # the match's line (see _line_around)
        regions = []
        if s > line_start:  # the sentence before, within the line
            lo = max(line_start, s - _CONTEXT_REACH)
            regions.append((max(lo, max(p.rfind(c, lo, s - 1) for c in _STOPS) + 1), s))
        if e < line_end:  # the sentence after, within the line
            ne = e + 1
            while ne < min(line_end, e + 1 + _CONTEXT_REACH) and p[ne] not in _STOPS:
                ne += 1
            regions.append((e + 1, min(ne, line_end)))
        for lo, hi in regions:
            if hi <= lo:
                continue
            for _idx, i, j in self._compiled["contexts"][words].find_matches_as_indexes(p[lo:hi], overlapping=True):
                if not self.word_boundaries or not _starts_inside_word(p, lo + i, lo + j):
                    return True
        return False

    @property
    def n_expressions(self) -> int:
        return len(self._compiled["exprs"])

    @property
    def n_templates(self) -> int:
        return len(self._compiled["temps"])

    def _template_match(self, t: Template, p: str, hit: int, hit_end: int, proj: _Projection, text: str
                        ) -> list[tuple[tuple[int, int, dict[str, str]], bool]]:
        """The matches of ``t`` around an anchor hit, each with whether its context condition holds (one
        that fails only the context may still count beside another flag of its sentence, see
        :meth:`_candidates`). Every start is tried: when the word-boundary check rejects a match that
        opens inside a word (督|查走过场多、解决问题少), a later start (走过场多、解决问题少) is still there."""
        lo = max(0, hit - t.width)
        hi = min(len(p), hit_end + t.width)
        out: list[tuple[tuple[int, int, dict[str, str]], bool]] = []
        for c in t.literals:
            if p.find(c, lo, hi) < 0:
                return out  # a literal of the pattern (多 of 多X少Y beside 少) is nowhere near: no regex search
        pos = lo
        while pos <= hit:
            m = t.regex.search(p, pos, hi)
            if m is None or m.start() > hit:
                break
            if m.end() >= hit_end:
                res = self._check(t, p, m, proj, text)
                if res is not None:
                    res = _word_end(t, p, res)
                if res is not None and (t.require_after is None or _phrase_ends(
                        p, res[1], t.require_after + self._compiled["frame_nouns"])) and (
                        not t.advice or not self._advice(t.advice, p, res[0], res[1])):
                    out.append((res, t.context is None or self._in_context(t.context, p, res[0], res[1], proj,
                                                                           text, res[2].values(), True)))
            pos = m.start() + 1
        return out

    def _advice(self, words: tuple[str, ...], p: str, a: int, b: int) -> bool:
        """True when the match is advice, not a problem: a word of ``words`` stands before it in its
        clause (a word of one character right before it: 要重实干、轻名利; 倡导市民多乘公交、少开私家车),
        no word of prevention or negation follows that word (要防止…, 不能…), and no frame names the
        match as a problem after it (…的倾向, …的问题)."""
        left = p[_stretch_start(p, a, _CLAUSE_STOPS):a]
        after = b + 1 if p.startswith("的", b) else b
        if any(p.startswith(w, after) for w in self._compiled["frame_nouns"]):
            return False
        for w in words:
            i = left.rfind(w)
            if i < 0 or (len(w) == 1 and i != len(left) - 1) or (i > 0 and left[i - 1] in _NEGATORS):
                continue  # 不要重部署轻落实 is a warning against it, not advice
            if len(w) == 1 and i > 0 and left[i - 1:i + 1] in _NOT_ADVICE:
                continue  # the end of a noun (会议纪|要见结论不见讨论), not the word of advice (还要, 就要 are)
            if w == "建议" and (left[max(0, i - 2):i] in _PROPOSERS or left.startswith(_PROPOSAL_WORK, i + 2)):
                continue  # the noun (代表建议办理工作重答复轻落实), not the advice (建议重调研轻汇报)
            if len(w) > 1 and left[i - 1:i] == "的":
                continue  # a noun (对网点党建的要求发文多、指导少), not an exhortation
            rest = left[i + len(w):]
            if "的" in rest:
                continue  # a relative clause (上级要求建设的中心只挂牌、不运营): the match is not what is urged
            if not _PREVENT.search(rest) and not any(c in _NEGATORS for c in rest):
                return True
        return False

    def _check(self, t: Template, p: str, m: re.Match[str], proj: _Projection | None = None, text: str = ""
               ) -> tuple[int, int, dict[str, str]] | None:
        slots = {k: v for k, v in m.groupdict().items() if v is not None}
        end = m.end()
        start = m.start()
        for name, spec in t.slots.items():
            # a filler shorter than "min" counts only set in quotation marks of its own (强“考”弱“帮”)
            if name in slots and len(slots[name]) < int(spec.get("min", 1)) and (
                    proj is None or not _quoted_filler(proj, text, m.start(name), m.end(name))):
                return None
        for name, spec in t.slots.items():
            other = spec.get("balance")
            if not (other and name in slots and other in slots):
                continue
            # parallel halves: trim the longer one where it is open-ended (at the match's edge) — but a
            # quoted filler runs to its closing quote (重“网格”轻“网格员”), and a "whole_clause" slot that
            # runs to the end of its clause is whole, less a frame noun at its end (只挂牌、不发挥作用，)
            if len(slots[name]) > len(slots[other]) and m.end(name) == m.end():
                s0 = m.start(name)
                close = _closing_quote(proj, text, s0, m.end(name)) if proj is not None else None
                keep = len(slots[other])
                if close is not None:
                    keep = close - s0
                elif (spec.get("whole_clause") and _phrase_ends(p, m.end(name), ())
                      and (proj is None or _contiguous(proj, s0, m.end(name)))
                      and len(_Lattice(slots[name]).tokens()) <= 2):
                    keep = len(slots[name])  # a verb and its object: 不发挥作用 (not 不督办效果差)
                else:
                    keep = _whole_words(slots[name], keep, int(spec.get("max", keep)))
                end -= len(slots[name]) - keep
                slots[name] = slots[name][:keep]
            elif len(slots[other]) > len(slots[name]) and m.start(other) == m.start():
                cut = len(slots[other]) - len(slots[name])
                while cut > 0 and _ascii_alnum(slots[other][cut - 1]) and _ascii_alnum(slots[other][cut]):
                    cut -= 1  # never inside an abbreviation (ＡＰＰ多、实用少, not ＰＰ多)
                start += cut
                slots[other] = slots[other][cut:]
        # a filler in quotation marks of its own is a word the writer coined: no prefix exclusion applies to
        # it (重“大检查”轻“常态管” is not 重大), and no frame noun is dropped from it
        def quoted(name: str) -> bool:
            return (proj is not None and m.start(name) < m.end(name)
                    and _quoted_filler(proj, text, m.start(name), m.end(name)))

        readings = [(slots, end)]
        for name, spec in t.slots.items():
            # a "whole_clause" slot that ends the match drops a frame noun at its end (只表态不落实现象) —
            # unless the shorter filler fails where the whole one holds (年年老问题 is not 年年老 + 问题); so
            # does any last filler in a clause that frames the match (存在重申报材料轻落地实施问题), unless
            # the noun is the object of its verb (存在重部署轻解决问题: 解决问题 is one word) or quoted
            if not (name in slots and end == m.end() and m.end(name) == m.end()):
                continue
            whole = bool(spec.get("whole_clause"))
            filler = slots[name]
            if not whole and (not filler.endswith(_FRAME_DROP) or quoted(name)
                              or not _FRAMED_BY.search(p, _stretch_start(p, start, _CLAUSE_STOPS), start)):
                continue  # (the clause is searched only for a filler that ends in a frame noun)
            least = int(spec.get("min", 1))
            if whole:
                least = max(least, len(slots.get(spec.get("balance", ""), "")))
            for w in self._compiled["frame_nouns"] if whole else _FRAME_DROP:
                if not filler.endswith(w) or len(filler) - len(w) < least:
                    continue
                if not whole and (any(v.endswith(w) for k, v in slots.items() if k != name)
                                  or not _phrase_ends(p, end, ())
                                  or _cuts_a_word(p, start, end - len(w), start_edge=False)):
                    break  # parallel objects (重发现问题轻解决问题), or the filler's own word (解决|问题)
                readings.insert(0, ({**slots, name: filler[: len(filler) - len(w)]}, end - len(w)))
                break

        for slots, end in readings:
            res = self._check_slots(t, p, start, end, slots, quoted)
            if res is not None:
                return res
        return None

    def _check_slots(self, t: Template, p: str, start: int, end: int, slots: dict[str, str],
                     quoted: Any = None) -> tuple[int, int, dict[str, str]] | None:
        """The exclusions and requirements of a template on one reading of a match's slots."""
        if not all(_HAN_RE.search(v) or (_ACRONYM.fullmatch(v) and (
                any(map(_HAN_RE.search, slots.values())) or len(t.slots) == 1))
                   for v in slots.values()):
            return None  # a filler of ASCII letters or digits only is no filler (重APP推广 holds Han) — except
            # an upper-case abbreviation beside a Chinese filler (重GDP轻民生) or alone in its template (为KPI而KPI,
            # 一APP了之)
        for name, prefixes in t.exclude_prefix.items():
            filler = slots.get(name, "")
            if (filler.startswith(prefixes) and not (quoted and quoted(name))
                    and not filler.startswith(t.keep_prefix.get(name, ()))):
                return None
        if t.different and len({slots.get(s) for s in t.different}) < len(t.different):
            return None
        for name, parts in t.exclude_contains.items():
            if any(x in slots.get(name, "") for x in parts):
                return None
        for name, parts in t.exclude_suffix.items():
            filler = slots.get(name, "")
            if filler.endswith(parts) and not filler.startswith(t.keep_prefix.get(name, ())):
                return None  # …but a filler that opens with a verb is work on it (谈问题少, not 问题少)
        for name, parts in t.require_contains.items():
            if not any(x in slots.get(name, "") for x in parts):
                return None
        if p[start:end] in t.exclude_words or _context_excluded(p, start, end, t.exclude_before, t.exclude_after):
            return None
        return start, end, slots

    def _candidates(self, p: str, proj: _Projection, text: str) -> list[tuple[int, int, int, Any, dict[str, str]]]:
        c = self._compiled
        if c["automaton"] is None or not p:
            return []
        cands = []
        pending = []  # candidates that meet every condition but the context: they count beside another flag
        vetoes: list[tuple[int, int]] = []
        n_keys = c["n_keys"]
        for idx, a, b in c["automaton"].find_matches_as_indexes(p, overlapping=True):
            if idx < n_keys:
                e = c["by_key"][c["keys"][idx]]
                if _context_excluded(p, a, b, e.exclude_before, e.exclude_after) or (
                        e.require_after is not None and not _phrase_ends(p, b, e.require_after)):
                    continue
                if e.kind != "formalism":
                    vetoes.append((a, b))
                elif e.context is None or self._in_context(e.context, p, a, b, proj, text):
                    cands.append((a, b, 1, e, {}))
                else:
                    pending.append((a, b, 1, e, {}))
            else:
                anchor = c["anchors"][idx - n_keys]
                need, width = c["anchor_gate"][anchor]
                if need and any(p.find(ch, a - width if a > width else 0, b + width) < 0 for ch in need):
                    continue
                for t in c["by_anchor"][anchor]:
                    for (ra, rb, slots), ok in self._template_match(t, p, a, b, proj, text):
                        (cands if ok else pending).append((ra, rb, 0, t, slots))
        if any(x[3].exclude_context for x in (*cands, *pending)):
            # a word of the literal sense in the sentence (排球 beside 二传手, 病历 beside 肠梗阻) vetoes the match
            def literal(x: tuple[int, int, int, Any, dict[str, str]]) -> bool:
                if not x[3].exclude_context:
                    return False
                s, e = _sentence_around(p, x[0], x[1])
                return any(w in p[s:x[0]] or w in p[x[1]:e] for w in x[3].exclude_context)

            cands = [x for x in cands if not literal(x)]
            pending = [x for x in pending if not literal(x)]
        if vetoes:
            # a positive slogan (边查边改) or a literal phrase (一拍脑袋，) vetoes every candidate overlapping it
            cands = [x for x in cands if not any(x[0] < pb and pa < x[1] for pa, pb in vetoes)]
            pending = [x for x in pending if not any(x[0] < pb and pa < x[1] for pa, pb in vetoes)]
        if self.word_boundaries and (cands or pending):
            # a match whose edge falls inside a word of the sentence is a chance string (走过场|部门)
            cut: dict[tuple[int, int, bool], bool] = {}  # one test per span and reading (start edge or not)

            def whole(x: tuple[int, int, int, Any, dict[str, str]]) -> bool:
                key = (x[0], x[1], not _open_start(x[3], x[4], p, x[0]))
                if key not in cut:
                    cut[key] = _cuts_a_word(p, *key)
                return not cut[key]

            cands = [x for x in cands if whole(x)]
            pending = [x for x in pending if whole(x)]
        if pending and cands:
            # a sentence that states another formalism expression is about public work: the condition
            # holds for the rest of its expressions (不搞形象工程，不做表面文章; 决不允许数据造假、弄虚作假)
            base = list(cands)
            for x in pending:
                s, e = _sentence_around(p, x[0], x[1])
                if any(s <= y[0] and y[1] <= e and (y[1] <= x[0] or x[1] <= y[0]) for y in base):
                    cands.append(x)
        return cands
    def find(self, text: str) -> list[Flag]:
        """All flags in ``text``, in order, non-overlapping (see the module docs)."""
        if not isinstance(text, str):
            raise InputError(f"text must be a str, got {type(text).__name__}")
        proj = _Projection(text)
        p = proj.text
        cands = self._candidates(p, proj, text)
        # leftmost, then longest, then catalogue idiom before template
        cands.sort(key=lambda c: (c[0], -(c[1] - c[0]), -c[2]))
        flags: list[Flag] = []
        last_end = -1
        seen: set[tuple[int, int]] = set()
        for a, b, is_expr, item, slots in cands:
            if a < last_end or (a, b) in seen:
                continue
            seen.add((a, b))
            last_end = b
            oa, ob = proj.span(a, b)
            oa, ob = _balance_quotes(text, oa, ob)
            stance = _stance(text, oa)
            if is_expr:
                e: Expression = item
                # an instance of a productive family reports the family's template as its pattern
                tid = self._compiled["family_template"].get(e.family)
                flags.append(Flag(oa, ob, text[oa:ob], tid or e.id, e.family, e.code, stance, e.id,
                                  "template" if tid else "idiom"))
            else:
                t: Template = item
                known = self._compiled["by_key"].get(p[a:b])
                flags.append(Flag(oa, ob, text[oa:ob], t.id, t.family, known.code if known else t.code, stance,
                                  known.id if known else None, "template", slots))
        return flags

    def find_many(self, texts: Iterable[str]) -> list[list[Flag]]:
        """:meth:`find` over many texts at once (a bare ``str`` is refused).

        The texts are matched in one pass, joined by ``\\n。\\n``: no expression, template
        slot or stance context crosses a 。, so the flags are those of :meth:`find` on each
        text, with offsets into that text.
        """
        if isinstance(texts, str):
            raise InputError("Iterable of texts expected, str received; wrap one text in a list")
        texts = list(texts)
        for t in texts:
            if not isinstance(t, str):
                raise InputError(f"texts must be str, got {type(t).__name__}")
        out: list[list[Flag]] = [[] for _ in texts]
        if not texts:
            return out
        starts, pos = [], 0
        for t in texts:
            starts.append(pos)
            pos += len(t) + len(_BATCH_SEP)
        for f in self.find(_BATCH_SEP.join(texts)):
            i = bisect.bisect_right(starts, f.start) - 1
            off = starts[i]
            if f.end <= off + len(texts[i]):
                out[i].append(dataclasses.replace(f, start=f.start - off, end=f.end - off))
        return out


@functools.lru_cache(maxsize=1)
def default_matcher() -> PatternMatcher:
    """The shared, read-only default matcher, built on first use."""
    return PatternMatcher()
