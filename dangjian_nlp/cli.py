"""The ``dangjian`` command line: a thin shell over the public API.

Exit status: 0 = every input done, 1 = some inputs failed (each reported with its
reason), 2 = usage error.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from .__about__ import __version__
from .errors import DangjianError, InputError, ReadError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _stdout() -> TextIO:
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        try:
            out.reconfigure(encoding="utf-8")
        except (ValueError, OSError):
            pass
    return out


def _stdin_text() -> str:
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
    from .readers import decode_bytes

    return decode_bytes(data, "<stdin>")[0]


def _segmenter(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .segment import Segmenter, default_segmenter

    if args.lexicon or args.backend != "rjieba" or args.hmm:
        return Segmenter(("core", *args.lexicon), backend=args.backend, hmm=args.hmm)
    return default_segmenter()


def cmd_cut(args: argparse.Namespace) -> int:
    from .readers import read_text

    seg = _segmenter(args)
    out = _stdout()
    status = EXIT_OK
    for source in args.files or ["-"]:
        try:
            text = _stdin_text() if source == "-" else read_text(source)
        except ReadError as err:
            print(f"dangjian cut: {err}", file=sys.stderr)
            status = EXIT_FAILED
            continue
        for line in text.splitlines():
            words = seg.cut(line, drop_stopwords=args.no_stopwords)
            if args.json:
                out.write(json.dumps(words, ensure_ascii=False) + "\n")
            else:
                out.write(" / ".join(words) + "\n")
    out.flush()
    return status


class _Prefixed(io.RawIOBase):
    """A byte stream that first returns ``head`` (already read to detect the encoding)."""

    def __init__(self, head: bytes, rest: Any) -> None:
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        if self._head:
            n = min(len(buf), len(self._head))
            buf[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buf))
        buf[: len(data)] = data
        return len(data)


def _head_encoding(head: bytes, source: str) -> str:
    """The Python codec of a stream from its first bytes (a character may be cut at the end)."""
    import codecs

    from .readers import decode_bytes

    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                       (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return codec
    if b"\x00" not in head:  # NUL bytes: UTF-16/32 without a BOM (decode_bytes guesses those)
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            return "utf-8"
        except UnicodeDecodeError:
            pass
    codec = decode_bytes(head if len(head) < 1 << 16 else head[:-4], source)[1]
    # the head minus its last bytes may be plain ASCII: UTF-8 has already failed, GB18030 is next
    return "gb18030" if codec == "utf-8" and b"\x00" not in head else codec


_LINE_END = re.compile(rb"\r\n|\r|\n")


def _byte_lines(head: bytes, stream: Any) -> Any:
    """Lines of a byte stream with their ends (``\\n``, ``\\r\\n`` or ``\\r``), read 1 MB at a time."""
    pending, eof = head, False
    while True:
        if not eof:
            chunk = stream.read(1 << 20)
            eof = not chunk
            pending += chunk
        pos = 0
        for m in _LINE_END.finditer(pending):
            if m.group() == b"\r" and m.end() == len(pending) and not eof:
                break  # a \r\n may be cut between two chunks
            yield pending[pos:m.end()]
            pos = m.end()
        pending = pending[pos:]
        if eof:
            if pending:
                yield pending
            return


def _decoded_lines(head: bytes, stream: Any, codec: str) -> Any:
    """``(line, error)`` of a byte stream: each line decoded alone, in ``codec`` or, where its bytes
    are not, in UTF-8 or GB18030 (files joined from both); ``error`` names a line none decodes."""
    if codec.startswith(("utf-16", "utf-32")):  # a line end is not one byte there
        for line in io.TextIOWrapper(_Prefixed(head, stream), encoding=codec, errors="replace", newline=""):
            yield line, None
        return
    tries = list(dict.fromkeys([codec, "utf-8", "gb18030"]))
    for n, raw in enumerate(_byte_lines(head, stream), start=1):
        for c in tries:
            try:
                yield raw.decode(c), None
                break
            except UnicodeDecodeError:
                continue
        else:
            yield raw.decode(codec, errors="replace"), (f"line {n}: bytes that are neither {codec}, UTF-8 nor "
                                                         "GB18030; convert the file to UTF-8")


def _read_tag_input(source: str, text_column: str):  # type: ignore[no-untyped-def]
    """Yield records of the tag input, one per input record/line, failures included."""
    import csv

    if source == "-":
        stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else io.BytesIO(sys.stdin.read().encode("utf-8"))
        kind = "jsonl"
    else:
        path = Path(source)
        kind = path.suffix.lower().lstrip(".")
        if kind not in ("jsonl", "csv", "txt"):
            raise ReadError(path, "tag reads .jsonl (records with 'text'), .csv (a 'text' column), .txt (one "
                                  "sentence per line) or - (JSONL on stdin)")
        if not path.is_file():
            raise ReadError(path, "no such file; check the path")
        stream = path.open("rb")
    try:
        # Streamed line by line (bounded memory): the encoding is detected on the first 64 KB.
        head = stream.read(1 << 16)
        lines = _decoded_lines(head, stream, _head_encoding(head, source))
        if kind == "jsonl":
            for n, (line, bad) in enumerate(lines, start=1):
                line = line.rstrip("\r\n")
                if bad:
                    yield {"id": n, "text": None, "_error": bad}
                    continue
                if not line.strip():
                    yield {"id": n, "text": None, "_error": f"line {n}: empty line, no JSON record"}
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as err:
                    yield {"id": n, "text": None, "_error": f"line {n}: invalid JSON ({err.msg})"}
                    continue
                if not isinstance(rec, dict):
                    yield {"id": n, "text": None, "_error": f"line {n}: not a JSON object"}
                    continue
                rec.setdefault("id", n)
                if text_column != "text" and text_column in rec:
                    rec["text"] = rec.pop(text_column)
                if "text" not in rec:
                    rec["_error"] = f"line {n}: record has no 'text' field"
                    rec["text"] = None
                yield rec
        elif kind == "csv":
            reader = csv.DictReader(line for line, _bad in lines)
            try:
                if text_column not in (reader.fieldnames or []):
                    raise ReadError(source, f"no {text_column!r} column (columns: "
                                            f"{', '.join(reader.fieldnames or [])})")
                for n, row in enumerate(reader, start=2):
                    row.setdefault("id", n)
                    row["text"] = row.pop(text_column)
                    yield row
            except csv.Error as err:
                raise ReadError(source, f"line {reader.line_num + 1}: {err}; check the quoting, or give the "
                                        "sentences as JSONL") from err
        else:
            for n, (line, bad) in enumerate(lines, start=1):
                line = line.rstrip("\r\n")
                yield {"id": n, "text": None, "_error": bad} if bad else {"id": n, "text": line}
    finally:
        if source != "-":
            stream.close()


def cmd_tag(args: argparse.Namespace) -> int:
    from .api import TAG_COLUMNS, tag_batches
    from .model import default_model, load_model

    model = load_model(args.model) if args.model else default_model()
    out = open(args.output, "w", encoding="utf-8") if args.output else _stdout()
    failed = 0

    def batches():  # type: ignore[no-untyped-def]
        batch: list[dict] = []
        for rec in _read_tag_input(args.input, args.text_column):
            batch.append(rec)
            if len(batch) >= args.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    try:
        for rows in tag_batches(batches(), model=model, n_jobs=args.jobs):
            for row in rows:
                record = {c: row[c] for c in TAG_COLUMNS if c != "error"}
                reason = row.pop("_error", None) or row["error"]
                if reason:
                    record["error"] = reason
                    failed += 1
                for k, v in row.items():
                    if k not in TAG_COLUMNS:
                        record[k] = v
                out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    finally:
        if args.output:
            out.close()
        else:
            out.flush()
    if failed and not args.quiet:
        print(f"dangjian tag: {failed} record(s) could not be tagged; see their 'error' field", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def _labelled(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .datasets import load_labelled, targets

    frame = load_labelled(args.data, corpora=args.corpora, exclude_corpora=args.exclude_corpus)
    if frame.empty:
        raise ReadError(", ".join(args.data), "no labelled sentences found")
    return frame, targets(frame)


def _check_taxonomy(path: str | None, frame) -> None:  # type: ignore[no-untyped-def]
    from .tagger import PROBLEM
    from .taxonomy import load_taxonomy

    tax = load_taxonomy(path)
    leaves = set(tax.leaves)
    unknown = {}
    for rid, labels in zip(frame["id"], frame["labels"]):
        for c in labels:
            if c != PROBLEM and c not in leaves:
                unknown.setdefault(c, []).append(str(rid))
    if unknown:
        lines = "; ".join(f"{c!r} (e.g. record {ids[0]})" for c, ids in sorted(unknown.items()))
        raise InputError(f"labels not among the leaves of taxonomy {tax.name!r}: {lines}. "
                         "Fix the labels or pass the taxonomy they come from with --taxonomy")


def cmd_train(args: argparse.Namespace) -> int:
    import time

    import numpy as np

    from . import __version__ as version
    from .datasets import find_corpora, unlabelled_sentences
    from .model import save_model
    from .tagger import ProblemTagger

    frame, y = _labelled(args)
    _check_taxonomy(args.taxonomy, frame)
    texts = frame["text"].tolist()
    unl: list[str] = []
    if args.unlabelled:
        corpora = args.corpora or find_corpora(args.data[0])
        if corpora is None:
            print("dangjian train: no corpora folder found; training without unlabelled sentences",
                  file=sys.stderr)
        else:
            unl = unlabelled_sentences(corpora, args.unlabelled, exclude_corpora=args.exclude_corpus,
                                       exclude_texts=texts)
    tagger = ProblemTagger(taxonomy=args.taxonomy, self_training=bool(unl) and not args.no_self_training)
    # real sentences (pointer records into the corpora) may count more than written ones
    real = frame["corpus"].notna().to_numpy() if "corpus" in frame else np.zeros(len(texts), bool)
    weights = np.concatenate([np.where(real, args.real_weight, 1.0), np.ones(len(unl))])
    t0 = time.perf_counter()
    tagger.fit(texts + unl, list(y) + [None] * len(unl), sample_weight=weights)
    seconds = time.perf_counter() - t0
    counts = {"sentences": len(texts), "problem": int(sum(bool(t) for t in y)),
              "per_label": {c: int(sum(c in t for t in y)) for c in tagger.classes_[1:]},
              "unlabelled": len(unl), "pseudo_labelled": int(getattr(tagger, "n_pseudo_labelled_", 0)),
              "files": sorted({str(f) for f in frame["file"]}), "excluded_corpora": list(args.exclude_corpus)}
    card = {"model": "dangjian_nlp.ProblemTagger", "dangjian_nlp": version, "taxonomy": args.taxonomy or "bundled",
            "classes": list(tagger.classes_), "thresholds": dict(zip(tagger.classes_[1:], map(float, tagger.thresholds_))),
            "params": tagger.get_params(), "real_weight": args.real_weight, "data": counts,
            "features": "char 1-3-gram TF-IDF, domain word 1-2-gram TF-IDF, cue-word counts, taxonomy cue counts, "
                        "formalism flags by family/stance/code, section kind, length",
            "fit_seconds": round(seconds, 1)}
    save_model(tagger, args.output, card=card)
    if not args.quiet:
        print(f"trained on {len(texts)} labelled sentences ({counts['problem']} problems, "
              f"{len(tagger.classes_) - 1} labels) + {len(unl)} unlabelled in {seconds:.1f} s → {args.output}",
              file=sys.stderr)
    return EXIT_OK


def cmd_kwic(args: argparse.Namespace) -> int:
    from .readers import iter_records
    from .research import kwic

    ids, texts, failed = [], [], 0
    for rec in iter_records(args.paths):
        if rec.status != "ok" or rec.text is None:
            failed += 1
            print(f"dangjian kwic: {rec.path or rec.id}: {rec.error}", file=sys.stderr)
            continue
        ids.append(rec.id)
        texts.append(rec.text)
    pattern = "formalism" if args.formalism else args.pattern
    if pattern is None:
        raise InputError("give a term (or several, separated by |) or --formalism")
    if isinstance(pattern, str) and pattern != "formalism" and not args.regex and "|" in pattern:
        pattern = [p for p in pattern.split("|") if p]
    import pandas as pd

    frame = kwic(pd.DataFrame({"id": ids, "text": texts}), pattern, window=args.window, regex=args.regex)
    if args.output:
        if args.output.endswith(".csv"):
            frame.to_csv(args.output, index=False, encoding="utf-8-sig")
        else:
            frame.to_json(args.output, orient="records", lines=True, force_ascii=False)
    else:
        out = _stdout()
        flat = str.maketrans("\r\n\t", "   ")  # one hit per line
        for r in frame.itertuples(index=False):
            left, right = r.left.translate(flat), r.right.translate(flat)
            out.write(f"{r.doc}\t{r.start}\t{left:>{args.window}}【{r.match.translate(flat)}】{right}\n")
    if not args.quiet:
        print(f"dangjian kwic: {len(frame)} hit(s) in {len(texts)} document(s)", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def cmd_lexicon(args: argparse.Namespace) -> int:
    from .interchange import read_lexicon, write_lexicon
    from .lexicon import list_lexicons, load_lexicon

    if args.action == "list":
        out = _stdout()
        for name, entry in list_lexicons().items():
            out.write(f"{name}\t{entry.get('version', '')}\t{entry.get('file', '')}\t{entry.get('description', '')}\n")
        return EXIT_OK
    if not args.source or not args.target:
        raise InputError("dangjian lexicon convert SOURCE TARGET: give a bundled lexicon name or a file, and the "
                         "file to write (.yml quanteda/cntext, .dic LIWC, .txt jieba, .tsv)")

    lex = load_lexicon(args.source) if not Path(args.source).exists() else read_lexicon(args.source, format=args.source_format)
    path = write_lexicon(lex, args.target, format=args.format)
    if not args.quiet:
        print(f"dangjian lexicon: {len(lex.terms)} terms of {lex.name} written to {path}", file=sys.stderr)
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluation import cross_validated_predictions, leaf_confusions, predictions_to_targets, score_targets
    from .model import load_model
    from .tagger import ProblemTagger

    frame, y = _labelled(args)
    model = load_model(args.model)
    texts = frame["text"].tolist()
    out = _stdout()
    pred = predictions_to_targets(model, texts)
    _print_scores(out, f"model {args.model} on {len(texts)} sentences", score_targets(y, pred))
    out.write("\nmost frequent leaf confusions (gold → predicted):\n")
    for g, q, n in leaf_confusions(y, pred):
        out.write(f"  {g} → {q}: {n}\n")
    if args.cv > 1:
        groups = frame["doc_id"].where(frame["doc_id"].notna(), frame["id"]).tolist()
        params = model.get_params()
        params["self_training"] = False
        cv = cross_validated_predictions(texts, y, groups=groups, n_splits=args.cv,
                                         make_tagger=lambda: ProblemTagger(**params))
        out.write("\n")
        _print_scores(out, f"{args.cv}-fold cross-validation (document-grouped where doc_id is given), "
                           "a fresh tagger with the model's parameters", score_targets(y, cv))
    out.flush()
    return EXIT_OK


def _print_scores(out: TextIO, title: str, s: dict) -> None:  # type: ignore[type-arg]
    out.write(f"{title}\n")
    p = s["problem"]
    out.write(f"  problem statement: P {p['precision']:.3f}  R {p['recall']:.3f}  F1 {p['f1']:.3f}  "
              f"(support {p['support']})\n")
    out.write(f"  leaf macro-F1: {s['leaf_macro_f1']:.3f}\n")
    out.write(f"  {'label':<8}{'P':>7}{'R':>7}{'F1':>7}{'support':>9}\n")
    for c, v in s["leaves"].items():
        out.write(f"  {c:<8}{v['precision']:>7.3f}{v['recall']:>7.3f}{v['f1']:>7.3f}{v['support']:>9}\n")


def cmd_screen(args: argparse.Namespace) -> int:
    from .report import STREAMED_FORMATS, write_report
    from .screening import screen, screen_to_file

    options = {"model": args.model, "reference": args.reference, "jobs": args.jobs, "scheduler": args.scheduler,
               "progress": not args.quiet, "max_bytes": args.max_bytes}
    if args.output and Path(args.output).suffix.lower() in STREAMED_FORMATS:
        # rows go to the file one at a time and the reports wait on disk: memory stays flat
        rows = screen_to_file(args.paths, args.output, **options)
    else:
        frame = screen(args.paths, **options)
        if args.output:
            write_report(frame, args.output)
        rows = frame.to_dict("records")
    out = _stdout() if not args.output else sys.stderr
    if not args.quiet or not args.output:
        for r in rows:
            if r["status"] == "ok":
                out.write(f"{int(r['rank']):>3}  {r['score']:>5.1f}  {r['id']}\n")
            else:
                out.write(f"  -  error  {r['id']}: {r['error']}\n")
        if args.output:
            out.write(f"report written to {args.output}\n")
    failed = [r for r in rows if r["status"] != "ok"]
    for r in failed:
        if args.output or args.quiet:
            print(f"dangjian screen: {r['path'] or r['id']}: {r['error']}", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dangjian",
        description="Problems and formalism in Chinese party-building and governance texts.",
    )
    parser.add_argument("--version", action="version", version=f"dangjian_nlp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("cut", help="segment text with the domain lexicon, one output line per input line")
    p.add_argument("files", nargs="*", metavar="FILE", help="text/.docx/.pdf files, or - for stdin (default)")
    p.add_argument("--json", action="store_true", help="print a JSON array of tokens per line")
    p.add_argument("--backend", choices=("rjieba", "jieba"), default="rjieba",
                   help="segmentation backend (default rjieba; jieba is the reference)")
    p.add_argument("--hmm", action="store_true", help="use jieba's HMM for unknown words")
    p.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                   help="an extra lexicon file (TSV with a 'term' column, word list or jieba user dict)")
    p.add_argument("--no-stopwords", action="store_true", help="drop stopwords and whitespace")
    p.set_defaults(func=cmd_cut)

    p = sub.add_parser("tag", help="tag sentences: problem statement, taxonomy codes, formalism flags (JSONL out)")
    p.add_argument("input", metavar="INPUT", help=".jsonl (records with text), .csv (text column), .txt (one "
                   "sentence per line) or - (JSONL on stdin)")
    p.add_argument("-o", "--output", metavar="OUT", help="output JSONL file (default: stdout)")
    p.add_argument("--model", metavar="PATH", help="a model made by `dangjian train` (default: the shipped one)")
    p.add_argument("--text-column", default="text", help="field holding the sentence (default: text)")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="worker processes (default 1; same output, in input order)")
    p.add_argument("--batch-size", type=int, default=2000, help=argparse.SUPPRESS)
    p.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    p.set_defaults(func=cmd_tag)

    p = sub.add_parser("screen", help="screen report files and folders; ranked report with evidence")
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files (.docx .pdf .txt .md .jsonl .csv) or folders")
    p.add_argument("-o", "--output", metavar="OUT", help="report file: .html, .xlsx, .csv or .jsonl "
                   "(default: a ranked list on stdout)")
    p.add_argument("--model", metavar="PATH", help="a model made by `dangjian train` (default: the shipped one)")
    p.add_argument("--reference", metavar="DIR", help="earlier reports (e.g. last year's) to find copied passages in")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes (default 1)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="analyse the reports on a running Dask cluster, e.g. "
                   "tcp://10.0.0.5:8786 (needs the [dask] extra; files are read here and sent)")
    p.add_argument("--max-bytes", type=int, default=None, metavar="N",
                   help="refuse files larger than N bytes (default 200 MB), with a reason in the report")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_screen)

    p = sub.add_parser("kwic", help="keyword in context over files and folders (terms, regex, or formalism flags)")
    p.add_argument("pattern", nargs="?", metavar="PATTERN", help="a term, several separated by |, or a regex with "
                   "--regex")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files (.docx .pdf .txt .md .jsonl .csv) or folders")
    p.add_argument("--formalism", action="store_true", help="the formalism expressions of the pattern engine "
                   "(then give no PATTERN)")
    p.add_argument("--regex", action="store_true", help="PATTERN is a regular expression")
    p.add_argument("--window", type=int, default=15, metavar="N", help="characters of context (default 15)")
    p.add_argument("-o", "--output", metavar="OUT", help=".csv or .jsonl (default: aligned lines on stdout)")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(func=cmd_kwic)

    p = sub.add_parser("lexicon", help="list the bundled lexicons, or convert one to quanteda/cntext/LIWC/jieba/TSV")
    p.add_argument("action", choices=("list", "convert"))
    p.add_argument("source", nargs="?", metavar="SOURCE", help="a bundled lexicon name (see list) or a lexicon file")
    p.add_argument("target", nargs="?", metavar="TARGET", help="the file to write; the format follows its suffix")
    p.add_argument("--format", choices=("quanteda", "cntext", "liwc", "jieba", "tsv"),
                   help="format of TARGET when its suffix does not say")
    p.add_argument("--source-format", choices=("quanteda", "cntext", "liwc", "jieba", "tsv"),
                   help="format of SOURCE when its suffix does not say")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(func=cmd_lexicon)

    for name, helptext in (("train", "train a tagger on labelled sentences (CSV/JSONL) and save it with skops"),
                           ("evaluate", "score a model on labelled sentences: per-label P/R/F1, confusions, CV")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("data", nargs="+", metavar="DATA", help="labelled .jsonl/.csv files or folders "
                       "(text, labels such as \"2.2;3.3\", optional is_problem)")
        p.add_argument("--corpora", metavar="DIR", help="folder that pointer records (doc_id + offsets) point into")
        p.add_argument("--exclude-corpus", action="append", default=[], metavar="NAME",
                       help="leave out pointer records and unlabelled text of this corpus folder")
        p.add_argument("-q", "--quiet", action="store_true")
        if name == "train":
            p.add_argument("--taxonomy", metavar="FILE", help="taxonomy file of the labels (default: the bundled one)")
            p.add_argument("-o", "--output", required=True, metavar="MODEL", help="where to save the model (.skops)")
            p.add_argument("--unlabelled", type=int, default=0, metavar="N",
                           help="add N unlabelled non-EVAL corpus sentences for self-training")
            p.add_argument("--no-self-training", action="store_true")
            p.add_argument("--real-weight", type=float, default=1.0, metavar="W",
                           help="sample weight of real sentences (records pointing into the corpora) relative to "
                                "written ones (default 1)")
            p.set_defaults(func=cmd_train)
        else:
            p.add_argument("--model", required=True, metavar="PATH")
            p.add_argument("--cv", type=int, default=5, help="folds of the cross-validation (0 to skip)")
            p.set_defaults(func=cmd_evaluate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except DangjianError as err:
        print(f"dangjian {args.command}: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
