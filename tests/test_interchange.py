import pytest

import dangjian_nlp as dj
from dangjian_nlp.errors import LexiconError
from dangjian_nlp.interchange import read_lexicon, write_lexicon

LEX = dj.Lexicon.from_mapping({"作风": ["形式主义", "官僚主义", "“四风”"], "治党": ["全面从严治党", "形式主义"],
                            "制度": ["《中国共产党章程》", "不忘初心、牢记使命"]})


@pytest.mark.parametrize("fmt, suffix", [("quanteda", ".yml"), ("cntext", ".yaml"), ("liwc", ".dic"),
                                         ("tsv", ".tsv")])
def test_round_trip_keeps_every_entry(tmp_path, fmt, suffix):
    path = write_lexicon(LEX, tmp_path / f"lex{suffix}", format=fmt)
    back = read_lexicon(path, format=fmt)
    assert set(back.terms) == set(LEX.terms)
    for t in LEX.terms:
        assert set(back.categories[t].split("|")) == set(LEX.categories[t].split("|")), t
    assert read_lexicon(path).terms == back.terms  # the format is recognised from the file too


def test_jieba_round_trip_keeps_every_term(tmp_path):
    lex = dj.Lexicon.from_mapping({"n": ["全面从严治党", "三会一课"], "v": ["一岗双责"]})
    back = read_lexicon(write_lexicon(lex, tmp_path / "user.txt", format="jieba"), format="jieba")
    assert back.terms == lex.terms and back.categories == lex.categories


def test_bundled_core_lexicon_round_trips_through_liwc(tmp_path):
    core = dj.load_lexicon("core")
    back = read_lexicon(write_lexicon(core, tmp_path / "core.dic"))
    assert set(back.terms) == set(core.terms) and len(back) == len(core)


def test_broken_files_name_the_line(tmp_path):
    bad = tmp_path / "bad.dic"
    bad.write_text("%\n1\tposemo\n%\n好\t1\n坏\t7\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="line 5: category number '7'"):
        read_lexicon(bad)
    yml = tmp_path / "bad.yml"
    yml.write_text("作风: [形式主义\n治党: x", encoding="utf-8")
    with pytest.raises(LexiconError, match="invalid YAML"):
        read_lexicon(yml)
    (tmp_path / "code.yml").write_text("!!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(LexiconError):
        read_lexicon(tmp_path / "code.yml")


def test_counting_with_an_imported_dictionary(tmp_path):
    path = write_lexicon(LEX, tmp_path / "lex.yml", format="quanteda")
    frame = dj.count(["坚决反对形式主义、官僚主义"], read_lexicon(path))
    assert frame.loc[0].to_dict() == {"作风": 2, "治党": 1, "制度": 0}  # 形式主义 is in two categories
