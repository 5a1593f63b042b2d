import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dangjian_nlp.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_cut_file_one_line_per_input_line(tmp_path, capsys):
    path = tmp_path / "in.txt"
    path.write_bytes("推进全面从严治党\n\n落实一岗双责\n".encode("gb18030"))
    assert main(["cut", str(path)]) == 0
    assert capsys.readouterr().out == "推进 / 全面从严治党\n\n落实 / 一岗双责\n"


def test_cut_json_from_stdin(monkeypatch, capsys):
    stdin = io.TextIOWrapper(io.BytesIO("坚持“两个确立”\n".encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["cut", "--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out) == ["坚持", "“两个确立”"]


def test_cut_bad_file_exits_1_and_names_it(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("三会一课", encoding="utf-8")
    assert main(["cut", str(tmp_path / "missing.txt"), str(good)]) == 1
    captured = capsys.readouterr()
    assert "missing.txt" in captured.err and "三会一课" in captured.out


def test_usage_error_exits_2(capsys):
    assert main(["cut", "--no-such-flag"]) == 2
    assert main([]) == 2


def test_python_dash_m_and_sample():
    sample = ROOT / "corpora" / "samples" / "04-hewan-town-shuzhi.txt"  # GB18030
    out = subprocess.run([sys.executable, "-m", "dangjian_nlp", "cut", str(sample)],
                         capture_output=True, text=True, encoding="utf-8", check=True)
    assert "基层党建" in out.stdout.replace("\n", " / ").split(" / ")


def _write_custom(tmp_path):
    taxonomy = tmp_path / "mine.jsonl"
    taxonomy.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"type": "taxonomy", "name": "school", "version": "0.1"},
        {"type": "node", "code": "A", "parent": None, "name": "教学"},
        {"type": "node", "code": "A1", "parent": "A", "name": "备课不足", "cues": ["备课"]},
        {"type": "node", "code": "A2", "parent": "A", "name": "作业过多", "cues": ["作业"]},
    ]) + "\n", encoding="utf-8")
    rows = [("有的老师备课不充分，照本宣科", "A1"), ("教案多年不更新，备课走过场", "A1"),
            ("课前准备敷衍，备课质量不高", "A1"), ("学生作业负担过重，天天写到深夜", "A2"),
            ("作业布置偏多，机械重复", "A2"), ("课后作业量大，家长反映强烈", "A2"),
            ("本学期共开展教研活动8次", ""), ("下学期将组织集体备课", ""), ("学校召开家长会两次", "")]
    data = tmp_path / "labels.csv"
    data.write_text("text,labels\n" + "".join(f"{t},{c}\n" for t, c in rows * 3), encoding="utf-8")
    return taxonomy, data


def test_custom_taxonomy_train_then_tag(tmp_path, capsys):
    taxonomy, data = _write_custom(tmp_path)
    model = tmp_path / "school.skops"
    assert main(["train", str(data), "--taxonomy", str(taxonomy), "-o", str(model), "-q"]) == 0
    assert model.is_file() and json.loads(model.with_suffix(".card.json").read_text(encoding="utf-8"))["classes"] == [
        "problem", "A1", "A2"]
    inp = tmp_path / "in.txt"
    inp.write_text("老师备课敷衍，照本宣科\n作业太多，学生负担重\n学校召开家长会\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["tag", str(inp), "--model", str(model)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in records] == [1, 2, 3]
    assert records[0]["labels"] == ["A1"] and records[1]["labels"] == ["A2"]
    assert records[2]["is_problem"] is False and records[2]["labels"] == []


def test_train_refuses_labels_outside_the_taxonomy(tmp_path, capsys):
    taxonomy, data = _write_custom(tmp_path)
    data.write_text(data.read_text(encoding="utf-8") + "另一条,B9\n", encoding="utf-8")
    assert main(["train", str(data), "--taxonomy", str(taxonomy), "-o", str(tmp_path / "m.skops")]) == 2
    assert "'B9'" in capsys.readouterr().err


def test_tag_bad_records_keep_their_place(tmp_path, capsys):
    lines = [
        json.dumps({"id": "a", "text": "有的村党组织帮扶只送钱物，重输血轻造血。", "unit": "甲"}, ensure_ascii=False),
        json.dumps({"id": "b", "text": ""}, ensure_ascii=False),
        json.dumps({"id": "c", "text": "This line has no Chinese at all."}),
        json.dumps({"id": "d", "text": "党" * 50000}, ensure_ascii=False),
        json.dumps({"id": "e", "body": "没有 text 字段"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "g", "text": "全年召开党委会12次。"}, ensure_ascii=False),
    ]
    inp = tmp_path / "in.jsonl"
    inp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["tag", str(inp), "-o", str(out), "-q"]) == 1
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a", "b", "c", "d", "e", 6, "g"]
    ok = {r["id"]: r for r in records if "error" not in r}
    assert set(ok) == {"a", "g"}
    assert ok["a"]["is_problem"] is True and ok["a"]["unit"] == "甲"
    assert ok["a"]["flags"][0]["text"] == "重输血轻造血" and ok["a"]["flags"][0]["family"] == "重X轻Y"
    assert ok["g"]["is_problem"] is False
    errors = {r["id"]: r["error"] for r in records if "error" in r}
    assert "empty" in errors["b"] and "Chinese" in errors["c"] and "50,000" in errors["d"]
    assert "no 'text'" in errors["e"] and "invalid JSON" in errors[6]
    for r in records:
        for f in r.get("flags", []):
            assert r["text"][f["start"]:f["end"]] == f["text"]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_tag_streams_files_in_any_encoding(tmp_path, capsys, encoding):
    lines = ["考核仍以听汇报、看资料、查台账为主，平时跟踪问效不够。", "全年召开党委会12次。"] * 1500  # > 64 KB
    path = tmp_path / "in.txt"
    path.write_bytes("\r\n".join(lines).encode(encoding))
    assert main(["tag", str(path), "-o", str(tmp_path / "out.jsonl"), "-q"]) == 0
    out = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in out] == lines
    assert out[0]["is_problem"] is True and out[1]["is_problem"] is False


def test_tag_jobs_give_the_same_records_in_order(tmp_path):
    good = ["考核仍以听汇报、看资料、查台账为主，平时跟踪问效不够。", "全年召开党委会12次。",
            "有的村党组织帮扶只送钱物，重输血轻造血。", "个别党员参加组织生活不积极。"]
    lines = []
    for i in range(90):
        if i % 17 == 5:
            lines.append("{broken json" if i % 2 else json.dumps({"id": f"x{i}", "body": "无 text"}))
        else:
            lines.append(json.dumps({"id": f"s{i}", "text": good[i % 4], "n": i}, ensure_ascii=False))
    inp = tmp_path / "in.jsonl"
    inp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outs = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}.jsonl"
        # small batches, so two workers really share the input
        assert main(["tag", str(inp), "-o", str(out), "--jobs", str(jobs), "--batch-size", "7", "-q"]) == 1
        outs[jobs] = out.read_text(encoding="utf-8")
    assert outs[1] == outs[2]
    records = [json.loads(x) for x in outs[2].splitlines()]
    assert len(records) == 90
    assert [r.get("n") for r in records if "n" in r] == [i for i in range(90) if i % 17 != 5]
    assert sum("error" in r for r in records) == sum(1 for i in range(90) if i % 17 == 5)


def test_tag_reads_each_line_in_its_own_encoding_after_an_ascii_head(tmp_path):
    # 64 KB of ASCII-only records decide nothing; GB18030 and UTF-8 records follow (files joined)
    ascii_part = [json.dumps({"text": f"record {i} 考核只看台账。"}) for i in range(1200)]  # \u escapes: ASCII
    gb = json.dumps({"id": "gb", "text": "考核仍以听汇报、看资料、查台账为主。"}, ensure_ascii=False).encode("gb18030")
    u8 = json.dumps({"id": "u8", "text": "有的村党组织帮扶只送钱物，重输血轻造血。"}, ensure_ascii=False).encode("utf-8")
    path = tmp_path / "joined.jsonl"
    path.write_bytes("\n".join(ascii_part).encode("ascii") + b"\n" + gb + b"\n" + u8 + b"\n" + b"\xff\xfe\xff{}\n")
    assert main(["tag", str(path), "-o", str(tmp_path / "out.jsonl"), "-q"]) == 1
    out = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(out) == 1203
    assert out[1200]["text"] == "考核仍以听汇报、看资料、查台账为主。" and "error" not in out[1200]
    assert out[1201]["text"] == "有的村党组织帮扶只送钱物，重输血轻造血。"
    assert "line 1203" in out[1202]["error"] and "convert the file to UTF-8" in out[1202]["error"]


def test_tag_csv_error_names_the_line(tmp_path, capsys):
    path = tmp_path / "huge.csv"
    path.write_text("text\n考核只看台账。\n\"" + "党" * 200_000 + "\"\n", encoding="utf-8")
    assert main(["tag", str(path), "-o", str(tmp_path / "out.jsonl"), "-q"]) == 2
    err = capsys.readouterr().err
    assert "huge.csv" in err and "line 3" in err and "JSONL" in err


def test_kwic_over_a_folder_prints_one_hit_per_line_with_offsets(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("一、存在问题\n有的支部搞形式主义，层层加码。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes("部分黨員搞形式主義。".encode("gb18030"))
    assert main(["kwic", "形式主义|层层加码", str(tmp_path), "--window", "4", "-q"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [ln.split("\t")[0] for ln in lines] == ["a", "a", "b"]
    assert "【形式主义】" in lines[0] and "【层层加码】" in lines[1] and "【形式主義】" in lines[2]
    text = (tmp_path / "a.txt").read_text(encoding="utf-8")
    assert text[int(lines[0].split("\t")[1]):].startswith("形式主义")
    out = tmp_path / "hits.jsonl"
    assert main(["kwic", "--formalism", str(tmp_path), "-o", str(out), "-q"]) == 0
    hits = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert {h["match"] for h in hits} >= {"层层加码"}


def test_lexicon_list_and_convert_round_trip(tmp_path, capsys):
    assert main(["lexicon", "list"]) == 0
    assert any(line.startswith("core\t") for line in capsys.readouterr().out.splitlines())
    target = tmp_path / "core.dic"
    assert main(["lexicon", "convert", "core", str(target), "-q"]) == 0
    import dangjian_nlp as dj

    back = dj.read_lexicon(target)
    assert set(back.terms) == set(dj.load_lexicon("core").terms)
    assert main(["lexicon", "convert", "core"]) == 2
    assert "TARGET" in capsys.readouterr().err
