import pandas as pd
import pytest

import dangjian_nlp as dj
from dangjian_nlp.errors import InputError

TEXTS = ["坚持全面从严治党，坚决反对形式主义、官僚主义。", "有的单位重留痕轻实效，搞“形式主义”。", ""]


def test_count_by_document_group_and_per_10k():
    lex = {"作风": ["形式主义", "官僚主义"], "治党": ["全面从严治党", "从严治党"]}
    frame = dj.count(TEXTS, lex)
    assert frame.to_dict("list") == {"作风": [2, 1, 0], "治党": [1, 0, 0]}  # leftmost-longest: no double count
    assert frame.attrs["lexicon"].startswith("dict@")
    both = dj.count(TEXTS, {"作风": ["形式主义"], "问题": ["形式主义"]})
    assert both.to_dict("list") == {"作风": [1, 1, 0], "问题": [1, 1, 0]}
    grouped = dj.count(TEXTS, lex, by=["2023", "2024", "2024"])
    assert grouped.loc["2024", "作风"] == 1 and list(grouped.index) == ["2023", "2024"]
    per = dj.count(TEXTS, lex, per=10_000)
    assert per.loc[0, "作风"] == pytest.approx(2 / len(TEXTS[0]) * 10_000)
    assert per.loc[2, "作风"] == 0


def test_count_with_bundled_lexicon_records_version():
    frame = dj.count(pd.Series(TEXTS, index=["a", "b", "c"]), "core")
    assert list(frame.index) == ["a", "b", "c"] and frame.attrs["lexicon"].startswith("core@")
    assert frame.loc["a"].sum() >= 2


def test_kwic_terms_and_formalism():
    k = dj.kwic(TEXTS, ["形式主义", "全面从严治党"], window=3)
    assert list(k.columns) == ["doc", "start", "end", "left", "match", "right"]
    for row in k.itertuples():
        assert TEXTS[row.doc][row.start:row.end] == row.match
    assert k["match"].tolist() == ["全面从严治党", "形式主义", "形式主义"]
    f = dj.kwic(TEXTS, "formalism", window=5)
    assert f["match"].tolist() == ["重留痕轻实效"] and f["pattern"].tolist() == ["zhong-X-qing-Y"]
    with pytest.raises(InputError):
        dj.kwic("一个字符串", "形式主义")


def test_series_accessor_after_importing_pandas_first():
    import subprocess
    import sys

    code = ("import pandas as pd, dangjian_nlp as dj; s = pd.Series(['坚持全面从严治党']); "
            "print(' / '.join(s.dj.cut()[0]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "坚持 / 全面从严治党"


def test_series_accessor():
    dj.count(["形式主义"], {"作风": ["形式主义"]})  # any dj call that returns pandas registers it
    s = pd.Series(TEXTS[:2], index=["x", "y"])
    assert s.dj.cut()["x"][:2] == ["坚持", "全面从严治党"]
    assert s.dj.flags()["y"][0].text == "重留痕轻实效"
    tagged = s.dj.tag()
    assert list(tagged.index) == ["x", "y"] and bool(tagged.loc["y", "is_problem"])
    assert s.dj.count({"作风": ["形式主义"]}).loc["x", "作风"] == 1
    assert len(s.dj.kwic("形式主义")) == 2


def test_trend_rates_and_intervals():
    texts = ["形式主义问题。" * 10, "反对形式主义，层层加码。" * 20, "经济发展。" * 30]
    t = dj.trend(texts, {"作风": ["形式主义", "层层加码"]}, by=[2012, 2014, 2016], per=1000)
    rows = t.set_index("group")
    assert rows.loc[2014, "count"] == 40 and rows.loc[2016, "count"] == 0
    assert rows.loc[2014, "rate"] == pytest.approx(40 / len(texts[1]) * 1000)
    for r in t.itertuples():
        assert r.low <= r.rate <= r.high
    assert rows.loc[2016, "low"] == 0 and rows.loc[2016, "high"] > 0


def test_keyness_finds_the_characteristic_terms():
    before = ["加快经济建设，发展生产力。"] * 20 + ["形式主义要反对。"]
    after = ["坚决整治形式主义、官僚主义，为基层减负。"] * 20 + ["发展生产力。"]
    k = dj.keyness(after, before, top=5)
    assert {"形式主义、官僚主义", "为基层减负"} <= set(k["term"]) and (k["log_ratio"] > 0).all()
    assert "生产力" not in set(k["term"])


def test_kwic_finds_what_count_counts_in_traditional_and_full_width_text():
    texts = ["部分黨員繳納黨費不及時，組織生活會流於形式。", "ＡＢ党费收缴"]
    hits = dj.kwic(texts, ["党费", "组织生活会"], window=2)
    assert hits["match"].tolist() == ["黨費", "組織生活會", "党费"]
    for doc, a, b, m in hits[["doc", "start", "end", "match"]].itertuples(index=False):
        assert texts[doc][a:b] == m
    counted = dj.count(texts, {"党建": ["党费", "组织生活会"]})["党建"].tolist()
    assert counted == hits.groupby("doc").size().reindex(range(2), fill_value=0).tolist()


def test_kwic_regex_and_term_lists_on_the_text_as_it_is():
    texts = ["部分黨員繳納黨費不及時。"]
    assert dj.kwic(texts, ["黨費", "繳納"], regex=True)["match"].tolist() == ["繳納", "黨費"]
    assert dj.kwic(texts, r"黨.", regex=True)["match"].tolist() == ["黨員", "黨費"]
