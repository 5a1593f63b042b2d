import json
import re

import pytest

import dangjian_nlp as dj
from dangjian_nlp.errors import LexiconError
from dangjian_nlp.patterns import load_expressions, load_templates
from dangjian_nlp.resources import lexicon_path


@pytest.fixture(scope="module")
def matcher():
    return dj.PatternMatcher()


def spans(matcher, text):
    return [(f.text, f.family) for f in matcher.find(text)]


def test_every_seed_expression_is_found_in_the_seed_at_its_offsets(matcher, seed_text):
    flags = matcher.find(seed_text)
    found = {(f.start, f.end) for f in flags}
    for f in flags:
        assert seed_text[f.start:f.end] == f.text
    seed_exprs = [e for e in load_expressions() if e.source == "seed"]
    assert len(seed_exprs) >= 40
    raw = {json.loads(line)["id"]: json.loads(line) for line in
           lexicon_path("formalism", "expressions.jsonl").read_text(encoding="utf-8").splitlines()
           if line.strip()}
    missing = []
    for e in seed_exprs:
        occurrence = raw[e.id].get("seed_text") or e.text
        # the seed wraps lines inside words: allow a line break between any two characters
        rx = re.compile("\n?".join(re.escape(c) for c in occurrence))
        hits = list(rx.finditer(seed_text))
        assert hits, f"{e.id}: {occurrence!r} does not occur in the seed"
        for m in hits:
            a, b = m.start(), m.end()
            # quotes that wrap the whole expression are not part of it
            if seed_text[a] in "“‘" and seed_text[b - 1] in "”’" and occurrence.count("“") == 1:
                a, b = a + 1, b - 1
            # found itself, or inside a longer expression found there (听汇报 in 听汇报、看资料、查台账)
            if (a, b) not in found and not any(fa <= a and b <= fb and (fa, fb) != (a, b) for fa, fb in found):
                missing.append((e.id, seed_text[a:b]))
    assert not missing, missing


@pytest.mark.parametrize("text, expected", [
    ("有的单位重留痕轻实效", [("重留痕轻实效", "重X轻Y")]),
    ("存在重部署轻落实的问题", [("重部署轻落实", "重X轻Y")]),
    ("考核中见物不见人", [("见物不见人", "见X不见Y")]),
    ("工作紧一阵松一阵", [("紧一阵松一阵", "X一阵Y一阵")]),
    ("强部署、弱督办", [("强部署、弱督办", "强X弱Y")]),
    ("整改前紧后松", [("前紧后松", "前X后Y")]),
    ("为检查而检查", [("为检查而检查", "为X而X")]),
    ("问题交办后一转了之", [("一转了之", "一X了之")]),
    ("会议多、落实少", [("会议多、落实少", "X多Y少")]),
    ("只挂牌不运行", [("只挂牌不运行", "只X不Y")]),
    ("以讲话落实讲话", [("以讲话落实讲话", "以X落实X")]),
])
def test_new_fillers_are_found(matcher, text, expected):
    assert spans(matcher, text) == expected


@pytest.mark.parametrize("text, expected", [
    ('重"输血"、轻"造血"', '重"输血"、轻"造血"'),
    ("重“输血”、轻“造血”", "重“输血”、轻“造血”"),
    ("重 部署 轻 落实", "重 部署 轻 落实"),
    ("重輸血輕造血", "重輸血輕造血"),
    ("見述不見評", "見述不見評"),
    ("搞「一刀切」", "一刀切"),
    ("习惯看“盆景”", "看“盆景”"),
])
def test_tolerant_of_quotes_spaces_traditional(matcher, text, expected):
    flags = matcher.find(text)
    assert [f.text for f in flags] == [expected]
    assert all(text[f.start:f.end] == f.text for f in flags)


@pytest.mark.parametrize("text", [
    "重点工作轻车熟路", "重视程度不减、轻装上阵", "一刀一刀地切菜", "重要会议轻描淡写", "强大弱小",
    "他一笑了之", "只要坚持不懈就能成功", "人多地少", "会前后都要准备", "重新部署轻型装备", "边学边改",
])
def test_hard_negatives_are_not_flagged(matcher, text):
    assert matcher.find(text) == []


def test_line_break_inside_an_expression_maps_to_original_offsets(matcher):
    text = "有的地方简单采取“一把尺子”量到\n底，忽视差异。"
    (flag,) = matcher.find(text)
    assert flag.text == "“一把尺子”量到\n底" and text[flag.start:flag.end] == flag.text


@pytest.mark.parametrize("text, stance", [
    ("有的地方搞一刀切。", "problem"),
    ("要坚决防止一刀切。", "prevent"),
    ("针对重输血轻造血的问题，制定了帮扶办法。", "prevent"),
    ("经检查，未发现重输血轻造血现象。", "negated"),
    ("我们没有搞一刀切。", "negated"),
])
def test_stance(matcher, text, stance):
    (flag,) = matcher.find(text)
    assert flag.stance == stance


def test_catalogue_instance_carries_its_code(matcher):
    (flag,) = matcher.find("存在重输血轻造血现象")
    assert flag.pattern == "zhong-X-qing-Y" and flag.family == "重X轻Y"
    assert flag.code == "3.3" and flag.expression is not None
    d = flag.to_dict()
    assert {"start", "end", "text", "pattern", "family", "code"} <= set(d)


def test_enumerations_give_one_flag_each_and_no_overlaps(matcher):
    text = "存在“重现实轻长远、重输血轻造血、重显绩轻党建”等现象，见述不见评、见评不见议、见议不见用。"
    flags = matcher.find(text)
    assert [f.text for f in flags] == ["重现实轻长远", "重输血轻造血", "重显绩轻党建", "见述不见评", "见评不见议", "见议不见用"]
    ends = [(f.start, f.end) for f in flags]
    assert all(b1 <= a2 for (_a1, b1), (a2, _b2) in zip(ends, ends[1:]))


def test_catalogue_and_templates_are_valid_data():
    exprs = load_expressions()
    assert len({e.id for e in exprs}) == len(exprs)
    families = {t.family for t in load_templates()}
    assert {"重X轻Y", "见X不见Y", "X一阵Y一阵", "强X弱Y", "前X后Y", "边X边Y", "为X而X", "年年X年年Y", "以X落实X",
            "一X了之", "多X少Y", "只X不Y"} <= families
    taxonomy = dj.load_taxonomy()
    assert all(e.code is None or e.code in taxonomy.leaves for e in exprs)
    official = [e for e in exprs if e.source != "seed"]
    for text in ["文山会海", "层层加码", "过度留痕", "痕迹主义", "以会议落实会议", "一发了之", "上热中温下冷",
                 "督查检查考核过多过频", "形象工程"]:
        assert any(text in (e.text, *e.variants) for e in exprs), text
    assert len(official) >= 40


def test_user_patterns(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text(
        json.dumps({"id": "hongse-wuye-kong", "text": "红色物业空转", "family": "idiom", "code": "4.2"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": "zhong-X-hua-Y", "family": "重X滑Y", "pattern": "重{X}滑{Y}", "anchor": "滑",
                      "slots": {"X": {"min": 2, "max": 2}, "Y": {"min": 2, "max": 2}}}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    m = dj.PatternMatcher(user_patterns=path)
    assert [f.pattern for f in m.find("出现红色物业空转，重开局滑收尾")] == ["hongse-wuye-kong", "zhong-X-hua-Y"]


def test_broken_user_pattern_file_names_line_and_fault(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": "ok", "text": "好的表述"}\n'
        '{"id": "broken", "text": "缺引号}\n'
        '\n'
        '{"id": "t1", "pattern": "重{X}轻{Z}", "anchor": "轻", "family": "f", "slots": {"X": {}}}\n'
        '{"id": "ok", "text": "重复的编号"}\n',
        encoding="utf-8",
    )
    with pytest.raises(LexiconError) as info:
        dj.PatternMatcher(user_patterns=path)
    message = str(info.value)
    assert "bad.jsonl" in message
    assert "line 2: invalid JSON" in message
    assert "line 4: slot {Z}" in message
    assert "line 5: duplicate id 'ok'" in message


def test_find_many_equals_find_on_each(matcher):
    texts = ["有的地方重留痕轻实效，", "要防止一刀切", "“一把尺子”量到\n底", "", "见述不见评。重输血", "轻造血",
             "未发现重輸血輕造血"]
    assert matcher.find_many(texts) == [matcher.find(t) for t in texts]
