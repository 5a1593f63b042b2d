"""Build the bundled sample reports in ``corpora/samples/`` from ``corpora/sample-sources/``.

The sources are UTF-8 plain text written by the project (fictional units and people).
Each is written in the format an analyst would receive: .docx (Word), .txt in GB18030, or
.md. Run from the repository root: ``python scripts/make_samples.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "corpora" / "sample-sources"
OUT = ROOT / "corpora" / "samples"
FORMATS = {"01": "docx", "02": "docx", "05": "docx", "08": "docx", "11": "docx", "13": "docx",
           "03": "txt", "04": "txt", "06": "txt", "09": "txt", "12": "txt",
           "07": "md", "10": "md", "14": "md"}
HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def main() -> None:
    import docx

    OUT.mkdir(exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    manifest = [json.loads(x) for x in (SRC / "manifest.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    for rec in manifest:
        src = SRC / rec["file"]
        text = src.read_text(encoding="utf-8")
        fmt = FORMATS[rec["file"][:2]]
        target = OUT / f"{src.stem}.{fmt}"
        lines = text.splitlines()
        if fmt == "docx":
            d = docx.Document()
            d.core_properties.title = lines[0]
            for i, line in enumerate(lines):
                if i == 0:
                    d.add_heading(line, level=1)
                elif HEADING.match(line):
                    d.add_heading(line, level=2)
                else:
                    d.add_paragraph(line)
            d.save(target)
        elif fmt == "txt":
            target.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
        else:
            md = [f"# {lines[0]}"] + [f"## {ln}" if HEADING.match(ln) else ln for ln in lines[1:]]
            target.write_text("\n".join(md) + "\n", encoding="utf-8")
        print(f"{rec['file']} -> {target.relative_to(ROOT)} ({rec['quality']})")


if __name__ == "__main__":
    main()
