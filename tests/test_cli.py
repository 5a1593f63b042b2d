import io
import json
import subprocess
import sys
from pathlib import Path

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
    sample = ROOT / "corpora" / "samples" / "sample-shuzhi-gb18030.txt"
    out = subprocess.run([sys.executable, "-m", "dangjian_nlp", "cut", str(sample)],
                         capture_output=True, text=True, encoding="utf-8", check=True)
    assert "结对共建" in out.stdout.split(" / ")
