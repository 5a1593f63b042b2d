"""The ``dangjian`` command line: a thin shell over the public API.

Exit status: 0 = every input done, 1 = some inputs failed (each reported with its
reason), 2 = usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from .__about__ import __version__
from .errors import DangjianError, ReadError

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
