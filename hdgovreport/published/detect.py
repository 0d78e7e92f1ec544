"""Which shape a file is: our data file, plain text, HTML, DOCX or PDF (by content, then name)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

#: Shape → Chinese name, for messages and the audit table.
FORMAT_NAMES = {
    "data": "数据文件",
    "text": "文本",
    "html": "网页",
    "docx": "Word",
    "pdf": "PDF",
}

_DATA_KEY = re.compile(r"^(?:格式版本|机关名称|报告年度)\s*:", re.MULTILINE)
_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|table|div|p)[\s>]", re.IGNORECASE)


def sniff_format(head: bytes, filename: str = "") -> str:
    """The shape a file's first bytes (and name) suggest, before the whole file is read.

    A zip is taken for a .docx (its directory is at the end of the file); used to pick the
    size limit, the file is detected again when read whole.
    """
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    return detect_format(head, filename)


def detect_format(data: bytes, filename: str = "") -> str:
    """``data`` (a YAML data file or the ``.xlsx`` workbook), ``text``, ``html``, ``docx``,
    ``pdf`` — or ``unknown`` for other binary files."""
    head = data[:2048]
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return "unknown"
        if "xl/workbook.xml" in names:
            return "data"  # the fill-in workbook (read by its .xlsx suffix)
        return "docx" if "word/document.xml" in names else "unknown"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "unknown"  # legacy .doc / .xls (OLE2)
    suffix = Path(filename).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "data"
    if _HTML.search(data[:65536]):
        return "html"
    sample = data[:65536]
    try:
        text = sample.decode("utf-8", errors="ignore")
    except Exception:  # pragma: no cover - errors="ignore" never raises
        text = ""
    if _DATA_KEY.search(text):
        return "data"
    if suffix in (".html", ".htm", ".shtml", ".xhtml"):
        return "html"
    return "text"
