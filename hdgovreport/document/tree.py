"""The neutral document tree every official-edition renderer walks.

The tree holds final text (numbering already generated), and tables as grids
of cells with their row and column spans, exactly as the official layout
draws them.  Renderers decide only how things look, never what they say.
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal

import attrs

CellKind = Literal["corner", "column-header", "row-header", "block-title", "value"]
Scope = Literal["col", "colgroup", "row", "rowgroup"]
ParagraphRole = Literal["opening", "body", "point", "table-intro", "table-note"]


@attrs.frozen
class Heading:
    """A numbered heading: level 1 ``一、总体情况``, level 2 ``（一）持续完善体系建设``."""

    level: int
    number: str
    text: str
    id: str

    @property
    def full_text(self) -> str:
        return self.number + self.text


@attrs.frozen
class Paragraph:
    """A paragraph; a point carries its generated number (``一是``) separately from its text."""

    text: str
    role: ParagraphRole = "body"
    number: str = ""
    source: str = ""  # the model path the text came from, e.g. "overview.subsections.0.content.1"

    @property
    def full_text(self) -> str:
        return self.number + self.text


@attrs.frozen
class Cell:
    """One cell of a table grid."""

    text: str
    kind: CellKind
    column: int  # first grid column it occupies (0-based)
    colspan: int = 1
    rowspan: int = 1
    scope: Scope | None = None
    field: str | None = None  # model path of a value cell
    error: str | None = None  # id of the table note explaining the check this value fails
    words: tuple[str, ...] = ()  # a label's pieces: it may break only between them
    lines: tuple[str, ...] = ()  # a label's lines at the table's print widths

    @property
    def is_header(self) -> bool:
        return self.kind in ("column-header", "row-header", "block-title")


@attrs.frozen
class Row:
    cells: tuple[Cell, ...]


@attrs.frozen
class TableNote:
    """A note under a table: why the marked cells fail the check (``--allow-errors``)."""

    id: str
    text: str


@attrs.frozen
class Table:
    """An official table: header rows (repeated on every page) and body row groups."""

    id: str
    name: str  # 表2 / 表3 / 表4
    caption: str
    widths_mm: tuple[float, ...]
    head: tuple[Row, ...]
    bodies: tuple[tuple[Row, ...], ...]
    repeat_head: bool = True
    notes: tuple[TableNote, ...] = ()
    text_size_pt: float = 10.5  # printed size of labels
    value_size_pt: float = 10.5  # printed size of figures (smaller when long figures need it)

    @property
    def columns(self) -> int:
        return len(self.widths_mm)

    def rows(self) -> tuple[Row, ...]:
        return self.head + tuple(r for body in self.bodies for r in body)

    def grid(self) -> list[list[Cell | None]]:
        """Every grid position → the cell that covers it (spans expanded)."""
        rows = self.rows()
        grid: list[list[Cell | None]] = [[None] * self.columns for _ in rows]
        for r, row in enumerate(rows):
            for cell in row.cells:
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        grid[r + dr][cell.column + dc] = cell
        return grid


Block = Heading | Paragraph | Table


@attrs.frozen
class Section:
    """One of the six sections: its level-1 heading and its blocks in reading order."""

    attr: str
    heading: Heading
    blocks: tuple[Block, ...]


#: Messages the notice on every page lists in full.
BANNER_MESSAGES = 1


@attrs.frozen
class Banner:
    """The notice an unverified build carries: ``校验未通过`` and what failed.

    ``text`` names the failed rules by code (the graphic edition shows it);
    ``lead`` + ``messages`` say it in words, as the official edition shows it.
    """

    title: str
    text: str
    rules: tuple[str, ...]
    lead: str = ""
    messages: tuple[str, ...] = ()

    @property
    def notice(self) -> str:
        """The notice in words: the fixed sentence, then the failed checks' messages.

        It heads every page, so it stays short: two messages at most, then how
        many more there are (each is also under the table it concerns).
        """
        shown = "".join(self.messages[:BANNER_MESSAGES])
        rest = len(self.messages) - BANNER_MESSAGES
        more = f"另有 {rest} 项未通过，详见各表下的说明。" if rest > 0 else ""
        return self.lead + shown + more


@attrs.frozen
class Document:
    """A whole report, ready to render."""

    title: str
    agency: str
    year: int
    edition: str
    published: _dt.date | None
    opening: tuple[Paragraph, ...]
    sections: tuple[Section, ...]
    banner: Banner | None = None
    lang: str = "zh-CN"

    def blocks(self) -> tuple[Block, ...]:
        out: list[Block] = list(self.opening)
        for section in self.sections:
            out.append(section.heading)
            out.extend(section.blocks)
        return tuple(out)

    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks() if isinstance(b, Table))

    def table(self, name: str) -> Table:
        return next(t for t in self.tables() if t.name == name)
