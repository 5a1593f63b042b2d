import json
import re

import pytest

import dangjian_nlp as dj
from dangjian_nlp.errors import LexiconError
from dangjian_nlp.patterns import load_expressions, load_templates, load_vocabularies
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


# --- context conditions, advice, positive slogans (issue 3: precision on unseen text) -----------------------

@pytest.mark.parametrize("literal, governance, expected", [
    ("奶奶每天清早都去公园看盆景。", "督导组下去习惯看盆景，很少去后进村。", "看盆景"),
    ("厨师手起刀落，一刀切出一片薄薄的火腿。", "有的部门对基层工作一刀切，不分情况。", "一刀切"),
    ("午后雷声大雨点小，地面都没打湿。", "该局的整改雷声大雨点小，群众不满意。", "雷声大雨点小"),
    ("孩子发烧了，身上热一阵冷一阵。", "有的单位抓作风建设热一阵冷一阵。", "热一阵冷一阵"),
    ("营养师建议多吃粗粮、少吃甜食。", "有的部门多开会议、少抓落实。", "多开会议、少抓落实"),
    ("这家店的商品只换不退。", "个别单位只建群不管理，群里没人说话。", "只建群不管理"),
    ("老辈人重男轻女的想法很难改。", "有的单位重部署轻落实。", "重部署轻落实"),
    ("雨季里河水涨一阵落一阵。", None, None),
    ("他挑着两张皮子去集市上卖。", "党建和业务工作还是两张皮。", "两张皮"),
])
def test_context_condition_separates_literal_from_governance_use(matcher, literal, governance, expected):
    assert matcher.find(literal) == []
    if governance is not None:
        texts = [f.text for f in matcher.find(governance)]
        assert texts == [expected] if expected else texts, (governance, texts)


@pytest.mark.parametrize("text, expected", [
    ("我们绝不搞一刀切。", "一刀切"),           # frame before: 搞
    ("走过场的现象屡见不鲜。", "走过场"),        # frame after: …的现象
    ("坚决防止“一刀切”。", "一刀切"),
    ("他们把这种做法叫作“一刀切”。", "一刀切"),   # the writer's quotation marks
    ("热一阵冷一阵的倾向", "热一阵冷一阵"),
])
def test_frames_and_quotes_satisfy_the_context_condition(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == [expected]


def test_a_short_quoted_phrase_counts_as_context_but_quoted_speech_does_not(matcher):
    text = "有人奉行“只想争功不想揽过，只想出彩不想出力”。"
    assert [f.text for f in matcher.find(text)] == ["只想争功不想揽过", "只想出彩不想出力"]
    assert matcher.find("奶奶笑着说：“我每天都去公园看盆景。”") == []


def test_context_does_not_leak_between_texts_of_a_batch(matcher):
    texts = ["各部门、各单位要注意", "奶奶看盆景", "他们看盆景。督导组习惯看盆景"]
    assert matcher.find_many(texts) == [matcher.find(t) for t in texts]
    assert matcher.find_many(texts)[1] == []
    # within one text, the next sentence of its paragraph names the public work (督导组) for both
    assert [(f.start, f.text) for f in matcher.find_many(texts)[2]] == [(2, "看盆景"), (11, "看盆景")]


@pytest.mark.parametrize("text", [
    "希望年轻干部多干实事、少说空话。",     # bundled positive slogan
    "考核干部要重实绩、轻留痕。",           # neglected half is the formal side (@form): advice
    "机关干部要多下基层、少坐机关。",
    "巡察整改坚持边查边改、立行立改。",     # positive method
    "新录用的社区干部边干边学。",
    "全县推行强村带弱村的做法。",
    "该项考核结果不作为评优评先依据。",     # require_after: 不 + 作为
    "书记一拍脑袋，想起还有一份文件没签。",  # literal entry: the gesture
])
def test_advice_positive_slogans_and_literal_phrases_are_not_flagged(matcher, text):
    assert matcher.find(text) == []


@pytest.mark.parametrize("text, expected", [
    ("考核干部重留痕、轻实绩。", "重留痕、轻实绩"),
    ("对群众诉求不作为、慢作为的干部要问责。", "不作为"),
    ("有的干部拍脑袋决策上项目。", "拍脑袋决策"),
    ("有的干部习惯拍脑袋，不做调研。", "拍脑袋"),
])
def test_the_same_shapes_in_a_problem_statement_are_flagged(matcher, text, expected):
    assert [f.text for f in matcher.find(text)][0] == expected


def test_user_patterns_with_context_and_own_vocabulary(tmp_path):
    vocab = tmp_path / "mine.tsv"
    vocab.write_text("term\tvocabulary\tcategory\n物业\tcommunity\t小区治理\n业委会\tcommunity\t小区治理\n", encoding="utf-8")
    pats = tmp_path / "mine.jsonl"
    pats.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "da-taiji", "text": "打太极", "family": "idiom", "context": ["@governance", "@community"],
         "description": "推诿敷衍"},
        {"id": "zhong-X-hua-Y", "family": "重X滑Y", "pattern": "重{X}滑{Y}", "anchor": "滑",
         "slots": {"X": {"min": 2, "max": 2}, "Y": {"min": 2, "max": 2}}, "context": ["开局", "@community"]},
        {"id": "zhi-bang-bu-dai", "text": "只帮不代", "kind": "positive", "note": "代办服务的原则，不是形式主义"},
    ]) + "\n", encoding="utf-8")
    m = dj.PatternMatcher(user_patterns=pats, vocabularies=vocab)
    assert m.find("公园里老人在打太极。") == []
    assert [f.pattern for f in m.find("物业对业主报修打太极。")] == ["da-taiji"]
    assert [f.pattern for f in m.find("有的部门遇事打太极。")] == ["da-taiji"]
    assert m.find("滑雪场重开滑道。") == []
    assert [f.text for f in m.find("业委会换届重开局滑收尾。")] == ["重开局滑收尾"]
    # without the user's positive entry 只帮不代 is a 只X不Y template match in a governance sentence
    text = "社区志愿者帮老人办事只帮不代。"
    assert [f.text for f in dj.PatternMatcher().find(text)] == ["只帮不代"]
    assert m.find(text) == []
    # without the user's vocabulary, @community is unknown: an error naming the line
    with pytest.raises(LexiconError) as info:
        dj.PatternMatcher(user_patterns=pats)
    assert "line 1: 'context': unknown vocabulary '@community'" in str(info.value)


def test_broken_context_fields_and_vocabulary_files_name_line_and_fault(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": "a", "text": "好的表述", "context": "@nosuch"}\n'
        '{"id": "b", "text": "别的表述", "kind": "slogan"}\n'
        '{"id": "c", "text": "第三个", "context": []}\n'
        '{"id": "d", "text": "第四个", "kind": "positive", "context": "@governance"}\n',
        encoding="utf-8",
    )
    with pytest.raises(LexiconError) as info:
        dj.PatternMatcher(user_patterns=path)
    message = str(info.value)
    assert "line 1: 'context': unknown vocabulary '@nosuch'" in message
    assert "line 2: 'kind' must be one of" in message
    assert "line 3: 'context' names no word" in message
    assert "line 4: a 'positive' entry takes no 'context'" in message
    vocab = tmp_path / "bad.tsv"
    vocab.write_text("term\tvocabulary\n物业\n业委会\t小区\n", encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        dj.PatternMatcher(vocabularies=vocab)
    assert "line 2: expected a term and a vocabulary name" in str(info.value)
    assert "line 3: vocabulary name '小区'" in str(info.value)


def test_bundled_vocabularies_and_conditions_are_data():
    vocab = load_vocabularies()
    assert {"governance", "form", "frame-before", "frame-after"} <= set(vocab)
    assert {"干部", "部门", "基层", "落实", "考核", "督查"} <= set(vocab["governance"])
    exprs = {e.text: e for e in load_expressions()}
    assert all(exprs[t].context for t in ["一刀切", "走过场", "看盆景", "花架子", "雷声大雨点小", "盲区"])
    assert exprs["文山会海"].context is None  # unambiguous idioms need no context
    assert all(t.context for t in load_templates())
    assert {e.kind for e in exprs.values()} == {"formalism", "positive", "literal"}


# --- word boundaries, broader fillers, literal idioms, advice (issue 3: development 3) ---------------------

@pytest.mark.parametrize("text, cut", [
    ("知青们每天都要走过场部门前的小路去上工。", "走过场"),             # 场部
    ("检查组用一把尺子量到底板边上，还差一指宽。", "一把尺子量到底"),   # 底板
    ("这家国企的利润因为创新而创新高。", "为创新而创新"),               # 因为 … 新高
    ("督导组在看盆景区里新到的几十盆五针松。", "看盆景"),               # 景区
    ("指挥家一锤定音乐声戛然而止，领导带头鼓掌。", "一锤定音"),         # 音乐
    ("财政部门正在清理拖欠账户。", "欠账"),                             # 账户
])
def test_a_match_that_cuts_through_a_word_at_its_edge_is_rejected(matcher, text, cut):
    assert cut not in [f.text for f in matcher.find(text)]
    # the word-boundary check is what rejects it: without it the chance string is flagged
    assert cut in [f.text for f in dj.PatternMatcher(word_boundaries=False).find(text)]


@pytest.mark.parametrize("text, expected", [
    ("一些机关干部政治站位不高等问题依然存在。", "政治站位不高"),    # 高等: a particle after the match
    ("有的干部下基层走马观花式调研。", "走马观花"),                    # 花式
    ("基层干部反映文山会海难以根治。", "文山会海"),                    # 海难
    ("有的单位存在重部署轻落实现象。", "重部署轻落实"),                # 实现|象 is not a clean reading
    ("个别干部用弄虚作假手段骗取荣誉。", "弄虚作假"),                  # 假手|段
    ("工作中庸懒散的干部要调整岗位。", "庸懒散"),                      # 中庸
])
def test_true_matches_next_to_word_like_strings_are_kept(matcher, text, expected):
    assert expected in [f.text for f in matcher.find(text)]


def test_word_boundary_check_keeps_find_many_equal_to_find(matcher):
    texts = ["知青们都要走过场部门前", "走过场", "部门工作走过场。", "量到底板", "一把尺子量到底，"]
    assert matcher.find_many(texts) == [matcher.find(t) for t in texts]
    assert [f.text for f in matcher.find("部门工作走过场。")] == ["走过场"]


@pytest.mark.parametrize("text, expected", [
    ("该镇对河道保洁的督查松一阵紧一阵。", "松一阵紧一阵"),
    ("部分单位执行节能规定冷一阵热一阵。", "冷一阵热一阵"),
    ("该局对违规停车执法严一阵宽一阵。", "严一阵宽一阵"),
    ("一些部门对问题整改前抓后放。", "前抓后放"),
    ("部分项目推进前“热”后“冷”，干部意见很大。", "前“热”后“冷”"),
    ("有的单位督办工作前急后缓。", "前急后缓"),
    ("该县欠薪问题边处理边发生。", "边处理边发生"),
    ("城郊的建筑垃圾边清边倒，执法部门疲于应付。", "边清边倒"),
    ("一些地方的安全隐患年年排查、年年存在。", "年年排查、年年存在"),
    ("村民说这条路“年年挖、年年修”，部门却互相推诿。", "年年挖、年年修"),
    ("支部的工作计划年年订、年年一个样。", "年年订、年年一个样"),
    ("有的部门整改年年喊、年年不见效。", "年年喊、年年不见效"),
    ("个别干部听汇报多、看现场少。", "听汇报多、看现场少"),
    ("有的干部会上说得多、会后干得少。", "会上说得多、会后干得少"),
    ("该县政务平台展示多、应用少。", "展示多、应用少"),
    ("有的部门对群众诉求只听不办。", "只听不办"),
    ("部分党员中心户只挂牌、不发挥作用，群众找不到人。", "只挂牌、不发挥作用"),
    ("网格化管理重“网格”轻“网格员”，待遇长期不落实。", "重“网格”轻“网格员”"),
])
def test_broadened_fillers_are_found_with_their_whole_span(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == [expected]


@pytest.mark.parametrize("text, expected", [
    ("本人听汇报多、看现场少。", ["听汇报多、看现场少"]),          # not the idiom 听汇报 inside it
    ("招商任务年年定目标、年年打折扣。", ["年年定目标、年年打折扣"]),  # not 打折扣
])
def test_a_longer_template_match_swallows_the_idiom_inside_it(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text", [
    "小狗把叼来的皮球抓一阵放一阵，玩得满身是泥。",
    "退潮后沙滩流水不到头就渗进了沙里。",
    "海边的孩子堆的沙堡边建边散。",
    "弟弟学写字时同一个错字边改边犯。",
    "气象部门预计今年冬季气温前暖后冷。",       # a governance word, but a weather term
    "用一把尺子量到底，才知道桌子歪了。",
    "年会上大家玩击鼓传花，笑声不断。",
    "老支书一辈子重义轻利，乡亲们都敬重他。",    # positive idiom of the same shape
    "一些干部重男轻女的旧观念还没有转变。",      # another meaning
    "第一书记年年来、年年有新变化。",            # good news, nothing unchanged
    "该村老党员多、年轻党员少，后继乏人。",      # 老党员 is not the shown side of work (@show)
    "党员干部要重实干、轻名利。",                # advice
    "倡导机关干部多乘公交、少开私家车。",        # advice
])
def test_literal_uses_advice_and_other_meanings_are_not_flagged(matcher, text):
    assert matcher.find(text) == []


@pytest.mark.parametrize("text, expected, stance", [
    ("一些支部对软弱涣散整顿抓一阵放一阵。", "抓一阵放一阵", "problem"),
    ("压力传导沙滩流水不到头，到村就没了。", "沙滩流水不到头", "problem"),
    ("部分企业党支部边建边散。", "边建边散", "problem"),
    ("干部不要重部署轻落实。", "重部署轻落实", "prevent"),   # a warning, not advice
    ("我们要正视重部署轻落实的问题。", "重部署轻落实", "problem"),
    ("有的街道热衷于修建面子工程。", "面子工程", "problem"),
    ("落实责任不能击鼓传花。", "击鼓传花", "prevent"),
    ("有的部门对欠薪问题只打雷不下雨。", "只打雷不下雨", "problem"),
    ("该局机构改革后穿新鞋走老路。", "穿新鞋走老路", "problem"),
])
def test_the_same_idioms_in_public_work_are_flagged(matcher, text, expected, stance):
    flags = matcher.find(text)
    assert [(f.text, f.stance) for f in flags] == [(expected, stance)]


def test_catalogue_entries_with_a_literal_reading_carry_the_context_condition():
    exprs = {e.text: e for e in load_expressions()}
    for t in ["沙滩流水不到头", "一把尺子量到底", "抓一阵放一阵", "边建边散", "边改边犯", "前建后散",
              "为创新而创新", "击鼓传花", "穿新鞋走老路", "只打雷不下雨"]:
        assert exprs[t].context, t
    for t in ["重业务轻党建", "以会议落实会议", "表态多、落实少", "面子工程"]:
        assert exprs[t].context is None, t
    assert exprs["重义轻利"].kind == "positive" and exprs["前暖后冷"].kind == "literal"


def test_template_language_allow_whole_clause_require_after_and_advice(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "yue-X-yue-Y", "family": "月月X月月Y", "pattern": "月月{X} 月月{Y}", "anchor": "月月",
         "slots": {"X": {"min": 1, "max": 3}, "Y": {"min": 1, "max": 5, "allow": "不", "whole_clause": True}},
         "require_contains": {"Y": ["@unchanged"]}, "require_after": ["的"], "different": ["X", "Y"]},
        {"id": "xian-X-hou-Y", "family": "先X后Y", "pattern": "先{X}后{Y}", "anchor": "后",
         "slots": {"X": {"min": 2, "max": 2}, "Y": {"min": 2, "max": 4, "balance": "X", "whole_clause": True}},
         "advice": "@advice"},
    ]) + "\n", encoding="utf-8")
    m = dj.PatternMatcher(user_patterns=path, templates_enabled=False)
    assert [f.text for f in m.find("问题月月查、月月不见效。")] == ["月月查、月月不见效"]   # allow 不
    assert m.find("问题月月查、月月不见效果好转") == []                                # not at the phrase end
    assert [f.text for f in m.find("他们先表态后发挥作用。")] == ["先表态后发挥作用"]      # verb + object, whole
    assert [f.text for f in m.find("他们先表态后督办效果差。")] == ["先表态后督办"]        # balanced
    assert m.find("大家要先表态后落实。") == []                                          # advice
    assert [f.text for f in m.find("大家不要先表态后落实。")] == ["先表态后落实"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "b", "family": "f", "pattern": "重{X}轻{Y}", "anchor": "轻",
                               "slots": {"X": {"allow": "好"}, "Y": {}}}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        dj.PatternMatcher(user_patterns=bad)
    assert "line 1: slot {X}: 'allow' must be a string of function characters" in str(info.value)


# --- recall on unseen text: weaker context for strong shapes, more slot fillers, folding, cold start ------

@pytest.mark.parametrize("problem, everyday", [
    # 年年X、年年Y with a failing second half: roads and drains are public affairs (@public)
    ("那段村道年年补、年年烂。", "他家的旧车年年修、年年坏，就是舍不得换。"),
    ("背街小巷的下水道年年挖、年年堵，居民苦不堪言。", "家里的水管年年修、年年漏。"),
    # X一阵Y一阵 whose first half is enforcement
    ("小区门口的占道摆摊管一阵松一阵。", "小区里的流浪猫抓一阵放一阵地逗老鼠。"),
    # 边X边Y of removal and return names a violation (@violation)
    ("非法采砂边打边采，屡禁不止。", "老城区改造边拆边建，新楼一栋栋立起来。"),
    ("街头小广告边清边贴，城管疲于应付。", "孩子边拆边装，把玩具弄得满地都是。"),
    # 前X后Y with a decay
    ("该村的公厕前修后坏，群众反映强烈。", "马拉松比赛他前快后慢，最后一公里掉了队。"),
    # 一X了之
    ("物业对业主反映的漏水问题一拖了之。", "他一笑了之，一走了之。"),
])
def test_strong_shapes_need_only_a_public_affairs_context(matcher, problem, everyday):
    assert len(matcher.find(problem)) == 1, problem
    assert matcher.find(everyday) == [], everyday


def test_the_weaker_context_is_data_on_the_strong_shapes_only():
    temps = {t.id: t for t in load_templates()}
    public = set(load_vocabularies()["public"])
    assert "河道" in public and "问题" in public
    for tid in ["niannian-X-niannian-Y", "niannian-X-niannian-Y-cycle", "X-yizhen-Y-yizhen-enforce",
                "X-yizhen-Y-yizhen-2", "qian-X-hou-Y-decay", "yi-X-liaozhi", "zhong-X-qing-Y", "qiang-X-ruo-Y",
                "bian-X-bian-Y"]:
        assert public <= set(temps[tid].context), tid
    # shapes with a literal or policy reading in public life keep the governance context only
    # (见花不见叶 in a park, 只租不售 of rental housing, 前松后紧 of a shoe)
    for tid in ["jian-X-bujian-Y", "X-yizhen-Y-yizhen", "qian-X-hou-Y", "zhi-X-bu-Y"]:
        assert not public <= set(temps[tid].context), tid
    assert "违规" in temps["bian-X-bian-Y-relapse"].context and "河道" not in temps["bian-X-bian-Y-relapse"].context


@pytest.mark.parametrize("text, expected", [
    ("该县的民生项目年年报、年年批不下来。", "年年报、年年批不下来"),      # V不C second half
    ("有的单位年年检查、年年不合格。", "年年检查、年年不合格"),
    ("有的村的环境整治年年搞、年年不达标。", "年年搞、年年不达标"),
    ("一些部门的群众来信年年收、年年拖。", "年年收、年年拖"),
    ("作风建设年年抓、年年松。", "年年抓、年年松"),
    ("有的地方年年喊治堵、年年堵得更厉害。", "年年喊治堵、年年堵得更厉害"),   # worse, not only unchanged
    ("基层说有些地方年年喊减负、年年负担重。", "年年喊减负、年年负担重"),     # a trouble that stays
    ("民生实事年年承诺、年年兑现不了。", "年年承诺、年年兑现不了"),          # 了 allowed
    ("年度考核年年打分、年年满分，评不出高低。", "年年打分、年年满分"),
    ("该县对欠薪问题抓一阵歇一阵。", "抓一阵歇一阵"),
    ("有的地方对秸秆焚烧严一阵懒一阵。", "严一阵懒一阵"),
    ("有的单位作风整顿前紧后拖。", "前紧后拖"),
    ("本人分管的乱收费问题边清边冒。", "边清边冒"),
    ("有的干部签字多、跑腿少。", "签字多、跑腿少"),                      # @substance: 跑腿
    ("该中心对群众来电记录多、回复少。", "记录多、回复少"),
    ("部分督导组提要求多、帮解决少。", "提要求多、帮解决少"),
    ("该县今年项目签约多、落地少。", "签约多、落地少"),
    ("有的地方为了创建而创建。", "为了创建而创建"),
    ("有的党组织成了空架子。", "空架子"),
    ("有的党支部见会议不见效。", "见会议不见效"),
    ("村里的人居环境整治突击一阵、放松一阵。", "突击一阵、放松一阵"),          # two-character halves
    ("这条乡道年年修补、年年坑洼难行。", "年年修补、年年坑洼难行"),            # @failing: 难
    ("县城的背街小巷重硬化轻管护，路面很快又坏了。", "重硬化轻管护"),          # public affairs (@public)
])
def test_more_second_halves_are_found(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == [expected]


@pytest.mark.parametrize("text", [
    "该县年年考核、年年不出错。",             # 不出错 is no failure
    "老党员年年过节、年年不忘交党费。",
    "他年年参加马拉松、年年不缺席。",
    "这家小区的物业年年换、年年好。",
    "工地上看热闹的多、干活的少。",          # X多Y少 of substance, but no public work
    "餐馆里吃饭的人多、干活的人少。",
    "财政投入只增不减，标准只严不松。",      # commitments on a quantity (positive entries)
    "今年起，县里对村级考核事项实行只减不增。",
    "那只猫在小区里神龙见首不见尾。",        # an idiom of another meaning (literal entry)
    "诗人主张“为艺术而艺术”。",
    "这首歌唱的是“为爱而爱”。",              # a quotation sung is no citation
    "小区的桂花年年开、年年落。",
    "该县年年考核、年年不出错。",              # 不 alone is no failure
    "孩子们在操场上热闹一阵、安静一阵。",        # a two-character swing of play
    "县医院对发热患者按重症、轻症分区收治。",    # 重X轻X: the same filler twice is no imbalance
])
def test_lookalikes_of_the_new_fillers_are_not_flagged(matcher, text):
    assert matcher.find(text) == []


def test_a_context_word_that_begins_inside_another_word_does_not_count(matcher):
    text = "小区里的流浪猫抓一阵放一阵地逗老鼠。"   # 小区|里 holds no 区里 (the district government)
    assert matcher.find(text) == []
    assert [f.text for f in dj.PatternMatcher(word_boundaries=False).find(text)] == ["抓一阵放一阵"]
    # … while a vocabulary word the dictionary lacks still counts after a word (服务|台账)
    assert [f.text for f in matcher.find("该中心的志愿服务台账见签名不见服务。")] == ["见签名不见服务"]
    assert [f.text for f in matcher.find("县里的考核抓一阵放一阵。")] == ["抓一阵放一阵"]


def test_another_flag_in_the_sentence_is_context_enough(matcher):
    assert [f.text for f in matcher.find("不搞形象工程，不做表面文章。")] == ["形象工程", "做表面文章"]
    assert [f.text for f in matcher.find("坚决反对形式主义，不走过场、不搞花架子。")] == ["走过场", "搞花架子"]
    # alone, or in another sentence, the idiom with a literal reading has no context
    assert matcher.find("他从不做表面文章。") == []
    assert [f.text for f in matcher.find("不搞形象工程。他从不做表面文章。")] == ["形象工程"]
    texts = ["不搞形象工程，", "不做表面文章。"]
    assert matcher.find_many(texts) == [matcher.find(t) for t in texts]


@pytest.mark.parametrize("text, expected", [
    ("决不允许数据造假、弄虚作假。", ["数据造假", "弄虚作假"]),   # @prohibition
    ("一些乡村旅游项目急功近利，游客来了一次就不想再来。", ["急功近利"]),  # @public
    ("该市投资上亿的景观大道成了当地有名的形象工程。", ["形象工程"]),      # no literal reading: no condition
    ("有的乡村博物馆只剩个花架子，常年闭馆。", ["花架子"]),
])
def test_idioms_in_public_affairs_and_prohibitions(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text", [
    "他炒股急功近利，亏了不少。", "他考试弄虚作假被老师批评。", "他是一名形象工程师。",
    "品牌形象工程是企业文化建设的一部分。",
])
def test_idioms_of_misconduct_in_private_life_stay_out(matcher, text):
    assert matcher.find(text) == []


@pytest.mark.parametrize("text, expected", [
    ("一些部门重ＰＰＴ汇报、轻现场调研。", "重ＰＰＴ汇报、轻现场调研"),      # full-width letters in a slot
    ("个别地方仍然重ＧＤＰ轻民生。", "重ＧＤＰ轻民生"),                      # an abbreviation beside Han
    ("机关志愿服务重签到轻参与，不少人签完名就走。", "重签到轻参与"),          # 参与: 与 ends the word
    ("有的单位年年定５项任务、年年完成不了。", "年年定５项任务、年年完成不了"),  # full-width digits
    ("支部的学习计划年年定,年年落空。", "年年定,年年落空"),                  # ASCII comma between halves
    ("有的村上有政策,下有对策。", "上有政策,下有对策"),                      # … and in a catalogue entry
    ("该局强“督”弱“导”，基层叫苦不迭。", "强“督”弱“导”"),                  # quoted one-character fillers
    ("有的部門好事搶著辦、難事推給基層。", "好事搶著辦、難事推給基層"),        # 著 folded to 着
    ("一些地方对新就业群体重覆盖轻服务。", "重覆盖轻服务"),                  # … but 覆盖 is not 复盖
    ("有的单位年年定计划、年年老问题。", "年年定计划、年年老问题"),          # 老问题 keeps its frame noun
    ("有的干部调研时讲话多、解决问题少。", "讲话多、解决问题少"),
])
def test_fillers_with_letters_digits_quotes_and_traditional_forms(matcher, text, expected):
    flags = matcher.find(text)
    assert [f.text for f in flags] == [expected]
    assert all(text[f.start:f.end] == f.text for f in flags)


def test_slots_and_quoted_min_in_the_template_language(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps({"id": "shang-X-xia-Y", "family": "上X下Y", "pattern": "上{X}下{Y}", "anchor": "下",
                                "slots": {"X": {"min": 2, "max": 4, "quoted_min": 1}, "Y": {"min": 2, "max": 3}}},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    m = dj.PatternMatcher(user_patterns=path, templates_enabled=False, word_boundaries=False)
    assert [f.text for f in m.find("上“热”下冷淡。")] == ["上“热”下冷淡"]    # quoted: one character is enough
    assert m.find("上热下冷淡。") == []                                   # unquoted: min 2
    assert [f.text for f in m.find("上新ＡＰＰ下冷淡。")] == ["上新ＡＰＰ下冷淡"]  # letters beside Han
    assert m.find("上app下冷淡。") == []                                  # a filler of letters only
    assert m.find("上123下冷淡。") == []                                  # or digits only


def test_a_later_start_is_tried_when_the_word_boundary_check_rejects_the_first(matcher):
    text = "有的专项督查走过场多、解决问题少，基层反映问题还在原地。"
    assert [f.text for f in matcher.find(text)] == ["走过场多、解决问题少"]   # not 走过场, nor 查走过场…


def test_word_frequency_table_is_a_numpy_cache_and_matches_the_dictionary(tmp_path, monkeypatch):
    import numpy as np

    from dangjian_nlp import patterns
    from dangjian_nlp._jieba import dictionary_path

    monkeypatch.setenv("DANGJIAN_CACHE_DIR", str(tmp_path))
    patterns._word_freq.cache_clear()
    try:
        freq, log_total = patterns._word_freq()
        (cache,) = (tmp_path / "patterns").glob("wordfreq-*.npz")
        with np.load(cache, allow_pickle=False) as z:  # plain arrays, no pickle
            assert {"words", "freq", "total"} <= set(z.files) and z["words"].dtype == np.uint8
        # the table holds jieba's common words with their frequencies, their prefixes, no rare words
        total, seen_rare = 0, False
        with open(dictionary_path(), encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                word, f = line.split(" ")[:2]
                total += int(f)
                if n % 97 == 0 and len(word) >= 2 and int(f) >= 10:
                    assert freq[word] == int(f) and all(word[:k] in freq for k in range(2, len(word)))
                if 0 < int(f) < 10 and len(word) >= 2 and word not in freq:
                    seen_rare = True
        assert seen_rare and abs(log_total - np.log(total)) < 1e-9
        # a later process loads the cache and never rebuilds it
        patterns._word_freq.cache_clear()
        monkeypatch.setattr(patterns, "_build_freq_table", lambda *a: pytest.fail("rebuilt"))
        assert patterns._word_freq()[0] == freq
    finally:
        patterns._word_freq.cache_clear()


def test_matching_never_imports_jieba(tmp_path):
    """Cold start: the word-boundary check reads the cached table, not jieba's whole dictionary."""
    import subprocess
    import sys

    code = ("import sys, dangjian_nlp as dj; m = dj.PatternMatcher(); "
            "f = m.find('知青们每天都要走过场部门前的小路。有的地方搞一刀切，层层加码。'); "
            "print([x.text for x in f], 'jieba' in sys.modules)")
    env = {**__import__("os").environ, "DANGJIAN_CACHE_DIR": str(tmp_path)}
    for _ in range(2):  # the first run builds the table, the second loads it
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        assert out.stdout.strip() == "['一刀切', '层层加码'] False", out.stdout + out.stderr


@pytest.mark.parametrize("text, expected", [
    ("有的干部高高在上，满足于发号施令。", ["高高在上", "发号施令"]),
    ("一些部门多头检查、重复检查，基层疲于迎检。", ["多头检查", "重复检查"]),
    ("有的班子整改避重就轻，对主要问题只字不提。", ["避重就轻"]),
    ("坚决纠治空喊口号、软拖硬抗等问题。", ["空喊口号", "软拖硬抗"]),
    ("有的地方向企业乱摊派。", ["乱摊派"]),
    ("有的单位搞形式、走过场。", ["搞形式", "走过场"]),
    ("一些部门文来文往，基层忙于应付。", ["文来文往"]),
    ("有的干部不担当、不作为。", ["不担当", "不作为"]),
])
def test_official_expressions_of_bureaucratism(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text", [
    "老鹰高高在上地盘旋。",                    # no public work: the idioms with everyday senses need it
    "医生建议他一个月后重复检查一次。",
    "他学琴急于求成，基本功没练扎实。",
    "这件衣服华而不实。",
    "要开展形式多样的活动。",                  # 搞形式 never inside 形式多样, 形式主义, 形式化
    "不能搞形式化、套路化那一套。",
])
def test_everyday_uses_of_the_official_expressions_are_not_flagged(matcher, text):
    assert [f.expression for f in matcher.find(text) if f.expression in (
        "gaogao-zaishang", "chongfu-jiancha", "jiyu-qiucheng", "huaer-bushi", "gao-xingshi")] == []


@pytest.mark.parametrize("text, expected", [
    ("基层税务所在纳税服务中见系统不见纳税人。", ["见系统不见纳税人"]),          # a trimmed filler runs to its word's end
    ("我下基层调研时存在多坐办公室、少进田间地头的情况。", ["多坐办公室、少进田间地头"]),
    ("有的部门多用行政命令、少用市场手段。", ["多用行政命令、少用市场手段"]),  # fillers up to six characters
    ("有的干部多在会上讲、少在会后抓。", ["多在会上讲、少在会后抓"]),
    ("乱占耕地问题边整改、边反弹。", ["边整改、边反弹"]),                # a separator inside 边X边Y
    ("示范点边建边拆，造成资金浪费。", ["边建边拆"]),
    ("矿山生态修复边治理边破坏。", ["边治理边破坏"]),
    ("节庆活动前轰轰烈烈、后冷冷清清。", ["前轰轰烈烈、后冷冷清清"]),    # longer halves of 前X后Y
    ("乡镇综合文化站前挂牌后闲置。", ["前挂牌后闲置"]),
    ("对违规发放津补贴问题前改后犯。", ["前改后犯"]),
    ("对食品安全问题不能一约谈了之。", ["一约谈了之"]),                  # a two-character 一X了之
    ("林草部门以文落实文、以会落实会。", ["以文落实文", "以会落实会"]),
    ("公司党委对下属企业以包代管。", ["以包代管"]),                      # 以X代Y
    ("有的地方对小作坊以罚代管。", ["以罚代管"]),
    ("有的地方发放补贴后只管发钱、不管使用。", ["只管发钱、不管使用"]),    # 只管X不管Y
    ("一些高校人才工作引进多、培养少。", ["引进多、培养少"]),
    ("有的高校思政课重课堂讲授轻实践育人。", ["重课堂讲授轻实践育人"]),  # institutions of every field
    ("一刀切要不得。", ["一刀切"]),                                      # a frame after it
])
def test_round_5_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text", [
    "旧衣服不要一扔了之，可以投放到小区的回收箱里。",
    "这片农田土壤重金属轻度超标。",              # 轻度 (mild) is no second half
    "我们以奖代补，支持村集体发展产业。",        # policy tools: 以奖代补, 以工代赈, 以赛代训
    "当地以工代赈修建了村道。",
    "运动员以赛代训备战全运会。",
    "他只管吃不管洗碗。",                      # 只管X不管Y needs public work
    "工地上的沙土边运边散。",
    "兄弟俩分家后各自为政，一个开饭馆，一个跑运输。",
    "这场雨过地皮湿，旱情没有缓解。",          # the literal reading of 雨过地皮湿
    "他是排球队的二传手。",
    "这家店的老板当起了甩手掌柜，生意全交给儿子。",
])
def test_round_5_lookalikes_are_not_flagged(matcher, text):
    assert matcher.find(text) == []


@pytest.mark.parametrize("text, expected", [
    ("少数干部奉行好人主义，抱着“不求有功、但求无过”的心态。", ["好人主义", "不求有功、但求无过"]),
    ("一些部门文牍主义作风严重。", ["文牍主义"]),
    ("少数执法人员吃拿卡要、冷硬横推。", ["吃拿卡要", "冷硬横推"]),
    ("一些部门甘当“二传手”，把文件原封不动转发给乡镇。", ["二传手"]),
    ("有的部门在乡村治理中当起了“甩手掌柜”。", ["甩手掌柜"]),
    ("部分乡镇的污水处理设施成了半拉子工程。", ["半拉子工程"]),
    ("整改中不能虚假整改、纸面落实。", ["虚假整改", "纸面落实"]),
    ("改革推进上面热、中间温、下面冷。", ["上面热、中间温、下面冷"]),
    ("“拍脑袋决策、拍胸脯保证、拍屁股走人”的现象仍未绝迹。", ["拍脑袋决策、拍胸脯保证、拍屁股走人"]),
])
def test_round_5_catalogue_expressions(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("该系统党风廉政建设呈现县热乡温村冷的格局。", ["县热乡温村冷"]),            # any three levels
    ("全行推广出现了总行热、分行温、网点冷的情况，我作为分管领导负有责任。", ["总行热、分行温、网点冷"]),
    ("政策落实中的一级热、二级温、三级冷，根子在压力没有传导。", ["一级热、二级温、三级冷"]),
    ("该系统落实党风廉政建设责任呈现上热中温下冷态势。", ["上热中温下冷"]),     # the leading slot is balanced
    ("有的改革举措出现机关热、基层冷的现象。", ["机关热、基层冷"]),            # two levels of public work
    ("一些文化惠民项目出现领导热、群众冷的情况。", ["领导热、群众冷"]),
    ("党员志愿服务热闹一阵冷清一阵，节日一过岗亭就没人了。", ["热闹一阵冷清一阵"]),
    ("党支部的活动一度轰轰烈烈一阵、冷冷清清一阵。", ["轰轰烈烈一阵、冷冷清清一阵"]),
    ("我对分管的档案信息化工作重视一阵淡忘一阵。", ["重视一阵淡忘一阵"]),
    ("在推进重点工作时，我存在前有部署、后无跟进的问题。", ["前有部署、后无跟进"]),
    ("该单位年度工作总结多讲成绩、少讲问题。", ["多讲成绩、少讲问题"]),      # the same verb in both halves
    ("有的领导下去调研多问数字少问实情。", ["多问数字少问实情"]),           # not 调研多问数字少
    ("有的领导到企业调研多看展板少进车间。", ["多看展板少进车间"]),
    ("渔政站在休渔管理中重“大检查”轻“常态管”。", ["重“大检查”轻“常态管”"]),  # a quoted filler is not 重大
    ("不少乡镇干部坦言，基层负担年年减、年年重。", ["年年减、年年重"]),
    ("一些地方村级小微权力运行边规范边走样。", ["边规范边走样"]),
    ("安全生产专项整治不能搞一阵风。", ["一阵风"]),
    ("有的地方把党建当个筐，什么都往里装。", ["把党建当个筐，什么都往里装"]),
])
def test_round_6_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text", [
    "这栋老楼冬天上热下冷，一楼的住户常常抱怨暖气不够。",   # heating: 上热下冷 of a room
    "今天白天热、晚上冷，注意增减衣物。",
    "受台风外围影响，今天全市一阵风一阵雨。",               # weather: 一阵风
    "会上表态要简短，多讲举措、少讲套话。",                 # saying less empty talk is good advice
    "孩子们在操场上热闹一阵、安静一阵。",
    "前有古人，后无来者。",
])
def test_round_6_lookalikes_are_not_flagged(matcher, text):
    assert matcher.find(text) == []


@pytest.mark.parametrize("text, expected", [
    ("防汛隐患排查要一以贯之，坚决杜绝汛前紧一阵、汛后松一阵。", ["汛前紧一阵、汛后松一阵"]),  # a moment before each half
    ("审计指出，部分项目资金管理见拨付，不见绩效。", ["见拨付，不见绩效"]),          # a comma inside 见X不见Y
    ("从调研看，全民健身中心建设项目多、运营少。", ["项目多、运营少"]),              # 建设|项目: a compound's head
    ("部分水土保持项目验收多、回访少，淤地坝缺乏后续管护。", ["验收多、回访少"]),
    ("学院课程思政建设前声势浩大，后悄无声息。", ["前声势浩大，后悄无声息"]),
    ("要坚决遏制毁林开垦边打边毁的势头。", ["边打边毁"]),
    ("涉税中介乱象边清边冒，信用约束太软。", ["边清边冒"]),                        # 乱象 names a violation
    ("部分商场消防通道堵塞问题年年检查、年年如故。", ["年年检查、年年如故"]),
    ("行政审判不能一判了之，要推动行政争议实质性化解。", ["一判了之"]),
    ("坚决纠正表态多调门高、行动少落实差的问题。", ["表态多调门高、行动少落实差"]),
    ("本人起草的文稿有时穿靴戴帽、空话套话较多。", ["穿靴戴帽", "空话套话"]),
    ("巡察发现，该局个别处长官气十足，对群众爱答不理。", ["官气十足"]),
    ("高质量发展阶段，不能再以ＧＤＰ论英雄。", ["以ＧＤＰ论英雄"]),
])
def test_round_7_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text", [
    "深夜山路上只闻其声、不见其人，原来是护林员在巡山喊话。",   # an idiom of another meaning
    "老人咳一阵歇一阵，家庭医生上门调整了用药。",
    "下长坡千万不要挂空挡滑行。",                              # 不要 before an idiom is no public work
    "学游泳不能急于求成，先把换气练熟再说。",
])
def test_round_7_lookalikes_are_not_flagged(matcher, text):
    assert matcher.find(text) == []


@pytest.mark.parametrize("text, expected", [
    ("有的干部对群众诉求事不关己、高高挂起。", ["事不关己、高高挂起"]),
    ("少数窗口单位仍要求群众开具奇葩证明。", ["奇葩证明"]),
    ("有的调研身入心不入，走马观花。", ["身入心不入", "走马观花"]),
    ("一些部门之间推诿塞责，群众办事多头跑、反复跑。", ["推诿塞责", "多头跑、反复跑"]),
])
def test_compiled_official_expressions(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text", [
    "邻居吵架，他事不关己、高高挂起。",      # everyday readings need public work
    "公园里老人们在打太极。",
    "窗户一关了之后，屋里马上暖和起来。",
])
def test_compiled_official_expressions_in_everyday_life(matcher, text):
    assert matcher.find(text) == []


@pytest.mark.parametrize("text, expected", [
    ("（五）重安全防范轻教育改造。", ["重安全防范轻教育改造"]),          # an item of a problem list is context
    ("3. 重收视轻导向。", ["重收视轻导向"]),
    ("村小校舍屋面年年报、年年修、年年漏。", ["年年报、年年修、年年漏"]),      # three yearly steps
    ("坚决纠正青训工作中重成绩轻育人、重集训轻普及等偏差。", ["重成绩轻育人", "重集训轻普及"]),  # 普|及 before 等
    ("部分社区养老驿站前建后闲，建成后入住率不足三成。", ["前建后闲"]),
    ("给教师减负不能边减边加。", ["边减边加"]),
    ("切实改变基础测绘外业年年培训、年年出错的状况。", ["年年培训、年年出错"]),
    ("（二）会议套会议现象仍然存在。", ["会议套会议"]),
    ("为基层减负要防止以形式主义反形式主义。", ["以形式主义反形式主义"]),
])
def test_round_8_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


def test_a_list_item_is_context_but_the_bare_sentence_is_not(matcher):
    assert matcher.find("重收视轻导向。") == [] and matcher.find("重安全防范轻教育改造。") == []


@pytest.mark.parametrize("text", [
    "1. 前炒后焖，火候要把握好。",                     # a numbered recipe step: the shape is not there
    "受强对流、弱冷空气共同影响，明天傍晚全市有雷阵雨。",
    "货运部门按照重货轻泡货搭配的原则装载。",
    "倡导绿色出行，多走路少开车，既环保又健身。",
    "老张退休后迷上了造盆景，阳台上摆了二十多盆松柏。",
    "商业汇票转让时，持票人需要在票据背面签字背书。",
    "该县年年考核、年年不出错。",
])
def test_round_8_lookalikes_are_not_flagged(matcher, text):
    assert matcher.find(text) == []


@pytest.mark.parametrize("text", [
    "戏曲里的“走过场”是指一种舞台调度，演员从上场门出、下场门入。",   # a term defined, not a practice cited
    "老字号门口挂着“一言堂”的匾额，意思是明码实价。",
])
def test_a_quoted_term_being_defined_is_not_context(matcher, text):
    assert matcher.find(text) == []


def test_a_quoted_practice_is_still_context(matcher):
    assert [f.text for f in matcher.find("这种“走过场”要不得。")] == ["走过场"]


def test_an_anchor_may_join_a_literal_and_a_character_of_the_next_slot(tmp_path):
    from dangjian_nlp.errors import LexiconError

    rec = {"id": "yi-X-dai-Y-user", "family": "以X代Y", "pattern": "以{X}代{Y}", "anchor": ["代管"],
           "slots": {"X": {"min": 1, "max": 1}, "Y": {"min": 1, "max": 1, "only": ["管"]}}}
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    m = dj.PatternMatcher(templates=good)
    assert [f.text for f in m.find("公司对下属企业以包代管。")] == ["以包代管"]
    # a catalogue file may hold template lines too
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(json.dumps({"id": "x", "text": "文山会海", "family": "idiom"}, ensure_ascii=False) + "\n"
                     + json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    m = dj.PatternMatcher(expressions=mixed, templates=good)
    assert [f.text for f in m.find("公司对下属企业以包代管，文山会海。")] == ["以包代管", "文山会海"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({**rec, "anchor": ["代表"]}, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="line 1.*anchor '代表'"):
        dj.PatternMatcher(templates=bad)


@pytest.mark.parametrize("text, expected", [
    # the public work is named in the sentence before (a report paragraph), not in the match's own
    ("对照检视，支部理论学习还存在短板。学习笔记见摘抄不见思考，心得体会多是原文照录。", ["见摘抄不见思考"]),
    ("城市管理方面，违法建设屡禁不止。有的地方前拆后建、边拆边建。", ["前拆后建", "边拆边建"]),
    # 纪要 is no word of advice before the match
    ("部分会议纪要见结论不见讨论，集体决策流于形式。", ["见结论不见讨论", "流于形式"]),
    ("个别党员干部廉洁承诺书年年签、年年违。", ["年年签、年年违"]),
    ("村级事项清单推行中出现边“减负”边“加码”现象。", ["边“减负”边“加码”"]),
    ("乡镇机构改革前，一些站所机构臃肿、人浮于事。", ["机构臃肿", "人浮于事"]),
])
def test_round_9_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text", [
    "今天去公园散步。孩子们重吃轻玩，一会儿就饿了。",     # the sentence next to it names no public work
    "老式油灯会挡住正下方的光线，形成所谓的“灯下黑”。",    # a term named, not a practice cited
    "第一天\n县里开会。\n孩子们一窝蜂地冲向操场。",        # neighbours end at the line
])
def test_round_9_lookalikes_are_not_flagged(matcher, text):
    assert [f.text for f in matcher.find(text) if f.text in ("重吃轻玩", "灯下黑", "一窝蜂")] == []


@pytest.mark.parametrize("text, expected", [
    ("个别行业协会党组织重组织覆盖轻工作覆盖。", ["重组织覆盖轻工作覆盖"]),   # 轻工 (light industry) is 轻工业, not 轻工作
    ("局机关党建中重业务考核轻政治把关的倾向尚未根本扭转。", ["重业务考核轻政治把关"]),  # 把 inside 把关
    ("个别社会组织党支部年年报计划年年无活动。", ["年年报计划年年无活动"]),
    ("个别商务楼宇党组织年年组建、年年休眠。", ["年年组建、年年休眠"]),
    ("个别社会组织党组织前成立后休眠。", ["前成立后休眠"]),
    ("社区社会组织党建工作喊一阵忘一阵。", ["喊一阵忘一阵"]),
    ("第一书记驻村不住村的问题仍未杜绝。", ["驻村不住村"]),
])
def test_round_10_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


def test_light_industry_is_not_an_imbalance(matcher):
    assert matcher.find("这家企业重化工轻工业并举，产值稳步增长。") == []


@pytest.mark.parametrize("text, expected", [
    ("一些社区边减负边加压，清单外的事项换个名目又派下来。", ["边减负边加压"]),   # a correction undone
    ("个别干警边表态边违纪，在教育整顿期间仍违规接受吃请。", ["边表态边违纪"]),
    ("个别党员医务人员边签承诺边收红包。", ["边签承诺边收红包"]),
    ("有的部门边减证边增章，取消一项证明，又要求盖两个公章。", ["边减证边增章"]),
    ("部分学校强校长决策、弱党组织把关。重大事项未经党组织会议研究就直接执行。", ["强校长决策、弱党组织把关"]),
    ("个别合作社前挂牌后解散，申报补助时热热闹闹，拿到资金后就没了下文。", ["前挂牌后解散"]),
    ("机关食堂浪费问题年年喊、年年剩。", ["年年喊、年年剩"]),
    ("对违规出借资金问题纠一阵、犯一阵。", ["纠一阵、犯一阵"]),
    ("混改企业要坚决防止混而不改。", ["混而不改"]),
])
def test_round_11_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text", [
    "医院坚持边整改边建章立制，新修订管理制度二十一项。",   # the second half is good work
    "长时间伏案工作后，可以躺平休息几分钟。",
])
def test_round_11_lookalikes_are_not_flagged(matcher, text):
    assert matcher.find(text) == []


def test_a_list_item_inside_a_longer_text_is_context(matcher):
    text = "二、存在的问题。\n（一）重收视轻导向。\n（二）重活动轻阵地。"
    assert [f.text for f in matcher.find(text)] == ["重收视轻导向", "重活动轻阵地"]


@pytest.mark.parametrize("text, expected", [
    ("基层社反映，上级要求建设的为农服务中心只挂牌、不运营。", ["只挂牌、不运营"]),  # 要求…的: not advice
    ("我检视自己，组织的应急演练“演”多“练”少，脚本化痕迹明显。", ["“演”多“练”少"]),      # quoted one-character halves
    ("委员们认为，地质灾害群测群防年年培训、年年走过场。", ["年年培训、年年走过场"]),
    ("委员指出，个别地方民族特色村寨边挂牌、边拆旧。", ["边挂牌、边拆旧"]),
    ("本人在海事政务服务中推动减证便民，但存在前减后增问题。", ["前减后增"]),
    ("视察组提出，应急物资储备不能一储了之。", ["一储了之"]),
    ("本人在统计督查中存在督多帮少的情况。", ["督多帮少"]),
])
def test_round_12_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


def test_a_sign_named_in_quotes_is_no_citation(matcher):
    assert matcher.find("古镇老街上有家茶馆，门口挂着“一言堂”的老招牌。") == []


@pytest.mark.parametrize("text, expected", [
    ("小型水利工程账目公开年年上榜、年年糊涂，群众意见较大。", ["年年上榜、年年糊涂"]),
    ("换届督导组听会多、走访少，对村情民意掌握不全。", ["听会多、走访少"]),
    ("有的点位观摩活动前布置后撤场，观摩一结束展板就收进了仓库。", ["前布置后撤场"]),
    ("个别混改企业党支部边组建边散架，组织生活难以正常开展。", ["边组建边散架"]),
    ("一些点位的经验做法照抄照搬外地模式，与本地实际脱节。", ["照抄照搬"]),
])
def test_round_13_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("某县各部门推出的政务小程序ＡＰＰ多、实用少，村干部手机里装了20多个。", ["ＡＰＰ多、实用少"]),  # never trim inside an abbreviation
    ("某市对上级部署的任务层层加码、级级提速。", ["层层加码、级级提速"]),
    ("学院理论学习中心组学习领读多、研讨少，交流发言流于形式。", ["领读多、研讨少", "流于形式"]),
    ("某县清理督查检查事项前减后补，基层负担并未真正减轻。", ["前减后补"]),
    ("该干部在接受组织函询期间仍边检讨边收钱。", ["边检讨边收钱"]),
])
def test_round_14_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("党员干部还要重实干、轻名利。", []),                              # 还要 is advice (only nouns like 纪要 are not)
    ("这种“走过场”是一种敷衍。", ["走过场"]),                          # a judgement, not a definition
    ("三、加强学习\n学习笔记见摘抄不见思考。", []),                      # a heading's number stays on its line
    ("存在以下问题\n（三）学习笔记见摘抄不见思考。", ["见摘抄不见思考"]),  # an item under a heading line
    ("3.倒车时要注意车辆盲区。", []),                                   # list items give templates context, not idioms
    ("对照检视，支部理论学习还存在短板。\r学习笔记见摘抄不见思考。", []),  # \r ends a paragraph too
])
def test_review_findings_on_context(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


def test_word_cut_check_is_per_reading_not_per_span(tmp_path):
    cat = tmp_path / "cat.jsonl"
    cat.write_text(json.dumps({"id": "x", "text": "文山会海", "family": "idiom"}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    assert [f.text for f in dj.PatternMatcher(expressions=cat).find("代表态多落实少。")] == \
        [f.text for f in dj.PatternMatcher().find("代表态多落实少。")]


def test_a_long_single_line_text_finds_every_match(matcher):
    text = "有的部门重部署轻落实，群众意见很大" * 2000 + "。"   # 36,000 characters, one sentence, no line break
    flags = matcher.find(text)
    assert len(flags) == 2000 and all(text[f.start:f.end] == "重部署轻落实" for f in flags)


@pytest.mark.parametrize("text, expected", [
    ("部分职业培训见人次不见就业，学员结业后多数仍在待业。", ["见人次不见就业"]),       # 就 opens 就业
    ("有的调研组重了解轻解决，群众反映的问题迟迟没有回音。", ["重了解轻解决"]),         # 了 opens 了解
    ("部分乡镇存在重项目申报轻落地见效问题。", ["重项目申报轻落地见效"]),               # 存在…问题 frames it
    ("有的支部存在重发现问题轻解决问题。", ["重发现问题轻解决问题"]),                    # parallel objects stay
    ("县交通局对路政投诉只登记不回访。", ["只登记不回访"]),                           # an agency name is context
    ("有的单位督导工作强压弱帮，基层意见较大。", ["强压弱帮"]),
    ("村务监督小组多看少管，对财务公开也不过问。", ["多看少管"]),
    ("有的部门开展督查前发通知后不跟进，基层整改无人过问。", ["前发通知后不跟进"]),
    ("“小区停车难”年年提、年年议，今年终于建成了立体车库。", ["年年提、年年议"]),
    ("这条背街年年挖、年年补的问题，终于在今年得到解决。", ["年年挖、年年补"]),
    ("村里发展产业曾经种一阵荒一阵，跟风种了几茬都没有下文。", ["种一阵荒一阵"]),
    ("整治违停不能一阵风，要建立常态化管理机制。", ["一阵风"]),                      # a warning names the practice
    ("政务新媒体建设不能为更新而更新。", ["为更新而更新"]),
    ("网友反映，某区停车场为收费而收费，车位却一直不够。", ["为收费而收费"]),           # a public complaint
])
def test_round_15_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text", [
    "下午起了一阵风，晾在外面的衣服被吹跑了。",           # weather, no warning
    "他下棋是为消遣而消遣，从不计较输赢。",               # a hobby, no public affairs
    "市住建局推出一批保障性租赁住房，实行只租不售。",     # a policy rule, not a formality
    "推进政务服务“多跑网路、少跑马路”。",                  # a slogan of fewer trips for citizens
    "读书时要多听少说，多想多问。",                        # advice
])
def test_round_15_lookalikes_are_not_flagged(matcher, text):
    assert matcher.find(text) == []


@pytest.mark.parametrize("text, expected", [
    ("有的站所以简报落实简报，上级要求下达后只在所内转一遍。", ["以简报落实简报"]),     # 所以 is no word here
    ("街道的环境整治只见标语不见行动，垃圾照样没人清。", ["见标语不见行动"]),        # 只见 before 见X不见Y
    ("这段路边修边挖，一个月里封了三回，居民意见很大。", ["边修边挖"]),            # 路边 before 边X边Y
])
def test_a_template_that_opens_with_its_own_literal_ignores_the_word_before(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("这条收费路段只收费不养护，路面坑洼多年没人修。", ["只收费不养护"]),     # public affairs, neglected upkeep
    ("有的窗口单位多收费、少服务，办事群众意见很大。", ["多收费、少服务"]),
    ("巷口早点铺只收现金不扫码。", []),                                        # a shop's rule
    ("我们在古镇只逛不买。", []),
])
def test_neglected_upkeep_takes_public_affairs_context(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("有的党组织抓党建强制度、弱执行，制度挂在墙上没人过问。", ["强制度、弱执行"]),      # keep_prefix: 制度, not 强制
    ("部分主管部门强项目审批、弱项目监管。", ["强项目审批、弱项目监管"]),               # 项目, not 弱项
    ("有的干部强制执行上级要求，不讲方式方法。", []),                                 # 强制 is still no half
    ("我在驻村工作中调研多、落实少，群众反映的问题办结率不高。", ["调研多、落实少"]),    # effort without result
    ("支部学习会讲得多、干得少，学用脱节。", ["讲得多、干得少"]),
    ("孩子最近吃得多、动得少，体重长得快。", []),
    ("有的单位为KPI而KPI，基层疲于应付。", ["为KPI而KPI"]),                           # a repeated abbreviation
    ("部分示范村“盆景”多、“风景”少，示范带动作用不强。", ["“盆景”多、“风景”少"]),
])
def test_round_15_more_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


def test_keep_prefix_escapes_a_prefix_exclusion(tmp_path):
    rec = {"id": "t", "family": "强X弱Y", "pattern": "强{X} 弱{Y}", "anchor": "弱",
           "slots": {"X": {"min": 2, "max": 4}, "Y": {"min": 2, "max": 4, "balance": "X"}},
           "exclude_prefix": {"X": ["制"]}, "context": ["@governance"]}
    path = tmp_path / "t.jsonl"
    text = "有的单位强制度、弱执行。"
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    assert dj.PatternMatcher(expressions=[], templates=path).find(text) == []
    path.write_text(json.dumps({**rec, "keep_prefix": {"X": ["制度"]}}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert [f.text for f in dj.PatternMatcher(expressions=[], templates=path).find(text)] == ["强制度、弱执行"]


@pytest.mark.parametrize("text, expected", [
    ("一些行业主管部门前紧后松，隐患整改闭环管理不到位。", ["前紧后松"]),      # 部门|前, not 门前
    ("县政务服务平台前热后冷，上线半年后访问量寥寥。", ["前热后冷"]),          # 平台|前, not 台前
    ("他站在家门前紧了紧衣领，后松开了手。", []),
])
def test_a_noun_ending_before_qian_is_not_a_place_in_front(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("有的乡镇环境整治检查来了忙一阵、检查走了歇一阵。", ["检查来了忙一阵、检查走了歇一阵"]),   # 了 in a moment
    ("对违规占道的治理“动”一阵“静”一阵。", ["“动”一阵“静”一阵"]),
    ("有的单位边喊减负边发表格，基层一周要填五张表。", ["边喊减负边发表格"]),
    ("严禁项目边报批边建设，未取得许可的一律不得开工。", ["边报批边建设"]),                       # steps inverted
    ("有的工作方案边下发边修改，基层无所适从。", ["边下发边修改"]),
    ("个别支部学习教育学归学、做归做，学用脱节。", ["学归学、做归做"]),
    ("有的企业党建归党建、业务归业务，两者互不相干。", ["党建归党建、业务归业务"]),
    ("该同志在执法中尺度前宽后严，经提醒后已改正。", ["前宽后严"]),
    ("一些专项整治之所以前整后弹，在于缺乏长效机制。", ["前整后弹"]),
    ("政务服务推广中出现“一APP了之”，老年群众办事更难。", ["一APP了之"]),               # an abbreviation alone
    ("我们边走边看，边看边聊。", []),
    ("书归书，画归画，他从不混在一起。", []),                                              # no public work
])
def test_round_15_last_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("该单位整改报告亮点罗列多、问题剖析少，对根源避而不谈。", ["亮点罗列多、问题剖析少"]),  # 问题剖析 is work on problems
    ("今年全县安全检查多、事故隐患少。", []),                                                # ending in a trouble: good news
])
def test_a_scarce_half_ending_in_a_trouble_is_good_news(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text", [
    "学校里的孩子们多吃零食、少吃蔬菜，家长很担心。",
    "这家医院病人多、服务少的说法不准确。",
    "小区的树木多、变化少，居民们觉得很安静。",
    "孩子年年考试年年过关，学校老师都夸他。",
    "农民年年种粮、年年靠天吃饭。",
    "工作归工作、生活归生活，周末我从不加班。",
    "减肥期间不要为吃而吃。",
    "学钢琴不能为考级而考级。",
    "村里一只羊不吃草，村干部很着急。",
    "统一删了之后，群众意见很大。",
    "他因为喜欢而喜欢，学校的老师都知道。",
    "下午不能出门，起了一阵风。",
    "数据共享多、群众跑腿少，政务改革见实效。",
])
def test_review_lookalikes_of_round_15_are_not_flagged(matcher, text):
    assert matcher.find(text) == []


@pytest.mark.parametrize("text, expected", [
    ("有的部门存在重部署轻解决问题。", ["重部署轻解决问题"]),                 # 解决问题 is one word
    ("存在重“申报材料”轻“落地实施问题”。", ["重“申报材料”轻“落地实施问题”"]),  # a quoted filler keeps its noun
    ("部分干部出现重经济发展、轻群众心理。", ["重经济发展、轻群众心理"]),       # 心理 is no frame of 存在/出现
    ("有的部门会开多了解决少。", []),                                          # 了 is a particle before 解决
    ("群众意见大不见干部回应。", []),                                          # 意见|大 is no 见X不见Y
])
def test_review_findings_on_fillers_and_edges(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("key, value, message", [
    ("keep_prefix", {"Z": ["制度"]}, "'Z' is not a slot"),
    ("exclude_suffix", {"Y": "问题"}, "must be a list"),
    ("keep_prefix", {"X": ["@governance"]}, "not vocabularies"),
    ("exclude_suffix", {"Y": ["@nosuch"]}, "unknown vocabulary"),
])
def test_a_malformed_slot_key_is_an_error_naming_the_line(tmp_path, key, value, message):
    rec = {"id": "t", "family": "强X弱Y", "pattern": "强{X} 弱{Y}", "anchor": "弱",
           "slots": {"X": {"min": 2, "max": 4}, "Y": {"min": 2, "max": 4}}, key: value}
    path = tmp_path / "t.jsonl"
    path.write_text("\n" + json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(dj.LexiconError) as err:
        dj.PatternMatcher(user_patterns=path)
    assert "line 2" in str(err.value) and message in str(err.value)



@pytest.mark.parametrize("text, expected", [
    ("代表建议办理工作重答复轻落实，有的答复后再无下文。", ["重答复轻落实"]),      # 代表建议 is a noun, not advice
    ("委员们建议重调研轻汇报。", []),                                             # advice
    ("有的领导到基层调研见干部多、见群众少。", ["见干部多、见群众少"]),
    ("个别示范支部搞盆景式党建，只在迎接检查时展示。", ["盆景式党建"]),           # the longer reading, not 搞盆景
    ("开展主题活动不能轰轰烈烈走过场。", ["轰轰烈烈走过场"]),
    ("查摆的问题年年查摆、年年雷同，整改没有触及根本。", ["年年查摆、年年雷同"]),
    ("公司由重资产运营向轻资产模式转型。", []),                                   # asset-heavy and asset-light
    ("患儿咳一阵停一阵已持续一周，社区医院已接诊。", []),
])
def test_round_16_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


def test_exclude_context_vetoes_the_literal_sense(tmp_path):
    rec = {"id": "x", "text": "二传手", "family": "idiom", "context": ["@governance"],
           "exclude_context": ["排球", "进攻"]}
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    m = dj.PatternMatcher(expressions=path, templates_enabled=False)
    assert [f.text for f in m.find("有的部门当二传手，文件原样转发。")] == ["二传手"]
    assert m.find("职工排球赛上，机关代表队的二传手组织进攻有条不紊。") == []


@pytest.mark.parametrize("text, expected", [
    ("在市总工会举办的职工排球赛上，机关代表队的二传手组织进攻有条不紊。", []),   # a literal sense, inside a governance register
    ("有的部门甘当二传手，上级文件原样转发了事。", ["二传手"]),
    ("街道老年大学开设的太极拳班很受欢迎，退休职工每天在广场打太极。", []),
    ("对群众反映的问题，有的部门互相打太极。", ["打太极"]),
    ("飞行检查组调阅了肠梗阻患者的住院病历。", []),
    ("政策落实中存在“肠梗阻”，基层迟迟拿不到资金。", ["肠梗阻"]),
    ("工商联引导企业瞄准细分市场空白点加大研发投入。", []),                       # 市场 right before: literal
])
def test_literal_senses_inside_governance_registers(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("班子成员相互批评不够，谈成绩多、谈问题少。", ["谈成绩多、谈问题少"]),           # talk about problems is work
    ("个别党员的剖析材料套话多、实话少。", ["套话多、实话少"]),
    ("部分小区楼道堆物年年清、年年堆，消防隐患长期存在。", ["年年清、年年堆"]),
    ("某镇部分干部只签到不在岗，签到后即离开。", ["只签到不在岗"]),                  # 在 opens 在岗
    ("街道对12345热线工单一派了之，派单后不跟踪。", ["一派了之"]),                    # 工单|一: 了之 ends the phrase
    ("统一删了之后，群众意见很大。", []),                                              # …but 了之后 does not
    ("个别地方仍存在唯GDP论倾向。", ["唯GDP论"]),
    ("机关收发室实行文件登记、分送全程闭环管理。", []),                              # a real mail room
])
def test_round_17_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("上级行对网点党建的要求发文多、指导少。", ["发文多、指导少"]),                  # 的要求 is a noun, not advice
    ("就业服务考核见证书不见岗位，实际上岗率低。", ["见证书不见岗位"]),               # keep_prefix 证书
    ("个别县对违法占地以罚代拆，违法建筑继续使用。", ["以罚代拆"]),
    ("养老服务补贴发放大水漫灌，未按失能等级分档。", ["大水漫灌"]),
    ("入秋后天气冷一阵热一阵，养老机构要做好防寒保暖。", []),                         # weather in a governance register
    ("检查组来到敬老院时，老人们正在院子里打太极。", []),
])
def test_round_18_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("要看这个单位有没有重项目建设轻党的建设的倾向。", ["重项目建设轻党的建设"]),   # 的 inside 党的建设
    ("过去一段时间基层社恢复重建重挂牌轻运营。", ["重挂牌轻运营"]),                  # 建|重挂牌 is no filler
    ("有的班子民主生活会表扬多、批评少。", ["表扬多、批评少"]),
    ("要坚决纠正压力传导中上紧下松、外紧内松的问题。", ["上紧下松", "外紧内松"]),
    ("救援人员让落水群众就地躺平，保持呼吸道通畅。", []),
])
def test_round_19_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("有的乡镇强排查弱化解，矛盾纠纷台账越积越厚。", ["强排查弱化解"]),          # keep_prefix 化解 (not 弱化)
    ("受强冷空气影响，我县将出现强降温、弱降水天气过程。", []),                     # a weather forecast
    ("科普资源进校园不能一送了之，要跟踪了解使用情况。", ["一送了之"]),            # 科普 names public work
    ("个别村党组织年年整顿、年年软弱，带头人没有选准。", ["年年整顿、年年软弱"]),
    ("景区入口设置了“只留脚印、不留垃圾”的提示牌。", []),                           # a slogan
    ("整改不能虚晃一枪，要拿出经得起检验的成果。", ["虚晃一枪"]),
])
def test_round_20_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("对省里下发的修志行文规范，个别县区仅层层转发，没有组织业务培训。", ["层层转发"]),
    ("部分单位的防护预案编制后即被束之高阁，从未组织演练。", ["束之高阁"]),
    ("少数承编单位的编纂进度催一阵动一阵，缺乏主动性。", ["催一阵动一阵"]),
    ("工地现场，工人们正在和稀泥抹灰，修补安置房外墙。", []),                          # a literal sense
    ("部分台区配变重载，存在“小马拉大车”现象。", []),                                 # a transformer, not a cadre
])
def test_round_21_shapes(matcher, text, expected):
    assert [f.text for f in matcher.find(text)] == expected
