import string

from hypothesis import given, settings
from hypothesis import strategies as st

import dangjian_nlp as dj
from dangjian_nlp._normalize import fold, to_simplified

# Mixed scripts, emoji, combining marks, CRLF, full-width forms, Traditional characters,
# quotes and the punctuation of official prose.
ALPHABET = st.sampled_from(
    list("基层党建重输血轻造血見述不見評一刀切，。、；：！？“”‘’《》（）「」『』\"'")
    + list("ＡＢＣ１２３　") + list(string.ascii_letters[:6] + string.digits[:4] + " \t")
    + ["\n", "\r\n", "\r", "😀", "👍🏽", "e\u0301", "\u200b", "\ufeff", "𠀀", "- 3 -", "第2页", "一、", "（一）", "1."]
)
TEXTS = st.lists(ALPHABET, max_size=60).map("".join)
SEGMENTER = dj.Segmenter()


def test_joins_broken_lines_inside_sentences():
    n = dj.normalize("这是一个较长的句子，用来说明加强基\n层党建工作的重要性。")
    assert "基层党建" in n.text
    i = n.text.index("基层党建")
    a, b = n.span(i, i + 4)
    assert n.original[a:b] == "基\n层党建"


def test_keeps_line_breaks_after_terminators_and_headings():
    n = dj.normalize("一、存在的问题\n有的支部学习流于形式。\n下一段开始了。")
    assert n.text.count("\n") == 2


def test_page_artefacts_and_width_and_quotes():
    n = dj.normalize("重\"输血\"轻「造血」ＡＢ１２\n- 3 -\n第 2 页 共 10 页\n下文。")
    assert n.text == "重“输血”轻“造血”AB12\n下文。"


def test_traditional_to_simplified_is_optional():
    assert dj.normalize("重輸血輕造血").text == "重輸血輕造血"
    assert dj.normalize("重輸血輕造血", simplified=True).text == "重输血轻造血"
    assert to_simplified("見述不見評") == "见述不见评"


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_offset_invariant_normalize(text):
    n = dj.normalize(text, simplified=True)
    assert len(n.index) == len(n.text) + 1
    for i in range(len(n.text)):
        a, b = n.span(i, i + 1)
        assert 0 <= a < b <= len(text)
    assert len(fold(text)) == len(text)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_offset_invariant_sentences_and_tokens(text):
    sections, sentences = dj.parse(text)
    for s in sentences:
        assert text[s.start:s.end] == s.text
        assert s.text.strip() == s.text and s.text
    for sec in sections:
        assert 0 <= sec.heading_start <= sec.heading_end <= sec.end <= len(text)
    tokens = SEGMENTER.tokenize(text)
    assert "".join(t.text for t in tokens) == text
    for t in tokens:
        assert text[t.start:t.end] == t.text
