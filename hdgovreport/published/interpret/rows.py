"""Table rows from the stream: every row of the three table sections, split into labels and values.

Rows come from table blocks (HTML, DOCX, PDF tables and tabbed text) and from
lines of text that are really table rows (a PDF text extractor prints a row as
``（一）予以公开 288 13 2 1 0 5 309``).  The paragraphs of a table section that
are not rows are the table's introduction (before it) and notes (after it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal

import attrs

from hdgovreport.form.layout import wording
from hdgovreport.model.provenance import Source
from hdgovreport.published.extract.stream import (
    EMPTY_CELL,
    CellText,
    TableBlock,
    TextBlock,
    squeeze,
)
from hdgovreport.published.interpret.cells import (
    CellValue,
    is_blank,
    is_unit_only,
    is_value,
    parse_number,
    read_cell,
    split_numbers,
)
from hdgovreport.published.interpret.labels import NUMBERING
from hdgovreport.published.interpret.result import Trail
from hdgovreport.published.interpret.sections import Section
from hdgovreport.published.interpret.vocabulary import (
    any_row_label,
    is_header_text,
    is_row_label,
    t4_outcome_matcher,
)

TABLE_SECTIONS = ("proactive", "applications", "review_litigation")


@attrs.frozen
class Value:
    """A value cell of a row: what it holds, and the cell it was printed in."""

    value: CellValue
    cell: CellText

    @property
    def number(self) -> Decimal | None:
        return self.value.number

    @property
    def raw(self) -> str:
        return self.value.raw


@attrs.frozen
class Row:
    """A published table row split into its label cells and its value cells."""

    labels: tuple[CellText, ...]
    values: tuple[Value, ...]
    region: str | None  # the section it was printed in
    split: bool = False  # some cell held several numbers
    width: int | None = None  # grid columns of its table, when the format says
    units: tuple[str, ...] = ()  # units printed in cells of their own (``万元``)


def split_row(cells: Sequence[CellText], region: str | None, width: int | None = None) -> Row:
    """Labels are the cells up to the last one that is not a value; values are the rest."""
    last_label = -1
    for i, cell in enumerate(cells):
        text = cell.text
        if not is_blank(text) and not is_value(text) and not (i and is_unit_only(text)):
            last_label = i
    labels: list[CellText] = []
    units: list[str] = []
    for cell in cells[: last_label + 1]:
        if is_blank(cell.text):
            continue
        if is_unit_only(cell.text) and labels:
            units.append(squeeze(cell.text))
            continue
        labels.append(cell)
    values: list[Value] = []
    split = False
    for cell in cells[last_label + 1 :]:
        if is_unit_only(cell.text):  # ``万元`` in a cell of its own: the unit of the amount
            units.append(squeeze(cell.text))
            continue
        many = split_numbers(cell.text)
        if many is not None:
            split = True
            values.extend(Value(CellValue(parse_number(p), p), cell) for p in many)
            continue
        value = read_cell(cell.text)
        values.append(Value(value if value is not None else CellValue(None, cell.text), cell))
    # a trailing run of blank cells after a label-only row is layout, not values
    blank = all(v.value.number is None and not v.value.too_long for v in values)
    if values and blank and not labels:
        values = []
    return Row(tuple(labels), tuple(values), region, split, width, tuple(units))


def text_row(text: str, source: Source) -> tuple[CellText, ...] | None:
    """A line of text that is really a table row (``（一）予以公开 288 13 2 1 0 5 309``).

    Text extractors print table rows as lines with the cells separated by spaces;
    header lines are several column labels separated by spaces.
    """
    parts = text.replace("\t", " ").split()
    if len(parts) < 2:
        return None
    numbered = [i for i, p in enumerate(parts) if is_value(p)]
    if not numbered:
        headers = [p for p in parts if is_header_text(p)]
        if len(headers) >= 2 and len(headers) * 2 >= len(parts):
            return tuple(CellText(p, source) for p in parts)
        return None
    first = numbered[0]
    if any(not is_value(p) and not is_blank(p) for p in parts[first:]):
        return None
    values = [CellText(p, source) for p in parts[first:]]
    if first == 0:
        return tuple(values) if len(values) >= 4 else None
    label = "".join(parts[:first])
    for fuzzy in (False, True):
        if any_row_label(label, fuzzy):
            return (CellText(label, source), *values)
        for split in range(1, first):  # group labels before the row's own label
            head, tail = "".join(parts[:split]), "".join(parts[split:first])
            if any_row_label(tail, fuzzy):
                return (CellText(head, source), CellText(tail, source), *values)
    return None


@attrs.frozen
class TableTexts:
    """The paragraphs before and after a section's table."""

    intro: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


#: A line holding only table rules (``|``): how some copies mark the cell boundaries.
_RULES = re.compile(r"^[|｜¦│┃]+$")
#: Blank marks a cell may print alone on its line (not ``无``: that may be a sentence).
_BLANK_MARKS = frozenset({"-", "--", "—", "——", "－", "–", "/", "／", "\\", EMPTY_CELL})


def _lone_value(text: str) -> bool:
    """A line that is one value cell printed alone (a table copied one cell per line)."""
    t = squeeze(text)
    return bool(t) and (t in _BLANK_MARKS or is_value(t))


def _with_value(row: Row, block: TextBlock) -> Row:
    """``row`` with the value printed alone in ``block`` appended."""
    cell = CellText(block.text, block.source)
    added = split_row((cell,), row.region)
    if not added.values:  # a blank mark alone: an empty cell (one with nothing in it: no text)
        raw = "" if squeeze(block.text) == EMPTY_CELL else block.text
        added = attrs.evolve(added, values=(Value(CellValue(None, raw), cell),))
    return attrs.evolve(row, values=row.values + added.values, split=row.split or added.split)


def _width(block: TableBlock) -> int | None:
    ends = [c.column + c.span for row in block.rows for c in row if c.column is not None]
    return max(ends) if ends else None


def table_rows(
    sections: Sequence[Section], tick: Callable[[], None] = lambda: None
) -> tuple[list[Row], dict[str, TableTexts], Trail]:
    """Every table row in reading order, and the intro/note paragraphs of the table sections."""
    trail = Trail()
    rows: list[Row] = []
    texts: dict[str, TableTexts] = {}
    for section in sections:
        attr = section.attr  # "" for a report without section headings
        region = attr or None
        in_table_section = attr in TABLE_SECTIONS or not attr
        intro: list[str] = []
        notes: list[str] = []
        seen_table = False
        pending: TextBlock | None = None
        caption = squeeze(wording().sections[attr]) if attr else ""

        # A table copied one cell per line: after a row label printed alone its values follow,
        # one a line ("label"); after the column headers, a row without a label ("headers",
        # Table 4's one wide row); while such a row is being read ("values").
        collecting = ""

        def paragraph(block: TextBlock, after: bool) -> None:
            """A line in a table section: a label printed alone (a row), or a paragraph."""
            nonlocal collecting
            if is_header_text(block.text) or is_row_label(block.text):
                rows.append(split_row((CellText(block.text, block.source),), region))  # noqa: B023
                # Table 4's last header (``总计``) is also a row label's core: after an
                # outcome header, values are the table's wide row
                outcome = (
                    t4_outcome_matcher().exact(block.text) is not None
                    and not NUMBERING.match(squeeze(block.text))  # not ``（七）总计``
                )
                collecting = "label" if is_row_label(block.text) and not outcome else "headers"
                return
            collecting = ""
            target = notes if after else intro  # noqa: B023
            kind = "notes" if after else "intro"
            if attr:  # noqa: B023
                trail.sources[f"{attr}.{kind}.{len(target)}"] = block.source  # noqa: B023
            target.append(block.text)

        for i, block in enumerate(section.blocks):
            if i % 256 == 255:
                tick()
            if isinstance(block, TableBlock):
                seen_table = True
                collecting = ""
                width = _width(block)
                for cells in block.rows:
                    for cell in cells:
                        if cell.note:
                            trail.note(cell.note, cell.source)
                    rows.append(split_row(cells, region, width))
                continue
            if not in_table_section:
                continue
            if _RULES.match(squeeze(block.text)):
                continue  # cell boundaries drawn as text
            if _lone_value(block.text):
                if pending is not None and (
                    is_row_label(pending.text) or is_header_text(pending.text)
                ):
                    paragraph(pending, seen_table)
                    pending = None
                if collecting == "headers" and pending is None:
                    rows.append(Row((), _with_value(Row((), (), region), block).values, region))
                    collecting = "values"
                    continue
                if collecting and pending is None:
                    rows[-1] = _with_value(rows[-1], block)
                    continue
            collecting = ""
            row = text_row(block.text, block.source)
            if row is None and pending is not None:  # a label wrapped onto this line
                row = text_row(pending.text + block.text, pending.source)
                if row is not None:
                    pending = None
            if row is not None:
                if pending is not None:
                    rows.append(split_row((CellText(pending.text, pending.source),), region))
                    pending = None
                seen_table = True
                rows.append(split_row(row, region))
                continue
            if block.hint == "caption" or squeeze(block.text) == caption:
                continue
            if (
                seen_table
                and len(block.text) <= 60
                and not re.search(r"[。；;]$", block.text)
                and pending is None
            ):
                pending = block  # maybe the first part of a wrapped row label
                continue
            if pending is not None:
                paragraph(pending, seen_table)
                pending = None
            paragraph(block, seen_table)
            if is_header_text(block.text) or is_row_label(block.text):
                seen_table = True
        if pending is not None:
            paragraph(pending, True)
        if attr in TABLE_SECTIONS:
            texts[attr] = TableTexts(tuple(intro), tuple(notes))
    return rows, texts, trail


__all__ = ["TABLE_SECTIONS", "Row", "TableTexts", "Value", "split_row", "table_rows", "text_row"]
