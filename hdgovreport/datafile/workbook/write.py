"""Write a report as the fill-in workbook (``.xlsx``) an officer opens in Excel, WPS or Calc.

Sheets follow the report: 基本信息, 一、总体情况, 表2, 表3, 表4, 五、…, 六、… (with the fee
figures as cells), 亮点 (graphic edition) and 说明.  Input cells are unlocked and yellow,
everything else is protected (no password); every count and amount has data validation;
beside each reported 总计 a SUM formula shows what the parts add up to, and the pair turns red
while they differ.  The same report always gives the same bytes.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hdgovreport.datafile import keys as K
from hdgovreport.datafile.workbook import layout as L
from hdgovreport.datafile.workbook import settings as graphic_settings
from hdgovreport.datafile.workbook import sheets as S
from hdgovreport.datafile.workbook.guide import guide_lines
from hdgovreport.errors import DataFileError, Problem
from hdgovreport.fileio import write_atomic
from hdgovreport.form import queries
from hdgovreport.form.layout import Edition, ValueType, layout, wording
from hdgovreport.form.numbering import level2
from hdgovreport.model import AnnualReport, Narrative, OtherMatters, Point, value_at
from hdgovreport.model import values as V
from hdgovreport.model.report import FIRST_YEAR, LAST_YEAR

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

#: Significant digits a spreadsheet keeps exactly (an IEEE double, as Excel shows it).
EXCEL_DIGITS = 15
#: Column widths of a row list (level, text, point numbering), of 基本信息 and of 说明.
LIST_WIDTHS = (8.0, 96.0, 10.0)
META_WIDTHS = (12.0, 48.0, 46.0)
GUIDE_WIDTH = 80.0
#: On-screen scale of the official printed widths (mm), so labels wrap to two or three lines.
TABLE_SCALE = {"proactive": 1.15, "applications": 1.9, "review_litigation": 1.55}

_HINT = "黄色格子是填写处，其余格子已保护（无密码，只为防止误改）；灰色格子自动计算，不用填写。"


# ---------------------------------------------------------------- values


def number_format(kind: ValueType, value: Decimal | None) -> str:
    """``General``, or for an amount written with decimals ``0.00##`` (its places shown, up to
    the most the kind allows) — the reader takes the places back from it (``12.50`` stays 12.50)."""
    if kind not in ("money", "yuan") or value is None:
        return "General"
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    most = V.MONEY_PLACES if kind == "money" else V.YUAN_PLACES
    if places == 0:
        return "General"
    return "0." + "0" * places + "#" * (most - places)


def cell_number(kind: ValueType, value: Any, path: str) -> int | float:
    """The number a cell holds for a model value; an amount a spreadsheet cannot hold exactly
    (more than 15 significant digits) is refused rather than rounded."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value() and value.as_tuple().exponent >= 0:  # type: ignore[operator]
            return int(value)
        number = float(value)
        if Decimal(repr(number)) != value or len(value.as_tuple().digits) > EXCEL_DIGITS:
            raise ValueError(path)
        return number
    assert isinstance(value, int)
    return value


# ---------------------------------------------------------------- rows of text


def _list_header(ws: Worksheet, row: int, headings: Sequence[str]) -> None:
    for i, text in enumerate(headings, 1):
        cell = ws.cell(row=row, column=i)
        S.set_text(cell, text)
        S.style_header(cell)


def _text_rows(
    ws: Worksheet,
    first: int,
    rows: Sequence[Sequence[str]],
    levels: Sequence[str],
    *,
    columns: int,
    text_span: int = 1,
    widths: dict[int, float] | None = None,
    spare: int = L.SPARE_ROWS,
) -> int:
    """Rows of ``(level, text[, more…])`` from row ``first``, then spare empty rows, all input.

    ``text_span`` merges the text column over that many columns.  Returns the last row.
    """
    total = len(rows) + spare
    widths = widths or S.column_widths(ws)
    for i in range(total):
        r = first + i
        values = rows[i] if i < len(rows) else ()
        for c in range(1, columns + 1):
            cell = ws.cell(row=r, column=c)
            S.style_input(cell, horizontal="left")
            index = _value_index(c, text_span)
            if index is not None and index < len(values) and values[index]:
                S.set_text(cell, values[index])
        if text_span > 1:
            S.merge(ws, r, 2, r, 1 + text_span)
        S.fit_row(ws, r, widths)
    last = first + total - 1
    S.validation(
        ws,
        [f"A{first}:A{last}"],
        kind="list",
        formula1='"' + ",".join(levels) + '"',
        prompt=f"{L.LEVEL}：{'、'.join(levels)}",
        error=f"{L.LEVEL}应为{'、'.join(levels)}之一",
    )
    return last


def _value_index(column: int, text_span: int) -> int | None:
    """Which value of a row goes in ``column``: level, text (over ``text_span`` columns), more."""
    if column <= 2:
        return column - 1
    if column <= 1 + text_span:
        return None
    return column - text_span


def narrative_rows(section: Narrative) -> list[tuple[str, ...]]:
    """A narrative section as rows: 导语 paragraphs, then each 小节 with its 要点 and 段落."""
    rows: list[tuple[str, ...]] = [(K.INTRO, text) for text in section.intro]
    for sub in section.subsections:
        rows.append((K.SUBSECTIONS, sub.title, sub.point_style))
        for block in sub.content:
            rows.append((K.POINT if isinstance(block, Point) else K.PARAGRAPH, block.text))
    return rows


# ---------------------------------------------------------------- sheets


def _title_formula(agency: str, year: str) -> str:
    """The report title as a formula of the agency and year cells (it follows what is typed)."""
    import re

    pieces = []
    for part in re.split(r"(\{agency\}|\{year\})", wording().title):
        if part == "{agency}":
            pieces.append(agency)
        elif part == "{year}":
            pieces.append(year)
        elif part:
            pieces.append('"' + part.replace('"', '""') + '"')
    return "=" + "&".join(pieces)


def _meta_sheet(wb: Workbook, report: AnnualReport, edition: Edition) -> None:
    ws = wb.create_sheet(L.META_SHEET)
    S.set_widths(ws, META_WIDTHS)
    meta = report.meta
    rows = {key: L.META_TOP + i for i, key in enumerate(L.META_ROWS)}
    cell = ws.cell(row=1, column=1)
    cell.value = _title_formula(L.ref(rows[K.AGENCY], 2), L.ref(rows[K.YEAR], 2))
    cell.font = S.font(bold=True, size=14)
    S.merge(ws, 1, 1, 1, 3)
    ws.row_dimensions[1].height = S.row_height(1) + 3
    S.note_row(ws, 2, _HINT + "填写方法见最后一个工作表“说明”。", 3, sum(META_WIDTHS))
    hints = {
        K.EDITION: "2021（国办公开办函〔2021〕30号，2021 年度起）或 2019（试行格式）；改动后请重新生成工作簿",
        K.AGENCY: "机关全称，用于标题",
        K.KIND: "本级政府（3 月 31 日前公布）或 政府部门（1 月 31 日前公布）",
        K.YEAR: "统计年度，如 2023",
        K.PUBLISHED: "可不填；写成 2024-01-31",
        K.WEBSITE: "可不填",
        K.CONTACT: "可不填",
    }
    values: dict[str, Any] = {
        K.EDITION: int(edition),
        K.AGENCY: meta.agency,
        K.KIND: K.KIND_WORDS[meta.kind],
        K.YEAR: meta.year,
        K.PUBLISHED: meta.published,
        K.WEBSITE: meta.website,
        K.CONTACT: meta.contact,
    }
    for key, r in rows.items():
        label = ws.cell(row=r, column=1)
        S.set_text(label, key)
        S.style_header(label, horizontal="left")
        cell = ws.cell(row=r, column=2)
        S.style_input(cell, horizontal="left")
        value = values[key]
        if isinstance(value, str):
            S.set_text(cell, value)
        elif isinstance(value, _dt.date):
            cell.value = value
            cell.number_format = "yyyy-mm-dd"
        elif value is not None:
            cell.value = value
        note = ws.cell(row=r, column=3)
        S.set_text(note, hints[key])
        S.style_note(note)
        S.fit_row(ws, r, dict(enumerate(META_WIDTHS, 1)))

    def b(key: str) -> list[str]:
        return [L.ref(rows[key], 2)]

    S.validation(
        ws,
        b(K.EDITION),
        kind="list",
        formula1='"2021,2019"',
        prompt="2021 或 2019",
        error="格式版本应为 2021 或 2019",
    )
    kinds = ",".join(K.KIND_WORDS.values())
    S.validation(
        ws,
        b(K.KIND),
        kind="list",
        formula1=f'"{kinds}"',
        prompt=kinds,
        error=f"机关类别应为{kinds}之一",
    )
    S.validation(
        ws,
        b(K.YEAR),
        kind="whole",
        operator="between",
        formula1=str(FIRST_YEAR),
        formula2=str(LAST_YEAR),
        prompt="统计年度，如 2023",
        error=f"报告年度应为 {FIRST_YEAR} 至 {LAST_YEAR} 之间的整数",
    )
    S.validation(
        ws,
        b(K.PUBLISHED),
        kind="date",
        operator="greaterThan",
        formula1="39448",
        prompt="发布日期，如 2024-01-31",
        error="发布日期应为日期，如 2024-01-31",
    )
    S.note_row(
        ws,
        L.OPENING_NOTE_ROW,
        f"{K.OPENING}：标题之后、“{L.narrative_sheet_name('overview')}”之前的段落，每段一行（{L.LEVEL}填“{K.PARAGRAPH}”）。",
        3,
        134,
    )
    _list_header(ws, L.OPENING_HEADER_ROW, (L.LEVEL, K.CONTENT))
    S.merge(ws, L.OPENING_HEADER_ROW, 2, L.OPENING_HEADER_ROW, 3)
    _text_rows(
        ws,
        L.OPENING_HEADER_ROW + 1,
        [(K.PARAGRAPH, t) for t in report.opening],
        L.OPENING_LEVELS,
        columns=3,
        text_span=2,
    )
    S.protect(ws, rows=True)
    S.print_setup(ws, landscape=False)


def _narrative_sheet(wb: Workbook, report: AnnualReport, attr: str) -> None:
    ws = wb.create_sheet(L.narrative_sheet_name(attr))
    S.set_widths(ws, LIST_WIDTHS)
    S.title_row(ws, 1, L.narrative_sheet_name(attr), 3)
    S.note_row(
        ws,
        2,
        f"每行一项：{L.LEVEL}选“{K.INTRO}”（小节之前的段落）、“{K.SUBSECTIONS}”（标题）、“{K.POINT}”或“{K.PARAGRAPH}”；"
        f"（一）（二）和一是、二是等编号由程序生成，不要手写。{K.SUBSECTIONS}行可选{K.POINT_STYLE}（一是、1.、（1））。",
        3,
        sum(LIST_WIDTHS),
    )
    section: Narrative = getattr(report, attr)
    header = L.narrative_header_row(attr)
    if isinstance(section, OtherMatters):
        _fee_block(ws, section)
    _list_header(ws, header, (L.LEVEL, K.CONTENT, K.POINT_STYLE))
    last = _text_rows(ws, header + 1, narrative_rows(section), L.NARRATIVE_LEVELS, columns=3)
    S.heading_when(
        ws, f"A{header + 1}:C{last + L.SPARE_ROWS * 10}", f'$A{header + 1}="{K.SUBSECTIONS}"'
    )
    styles = '"' + ",".join(("一是", "1.", "（1）")) + '"'
    S.validation(
        ws,
        [f"C{header + 1}:C{last}"],
        kind="list",
        formula1=styles,
        prompt=f"{K.SUBSECTIONS}行的{K.POINT_STYLE}：一是、1.、（1）；不填为一是",
        error=f"{K.POINT_STYLE}应为一是、1.、（1）之一",
    )
    ws.freeze_panes = f"A{header + 1}"
    S.unlock_columns(ws, 3)
    S.protect(ws, rows=True)
    S.print_setup(ws, landscape=False, title_rows=f"{header}:{header}")


def _fee_block(ws: Worksheet, section: OtherMatters) -> None:
    fee = layout().fee
    head = ws.cell(row=L.FEE_TOP, column=1)
    S.set_text(head, fee.name)
    S.style_header(head, horizontal="left")
    S.merge(ws, L.FEE_TOP, 1, L.FEE_TOP, L.FEE_VALUE_COLUMN)
    for (path, label, r), item in zip(L.fee_rows(), fee.items, strict=True):
        cell = ws.cell(row=r, column=1)
        S.set_text(cell, label)
        S.style_header(cell, bold=False, horizontal="left")
        S.merge(ws, r, 1, r, L.FEE_VALUE_COLUMN - 1)
        value = value_at(section, path.removeprefix("other_matters."))
        target = ws.cell(row=r, column=L.FEE_VALUE_COLUMN)
        S.style_input(target, horizontal="left", number_format=number_format(item.type, value))  # type: ignore[arg-type]
        target.value = _number(item.type, value, path)
        _validate(ws, [target.coordinate], item.type)


def _number(kind: ValueType, value: Any, path: str) -> int | float:
    try:
        return cell_number(kind, value, path)
    except ValueError:
        raise _TooPrecise(path, value) from None


class _TooPrecise(Exception):
    def __init__(self, path: str, value: Any) -> None:
        self.path = path
        self.value = value


_VALIDATION: dict[str, dict[str, str]] = {
    "count": {
        "kind": "whole",
        "operator": "between",
        "formula1": "0",
        "formula2": str(V.MAX_COUNT),
    },
    "signed": {
        "kind": "whole",
        "operator": "between",
        "formula1": str(-V.MAX_COUNT),
        "formula2": str(V.MAX_COUNT),
    },
}
_WORDS = {
    "count": "非负整数（没有就填 0）",
    "signed": "整数（减少填负数）",
    "money": f"以万元为单位的非负金额，最多 {V.MONEY_PLACES} 位小数",
    "yuan": f"以元为单位的非负金额，最多 {V.YUAN_PLACES} 位小数",
}


def _validate(ws: Worksheet, coordinates: list[str], kind: ValueType) -> None:
    if not coordinates:
        return
    if kind in _VALIDATION:
        spec = _VALIDATION[kind]
        S.validation(
            ws,
            coordinates,
            kind=spec["kind"],
            operator=spec["operator"],
            formula1=spec["formula1"],
            formula2=spec["formula2"],
            prompt=f"请填写{_WORDS[kind]}",
            error=f"应为{_WORDS[kind]}",
        )
        return
    places = V.MONEY_PLACES if kind == "money" else V.YUAN_PLACES
    for coordinate in coordinates:  # a custom rule is relative to its own cell
        S.validation(
            ws,
            [coordinate],
            kind="custom",
            formula1=f"AND(ISNUMBER({coordinate}),{coordinate}>=0,ROUND({coordinate},{places})={coordinate})",
            prompt=f"请填写{_WORDS[kind]}",
            error=f"应为{_WORDS[kind]}",
        )


def _table_sheet(
    wb: Workbook, report: AnnualReport, sheet: L.TableSheet, blank_totals: bool
) -> None:
    ws = wb.create_sheet(sheet.name)
    scale = TABLE_SCALE[sheet.attr]
    widths = S.mm_widths(sheet.table.widths_mm, scale)
    if sheet.helper_columns:
        widths += [12.0, 7.0]
    S.set_widths(ws, widths)
    all_columns = sheet.width + sheet.helper_columns
    S.title_row(ws, 1, sheet.title, all_columns)
    hint = _HINT if sheet.helpers else _HINT.split("；")[0] + "。"
    S.note_row(ws, 2, hint, all_columns, sum(widths))
    S.place_table(ws, sheet.table, L.TABLE_TOP)
    kinds = queries.cells_by_path(report.edition)
    by_kind: dict[ValueType, list[str]] = {}
    for path, coordinate in sheet.cells.items():
        kind = kinds[path].type
        cell = ws[coordinate]
        is_total = path.endswith(".total") or ".total_handled." in path
        if not (blank_totals and is_total):
            value = value_at(report, path)
            cell.value = _number(kind, value, path)
            cell.number_format = number_format(kind, value if isinstance(value, Decimal) else None)
        by_kind.setdefault(kind, []).append(coordinate)
    if sheet.attr == "proactive":  # as the official table: figures centred in their cells
        for coordinate in sheet.cells.values():
            ws[coordinate].alignment = S.align("center", wrap=False)
    for kind, coordinates in by_kind.items():
        _validate(ws, coordinates, kind)
    for helper in sheet.helpers:
        cell = ws[helper.coordinate]
        if helper.label:
            S.set_text(cell, helper.formula)
            S.style_header(
                cell,
                bold=False,
                horizontal="right" if sheet.attr == "review_litigation" else "left",
            )
        else:
            cell.value = f"={helper.formula}"
            marker = f'"{L.MISMATCH}"' in helper.formula
            S.style_computed(cell, horizontal="center" if marker else "right")
    done = {str(m) for m in ws.merged_cells.ranges}
    for merged in sheet.merges:
        if merged not in done:
            from openpyxl.worksheet.cell_range import CellRange

            box = CellRange(merged)
            S.merge(ws, box.min_row, box.min_col, box.max_row, box.max_col)
    for mismatch in sheet.mismatches:
        S.bad_when(ws, mismatch.ranges, mismatch.condition)
    column_widths = S.column_widths(ws)
    for r in range(L.TABLE_TOP, sheet.last_row + 1):
        S.fit_row(ws, r, column_widths)
    _table_text(ws, report, sheet, column_widths)
    ws.freeze_panes = _freeze(sheet)
    S.protect(ws, rows=False)
    header_rows = len(sheet.table.head)
    S.print_setup(
        ws,
        landscape=sheet.attr != "proactive",
        title_rows=f"{L.TABLE_TOP}:{L.TABLE_TOP + header_rows - 1}"
        if sheet.attr == "applications"
        else None,
    )


def _freeze(sheet: L.TableSheet) -> str:
    first_value = min(sheet.cells.values(), key=lambda c: (L._row_of(c), L._column_of(c)))
    if sheet.attr == "applications":
        return first_value
    return f"A{L.TABLE_TOP}"


def _table_text(
    ws: Worksheet, report: AnnualReport, sheet: L.TableSheet, widths: dict[int, float]
) -> None:
    section = getattr(report, sheet.attr)
    header = sheet.text_header_row
    S.note_row(
        ws,
        header - 1,
        f"表格前后的文字（可不填）：{L.LEVEL}填“{K.INTRO}”的段落印在表格之前，填“{K.NOTES}”的印在表格之后，每段一行。",
        sheet.width,
        sum(widths.get(c, 8.43) for c in range(1, sheet.width + 1)),
    )
    _list_header(ws, header, (L.LEVEL, K.CONTENT))
    S.merge(ws, header, 2, header, sheet.width)
    rows = [(K.INTRO, t) for t in section.intro] + [(K.NOTES, t) for t in section.notes]
    _text_rows(
        ws,
        header + 1,
        rows,
        L.TABLE_TEXT_LEVELS,
        columns=sheet.width,
        text_span=sheet.width - 1,
        widths=widths,
        spare=L.SPARE_TABLE_TEXT_ROWS,
    )


def _highlight_sheet(wb: Workbook, report: AnnualReport) -> None:
    ws = wb.create_sheet(L.HIGHLIGHT_SHEET)
    widths = (40.0, 12.0, 10.0, 50.0)
    S.set_widths(ws, widths)
    S.title_row(ws, 1, f"{L.HIGHLIGHT_SHEET}（图解版，可不填）", 4)
    S.note_row(
        ws,
        2,
        f"图解版默认从“{L.narrative_sheet_name('overview')}”的文字中找数字；在这里可以为某个小节指定要展示的数字。"
        f"“{L.SUBSECTION_OF}”写小节的编号和标题，如“（一）持续完善体系建设”；“{K.FIGURE}”以阿拉伯数字开头，如 22、2.5、100余。",
        4,
        sum(widths),
    )
    _list_header(ws, 3, (L.SUBSECTION_OF, K.FIGURE, K.UNIT, K.LABEL))
    rows = []
    for i, sub in enumerate(report.overview.subsections, 1):
        for h in sub.highlights:
            rows.append((level2(i) + sub.title, h.figure, h.unit, h.label))
    column_widths = S.column_widths(ws)
    for i in range(len(rows) + L.SPARE_ROWS):
        r = 4 + i
        values = rows[i] if i < len(rows) else ()
        for c in range(1, 5):
            cell = ws.cell(row=r, column=c)
            S.style_input(cell, horizontal="left")
            if c - 1 < len(values) and values[c - 1]:
                S.set_text(cell, values[c - 1])
        S.fit_row(ws, r, column_widths)
    ws.freeze_panes = "A4"
    S.unlock_columns(ws, 4)
    S.protect(ws, rows=True)
    S.print_setup(ws, landscape=False, title_rows="3:3")


def _guide_sheet(wb: Workbook, edition: Edition) -> None:
    ws = wb.create_sheet(L.GUIDE_SHEET)
    S.set_widths(ws, (GUIDE_WIDTH,))
    S.title_row(ws, 1, "填写说明", 1)
    widths = S.column_widths(ws)
    for i, (text, heading) in enumerate(guide_lines(edition), 2):
        cell = ws.cell(row=i, column=1)
        S.set_text(cell, text)
        cell.font = S.font(bold=heading)
        cell.alignment = S.align("left", "top", indent=0 if heading else 1)
        S.fit_row(ws, i, widths)
    S.protect(ws)
    S.print_setup(ws, landscape=False)


def build_workbook(report: AnnualReport, *, blank_totals: bool = False) -> Workbook:
    """The fill-in workbook of ``report`` (``blank_totals``: leave the 总计 cells empty, as in a
    new workbook, so the officer fills only the parts)."""
    wb = S.new_workbook()
    edition = report.edition
    sheets = {s.attr: s for s in L.table_sheets(edition)}
    _meta_sheet(wb, report, edition)
    _narrative_sheet(wb, report, "overview")
    for attr in ("proactive", "applications", "review_litigation"):
        _table_sheet(wb, report, sheets[attr], blank_totals)
    _narrative_sheet(wb, report, "problems")
    _narrative_sheet(wb, report, "other_matters")
    _highlight_sheet(wb, report)
    graphic_settings.write_sheet(wb, report)
    _guide_sheet(wb, edition)
    wb.active = 0
    return wb


def workbook_bytes(
    report: AnnualReport, *, blank_totals: bool = False, filename: str = ""
) -> bytes:
    """The workbook as ``.xlsx`` bytes (deterministic).  Raises :class:`DataFileError` for an
    amount a spreadsheet cannot hold exactly (more than 15 significant digits)."""
    try:
        wb = build_workbook(report, blank_totals=blank_totals)
    except _TooPrecise as exc:
        where = queries.cell_name(exc.path, report.edition)
        raise DataFileError(
            filename or "<工作簿>",
            [
                Problem(
                    f"金额 {format(exc.value, 'f')} 的有效数字超过 {EXCEL_DIGITS} 位，"
                    "Excel 和 WPS 无法准确保存，不能写成工作簿（请改用 .yaml 数据文件）",
                    field=where,
                )
            ],
        ) from None
    return S.workbook_bytes(wb)


def dump_workbook(report: AnnualReport, path: str | Path, *, blank_totals: bool = False) -> Path:
    """Write the report as a fill-in workbook, atomically."""
    return write_atomic(path, workbook_bytes(report, blank_totals=blank_totals, filename=str(path)))
