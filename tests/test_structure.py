import dangjian_nlp as dj

REPORT = """关于2025年度抓基层党建工作的述职报告
一、主要工作及成效
（一）强化政治引领。全年召开党委会12次；开展主题党日活动24次。
二、存在的问题
1.理论学习不够深入。有的支部学习流于形式。
三、原因分析
主观上重视不够。
四、下一步打算
要进一步加强“三会一课”。"""


def kinds(text):
    return {s.text: s.section_kind for s in dj.parse(text)[1]}


def test_section_kinds_of_a_work_report():
    k = kinds(REPORT)
    assert k["全年召开党委会12次；"] == "achievements"
    assert k["有的支部学习流于形式。"] == "problems"
    assert k["主观上重视不够。"] == "causes"
    assert k["要进一步加强“三会一课”。"] == "plans"
    assert k["关于2025年度抓基层党建工作的述职报告"] is None


def test_headings_are_marked_and_nested_sections_inherit_kind():
    text = "二、存在的不足\n（一）思想认识方面\n有的同志认识不到位。\n三、整改措施\n（一）加强学习\n每月集中学习一次。"
    _, sents = dj.parse(text)
    by_text = {s.text: s for s in sents}
    assert by_text["二、存在的不足"].heading
    assert by_text["有的同志认识不到位。"].section_kind == "problems"
    assert by_text["每月集中学习一次。"].section_kind == "plans"
    assert not by_text["每月集中学习一次。"].heading


def test_sentence_splitting_keeps_closing_quotes_and_semicolons():
    sents = [s.text for s in dj.split_sentences("他说：“要抓实。”有的重形式；有的轻实效！最后")]
    assert sents == ["他说：“要抓实。”", "有的重形式；", "有的轻实效！", "最后"]
    no_semi = [s.text for s in dj.split_sentences("有的重形式；有的轻实效。", semicolons=False)]
    assert no_semi == ["有的重形式；有的轻实效。"]


def test_wrapped_pdf_line_does_not_end_a_sentence():
    text = "党的各级组织对加强基层党建工作有了新的认识，但抓基\n层党建的办法还不多。"
    sents = dj.split_sentences(text)
    assert len(sents) == 1 and sents[0].text == text


def test_seed_offsets(seed_text):
    _, sents = dj.parse(seed_text)
    assert len(sents) > 60
    for s in sents:
        assert seed_text[s.start:s.end] == s.text
    joined = [s for s in sents if "基\n层党建依然" in s.text]
    assert joined, "the seed's wrapped line must stay inside one sentence"
