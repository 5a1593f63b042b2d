"""ProblemTagger: the scikit-learn contract, multi-label tagging, persistence, the custom path."""

import json

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

import dangjian_nlp as dj
from dangjian_nlp.errors import InputError, ModelError

PROBLEMS = [
    ("有的党支部“三会一课”流于形式，学习照本宣科", ["4.3"]),
    ("主题党日活动形式单一，对党员缺乏吸引力", ["4.3"]),
    ("结对帮扶只送钱送物，存在重输血轻造血现象", ["3.3"]),
    ("城乡共建停留在给钱给物上，村里等靠要思想较重", ["3.3"]),
    ("考核仍以听汇报、看资料、查台账为主", ["2.2"]),
    ("年终考核一锤定音，平时跟踪问效不够", ["2.2"]),
    ("个别干部廉洁意识淡薄", ["problem"]),
]
NON_PROBLEMS = [
    "全年召开党委会12次，开展主题党日活动24次",
    "下一步要进一步加强“三会一课”制度落实",
    "要坚决防止重输血轻造血",
    "建立了党建工作责任清单",
    "党建是核心，发展是中心",
]


@pytest.fixture(scope="module")
def small_data():
    X = [t for t, _ in PROBLEMS] * 3 + NON_PROBLEMS * 3
    y = [labels for _, labels in PROBLEMS] * 3 + [[]] * (len(NON_PROBLEMS) * 3)
    return X, y


@pytest.fixture(scope="module")
def fitted(small_data):
    X, y = small_data
    return dj.ProblemTagger(self_training=False).fit(X, y)


@pytest.mark.parametrize("check", [check_no_attributes_set_in_init, check_get_params_invariance, check_set_params,
                                   check_parameters_default_constructible])
def test_sklearn_api_checks(check):
    # The full check_estimator suite skips estimators of string input; these checks apply.
    check("ProblemTagger", dj.ProblemTagger())
    check("SentenceFeaturizer", dj.SentenceFeaturizer())


def test_single_label_mode_works_with_model_selection(small_data):
    X, y = small_data
    yb = np.array([bool(t) for t in y])
    scores = cross_val_score(dj.ProblemTagger(self_training=False), X, yb, cv=3)
    assert scores.mean() > 0.6
    grid = GridSearchCV(dj.ProblemTagger(self_training=False), {"C": [1.0, 4.0]}, cv=2).fit(X, yb)
    assert grid.best_estimator_.predict(["考核只看台账"]).shape == (1,)
    assert set(clone(grid.best_estimator_).get_params()) == set(dj.ProblemTagger().get_params())


def test_multilabel_predictions(fitted):
    assert fitted.classes_ == ["problem", "2.2", "3.3", "4.3"]
    P = fitted.predict_proba(["帮扶只送钱物，重输血轻造血", "下一步要加强学习"])
    assert P.shape == (2, 4) and ((P >= 0) & (P <= 1)).all()
    pred = fitted.predict(["帮扶只送钱物，重输血轻造血", "下一步要加强学习"])
    assert pred[0, 0] == 1 and pred[1, 0] == 0
    assert pred[1].sum() == 0  # no leaf without a problem
    frame = fitted.tag(["帮扶只送钱物，重输血轻造血"])
    assert frame.loc[0, "is_problem"] and "3.3" in frame.loc[0, "labels"]


def test_self_training_uses_unlabelled_sentences(small_data):
    X, y = small_data
    extra = ["有的支部组织生活流于形式，照本宣科", "全年开展主题党日活动12次"] * 5
    tagger = dj.ProblemTagger(self_training=True, confidence=0.6).fit(X + extra, y + [None] * len(extra))
    assert tagger.n_pseudo_labelled_ > 0
    assert tagger.predict(["全年开展主题党日活动12次"])[0, 0] == 0


def test_bad_targets_and_inputs(small_data):
    X, y = small_data
    with pytest.raises(InputError, match="3 sentences but y has 2"):
        dj.ProblemTagger().fit(X[:3], y[:2])
    with pytest.raises(InputError, match="str received"):
        dj.ProblemTagger().fit("一个句子", [[]])
    with pytest.raises(ValueError, match="both problem and non-problem"):
        dj.ProblemTagger(self_training=False).fit(X[:3], y[:3])


def test_save_and_load_with_skops(fitted, tmp_path):
    path = dj.save_model(fitted, tmp_path / "m.skops", card={"note": "test"})
    loaded = dj.load_model(path)
    texts = ["帮扶只送钱物，重输血轻造血", "全年召开党委会12次"]
    np.testing.assert_allclose(loaded.predict_proba(texts), fitted.predict_proba(texts), atol=1e-5)
    single = dj.ProblemTagger(self_training=False).fit(["考核只看台账", "全年召开会议"] * 3, [True, False] * 3)
    back = dj.load_model(dj.save_model(single, tmp_path / "single.skops"))
    assert list(back.predict(["考核只看台账"])) == list(single.predict(["考核只看台账"]))
    assert json.loads((tmp_path / "m.card.json").read_text(encoding="utf-8")) == {"note": "test"}


def test_crafted_model_file_is_refused(tmp_path):
    import skops.io as sio

    path = tmp_path / "evil.skops"
    sio.dump({"f": __import__("os").system}, str(path))
    with pytest.raises(ModelError, match="untrusted"):
        dj.load_model(path)
    junk = tmp_path / "junk.skops"
    junk.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="not a skops model"):
        dj.load_model(junk)
    with pytest.raises(ModelError, match="not found"):
        dj.load_model(tmp_path / "missing.skops")


def test_numpy_tfidf_equals_scikit_learn():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from dangjian_nlp._vectorize import (CharIndex, WordIndex, char_tfidf_batch, word_grams, word_tfidf_batch,
                                         word_tfidf_flat)

    def dense(parts, n, width):
        indptr, indices, data = parts
        out = np.zeros((n, width))
        for i in range(n):
            out[i, indices[indptr[i]:indptr[i + 1]]] = data[indptr[i]:indptr[i + 1]]
        return out

    docs = ["有的党支部  三会一课流于形式", "帮扶只送钱物，重输血轻造血", "考核只看台账", "全年召开党委会12次", ""] * 3
    ref = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, lowercase=False).fit(docs)
    vocab = ref.vocabulary_
    ours = char_tfidf_batch(docs, 1, 3, CharIndex(sorted(vocab, key=vocab.get)), ref.idf_)
    np.testing.assert_allclose(dense(ours, len(docs), len(vocab)), ref.transform(docs).toarray(), atol=1e-12)
    words = [d.split() for d in ["党支部 三会一课 流于形式", "帮扶 只 送 钱物", "党支部 流于形式 流于形式"]]
    wref = TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True, lowercase=False)
    wref.fit([" ".join(w) for w in words])
    ours = word_tfidf_batch([word_grams(w, 1, 2) for w in words], wref.vocabulary_, wref.idf_)
    np.testing.assert_allclose(dense(ours, 3, len(wref.vocabulary_)),
                               wref.transform([" ".join(w) for w in words]).toarray(), atol=1e-12)
    # the inference path: all documents' tokens in one list, n-grams found on integer keys
    flat = [t for w in words for t in w + ["\x00"]][:-1]
    index = WordIndex(sorted(wref.vocabulary_, key=wref.vocabulary_.get))
    ours = word_tfidf_flat(flat, 3, 1, 2, index, wref.idf_)
    np.testing.assert_allclose(dense(ours, 3, len(wref.vocabulary_)),
                               wref.transform([" ".join(w) for w in words]).toarray(), atol=1e-12)


def test_exported_model_gives_the_estimators_probabilities(fitted, tmp_path):
    from dangjian_nlp.inference import TaggerModel

    texts = ["帮扶只送钱物，重输血轻造血", "全年召开党委会12次", "考核只看台账资料，年终一锤定音"]
    exported = TaggerModel.from_estimator(fitted)
    np.testing.assert_allclose(exported.predict_proba(texts), fitted.predict_proba(texts), atol=1e-5)
    path = dj.save_model(fitted, tmp_path / "m.skops")
    first = dj.load_model(path)  # skops, then writes the array cache
    second = dj.load_model(path)  # from the cache
    np.testing.assert_allclose(second.predict_proba(texts), first.predict_proba(texts))
    assert first.classes_ == second.classes_ == fitted.classes_


def test_tag_n_jobs_equals_one_job():
    import pandas as pd

    from dangjian_nlp.api import TAG_COLUMNS, TAG_DTYPES, tag_records

    sentences = ["考核仍以听汇报、看资料、查台账为主。", "全年召开党委会12次。", "", "重部署轻落实的问题仍然存在。"] * 30
    one = dj.tag(sentences)
    two = tag_records([{"text": s} for s in sentences], n_jobs=2, batch_size=16)  # 8 batches over 2 workers
    pd.testing.assert_frame_equal(pd.DataFrame(two, columns=TAG_COLUMNS).astype(TAG_DTYPES), one)
    assert one["is_problem"].tolist()[:4] == [True, False, None, True]


def test_model_from_other_cue_lexicons_is_refused_clearly(fitted, tmp_path):
    from dangjian_nlp.inference import TaggerModel

    state = TaggerModel.from_estimator(fitted).to_state()
    assert state["vectorizer"]["dense_layout"][0].startswith("cue:")
    state["vectorizer"]["dense_layout"] = state["vectorizer"]["dense_layout"][:-1]  # one column fewer
    stale = TaggerModel.from_state(state)
    with pytest.raises(ModelError, match="retrain"):
        stale.predict_proba(["考核只看台账。"])


def test_a_used_model_pickles_for_worker_processes():
    import pickle

    model = dj.load_model()
    before = model.predict_proba(["考核只看台账，重留痕轻实效。"])  # builds the look-up caches
    again = pickle.loads(pickle.dumps(model))  # what spawn-based workers and Dask receive
    np.testing.assert_allclose(again.predict_proba(["考核只看台账，重留痕轻实效。"]), before)


def test_character_ngrams_longer_than_three_are_refused_clearly():
    with pytest.raises(InputError, match="char_ngrams"):
        dj.SentenceFeaturizer(char_ngrams=(1, 4)).fit(["考核只看台账。", "全年召开党委会12次。"])


def test_concurrent_parallel_calls_keep_their_own_models():
    import copy
    import threading

    from dangjian_nlp.api import tag_records

    a = dj.load_model()
    b = copy.deepcopy(a)
    b.bias = b.bias + 50.0  # model b calls everything a problem
    recs = [{"text": "全年召开党委会12次。"}] * 24
    got = {}
    barrier = threading.Barrier(2)

    def run(name, model):
        barrier.wait()
        got[name] = [r["is_problem"] for r in tag_records(recs, model=model, n_jobs=2, batch_size=4)]

    threads = [threading.Thread(target=run, args=(n, m)) for n, m in (("a", a), ("b", b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got["a"] == [False] * 24 and got["b"] == [True] * 24


def test_parallel_tagging_leaves_the_programs_frozen_objects_alone():
    import gc

    from dangjian_nlp.api import tag_records

    gc.freeze()
    try:
        before = gc.get_freeze_count()
        for jobs in (1, 2):  # the serial path freezes the program's objects for its duration too
            tag_records([{"text": "考核只看台账。"}] * 12, n_jobs=jobs, batch_size=4)
            # still frozen (a few frozen objects may die meanwhile; unfreezing would give 0)
            assert before * 0.9 < gc.get_freeze_count() <= before
    finally:
        gc.unfreeze()
    for jobs in (1, 2):
        tag_records([{"text": "考核只看台账。"}] * 12, n_jobs=jobs, batch_size=4)
        assert gc.get_freeze_count() == 0
