"""Screening outputs: a self-contained HTML report, XLSX, CSV and JSONL.

Every piece of report text in the HTML is escaped (``html.escape``); the page carries its
own CSS and a small script that sorts the summary table, and loads nothing from outside.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .indicators import INDICATORS

__all__ = ["write_report"]

LABELS = {
    "slogans": "套话密度", "activity_outcome": "重活动轻成效", "vague_commitments": "空泛承诺",
    "rectification": "整改不具体", "generic_problems": "问题笼统", "absences": "见述不见评", "duplication": "雷同",
    "flag": "形式主义表述", "problem": "问题陈述",
    "rank": "排名", "score": "得分", "id": "编号", "title": "标题", "unit": "单位", "status": "状态", "error": "原因",
    "n_problems": "问题句数", "problem_codes": "问题分类", "n_flags": "表述数", "copied_with": "雷同对象",
    "path": "文件",
}
SUMMARY_COLUMNS = ["rank", "score", "id", "title", "unit", "status", "error", "n_problems", "problem_codes", "n_flags",
                   *INDICATORS, "copied_with", "path"]

_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB","Microsoft YaHei",
"WenQuanYi Micro Hei","Heiti SC",sans-serif;margin:2em;color:#222;line-height:1.6}
table{border-collapse:collapse;font-size:14px}th,td{border:1px solid #ccc;padding:4px 8px;vertical-align:top}
th{background:#f3f3f3;cursor:pointer;user-select:none}th.sorted-asc::after{content:" ▲"}th.sorted-desc::after{content:" ▼"}
.score{font-weight:bold}.error{color:#a00}.report{border-top:3px solid #444;margin-top:2.5em;padding-top:.5em}
.text{white-space:pre-wrap;background:#fafafa;border:1px solid #eee;padding:1em;font-size:15px}
mark{padding:0 1px;border-radius:2px}mark.problem{background:#ffe08a}mark.flag{background:#ffb3b3}
mark.slogans{background:#d6e4ff}mark.duplication{background:#e5d4ff}mark.vague_commitments{background:#d9f2d9}
mark.generic_problems{background:#ffd8a8}mark.activity_outcome{background:#e0e0e0}
.parts td{font-size:13px}.legend mark{margin-right:.8em}
"""

_JS = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th").forEach(function (th, col) {
    th.addEventListener("click", function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var asc = !th.classList.contains("sorted-asc");
      table.querySelectorAll("th").forEach(function (h) { h.classList.remove("sorted-asc", "sorted-desc"); });
      th.classList.add(asc ? "sorted-asc" : "sorted-desc");
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute("data-v"), y = b.cells[col].getAttribute("data-v");
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : String(x).localeCompare(String(y), "zh");
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _plain(value: Any) -> Any:
    """JSON-friendly values (NumPy scalars, NaN → None)."""
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _highlights(row: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    """Non-overlapping (start, end, class, reason) spans to mark in the report text."""
    spans = []
    for p in row.get("problems") or []:
        codes = "、".join(p.get("labels") or []) or "未归类"
        spans.append((p["start"], p["end"], "problem", f"问题陈述（{codes}，得分 {p.get('score', 0):.2f}）"))
    for f in row.get("flags") or []:
        spans.append((f["start"], f["end"], "flag",
                      f"形式主义表述：{f.get('family')}（{f.get('stance')}{'，' + f['code'] if f.get('code') else ''}）"))
    for ev in row.get("evidence") or []:
        if ev["indicator"] in ("slogans", "duplication", "vague_commitments", "generic_problems", "activity_outcome"):
            spans.append((ev["start"], ev["end"], ev["indicator"], ev.get("reason", "")))
    # inner, more specific marks win: flags, then slogans, then sentence-level marks
    order = {"flag": 0, "slogans": 1, "activity_outcome": 2, "vague_commitments": 3, "generic_problems": 4,
             "problem": 5, "duplication": 6}
    spans.sort(key=lambda s: (order.get(s[2], 9), s[0]))
    taken: list[tuple[int, int, str, str]] = []
    for s in spans:
        if all(s[1] <= t[0] or s[0] >= t[1] for t in taken):
            taken.append(s)
    return sorted(taken)


def _marked_text(text: str, row: dict[str, Any]) -> str:
    out, pos = [], 0
    for a, b, cls, reason in _highlights(row):
        if a < pos or b > len(text):
            continue
        out.append(_e(text[pos:a]))
        out.append(f'<mark class="{_e(cls)}" title="{_e(reason)}">{_e(text[a:b])}</mark>')
        pos = b
    out.append(_e(text[pos:]))
    return "".join(out)


def _cell(value: Any) -> str:
    value = _plain(value)
    if isinstance(value, dict):
        shown = "，".join(f"{k}×{v}" for k, v in value.items())
        return f'<td data-v="{_e(shown)}">{_e(shown)}</td>'
    if isinstance(value, list):
        shown = "，".join(map(str, value))
        return f'<td data-v="{_e(shown)}">{_e(shown)}</td>'
    if isinstance(value, float):
        return f'<td data-v="{value}">{value:.3g}</td>'
    return f'<td data-v="{_e(value)}">{_e(value)}</td>'


def to_html(rows: list[dict[str, Any]], *, title: str = "工作报告筛查报告") -> str:
    """The self-contained HTML report."""
    head = "".join(f"<th>{_e(LABELS.get(c, c))}</th>" for c in SUMMARY_COLUMNS)
    body = []
    for r in rows:
        cells = "".join(_cell(r.get(f"{c}_concern", r.get(c)) if c in INDICATORS else r.get(c)) if c != "id" else
                        f'<td data-v="{_e(r.get("id"))}"><a href="#r-{_e(r.get("id"))}">{_e(r.get("id"))}</a></td>'
                        for c in SUMMARY_COLUMNS)
        body.append(f'<tr class="{"error" if r.get("status") != "ok" else ""}">{cells}</tr>')
    sections = []
    for r in rows:
        rid = _e(r.get("id"))
        if r.get("status") != "ok":
            sections.append(f'<section class="report" id="r-{rid}"><h2>{rid}</h2>'
                            f'<p class="error">未能筛查：{_e(r.get("error"))}</p><p>{_e(r.get("path"))}</p></section>')
            continue
        parts = r.get("score_parts") or {}
        readings = r.get("readings") or {}
        part_rows = "".join(f"<tr><td>{_e(LABELS.get(k, k))}</td><td>{_e(parts.get(k))}</td>"
                            f"<td>{_e(readings.get(k))}</td></tr>" for k in INDICATORS)
        copies = []
        for ev in r.get("evidence") or []:
            if ev["indicator"] == "duplication":
                copies.append(f"<tr><td>{_e(ev['text'])}</td><td>{_e(ev.get('other'))}：{_e(ev.get('other_text'))}"
                              f"</td><td>{_e(ev.get('similarity'))}</td></tr>")
        copy_table = ("<h3>雷同段落</h3><table><tr><th>本报告</th><th>相似的段落</th><th>相似度</th></tr>"
                      + "".join(copies) + "</table>") if copies else ""
        sections.append(
            f'<section class="report" id="r-{rid}"><h2>{_e(r.get("rank"))}. {_e(r.get("title") or rid)}</h2>'
            f'<p>单位：{_e(r.get("unit"))}　文件：{_e(r.get("path"))}　得分：<span class="score">{_e(r.get("score"))}</span>'
            f'　问题陈述 {_e(r.get("n_problems"))} 句　形式主义表述 {_e(r.get("n_flags"))} 处</p>'
            f'<table class="parts"><tr><th>指标</th><th>得分贡献</th><th>说明</th></tr>{part_rows}</table>'
            f'{copy_table}<h3>原文与证据</h3><div class="text">{_marked_text(r.get("text") or "", r)}</div></section>')
    legend = "".join(f'<mark class="{k}">{_e(v)}</mark>' for k, v in LABELS.items()
                     if k in ("problem", "flag", "slogans", "vague_commitments", "generic_problems", "duplication",
                              "activity_outcome"))
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{_e(title)}</title>'
            f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
            f'script-src \'unsafe-inline\'"><style>{_CSS}</style></head><body>'
            f'<h1>{_e(title)}</h1><p>共 {len(rows)} 份；得分越高越需要细看。鼠标悬停在高亮处可见原因。点击表头排序。</p>'
            f'<p class="legend">{legend}</p>'
            f'<table class="sortable" id="summary"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
            f'{"".join(sections)}<script>{_JS}</script></body></html>')


def _records(frame: Any) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in r.items()} for r in frame.to_dict("records")]


STREAMED_FORMATS = (".jsonl", ".csv")  # the formats write_rows() writes a row at a time


def write_report(frame: Any, path: str | os.PathLike[str]) -> Path:
    """Write the screening result to ``path``; the suffix picks the format (.html .xlsx .csv .jsonl)."""
    from .errors import InputError

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in STREAMED_FORMATS:
        return write_rows(frame.to_dict("records"), path)
    rows = _records(frame)
    if suffix in (".html", ".htm"):
        path.write_text(to_html(rows), encoding="utf-8")
    elif suffix == ".xlsx":
        _write_xlsx(rows, path)
    else:
        raise InputError(f"{path}: unknown report format {suffix!r}; use .html, .xlsx, .csv or .jsonl")
    return path


def write_rows(rows: Iterable[dict[str, Any]], path: str | os.PathLike[str]) -> Path:
    """Write screening rows to a .jsonl or .csv file one at a time (as they come: a stream of
    rows never sits in memory whole)."""
    from .errors import InputError

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in STREAMED_FORMATS:
        raise InputError(f"{path}: rows are written one at a time only to .jsonl or .csv; use one of those, "
                         "or screen() and write_report() for .html/.xlsx")
    if suffix == ".jsonl":
        from .screening import SCREEN_COLUMNS

        with path.open("w", encoding="utf-8") as f:
            for r in rows:  # the columns of screen()'s frame, in its order
                out = {c: _plain(r.get(c)) for c in SCREEN_COLUMNS}
                out.update((k, _plain(v)) for k, v in r.items() if k not in out and not k.startswith("_"))
                f.write(json.dumps(out, ensure_ascii=False, default=str) + "\n")
        return path
    import csv

    with path.open("w", encoding="utf-8-sig", newline="") as f:  # BOM: Excel opens Chinese CSV correctly
        w = csv.writer(f)
        cols = SUMMARY_COLUMNS + [f"{k}_concern" for k in INDICATORS]
        w.writerow(cols)
        for r in rows:
            r = {k: _plain(v) for k, v in r.items()}
            w.writerow([json.dumps(r.get(c), ensure_ascii=False) if isinstance(r.get(c), (list, dict))
                        else r.get(c) for c in cols])
    return path


def _write_xlsx(rows: list[dict[str, Any]], path: Path) -> None:
    from openpyxl import Workbook

    def val(v: Any) -> Any:
        if isinstance(v, (list, dict)):
            return json.dumps(v, ensure_ascii=False)
        if isinstance(v, str) and v[:1] in "=+-@":
            return "'" + v  # never let report text become a spreadsheet formula
        return v

    wb = Workbook()
    ws = wb.active
    ws.title = "summary"
    cols = SUMMARY_COLUMNS + [f"{k}_concern" for k in INDICATORS]
    ws.append(cols)
    for r in rows:
        ws.append([val(r.get(c)) for c in cols])
    ev = wb.create_sheet("evidence")
    ev.append(["rank", "id", "kind", "start", "end", "text", "reason", "other", "other_text"])
    for r in rows:
        for p in r.get("problems") or []:
            ev.append([r.get("rank"), r["id"], "problem", p["start"], p["end"], val(p["text"]),
                       "、".join(p.get("labels") or []), None, None])
        for f in r.get("flags") or []:
            ev.append([r.get("rank"), r["id"], "flag", f["start"], f["end"], val(f["text"]),
                       f"{f.get('family')} {f.get('stance')} {f.get('code') or ''}".strip(), None, None])
        for e in r.get("evidence") or []:
            ev.append([r.get("rank"), r["id"], e["indicator"], e["start"], e["end"], val(e.get("text")),
                       val(e.get("reason")), e.get("other"), val(e.get("other_text"))])
    wb.save(path)
