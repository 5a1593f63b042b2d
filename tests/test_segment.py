import jieba
import pytest

import dangjian_nlp as dj
from dangjian_nlp.errors import InputError, LexiconError

PUNCTUATED = ["“两个确立”", "《中国共产党章程》", "不忘初心、牢记使命", "“四个意识”"]


def test_terms_with_punctuation_stay_one_token():
    seg = dj.Segmenter()
    text = "坚持“两个确立”，学习《中国共产党章程》，牢记不忘初心、牢记使命，增强“四个意识”。"
    words = seg.cut(text)
    for term in PUNCTUATED:
        assert term in words, (term, words)


def test_folded_variants_match_lexicon_terms():
    words = dj.Segmenter().tokenize("坚持「两个确立」和全面從嚴治黨")
    texts = [t.text for t in words if t.lexicon]
    assert "「两个确立」" in texts and "全面從嚴治黨" in texts


def test_domain_terms_beat_bare_jieba():
    assert jieba.lcut("推进全面从严治党", HMM=False) != ["推进", "全面从严治党"]
    assert dj.cut("推进全面从严治党") == ["推进", "全面从严治党"]
    assert dj.cut("落实一岗双责和三会一课") == ["落实", "一岗双责", "和", "三会一课"]


def test_never_touches_jiebas_global_tokenizer():
    before = jieba.lcut("推进全面从严治党，落实一岗双责")
    seg = dj.Segmenter(words=["全面从严治党", "一岗双责"], backend="jieba")
    assert "一岗双责" in seg.cut("落实一岗双责")
    assert jieba.lcut("推进全面从严治党，落实一岗双责") == before


@pytest.mark.parametrize("text", ["基层党组织书记要抓好三会一课", "2026年推进5G-A和AI+党建", "Hello 世界！\n\t换行"])
def test_backends_agree_without_hmm(text):
    a = dj.Segmenter(backend="rjieba").cut(text)
    b = dj.Segmenter(backend="jieba").cut(text)
    assert a == b


def test_tokens_cover_the_text_with_offsets():
    text = "有的党组织“三会一课”流于形式，😀 重輸血輕造血\r\n"
    tokens = dj.Segmenter().tokenize(text)
    assert "".join(t.text for t in tokens) == text
    assert all(text[t.start:t.end] == t.text for t in tokens)


def test_stopwords_can_be_dropped():
    words = dj.cut("我们要进一步加强基层党组织的建设", drop_stopwords=True)
    assert "的" not in words and "我们" not in words and "基层党组织" in words
    assert "的" in dj.stopwords()


def test_user_lexicon_file(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("红色物业 10 n\n党建联建\n", encoding="utf-8")
    seg = dj.Segmenter(("core", path))
    assert "红色物业" in seg.cut("推进红色物业和党建联建")
    assert "党建联建" in seg.cut("推进红色物业和党建联建")
    assert "mine@file:" in seg.lexicon_version


def test_bad_lexicon_file_names_every_line(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("term\tcategory\n\t空\n好词\tx\ty\tz\n", encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        dj.load_lexicon(path)
    assert "line 2" in str(info.value) and "line 3" in str(info.value)
    assert len(info.value.errors) == 2


def test_wrong_types_are_refused_with_a_clear_message():
    with pytest.raises(InputError, match="str"):
        dj.cut(123)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="Iterable of texts expected"):
        dj.Segmenter().cut_many("一个字符串")
    with pytest.raises(InputError, match="unknown segmentation backend"):
        dj.Segmenter(backend="nope").cut("文本")


def test_bundled_lexicon_has_provenance_for_every_entry():
    lex = dj.load_lexicon("core")
    assert len(lex) >= 2000
    assert all(lex.sources[t] for t in lex.terms)
    assert {"curated", "seed"} <= {lex.sources[t] for t in lex.terms}
    for term in ["三会一课", "两学一做", "一岗双责", "全面从严治党", "主题党日", "基层党组织", "党组织书记",
                 "第一书记", "不忘初心、牢记使命", "“两个确立”", "《中国共产党章程》"]:
        assert term in lex, term
