"""Write the notebooks in ``notebooks/`` (committed without outputs; executed by the tests).

Run from the repository root: ``python scripts/make_notebooks.py``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]

SETUP = '''import os
from pathlib import Path
import matplotlib
matplotlib.use("Agg")
import pandas as pd
import dangjian_nlp as dj

# the repository root: $DANGJIAN_REPO, or the folder above notebooks/ when run from there
ROOT = Path(os.environ.get("DANGJIAN_REPO") or
            next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "corpora" / "samples").is_dir()))
SAMPLES = ROOT / "corpora" / "samples"'''

NOTEBOOKS = {
    "01-quickstart.ipynb": [
        ("md", "# 01 快速上手 / Quick start\n\n读入一份述职报告，找出问题陈述、问题分类和形式主义表述，所有结果都带原文偏移。"),
        ("code", SETUP),
        ("code", 'text = dj.read_text(SAMPLES / "05-yunling-agri-bureau-shuzhi.docx")\nprint(text[:200])'),
        ("code", 'doc = dj.analyze(text)\nframe = doc.to_frame()\nframe[frame.is_problem][["section_kind", "text", "labels", "problem_score"]]'),
        ("code", 'pd.DataFrame([f.to_dict() for f in doc.flags])'),
        ("code", 'dj.cut("落实“三会一课”制度，坚持“两个确立”，推进全面从严治党")'),
        ("code", 'tax = dj.load_taxonomy()\ntax.to_frame()[["code", "name", "leaf"]]'),
        ("code", 'ax = dj.plot_heatmap(pd.DataFrame([{c: len([s for s in doc.problems if c in s.labels]) for c in tax.leaves}], index=["本报告"]))\nax.figure.savefig("quickstart-heatmap.png")'),
    ],
    "02-screening-reports.ipynb": [
        ("md", "# 02 筛查一批报告 / Screening reports\n\n对一个文件夹的报告排序：套话、重活动轻成效、空泛承诺、问题笼统、见述不见评、雷同。"),
        ("code", SETUP),
        ("code", 'result = dj.screen(SAMPLES)\nresult[["rank", "score", "id", "unit", "n_problems", "slogans", "duplication", "copied_with"]]'),
        ("code", 'result.iloc[0]["score_parts"], result.iloc[0]["readings"]'),
        ("code", 'pd.DataFrame(result.iloc[0]["evidence"])[["indicator", "text", "reason"]].head(10)'),
        ("code", 'from dangjian_nlp.report import write_report\nwrite_report(result, "screening.html")\nwrite_report(result, "screening.xlsx")'),
        ("code", 'ax = result.set_index("id")[[c for c in result.columns if c.endswith("_concern")]].plot.barh(stacked=True, figsize=(9, 6))\nax.figure.savefig("screening-parts.png")'),
    ],
    "03-train-your-own-classifier.ipynb": [
        ("md", "# 03 训练自己的分类器 / Train your own classifier\n\n自己的分类体系、自己的标注句子：`ProblemTagger` 是 scikit-learn 估计器。"),
        ("code", SETUP),
        ("code", '''taxonomy = Path("school-taxonomy.jsonl")
taxonomy.write_text("\\n".join([
    '{"type": "taxonomy", "name": "school", "version": "0.1"}',
    '{"type": "node", "code": "A", "name": "教学"}',
    '{"type": "node", "code": "A1", "parent": "A", "name": "备课不足", "cues": ["备课", "教案"]}',
    '{"type": "node", "code": "A2", "parent": "A", "name": "作业过多", "cues": ["作业", "负担"]}',
]) + "\\n", encoding="utf-8")
rows = [("有的老师备课不充分，照本宣科", ["A1"]), ("教案多年不更新，备课走过场", ["A1"]),
        ("课前准备敷衍，备课质量不高", ["A1"]), ("学生作业负担过重，天天写到深夜", ["A2"]),
        ("作业布置偏多，机械重复", ["A2"]), ("课后作业量大，家长反映强烈", ["A2"]),
        ("本学期共开展教研活动8次", []), ("下学期将组织集体备课", []), ("学校召开家长会两次", [])] * 3
X = [t for t, _ in rows]
y = [labels for _, labels in rows]'''),
        ("code", 'tagger = dj.ProblemTagger(taxonomy=str(taxonomy), self_training=False).fit(X, y)\ntagger.tag(["老师备课敷衍，照本宣科", "作业太多，学生负担重", "学校召开家长会"])'),
        ("code", '''from sklearn.model_selection import cross_val_score
cross_val_score(dj.ProblemTagger(self_training=False), X, [bool(t) for t in y], cv=3)'''),
        ("code", 'path = dj.save_model(tagger, "school.skops")\ndj.load_model(path).tag(["作业布置过多"])'),
    ],
    "04-formalism-in-government-work-reports.ipynb": [
        ("md", "# 04 政府工作报告中的形式主义话语 / Formalism in government work reports\n\n"
               "国务院政府工作报告（1954–2025，`../shared/corpora`）中，谈论形式主义、官僚主义以及种子文档所列问题的频率如何变化。"
               "没有 `../shared` 时改用自带的示例报告。"),
        ("code", SETUP),
        ("code", '''import json
shared = ROOT.parent / "shared" / "corpora"
if (shared / "gov_work_reports_national" / "reports.jsonl").is_file():
    eval_ids = {l.strip() for l in (shared / "EVAL.txt").read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")}
    docs = [json.loads(l) for l in (shared / "gov_work_reports_national" / "reports.jsonl").read_text(encoding="utf-8").splitlines()]
    corpus = pd.DataFrame([d for d in docs if d.get("doc_type") == "government_work_report" and d["id"] not in eval_ids])[["id", "year", "text"]]
else:  # fallback: the bundled samples, with an invented year each
    corpus = dj.read_corpus(SAMPLES)[["id", "text"]]
    corpus["year"] = [2020 + i % 6 for i in range(len(corpus))]
corpus = corpus.sort_values("year").reset_index(drop=True)
len(corpus), corpus.year.min(), corpus.year.max()'''),
        ("code", '''lexicon = {"形式主义官僚主义": ["形式主义", "官僚主义", "文山会海", "层层加码", "表面文章", "形象工程", "政绩工程"],
           "基层减负": ["基层减负", "为基层减负", "督查检查考核", "过度留痕"],
           "作风建设": ["作风建设", "八项规定", "四风"]}
corpus["period"] = (corpus.year // 10) * 10
trend = dj.trend(corpus.text, lexicon, by=corpus.period)
trend.pivot(index="group", columns="category", values="rate").round(2)'''),
        ("code", 'ax = dj.plot_trend(trend, title="政府工作报告：每万字频率（按年代）")\nax.figure.savefig("formalism-trend.png")'),
        ("code", '''kw = dj.kwic(corpus.text, "formalism", window=12)
kw.assign(year=corpus.year.loc[kw.doc].values)[["year", "left", "match", "right", "pattern"]].tail(10)'''),
        ("code", '''before, after = corpus[corpus.year < 2013].text, corpus[corpus.year >= 2013].text
dj.keyness(after, before, top=15) if len(before) and len(after) else "need both periods"'''),
        ("code", 'ax = dj.plot_dispersion(dj.kwic(corpus.text.tail(8), ["形式主义", "官僚主义"]), dict(corpus.text.tail(8).str.len()))\nax.figure.savefig("formalism-dispersion.png")'),
    ],
}


def main() -> None:
    out = ROOT / "notebooks"
    out.mkdir(exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook(cells=[new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, out / name)
        print(out / name)


if __name__ == "__main__":
    main()
