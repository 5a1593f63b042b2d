import json

import pytest

import dangjian_nlp as dj
from dangjian_nlp.errors import ReadError

TEXT = "二、存在的问题\n有的党支部“三会一课”流于形式，重输血轻造血。"


def make_docx(path, with_table=True):
    import docx

    d = docx.Document()
    d.add_paragraph("一、主要工作")
    if with_table:
        t = d.add_table(rows=2, cols=2)
        t.cell(0, 0).text = "指标"
        t.cell(0, 1).text = "完成情况"
        t.cell(1, 0).text = "主题党日"
        t.cell(1, 1).text = "12次"
    d.add_paragraph("二、存在的问题")
    d.save(path)


def make_pdf(path, text):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    if text:
        c.setFont("STSong-Light", 12)
        c.drawString(50, 800, text)
    else:
        c.rect(50, 700, 200, 100, fill=1)  # a "scan": drawing, no text
    c.showPage()
    c.save()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le"])
def test_text_encodings(tmp_path, encoding):
    path = tmp_path / f"r-{encoding}.txt"
    path.write_bytes(TEXT.encode(encoding))
    assert dj.read_text(path) == TEXT


def test_docx_paragraphs_and_tables_in_document_order(tmp_path):
    path = tmp_path / "r.docx"
    make_docx(path)
    text = dj.read_text(path)
    assert text.splitlines() == ["一、主要工作", "指标\t完成情况", "主题党日\t12次", "二、存在的问题"]


def test_pdf_text_layer(tmp_path):
    path = tmp_path / "r.pdf"
    make_pdf(path, "二、存在的问题：重输血轻造血。")
    assert "重输血轻造血" in dj.read_text(path)


def test_scanned_pdf_has_a_clear_reason(tmp_path):
    path = tmp_path / "scan.pdf"
    make_pdf(path, "")
    with pytest.raises(ReadError, match="no text layer"):
        dj.read_text(path)


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("truncated.docx", None, "damaged or truncated"),
        ("fake.pdf", b"hello, not a pdf", "not a PDF"),
        ("binary.txt", bytes(range(256)) * 40, "binary"),
    ],
)
def test_bad_files_are_rejected_with_reasons(tmp_path, name, data, reason):
    path = tmp_path / name
    if data is None:
        good = tmp_path / "good.docx"
        make_docx(good)
        data = good.read_bytes()[:700]
    path.write_bytes(data)
    with pytest.raises(ReadError, match=reason) as info:
        dj.read_text(path)
    assert name in str(info.value)


def test_empty_file_reads_as_empty_text(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert dj.read_text(path) == ""


def test_read_corpus_keeps_every_file_with_its_status(tmp_path):
    (tmp_path / "a.txt").write_bytes(TEXT.encode("gb18030"))
    make_docx(tmp_path / "b.docx")
    (tmp_path / "c.pdf").write_bytes(b"not a pdf at all")
    (tmp_path / "d.txt").write_bytes(b"\x00\x01\x02" * 500)
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "e.md").write_text("# 标题\n正文。", encoding="utf-8")
    (tmp_path / "f.jsonl").write_text(
        json.dumps({"id": "x1", "text": "第一条。", "year": 2024}, ensure_ascii=False) + "\n{bad json\n"
        + json.dumps({"id": "x3", "body": "无 text"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "g.csv").write_text("id,text\nc1,第一行。\nc2,第二行。\n", encoding="utf-8")
    frame = dj.read_corpus(tmp_path)
    assert list(frame.columns[:8]) == ["id", "path", "format", "encoding", "title", "text", "status", "error"]
    status = dict(zip(frame["id"], frame["status"]))
    assert status["a"] == "ok" and status["b"] == "ok" and status["e"] == "ok"
    assert status["c"] == "error" and status["d"] == "error"
    assert status["x1"] == "ok" and status["c1"] == "ok" and status["c2"] == "ok"
    assert (frame["status"] == "error").sum() == 4  # c.pdf, d.txt, two bad jsonl lines
    assert frame.loc[frame["id"] == "a", "encoding"].item() == "gb18030"
    assert frame.loc[frame["id"] == "a", "text"].item() == TEXT
    assert frame.loc[frame["id"] == "e", "title"].item() == "标题"
    assert frame.loc[frame["id"] == "x1", "year"].item() == 2024
    errors = frame.loc[frame["status"] == "error", "error"].tolist()
    assert all(isinstance(e, str) and e for e in errors)


def test_missing_path_and_folder_errors(tmp_path):
    with pytest.raises(ReadError, match="no such file"):
        dj.read_text(tmp_path / "nope.txt")
    with pytest.raises(ReadError, match="folder"):
        dj.read_text(tmp_path)
    frame = dj.read_corpus([tmp_path / "nope.txt"])
    assert frame["status"].tolist() == ["error"]


def test_max_bytes_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("党建" * 1000, encoding="utf-8")
    with pytest.raises(ReadError, match="limit"):
        dj.read_text(path, max_bytes=100)
