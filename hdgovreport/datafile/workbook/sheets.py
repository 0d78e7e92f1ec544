"""Building blocks for the workbooks we write with openpyxl (styled, protected, printable).

Nothing here knows the report: a sheet title, an official table grid placed with its merged
header cells (from the neutral document tree, so the workbook draws exactly the grid every
edition draws), styles for input / computed / header cells, data validation, column widths
and row heights for wrapped Chinese text, frozen panes, print set-up, protection without a
password, and a deterministic save (fixed timestamps, so the same workbook is the same bytes).
The fill-in workbook uses them; a district roster or an audit workbook can too.
"""

from __future__ import annotations

import datetime as _dt
import functools
import io
import math
import re
import weakref
import zipfile
from collections.abc import Callable, Iterable, Mapping
from copy import copy
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from hdgovreport.document.tree import Table

#: The face every cell uses: 宋体 is on every Chinese Windows and in WPS; LibreOffice
#: substitutes its CJK serif.
FONT_NAME = "宋体"
FONT_SIZE = 11
#: Input cells (the officer types here), computed cells, header cells, a difference.
INPUT_FILL = "FFF8DC"
COMPUTED_FILL = "EDEDED"
HEADER_FILL = "DDE6F0"
HEADING_FILL = "FCE9B6"
BAD_FILL = "FFC7CE"
BAD_FONT = "9C0006"
#: Points per line of 11 pt text (with leading), and the padding of a row.
LINE_POINTS = 14.4
ROW_PADDING = 3.0
#: Excel column width units per millimetre of printed width (≈ 7 px per unit at 96 dpi).
UNITS_PER_MM = 96 / 25.4 / 7
#: A fixed moment written as the workbook's creation and modification time.
EPOCH = _dt.datetime(2000, 1, 1)


def display_width(text: str) -> int:
    """Width of ``text`` in Excel's character units: CJK and full-width characters count 2."""
    if text.isascii():
        return len(text)
    return len(text) + len(_WIDE.findall(text))


#: East Asian wide and full-width characters (CJK, kana, hangul, full-width forms).
_WIDE = re.compile(
    r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
)


def text_lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` units wide (each paragraph of it)."""
    usable = max(width - 1.5, 1.0)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


def row_height(lines: int) -> float:
    return round(lines * LINE_POINTS + ROW_PADDING, 1)


# ---------------------------------------------------------------- styles

#: Built styles by workbook and key: openpyxl hashes a style each time it is set, which for
#: thousands of cells costs seconds; a cell takes a copy of an already-built style instead.
_BUILT: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], Any]] = weakref.WeakKeyDictionary()


def _cached(cell: Any, key: tuple[Any, ...], build: Callable[[], None]) -> None:
    built = _BUILT.setdefault(cell.parent.parent, {})
    style = built.get(key)
    if style is None:
        build()
        built[key] = copy(cell._style)
    else:
        cell._style = copy(style)


def font(*, bold: bool = False, size: float = FONT_SIZE, color: str | None = None) -> Any:
    from openpyxl.styles import Font

    return Font(name=FONT_NAME, size=size, bold=bold, color=color)


def fill(color: str) -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill(fill_type="solid", start_color=color, end_color=color)


def thin_border() -> Any:
    from openpyxl.styles import Border, Side

    side = Side(style="thin", color="808080")
    return Border(left=side, right=side, top=side, bottom=side)


def align(
    horizontal: str = "left", vertical: str = "center", *, wrap: bool = True, indent: int = 0
) -> Any:
    from openpyxl.styles import Alignment

    return Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap, indent=indent)


def unlocked() -> Any:
    from openpyxl.styles import Protection

    return Protection(locked=False, hidden=False)


def set_text(cell: Any, text: str) -> None:
    """Write ``text`` as a string, never as a formula (a paragraph may start with ``=``)."""
    cell.value = text
    cell.data_type = "s"


def style_header(
    cell: Any, *, bold: bool = True, horizontal: str = "center", size: float = FONT_SIZE
) -> None:
    """A header or label cell: shaded, bordered, wrapped, locked."""

    def build() -> None:
        cell.font = font(bold=bold, size=size)
        cell.fill = fill(HEADER_FILL)
        cell.border = thin_border()
        cell.alignment = align(horizontal)

    _cached(cell, ("header", bold, horizontal, size), build)


def style_input(cell: Any, *, horizontal: str = "right", number_format: str = "General") -> None:
    """An input cell: yellow, bordered, unlocked."""

    def build() -> None:
        cell.font = font()
        cell.fill = fill(INPUT_FILL)
        cell.border = thin_border()
        cell.alignment = align(horizontal, wrap=horizontal != "right")
        cell.protection = unlocked()
        cell.number_format = number_format

    _cached(cell, ("input", horizontal, number_format), build)


def style_computed(cell: Any, *, horizontal: str = "right") -> None:
    """A computed cell: grey, bordered, locked."""

    def build() -> None:
        cell.font = font()
        cell.fill = fill(COMPUTED_FILL)
        cell.border = thin_border()
        cell.alignment = align(horizontal)

    _cached(cell, ("computed", horizontal), build)


def style_note(cell: Any, *, bold: bool = False, size: float = 10, indent: int = 0) -> None:
    """A note: small grey text, wrapped, top-aligned."""

    def build() -> None:
        cell.font = font(bold=bold, size=size, color="404040")
        cell.alignment = align("left", "top", indent=indent)

    _cached(cell, ("note", bold, size, indent), build)


def merge(
    ws: Worksheet, first_row: int, first_column: int, last_row: int, last_column: int
) -> None:
    """Merge a range quickly (openpyxl's merge_cells re-derives borders, slowly; the covered
    cells here get the first cell's border and fill instead)."""
    from openpyxl.cell.cell import MergedCell
    from openpyxl.worksheet.cell_range import CellRange

    # a plain range: openpyxl's MergedCellRange re-derives the borders of every edge, slowly
    ws.merged_cells.add(
        CellRange(min_row=first_row, min_col=first_column, max_row=last_row, max_col=last_column)
    )
    first: Any = ws.cell(row=first_row, column=first_column)
    for r in range(first_row, last_row + 1):
        for c in range(first_column, last_column + 1):
            if (r, c) != (first_row, first_column):
                covered: Any = MergedCell(ws, r, c)
                covered._style = copy(first._style)  # the border and fill of the whole range
                ws._cells[r, c] = covered


def ref(row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column)}{row}"


# ---------------------------------------------------------------- sheet furniture


def title_row(ws: Worksheet, row: int, text: str, last_column: int, *, size: float = 14) -> None:
    """A bold title across columns 1..``last_column`` (merged), e.g. the section heading."""
    cell = ws.cell(row=row, column=1)
    set_text(cell, text)
    cell.font = font(bold=True, size=size)
    cell.alignment = align("left", wrap=False)
    if last_column > 1:
        merge(ws, row, 1, row, last_column)
    ws.row_dimensions[row].height = row_height(1) + size - FONT_SIZE


def note_row(ws: Worksheet, row: int, text: str, last_column: int, width: float) -> None:
    """A wrapped note across columns 1..``last_column`` (merged); ``width`` is their total width."""
    cell = ws.cell(row=row, column=1)
    set_text(cell, text)
    style_note(cell)
    if last_column > 1:
        merge(ws, row, 1, row, last_column)
    ws.row_dimensions[row].height = row_height(text_lines(text, width * 1.1))


def unlock_columns(ws: Worksheet, columns: int) -> None:
    """Leave columns 1..``columns`` unlocked below the last styled row (a list grows downwards)."""
    from openpyxl.utils import get_column_letter

    for c in range(1, columns + 1):
        ws.column_dimensions[get_column_letter(c)].protection = unlocked()


def set_widths(ws: Worksheet, widths: Iterable[float], first_column: int = 1) -> None:
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(first_column + i)].width = round(width, 2)


def mm_widths(widths_mm: Iterable[float], scale: float) -> list[float]:
    """Printed widths in mm (the official table widths), as on-screen column widths."""
    return [w * UNITS_PER_MM * scale for w in widths_mm]


def column_widths(ws: Worksheet) -> dict[int, float]:
    from openpyxl.utils import column_index_from_string

    return {
        column_index_from_string(letter): dim.width or 8.43
        for letter, dim in ws.column_dimensions.items()
    }


def fit_row(ws: Worksheet, row: int, widths: Mapping[int, float], minimum: int = 1) -> None:
    """Set the height of ``row`` so that every wrapped text in it shows (merged cells included);
    ``widths`` are the widths of the columns that may hold text."""
    spans = {
        (m.min_row, m.min_col): m for m in ws.merged_cells.ranges if m.min_row <= row <= m.max_row
    }
    lines = minimum
    for column in sorted(widths):
        cell = ws._cells.get((row, column))  # never creates a cell (ws[row] would, and is slow)
        if cell is None or not isinstance(cell.value, str) or cell.value.startswith("="):
            continue
        merged = spans.get((cell.row, cell.column))
        if merged is not None and merged.max_row > merged.min_row:
            continue  # a cell spanning rows has the height of all of them
        last = merged.max_col if merged is not None else cell.column
        width = sum(widths.get(c, 8.43) for c in range(cell.column, last + 1))
        lines = max(lines, text_lines(cell.value, width))
    ws.row_dimensions[row].height = row_height(lines)


def place_table(ws: Worksheet, table: Table, top: int, left: int = 1) -> dict[str, str]:
    """Draw an official table grid (header cells, row labels, merges) with its top-left at
    (``top``, ``left``); value cells are styled as input and left empty.

    Returns the coordinate of every value cell by its model path.
    """
    coordinates: dict[str, str] = {}
    for r, row in enumerate(table.rows()):
        for grid_cell in row.cells:
            excel_row, excel_col = top + r, left + grid_cell.column
            cell = ws.cell(row=excel_row, column=excel_col)
            if grid_cell.kind == "value":
                assert grid_cell.field is not None
                coordinates[grid_cell.field] = ref(excel_row, excel_col)
                style_input(cell)
            else:
                set_text(cell, grid_cell.text)
                horizontal = "left" if grid_cell.kind in ("row-header", "block-title") else "center"
                style_header(
                    cell,
                    bold=grid_cell.kind not in ("row-header", "corner"),
                    horizontal=horizontal,
                    size=9 if grid_cell.kind == "corner" else FONT_SIZE,
                )
            if grid_cell.colspan > 1 or grid_cell.rowspan > 1:
                merge(
                    ws,
                    excel_row,
                    excel_col,
                    excel_row + grid_cell.rowspan - 1,
                    excel_col + grid_cell.colspan - 1,
                )
    return coordinates


def bad_when(ws: Worksheet, ranges: str, formula: str) -> None:
    """Conditional formatting: the cells of ``ranges`` turn red while ``formula`` is true."""
    from openpyxl.formatting.rule import Rule
    from openpyxl.styles.differential import DifferentialStyle

    dxf = _BAD_STYLE.get(ws.parent)
    if dxf is None:
        dxf = _BAD_STYLE[ws.parent] = DifferentialStyle(
            font=font(color=BAD_FONT), fill=fill(BAD_FILL)
        )
    ws.conditional_formatting.add(ranges, Rule(type="expression", formula=[formula], dxf=dxf))


_BAD_STYLE: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def heading_when(ws: Worksheet, ranges: str, formula: str) -> None:
    """Conditional formatting: rows of ``ranges`` are bold and shaded while ``formula`` holds
    (a 小节 row stands out, also one the officer adds)."""
    from openpyxl.formatting.rule import Rule
    from openpyxl.styles.differential import DifferentialStyle

    dxf = DifferentialStyle(font=font(bold=True), fill=fill(HEADING_FILL))
    ws.conditional_formatting.add(ranges, Rule(type="expression", formula=[formula], dxf=dxf))


def validation(
    ws: Worksheet,
    ranges: Iterable[str],
    *,
    kind: str,
    prompt: str,
    error: str,
    operator: str | None = None,
    formula1: str | None = None,
    formula2: str | None = None,
) -> None:
    """Data validation on ``ranges`` that refuses a wrong entry with a Chinese message."""
    from openpyxl.worksheet.datavalidation import DataValidation

    refs = " ".join(ranges)
    if not refs:
        return
    dv = DataValidation(
        type=cast(Any, kind),
        operator=cast(Any, operator),
        formula1=formula1,
        formula2=formula2,
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorStyle="stop",
        errorTitle="填写有误",
        error=error,
        promptTitle="填写说明",
        prompt=prompt,
        sqref=refs,
    )
    ws.add_data_validation(dv)


def protect(ws: Worksheet, *, rows: bool = False) -> None:
    """Protect the sheet without a password (only against accidents): locked cells cannot be
    changed; columns and rows can be resized; with ``rows``, rows can be inserted and deleted."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False
    if rows:
        p.insertRows = False
        p.deleteRows = False


def print_setup(
    ws: Worksheet, *, landscape: bool, title_rows: str | None = None, area: str | None = None
) -> None:
    """A4, fitted to the page width, centred; ``title_rows`` (``"3:5"``) repeat on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    from openpyxl.worksheet.properties import PageSetupProperties

    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if title_rows:
        ws.print_title_rows = title_rows
    if area:
        ws.print_area = area


def new_workbook() -> Workbook:
    """An empty workbook (no default sheet) with fixed document properties."""
    from openpyxl import Workbook

    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    wb.properties.creator = "hdgovreport"
    wb.properties.lastModifiedBy = "hdgovreport"
    wb.properties.created = EPOCH
    wb.properties.modified = EPOCH
    wb.calculation.fullCalcOnLoad = True  # formulas are written without cached values
    return wb


@functools.cache
def _writer_class() -> Any:
    """openpyxl's workbook writer, writing each sheet in memory rather than through a
    temporary file (on a busy disk the files cost as much as the rest of the save)."""
    from openpyxl.worksheet._writer import WorksheetWriter
    from openpyxl.writer.excel import ExcelWriter

    class MemoryWriter(ExcelWriter):
        def write_worksheet(self, ws: Any) -> None:
            if self.workbook.write_only:
                super().write_worksheet(ws)
                return
            from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing

            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            out = io.BytesIO()
            writer: Any = WorksheetWriter(ws, out=out)
            writer.write()
            ws._rels = writer._rels
            this: Any = self
            this._archive.writestr(ws.path[1:], out.getvalue())
            this.manifest.append(ws)

    return MemoryWriter


def workbook_bytes(wb: Workbook) -> bytes:
    """The workbook as ``.xlsx`` bytes, deterministic: the same workbook gives the same bytes.

    openpyxl stamps the save time into ``docProps/core.xml`` and into every zip entry; both
    are fixed here (entries keep openpyxl's order).
    """
    wb.properties.modified = EPOCH
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        _writer_class()(wb, archive).save()  # not wb.save(): that stamps the current time
    out = io.BytesIO()
    with (
        zipfile.ZipFile(raw) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
    return out.getvalue()
