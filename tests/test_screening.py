"""Screening: ranking of the bundled samples, copied passages, outputs, broken files, HTML safety."""

import json
import shutil
from pathlib import Path

import pytest

import dangjian_nlp as dj
from dangjian_nlp.cli import main
from dangjian_nlp.report import write_report

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpora" / "samples"
MANIFEST = {json.loads(x)["file"][:2]: json.loads(x)
            for x in (ROOT / "corpora" / "sample-sources" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()}


@pytest.fixture(scope="module")
def screened():
    return dj.screen(SAMPLES)


def quality(doc_id):
    return MANIFEST[doc_id[:2]]["quality"]


def test_every_sample_is_screened_once(screened):
    assert len(screened) == len(MANIFEST) == 14
    assert (screened["status"] == "ok").all()
    assert sorted(screened["rank"]) == list(range(1, 15))
    assert list(screened["score"]) == sorted(screened["score"], reverse=True)


def test_copied_pairs_are_found_with_their_passages(screened):
    rows = {r["id"]: r for r in screened.to_dict("records")}
    for rid, rec in ((k, MANIFEST[k[:2]]) for k in rows):
        if rec["quality"] == "copy":
            source = next(k for k in rows if k.startswith(rec["copy_of"][:2]))
            assert source in rows[rid]["copied_with"] and rid in rows[source]["copied_with"]
            passages = [e for e in rows[rid]["evidence"] if e["indicator"] == "duplication"]
            assert len(passages) >= 5
            for e in passages:
                assert rows[rid]["text"][e["start"]:e["end"]] == e["text"]
                assert rows[e["other"]]["text"][e["other_start"]:e["other_end"]] == e["other_text"]
                assert e["similarity"] >= 0.6
    involved = {m["file"][:2] for m in MANIFEST.values() if m["copy_of"]} | {
        m["copy_of"][:2] for m in MANIFEST.values() if m["copy_of"]}
    for rid, row in rows.items():
        if rid[:2] not in involved:
            assert row["copied_with"] == [], rid


def test_boilerplate_and_copies_rank_above_concrete_reports(screened):
    ranks = dict(zip(screened["id"], screened["rank"]))
    paired = {i for i, c in zip(screened["id"], screened["copied_with"]) if c}
    flagged = [ranks[i] for i in ranks if quality(i) in ("boilerplate", "copy")]
    concrete = [ranks[i] for i in ranks if quality(i) == "concrete" and i not in paired]
    # A concrete report that another unit copied sits in a copied pair: it ranks with its copy,
    # since a batch alone cannot tell who copied whom.
    assert max(flagged) < min(concrete)
    assert all(ranks[i] < min(concrete) for i in paired)


def test_report_without_problems_is_flagged(screened):
    row = next(r for r in screened.to_dict("records") if quality(r["id"]) == "no-problem")
    assert row["n_problems"] == 0 and row["absences_concern"] == 1.0
    thin = next(r for r in screened.to_dict("records") if quality(r["id"]) == "thin-problems")
    assert thin["absences_concern"] >= 0.8


def test_evidence_offsets_index_the_report_text(screened):
    for r in screened.to_dict("records"):
        for e in r["evidence"]:
            assert r["text"][e["start"]:e["end"]] == e["text"], (r["id"], e)
        for f in r["flags"]:
            assert r["text"][f["start"]:f["end"]] == f["text"]


def test_outputs_in_every_format(screened, tmp_path):
    from openpyxl import load_workbook

    for suffix in ("html", "xlsx", "csv", "jsonl"):
        write_report(screened, tmp_path / f"r.{suffix}")
    wb = load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == ["summary", "evidence"] and wb["summary"].max_row == 15
    assert wb["evidence"].max_row > 100
    lines = (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["id"] for x in lines] == list(screened["id"])
    assert (tmp_path / "r.csv").read_text(encoding="utf-8-sig").count("\n") == 15
    assert "重输血轻造血" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_folder_with_a_broken_file(tmp_path, capsys):
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    (folder / "99-broken.docx").write_bytes(b"PK\x03\x04 this is not a real docx")
    out = tmp_path / "report.jsonl"
    assert main(["screen", str(folder), "-o", str(out), "-q"]) == 1
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 15
    broken = [r for r in rows if r["status"] != "ok"]
    assert [r["id"] for r in broken] == ["99-broken"] and "docx" in broken[0]["error"]
    assert sum(r["status"] == "ok" for r in rows) == 14
    assert "99-broken" in capsys.readouterr().err


def test_jobs_give_the_same_result(tmp_path):
    one = dj.screen(SAMPLES)
    two = dj.screen(SAMPLES, jobs=2)
    cols = ["id", "rank", "score", "n_problems", "copied_with"]
    assert one[cols].to_dict("records") == two[cols].to_dict("records")


def test_texts_and_reference_folder(tmp_path):
    ref = tmp_path / "last_year"
    ref.mkdir()
    shutil.copy(SAMPLES / "03-guiyuan-community.txt", ref / "2024.txt")
    text = dj.read_text(SAMPLES / "03-guiyuan-community.txt")
    frame = dj.screen([text, "二、存在的问题\n理论学习不够深入。\n三、下一步打算\n进一步加强学习。"], reference=ref)
    first = frame.set_index("id").loc["text-1"]
    assert first["copied_with"] == ["reference:2024"] and first["duplication"] > 0.9


HOSTILE = ("二、存在的问题\n有的支部重留痕轻实效<script>window.__pwned = 1</script>，"
           "考核<img src=x onerror=\"window.__pwned = 2\">只看台账。\n")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu", "--disable-quic",
                                                          "--no-first-run", "--disable-background-networking",
                                                          "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def test_html_report_in_chromium_sorts_highlights_and_runs_no_report_text(browser, screened, tmp_path):
    hostile = dj.screen([HOSTILE])
    import pandas as pd

    frame = pd.concat([screened, hostile], ignore_index=True)
    path = write_report(frame, tmp_path / "report.html")
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    assert page.evaluate("window.__pwned") is None and not dialogs
    assert page.locator("mark.problem").count() > 20 and page.locator("mark.flag").count() > 5
    assert page.locator("mark.duplication").count() > 0
    assert "<script>window.__pwned" in page.inner_text("body")  # shown as text
    assert page.locator("section.report img").count() == 0
    ids = lambda: page.eval_on_selector_all("#summary tbody tr td:nth-child(3)", "els => els.map(e => e.innerText)")
    before = ids()
    page.click("#summary th:nth-child(3)")  # sort by id, ascending
    assert ids() == sorted(before)
    page.click("#summary th:nth-child(3)")
    assert ids() == sorted(before, reverse=True)
    page.click("#summary th:nth-child(2)")  # by score, ascending
    scores = page.eval_on_selector_all("#summary tbody tr td:nth-child(2)", "els => els.map(e => +e.dataset.v)")
    assert scores == sorted(scores)
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Noto Sans CJK SC" in font
    page.close()


def test_a_copy_stays_visible_beside_merely_similar_paragraphs():
    import random

    from dangjian_nlp.duplicates import find_copies

    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    for seed in range(5):
        rnd = random.Random(seed)

        def para(n):
            return "".join(rnd.choice(han) for _ in range(n))

        copied = para(300)
        similar = ["".join(rnd.choice(han) if i % 11 == 0 else c for i, c in enumerate(copied)) for _ in range(3)]
        docs = [("A", para(200) + "\n\n" + copied), ("B", copied + "\n\n" + para(200))]
        docs += [(f"C{k}", para(200) + "\n\n" + s) for k, s in enumerate(similar)]  # Jaccard ~0.35, not copies
        docs += [(f"D{k}", para(300)) for k in range(3)]
        pairs = {(c.a, c.b) for c in find_copies(docs)}
        assert ("A", "B") in pairs, seed
        assert not any("C0" in p and "A" in p for p in pairs)


def test_streamed_report_equals_the_in_memory_one(tmp_path):
    """`dangjian screen -o x.jsonl` keeps the analysed reports in a temporary file, not in memory;
    what it writes is what screen() + write_report() write, failures and copies included."""
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    (folder / "broken.docx").write_bytes(b"not a zip")
    ref = tmp_path / "ref"
    ref.mkdir()
    shutil.copy(SAMPLES / "03-guiyuan-community.txt", ref / "last-year.txt")
    write_report(dj.screen(folder, reference=ref), tmp_path / "memory.jsonl")
    assert main(["screen", str(folder), "--reference", str(ref), "-o", str(tmp_path / "stream.jsonl"), "-q"]) == 1
    memory = [json.loads(x) for x in (tmp_path / "memory.jsonl").read_text(encoding="utf-8").splitlines()]
    stream = [json.loads(x) for x in (tmp_path / "stream.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(stream) == 15 and stream[-1]["status"] == "error" and "broken" in stream[-1]["id"]
    assert any(e["other"].startswith("reference:") for r in stream for e in r["evidence"]
               if e["indicator"] == "duplication")
    assert [list(r) for r in stream] == [list(r) for r in memory]  # same columns, same order
    assert stream == memory
    csv_rows = (tmp_path / "stream.csv")
    assert main(["screen", str(folder), "-o", str(csv_rows), "-q"]) == 1
    lines = csv_rows.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("rank,score,id") and len(lines) == 16


def test_spilled_rows_come_back_as_they_were_put():
    from dangjian_nlp.screening import _Rows

    store = _Rows(spill=True)
    rows = [{"id": f"r{i}", "text": "文" * i, "evidence": [{"start": i}], "score": i / 3} for i in range(5)]
    handles = [store.add(dict(r)) for r in rows]
    store.put(handles[2], {**rows[2], "score": 99.0})
    assert [store.get(h)["id"] for h in handles] == ["r0", "r1", "r2", "r3", "r4"]
    assert store.get(handles[2])["score"] == 99.0 and store.get(handles[4]) == rows[4]
    store.close()


def test_screen_to_file_returns_the_ranking_and_refuses_formats_it_cannot_stream(tmp_path):
    summary = dj.screen_to_file(SAMPLES, tmp_path / "ranked.jsonl")
    assert [r["rank"] for r in summary] == list(range(1, 15))
    written = [json.loads(x) for x in (tmp_path / "ranked.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in written] == [r["id"] for r in summary]
    with pytest.raises(dj.InputError, match=r"\.jsonl or \.csv"):
        dj.screen_to_file(SAMPLES, tmp_path / "ranked.html")


def _scaled(x):
    import os
    import time

    from dangjian_nlp._parallel import worker_state

    time.sleep(0.005)
    return x * worker_state()["k"], os.getpid()


def test_parent_and_worker_share_the_work_in_order_each_call_with_its_own_state():
    """screen(jobs=2) runs one worker process and works in the parent too: results come in input
    order, both processes take part, and two calls at once (threads) keep their own state."""
    import os
    import threading

    from dangjian_nlp._parallel import ordered_map

    got = {}

    def run(k):
        got[k] = list(ordered_map(_scaled, range(40), jobs=2, state={"k": k}, in_flight=8, parent_works=True))

    threads = [threading.Thread(target=run, args=(k,)) for k in (2, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in (2, 3):
        assert [v for v, _pid in got[k]] == [x * k for x in range(40)]
        pids = {pid for _v, pid in got[k]}
        assert os.getpid() in pids and len(pids) == 2


def test_work_is_warmed_once_per_model_before_the_workers_fork():
    """The parent runs one small piece of the work before forking, so the workers inherit the
    model's lazily built tables instead of building them again; once per model and process."""
    import sys

    from dangjian_nlp._parallel import ordered_map

    if not sys.platform.startswith("linux"):
        pytest.skip("workers are forked only on Linux")

    class Model:
        pass

    calls = []
    first, second = Model(), Model()
    for model in (first, first, second):
        out = list(ordered_map(_scaled, range(6), jobs=2, state={"model": model, "k": 1},
                               warm=lambda m=model: calls.append(m)))
        assert [v for v, _pid in out] == list(range(6))
    assert calls == [first, second]


def test_parallel_tasks_keep_every_report_in_order_and_shrink_towards_the_end():
    from dangjian_nlp.readers import Record
    from dangjian_nlp.screening import _CHUNK_CHARS, _chunks

    recs = [Record(f"r{i}", "", "text", None, None, "字" * 3000) for i in range(200)]
    chunks = _chunks(recs, 2)
    assert [r for c in chunks for r in c] == recs          # nothing lost, nothing reordered
    sizes = [sum(len(r.text) for r in c) for c in chunks]
    assert max(sizes) <= _CHUNK_CHARS
    assert sizes[-1] < sizes[0]                           # guided: the last tasks are small
    long = Record("long", "", "text", None, None, "字" * 50_000)
    assert [long] in _chunks([recs[0], long, recs[1]], 2)  # a long report is a task of its own
