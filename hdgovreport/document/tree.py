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
    joined: bool = False  # goes on from the cell above, no rule between (Table.paged)

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

    def _merged_labels(self) -> list[tuple[int, Cell, bool]]:
        """Every merged row label: (its first row, the cell, whether it holds other merged labels)."""
        merged = [
            (r, cell)
            for r, row in enumerate(self.rows())
            for cell in row.cells
            if cell.kind == "row-header" and cell.rowspan > 1
        ]
        return [
            (
                r,
                cell,
                any(
                    r <= r2 < r + cell.rowspan and other.column > cell.column
                    for r2, other in merged
                ),
            )
            for r, cell in merged
        ]

    def kept_rows(self) -> frozenset[int]:
        """Rows (indexes into :meth:`rows`) a page break never separates from the next one.

        Every row of an innermost merged row label but its last: （五）不予处理 stays
        on one page with its five items. An outer label that holds other merged labels
        (三、本年度办理结果, 22 rows) may break between its inner groups, but not before
        it has as many rows as it has lines (nor stretch its first rows). A table whose
        head is not repeated (Table 2) is a list of blocks — title, column heads, rows —
        each kept on one page.
        """
        kept: set[int] = set()
        if not self.repeat_head:
            start = 0
            for n, body in enumerate(self.bodies):
                size = len(body) + (len(self.head) if n == 0 else 0)
                kept.update(range(start, start + size - 1))
                start += size
        for r, cell, outer in self._merged_labels():
            if not outer:
                kept.update(range(r, r + cell.rowspan - 1))
            else:  # its first rows stay together, at least as many as the label has lines
                kept.update(range(r, r + min(len(cell.lines or (cell.text,)), cell.rowspan) - 1))
        return frozenset(kept)

    def paged(self) -> Table:
        """The table as the PDF sets it on pages.

        An outer merged row label (三、本年度办理结果) spans only its first rows, as many
        as it has lines, and goes on in one-row cells joined to it with no rule between
        (``joined``): where a page break falls beside it, its column then closes at the
        page foot like every other (WeasyPrint leaves a cell that spans over a page open).
        Each run of rows that must stay together (:meth:`kept_rows`) becomes a row group
        of its own, which the PDF keeps on one page (``break-inside: avoid``): keeping
        rows together row by row, WeasyPrint miscounts the height of a group it breaks
        early, and the footer row that closes the page lands below a gap.
        """
        rows = [list(row.cells) for row in self.rows()]
        for r, cell, outer in self._merged_labels():
            if not outer:
                continue
            first = min(len(cell.lines or (cell.text,)), cell.rowspan)
            if first == cell.rowspan:
                continue
            rows[r][rows[r].index(cell)] = attrs.evolve(cell, rowspan=first)
            for below in range(r + first, r + cell.rowspan):
                rows[below].append(Cell("", "row-header", cell.column, joined=True))
                rows[below].sort(key=lambda c: c.column)
        # row groups: each run of body rows a page break must not part is one group (the
        # PDF keeps a group on one page)
        kept = self.kept_rows()
        start = len(self.head)
        bodies: list[list[Row]] = []
        for r in range(start, len(rows)):
            if not bodies or r - 1 not in kept:
                bodies.append([])
            bodies[-1].append(Row(tuple(rows[r])))
        head = tuple(Row(tuple(cells)) for cells in rows[:start])
        return attrs.evolve(self, head=head, bodies=tuple(tuple(b) for b in bodies))

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

    @property
    def full_notice(self) -> str:
        """The fixed sentence, then every failed check's message: for an edition without
        tables to point to (the graphic, which states each mismatch at its figure)."""
        return self.lead + "".join(self.messages)


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
