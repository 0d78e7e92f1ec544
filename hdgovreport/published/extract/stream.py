"""What every extractor gives, before any label is interpreted: one stream of blocks.

A published report, whatever its shape, becomes a sequence of *blocks*: text
blocks (a paragraph or a heading, with a structural hint where the format
has one, and its printed size where the format knows it) and table blocks
(rows of cells, each cell once, in its first row and column — spans are not
expanded, but a cell knows the grid column it starts in and how many it
spans when the format says so).  Every block and cell carries the
:class:`~hdgovreport.model.provenance.Source` it was read from, so a value
found later points back at the published location.

Nothing here knows the report's labels: the extractors (``text``, ``html``,
``docx``, ``pdf``) only take a file apart; :mod:`hdgovreport.published.interpret`
reads the labels.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import time
import unicodedata
from typing import Literal

import attrs

from hdgovreport.errors import UnreadableError
from hdgovreport.model.provenance import Source

#: An empty table cell that an extractor met as a line of its own (a text table written one
#: cell per line, the empty ones as a lone ``|``): a character no report prints.
EMPTY_CELL = "\u2205"

#: A structural hint from the format: a heading level, a numbered point, a title, or nothing known.
Hint = Literal["", "title", "h1", "h2", "point", "caption"]


@attrs.frozen
class TextBlock:
    """A paragraph, heading or line of text."""

    text: str
    source: Source
    hint: Hint = ""
    size: float | None = None  # printed font size in points, where the format knows it (PDF)


@attrs.frozen
class CellText:
    """One cell of a published table (a merged cell appears once)."""

    text: str
    source: Source
    column: int | None = None  # 0-based grid column the cell starts in, where the format says
    span: int = 1  # grid columns the cell covers
    note: str = ""  # what the extractor noticed about this cell (a number crossing a rule)


@attrs.frozen
class TableBlock:
    """A table as published: rows of cells."""

    rows: tuple[tuple[CellText, ...], ...]
    number: int  # 1-based position among the file's tables


Block = TextBlock | TableBlock


@attrs.frozen
class Extracted:
    """A published file taken apart into blocks, before interpretation."""

    format: str  # text / html / docx / pdf
    filename: str
    blocks: tuple[Block, ...]
    title: str | None = None  # a title the container declares (<title>, document properties)
    published: _dt.date | None = None  # a publication date the container declares
    notes: tuple[str, ...] = ()  # what the extractor had to do (Chinese)


class Deadline:
    """A time budget for reading one file; extractors call :meth:`check` in their loops."""

    def __init__(self, filename: str, seconds: float) -> None:
        self.filename = filename
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise UnreadableError(self.filename, f"读取超时（超过 {self.seconds:g} 秒）")


_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\u200c\u200d\ufeff]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def clean_text(text: str) -> str:
    """One line of published text: line breaks and control characters removed, ends stripped.

    A line break inside a paragraph is layout (a wrapped line), never part of
    the text, so it is dropped rather than turned into a space.
    """
    text = text.replace("\r", "").replace("\n", "")
    text = _CONTROL.sub("", text)
    return text.strip(" \t\u3000\u00a0\u200b\ufeff")


@functools.lru_cache(maxsize=8192)
def squeeze(text: str) -> str:
    """Text with every kind of space removed (for comparing labels)."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－―‒~]+\s*\d{1,4}\s*[-—–－―‒~]+|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*[/／]\s*\d{1,4})$"
)


def is_page_number(text: str) -> bool:
    """``-3-``, ``— 5 —``, ``第 2 页 共 6 页``, ``2/6``: a page number, not report text."""
    return bool(_PAGE_NUMBER.match(unicodedata.normalize("NFKC", text).strip()))


_CONTINUED = re.compile(r"^[(（]?续表\s*\d{0,3}[)）]?$")


def is_continuation_mark(text: str) -> bool:
    """``续表`` (``续表2``, ``（续表）``) alone on a line: the mark over a table that goes on
    from the previous page, not report text."""
    return bool(_CONTINUED.match(unicodedata.normalize("NFKC", text).strip()))
