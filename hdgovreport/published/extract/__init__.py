"""Extract: take a published file apart into one stream of blocks, one module per shape.

``text``, ``html``, ``docx`` and ``pdf`` each turn their bytes into an
:class:`~hdgovreport.published.extract.stream.Extracted` — text blocks and
table grids with provenance.  Nothing here knows the report's labels; the
interpreter (:mod:`hdgovreport.published.interpret`) never runs in here.
"""

from __future__ import annotations

from hdgovreport.errors import UnreadableError
from hdgovreport.published.extract.stream import (
    Block,
    CellText,
    Deadline,
    Extracted,
    TableBlock,
    TextBlock,
    clean_text,
    is_page_number,
    squeeze,
)


def extract(data: bytes, fmt: str, filename: str, deadline: Deadline) -> Extracted:
    """The blocks of a published file of shape ``fmt`` (text, html, docx, pdf)."""
    if fmt == "text":
        from hdgovreport.published.extract.text import read_text

        return read_text(data, filename, deadline)
    if fmt == "html":
        from hdgovreport.published.extract.html import read_html

        return read_html(data, filename, deadline)
    if fmt == "docx":
        from hdgovreport.published.extract.docx import read_docx

        return read_docx(data, filename, deadline)
    if fmt == "pdf":
        from hdgovreport.published.extract.pdf import read_pdf

        return read_pdf(data, filename, deadline)
    raise UnreadableError(
        filename, "不是可以读入的报告格式（支持文本、网页、Word 的 .docx 和 PDF）"
    )


__all__ = [
    "Block",
    "CellText",
    "Deadline",
    "Extracted",
    "TableBlock",
    "TextBlock",
    "clean_text",
    "extract",
    "is_page_number",
    "squeeze",
]
