import numpy as np
import pytest

import dangjian_nlp as dj

CORPUS = ([f"第{i}次检查发现，有的单位存在形式主义、官僚主义问题，层层加码，过度留痕。" for i in range(60)]
          + [f"第{i}年推进乡村振兴，发展集体经济，提高农民收入。" for i in range(60)]
          + [f"第{i}轮整治文山会海，反对形式主义，为基层减负。" for i in range(60)])


@pytest.fixture(scope="module")
def emb():
    return dj.Embeddings.train(CORPUS, vector_size=32, min_count=3, epochs=20, seed=7)


def test_training_is_deterministic_and_shows_progress(emb, capsys):
    again = dj.Embeddings.train(CORPUS, vector_size=32, min_count=3, epochs=20, seed=7, progress=True)
    np.testing.assert_allclose(again.vectors["层层加码"], emb.vectors["层层加码"])
    err = capsys.readouterr().err
    assert "segmenting" in err and "training Word2Vec" in err and "20/20" in err


def test_expand_lexicon_and_save_load(emb, tmp_path):
    cand = emb.expand_lexicon(["层层加码", "不存在的词"], topn=5)
    assert list(cand.columns) == ["term", "score"] and len(cand) == 5
    assert "层层加码" not in set(cand["term"]) and cand.attrs["missing"] == ["不存在的词"]
    assert {"过度留痕", "形式主义、官僚主义"} & set(cand["term"])
    path = emb.save(tmp_path / "emb.kv")
    back = dj.Embeddings.load(path)
    np.testing.assert_allclose(back.vectors["过度留痕"], emb.vectors["过度留痕"])
    sims = back.similarity_to_taxonomy("层层加码，过度留痕")
    assert sims.index[0] in dj.load_taxonomy().leaves and len(sims) == 15


def test_segmented_corpus_is_cached(tmp_path, monkeypatch):
    from dangjian_nlp.embeddings import segmented_corpus

    monkeypatch.setenv("DANGJIAN_CACHE_DIR", str(tmp_path))
    first = segmented_corpus(CORPUS[:5])
    files = list((tmp_path / "segmented").glob("*.jsonl"))
    assert len(files) == 1 and segmented_corpus(CORPUS[:5]) == first
