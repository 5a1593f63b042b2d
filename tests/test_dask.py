"""Dask: the same results on a real LocalCluster (two worker processes on loopback) as locally."""

import json
from pathlib import Path

import pandas as pd
import pytest

import dangjian_nlp as dj
from dangjian_nlp.cli import main

distributed = pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")
db = pytest.importorskip("dask.bag")

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"
SENTENCES = ["考核仍以听汇报、看资料、查台账为主，平时跟踪问效不够。", "全年召开党委会12次。", "",
             "有的村党组织帮扶只送钱物，重输血轻造血。", "No Chinese here.", "个别支部组织生活会流于形式。"] * 5


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cl, distributed.Client(cl) as client:
        yield cl, client


def test_tag_dask_dataframe_equals_pandas(cluster):
    frame = pd.DataFrame({"text": SENTENCES, "unit": [f"单位{i}" for i in range(len(SENTENCES))]})
    local = dj.tag(frame)
    lazy = dj.tag(dd.from_pandas(frame, npartitions=3))
    assert hasattr(lazy, "compute")  # nothing ran yet
    remote = lazy.compute()
    # Dask keeps strings in its own string dtype; values, order, index and numeric dtypes agree
    pd.testing.assert_frame_equal(remote, local, check_dtype=False)
    assert remote["problem_score"].dtype == "float64" and lazy["problem_score"].mean().compute() == pytest.approx(
        local["problem_score"].mean())
    assert local["is_problem"].tolist()[:3] == [True, False, None]


def test_tag_dask_keeps_the_index_and_a_used_model_travels(cluster):
    frame = pd.DataFrame({"text": SENTENCES[:6]}, index=[f"r{i}" for i in range(6)])
    model = dj.load_model()
    dj.tag(["考核只看台账。"], model=model)  # a used model holds look-up caches
    remote = dj.tag(dd.from_pandas(frame, npartitions=2), model=model).compute()
    local = dj.tag(frame, model=model)
    assert list(remote.index) == list(local.index) == list(frame.index)
    assert remote["is_problem"].tolist() == local["is_problem"].tolist()


def test_tag_dask_bag_gives_rows_in_order(cluster):
    rows = dj.tag(db.from_sequence(SENTENCES, npartitions=4)).compute()
    local = dj.tag(SENTENCES)
    assert [r["text"] for r in rows] == SENTENCES
    assert [r["is_problem"] for r in rows] == local["is_problem"].tolist()
    assert [r["flags"] for r in rows] == local["flags"].tolist()
    assert len({r["id"] for r in rows}) == len(SENTENCES)


def _comparable(frame):
    cols = ["id", "rank", "score", "status", "n_problems", "copied_with", "problem_codes"]
    return frame[cols].reset_index(drop=True)


def test_screen_on_the_cluster_equals_local(cluster):
    cl, _client = cluster
    local = dj.screen(SAMPLES)
    remote = dj.screen(SAMPLES, scheduler=cl.scheduler_address)
    pd.testing.assert_frame_equal(_comparable(remote), _comparable(local))
    assert remote["evidence"].tolist() == local["evidence"].tolist()
    bag = dj.screen(db.from_sequence(sorted(str(p) for p in SAMPLES.iterdir()), npartitions=3))
    pd.testing.assert_frame_equal(_comparable(bag), _comparable(local))


def test_cli_screen_scheduler(cluster, tmp_path, capsys):
    cl, _client = cluster
    out = tmp_path / "r.jsonl"
    assert main(["screen", str(SAMPLES), "-o", str(out), "--scheduler", cl.scheduler_address, "-q"]) == 0
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == dj.screen(SAMPLES)["id"].tolist()


def test_cli_screen_unreachable_scheduler_is_a_clear_error(tmp_path, capsys):
    code = main(["screen", str(SAMPLES), "--scheduler", "tcp://127.0.0.1:1", "-q"])
    assert code == 2
    err = capsys.readouterr().err
    assert "tcp://127.0.0.1:1" in err and "dask scheduler" in err


def test_count_dask_dataframe_equals_pandas(cluster):
    frame = pd.DataFrame({"text": ["反对形式主义、官僚主义，层层加码要纠治。", "全面从严治党。", "形式主义", ""] * 3,
                          "year": [2019, 2020, 2020, 2021] * 3})
    lex = {"作风": ["形式主义", "官僚主义", "层层加码"], "治党": ["全面从严治党"]}
    ddf = dd.from_pandas(frame, npartitions=3)
    docs = dj.count(ddf, lex).compute()
    pd.testing.assert_frame_equal(docs, dj.count(frame, lex), check_names=False)
    by_year = dj.count(ddf, lex, by="year", per=10_000).compute().sort_index()
    local = dj.count(frame, lex, by="year", per=10_000)
    pd.testing.assert_frame_equal(by_year, local, check_names=False)
    assert by_year.loc[2020, "作风"] > 0


def test_bag_ids_are_unique_and_screen_bag_numbers_texts_like_local(cluster):
    records = [{"text": t, "n": i} for i, t in enumerate(SENTENCES[:8])]
    rows = dj.tag(db.from_sequence(records, npartitions=3)).compute()
    assert [r["n"] for r in rows] == list(range(8)) and len({r["id"] for r in rows}) == 8
    texts = [dj.read_text(p) for p in sorted(SAMPLES.glob("*.txt"))][:5]
    local = dj.screen(texts)
    bag = dj.screen(db.from_sequence(texts, npartitions=2))
    assert sorted(bag["id"]) == sorted(local["id"]) == [f"text-{i}" for i in range(1, 6)]
    pd.testing.assert_frame_equal(_comparable(bag), _comparable(local))
