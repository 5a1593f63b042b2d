"""Read real documents: .txt/.md (any common Chinese encoding), .docx, .pdf, .jsonl, .csv.

:func:`read_text` reads one file or raises :class:`~dangjian_nlp.errors.ReadError` with a
reason a person understands. :func:`read_corpus` reads many and never stops for one bad
file: every input appears in the frame, failures with ``status="error"`` and the reason.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, ReadError

__all__ = ["Record", "iter_records", "read_corpus", "read_text", "SUPPORTED_SUFFIXES"]

TEXT_SUFFIXES = (".txt", ".md", ".text", ".markdown")
RECORD_SUFFIXES = (".jsonl", ".csv")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + (".docx", ".pdf") + RECORD_SUFFIXES
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
_MAX_DOCX_UNPACKED = 300 * 1024 * 1024
CORPUS_COLUMNS = ["id", "path", "format", "encoding", "title", "text", "status", "error"]


@dataclass
class Record:
    """One document read from a file (or one record of a .jsonl/.csv file)."""

    id: str
    path: str
    format: str
    encoding: str | None = None
    title: str | None = None
    text: str | None = None
    status: str = "ok"
    error: str | None = None
    meta: dict[str, object] = field(default_factory=dict)


def decode_bytes(data: bytes, path: object = "<bytes>") -> tuple[str, str]:
    """Decode text bytes; return ``(text, encoding)``.

    BOMs decide first; then strict UTF-8; then UTF-16 without a BOM (NUL bytes at
    every other position); then charset-normalizer's best guess, where the GB2312/GBK
    family is read as GB18030 (their superset).
    """
    if not data:
        return "", "utf-8"
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                     (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "-bom")
            except UnicodeDecodeError:
                break
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" in text:
            raise ReadError(path, "binary file (NUL bytes), not text; convert it to a UTF-8 text file")
        return text, "utf-8"
    utf16 = _guess_utf16(data)
    if utf16 is not None:
        return utf16
    if data.count(0) > len(data) // 100:
        raise ReadError(path, "binary file (NUL bytes), not text; convert it to a UTF-8 text file")
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError(path, "not text in any known encoding (binary file?); save it as UTF-8 text")
    enc = best.encoding.lower().replace("_", "-")
    if enc in {"gb2312", "gbk", "cp936", "hz", "gb18030"} or "chinese" in enc:
        enc = "gb18030"
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        text = str(best)
    if _control_ratio(text) > 0.05:
        raise ReadError(path, "binary file, not text; convert it to a UTF-8 text file")
    return text, enc


def _plausible(text: str) -> float:
    """Share of characters that ordinary Chinese or English text is made of."""
    sample = text[:2000]
    ok = sum(
        1
        for c in sample
        if "\u4e00" <= c <= "\u9fff" or " " <= c <= "~" or c in "\n\r\t"
        or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef" or "\u2000" <= c <= "\u206f"
    )
    return ok / max(1, len(sample))


def _guess_utf16(data: bytes) -> tuple[str, str] | None:
    """Decode BOM-less UTF-16 when one byte order gives plausible text."""
    if len(data) % 2:
        return None
    best: tuple[float, str, str] | None = None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _plausible(text)
        if score >= 0.95 and (best is None or score > best[0]):
            best = (score, text, enc)
    return (best[1], best[2]) if best else None


def _control_ratio(text: str) -> float:
    sample = text[:4000]
    bad = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    return bad / max(1, len(sample))


def _read_docx(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            if "word/document.xml" not in names:
                raise ReadError(path, "not a Word document: the .docx has no word/document.xml part (damaged file?)")
            unpacked = sum(i.file_size for i in z.infolist())
            if unpacked > _MAX_DOCX_UNPACKED:
                raise ReadError(path, f".docx unpacks to {unpacked // 2**20} MB (zip bomb?); refused")
    except zipfile.BadZipFile:
        raise ReadError(path, "not a valid .docx (damaged or truncated zip archive); open and re-save it in Word") from None
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(str(path))
    except Exception as err:  # python-docx raises many kinds on damaged parts
        raise ReadError(path, f"damaged .docx ({type(err).__name__}: {err}); open and re-save it in Word") from None
    lines: list[str] = []

    def paragraph_text(p_el) -> str:  # type: ignore[no-untyped-def]
        return "".join(t.text or "" for t in p_el.iter(qn("w:t")))

    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(paragraph_text(child))
        elif child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                cells = []
                for cell in row.iter(qn("w:tc")):
                    cells.append("".join(paragraph_text(p) for p in cell.iter(qn("w:p"))))
                lines.append("\t".join(cells))
    return "\n".join(lines)


def _read_pdf(path: Path) -> str:
    with path.open("rb") as f:
        if not f.read(1024).lstrip().startswith(b"%PDF"):
            raise ReadError(path, "not a PDF (no %PDF header); check the file type")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:
                raise ReadError(path, "encrypted PDF; remove the password and try again") from None
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as err:
        raise ReadError(path, f"damaged PDF ({err}); re-export it from the source document") from None
    text = "\n".join(pages)
    if not text.strip():
        raise ReadError(path, "scanned PDF has no text layer; run OCR on it first")
    return text


def _title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:80]
    return None


def _size(n: int) -> str:
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} bytes"


def _check_file(path: Path, max_bytes: int) -> None:
    if path.is_symlink() and not path.exists():
        raise ReadError(path, "broken symbolic link (its target does not exist)")
    if not path.exists():
        raise ReadError(path, "no such file; check the path")
    if path.is_dir():
        raise ReadError(path, "is a folder; use read_corpus() for folders")
    if not path.is_file():
        raise ReadError(path, "not a regular file (device, pipe or socket); give a document file")
    if not os.access(path, os.R_OK):
        raise ReadError(path, "permission denied; make the file readable")
    size = path.stat().st_size
    if size > max_bytes:
        raise ReadError(path, f"file is {_size(size)}, over the {_size(max_bytes)} limit "
                              "(raise max_bytes= / --max-bytes to read it)")


def read_text(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read the text of a .txt, .md, .docx or .pdf file.

    Text files are decoded by detecting their encoding (UTF-8 with or without BOM,
    GB18030/GBK, UTF-16). Raises :class:`~dangjian_nlp.errors.ReadError` with a
    reason when the file cannot be read (``"scanned PDF has no text layer; …"``).
    """
    path = Path(path)
    _check_file(path, max_bytes)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(path)
    if suffix == ".pdf":
        return _read_pdf(path)
    if suffix in RECORD_SUFFIXES:
        raise ReadError(path, f"{suffix} holds records; use read_corpus() or iter_records()")
    if suffix == ".doc":
        raise ReadError(path, "old binary .doc format is not supported; save it as .docx")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ReadError(path, f"cannot read: {err.strerror}") from None
    return decode_bytes(data, path)[0]


def _read_one(path: Path, max_bytes: int) -> Record:
    suffix = path.suffix.lower()
    fmt = suffix.lstrip(".") or "txt"
    try:
        _check_file(path, max_bytes)
        if suffix in (".docx", ".pdf"):
            text, enc = read_text(path, max_bytes=max_bytes), None
        else:
            text, enc = decode_bytes(path.read_bytes(), path)
        return Record(path.stem, str(path), fmt, enc, _title(text), text)
    except ReadError as err:
        return Record(path.stem, str(path), fmt, status="error", error=err.reason)
    except OSError as err:
        return Record(path.stem, str(path), fmt, status="error", error=f"cannot read: {err.strerror or err}")


def _records_of(path: Path, text_column: str, max_bytes: int) -> Iterator[Record]:
    fmt = path.suffix.lower().lstrip(".")
    try:
        _check_file(path, max_bytes)
        text, enc = decode_bytes(path.read_bytes(), path)
    except ReadError as err:
        yield Record(path.stem, str(path), fmt, status="error", error=err.reason)
        return
    if fmt == "jsonl":
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            rid = f"{path.stem}:{n}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as err:
                yield Record(rid, str(path), fmt, enc, status="error", error=f"line {n}: invalid JSON ({err.msg})")
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get(text_column), str):
                yield Record(rid, str(path), fmt, enc, status="error",
                             error=f"line {n}: no string field {text_column!r}")
                continue
            meta = {k: v for k, v in rec.items() if k != text_column}
            yield Record(str(rec.get("id", rid)), str(path), fmt, enc, rec.get("title") or _title(rec[text_column]),
                         rec[text_column], meta=meta)
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or text_column not in reader.fieldnames:
            yield Record(path.stem, str(path), fmt, enc, status="error",
                         error=f"no {text_column!r} column (columns: {', '.join(reader.fieldnames or [])})")
            return
        for n, row in enumerate(reader, start=2):
            rid = row.get("id") or f"{path.stem}:{n}"
            meta = {k: v for k, v in row.items() if k != text_column}
            yield Record(str(rid), str(path), fmt, enc, row.get("title") or _title(row[text_column] or ""),
                         row[text_column] or "", meta=meta)


def _walk(folder: Path, recursive: bool) -> Iterator[Path]:
    """Supported files under ``folder``; symbolic links to folders are not followed (no loops)."""
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if recursive else []
        for name in sorted(names):
            if Path(name).suffix.lower() in SUPPORTED_SUFFIXES and not name.startswith((".", "~$")):
                yield Path(root) / name


def _expand(paths: Iterable[str | os.PathLike[str]], recursive: bool) -> Iterator[Path]:
    seen: set[Path] = set()
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in _walk(path, recursive):
                try:
                    real = f.resolve()
                except (OSError, RuntimeError):  # a symlink loop
                    real = f
                if real not in seen:
                    seen.add(real)
                    yield f
        else:
            yield path


def iter_records(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    text_column: str = "text",
    recursive: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Record]:
    """Yield one :class:`Record` per file (per record for .jsonl/.csv), failures included."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for path in _expand(paths, recursive):
        if path.suffix.lower() in RECORD_SUFFIXES:
            yield from _records_of(path, text_column, max_bytes)
        else:
            yield _read_one(path, max_bytes)


def read_corpus(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    text_column: str = "text",
    recursive: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
):  # -> pandas.DataFrame
    """Read files and folders into a DataFrame, one row per document.

    Columns: ``id, path, format, encoding, title, text, status, error``, plus the other
    fields of .jsonl/.csv records. A file that cannot be read keeps its row with
    ``status="error"`` and the reason in ``error``; nothing is dropped silently.

    Parameters
    ----------
    paths : path or iterable of paths
        Files and folders (folders are walked for supported files).
    text_column : str
        The text field of .jsonl/.csv records.
    recursive : bool
        Walk sub-folders.
    max_bytes : int
        Files larger than this are refused with a reason (default 200 MB).
    """
    import pandas as pd

    from .research import register_accessor

    register_accessor()
    if paths is None:
        raise InputError("read_corpus() needs a path, a folder or a list of them")
    rows = []
    for rec in iter_records(paths, text_column=text_column, recursive=recursive, max_bytes=max_bytes):
        row = {c: getattr(rec, c) for c in CORPUS_COLUMNS}
        row.update({k: v for k, v in rec.meta.items() if k not in row})
        rows.append(row)
    frame = pd.DataFrame(rows, columns=None if rows else CORPUS_COLUMNS)
    return frame
