"""Hardening: fuzzed text, hostile files, concurrent use, safe loading."""

import concurrent.futures
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dangjian_nlp as dj
from dangjian_nlp.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "samples" / "03-guiyuan-community.txt"

# Arbitrary text, weighted towards the characters of the domain so paths past the readers run.
DOMAIN = st.sampled_from(list("重输血轻造血见述不见评一刀切存在问题不足，。、；：“”《》（）\n\r\t 　ＡＢ１２輸評")
                         + ["二、存在的问题\n", "（一）", "下一步", "要防止", "未发现", "😀", "e\u0301"])
FUZZ = st.one_of(st.text(max_size=200), st.lists(DOMAIN, max_size=80).map("".join))
FUZZ_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ_SETTINGS
@given(FUZZ)
def test_fuzz_analyze(text):
    doc = dj.analyze(text)
    for s in doc.sentences:
        assert text[s.start:s.end] == s.text
        for f in s.flags:
            assert text[f.start:f.end] == f.text
    for f in doc.flags:
        assert text[f.start:f.end] == f.text
    again = dj.analyze(text)
    assert [(s.start, s.end, s.is_problem, s.labels) for s in again.sentences] == [
        (s.start, s.end, s.is_problem, s.labels) for s in doc.sentences]


@FUZZ_SETTINGS
@given(st.lists(FUZZ, min_size=1, max_size=4))
def test_fuzz_tag(texts):
    frame = dj.tag(texts)
    assert len(frame) == len(texts) and list(frame["text"]) == texts
    for row in frame.to_dict("records"):
        assert row["error"] is not None or row["is_problem"] in (True, False)
        for f in row["flags"]:
            assert row["text"][f["start"]:f["end"]] == f["text"]
    assert dj.tag(texts).equals(frame)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FUZZ, min_size=1, max_size=3))
def test_fuzz_screen(texts):
    texts = ["\n" + t + "\n" for t in texts]  # never mistaken for a path
    frame = dj.screen(texts)
    assert len(frame) == len(texts)
    for row in frame.to_dict("records"):
        assert row["status"] in ("ok", "error")
        for e in row["evidence"] or []:
            assert row["text"][e["start"]:e["end"]] == e["text"]


# ---------------------------------------------------------------------------------------------
# hostile files: each ends in bounded time with a status row and a reason; the batch goes on


def _docx_bytes() -> bytes:
    import docx

    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("二、存在的问题：考核只看台账。")
    d.save(buf)
    return buf.getvalue()


def make_hostile(folder: Path) -> dict[str, str]:
    """Write the hostile files; return file name → the reason expected (a substring)."""
    expected = {}
    bomb = folder / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        with z.open("word/bomb.bin", "w", force_zip64=True) as f:  # 400 MB of zeros, a few hundred KB packed
            chunk = b"\0" * (1 << 20)
            for _ in range(400):
                f.write(chunk)
    expected["bomb.docx"] = "zip bomb"
    good = _docx_bytes()
    src = zipfile.ZipFile(io.BytesIO(good))
    with zipfile.ZipFile(folder / "missing-part.docx", "w") as z:
        for item in src.infolist():
            if item.filename != "word/document.xml":
                z.writestr(item, src.read(item.filename))
    expected["missing-part.docx"] = "word/document.xml"
    (folder / "not-a-pdf.pdf").write_bytes(b"<html>an error page saved as pdf</html>")
    expected["not-a-pdf.pdf"] = "not a PDF"
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(folder / "scan.pdf"))
    c.rect(40, 40, 300, 300, fill=1)
    c.showPage()
    c.save()
    expected["scan.pdf"] = "no text layer"
    (folder / "nul.txt").write_bytes(b"abc\x00\x00\x00def" * 200)
    expected["nul.txt"] = "binary"
    (folder / "invalid-utf8.txt").write_bytes(b"\xff\xfe\xfd\xfc" * 100 + bytes(range(128, 256)) * 20)
    expected["invalid-utf8.txt"] = ""  # read as some encoding or refused: either way a row with a status
    (folder / "mixed.txt").write_bytes("二、存在的问题\n".encode("utf-8") + "考核只看台账。\n".encode("gb18030"))
    expected["mixed.txt"] = ""
    (folder / "long-line.txt").write_text("党建" * 500_000, encoding="utf-8")  # 1 MB, no punctuation
    expected["long-line.txt"] = ""
    with open(folder / "huge.txt", "wb") as f:  # sparse: 201 MB on paper, nothing on disk
        f.truncate(201 * 1024 * 1024)
    expected["huge.txt"] = "limit"
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    expected["dangling.txt"] = "broken symbolic link"
    loop = folder / "loop"
    loop.mkdir()
    (loop / "again").symlink_to(folder, target_is_directory=True)
    return expected


def test_hostile_files_finish_with_reasons_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    expected = make_hostile(folder)
    (folder / "good.txt").write_bytes(SAMPLE.read_bytes())
    t = time.perf_counter()
    frame = dj.screen(folder)
    elapsed = time.perf_counter() - t
    assert elapsed < 120
    rows = {Path(p).name: r for p, r in zip(frame["path"], frame.to_dict("records"))}
    assert set(rows) == set(expected) | {"good.txt"}  # nothing missing, the loop not followed
    assert rows["good.txt"]["status"] == "ok" and rows["good.txt"]["rank"] == 1 or rows["good.txt"]["status"] == "ok"
    for name, reason in expected.items():
        row = rows[name]
        assert row["status"] in ("ok", "error"), name
        if reason:
            assert row["status"] == "error" and reason in row["error"], (name, row["error"])
    assert rows["long-line.txt"]["status"] == "ok"
    report = {name: (r["status"], r["error"]) for name, r in rows.items()}
    print(json.dumps(report, ensure_ascii=False, indent=1))  # shown with -s: how each file ended


def test_cli_max_bytes_limit(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SAMPLE.read_bytes())
    (folder / "b.txt").write_text("党建" * 5000, encoding="utf-8")
    out = tmp_path / "r.jsonl"
    assert main(["screen", str(folder), "--max-bytes", "20000", "-o", str(out), "-q"]) == 1
    rows = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert rows["a"]["status"] == "ok" and "limit" in rows["b"]["error"]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read files without permission")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("党建", encoding="utf-8")
    path.chmod(0)
    frame = dj.read_corpus(tmp_path)
    assert frame["status"].tolist() == ["error"] and "permission" in frame["error"][0]


def test_unreadable_special_file(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    frame = dj.read_corpus(tmp_path)
    assert frame["status"].tolist() == ["error"] and "not a regular file" in frame["error"][0]


# ---------------------------------------------------------------------------------------------
# concurrency


def test_threads_share_one_tagger():
    model = dj.load_model()
    sentences = [s for s in dj.read_text(SAMPLE).splitlines() if s.strip()]
    alone = dj.tag(sentences, model=model)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: dj.tag(sentences, model=model), range(8)))
    for r in results:
        assert r.equals(alone)


def test_two_processes_fill_the_cache_at_once(tmp_path):
    cache = tmp_path / "cache"
    code = ("import dangjian_nlp as dj; m = dj.load_model(); "
            "print(round(float(m.predict_proba(['考核只看台账资料'])[0, 0]), 6))")
    env = dict(os.environ, DANGJIAN_CACHE_DIR=str(cache))
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=300)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs) and outs[0] == outs[1]
    files = list((cache / "models").glob("*.npz"))
    assert len(files) == 1 and not list((cache / "models").glob("*.tmp"))
    third = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert third.stdout.strip() == outs[0]


def test_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("DANGJIAN_CACHE_DIR", str(tmp_path))
    first = dj.load_model()
    (cache,) = (tmp_path / "models").glob("*.npz")
    cache.write_bytes(b"garbage")
    again = dj.load_model()
    assert again.classes_ == first.classes_
