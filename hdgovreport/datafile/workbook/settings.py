"""The 图解 sheet: the graphic edition's settings (数据来源, 计算比率), as in a YAML data file.

Two rows, a key in column A and its value in column B: 数据来源 names the report the
graphic's source line cites (empty: the report's own title); 计算比率 lists the derived
rates the graphic may show, labelled as computed (empty: none).  The sheet is optional
when reading, so workbooks made before it existed still load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hdgovreport.datafile import keys as K
from hdgovreport.datafile.workbook import sheets as S
from hdgovreport.errors import InvalidValueError
from hdgovreport.model import AnnualReport
from hdgovreport.model.settings import NO_SETTINGS, GraphicSettings

if TYPE_CHECKING:
    from openpyxl import Workbook

SHEET = K.GRAPHIC
#: (key, row): the settings' rows; the value is in column B.
ROWS = ((K.SOURCE, 3), (K.RATES, 4))
#: Separators accepted between rate names in one cell (纠正率、其他).
_SEPARATORS = ("、", "，", ",", ";", "；", " ")


def _rate_words() -> str:
    return "、".join(K.RATE_FROM_WORD)


def write_sheet(wb: Workbook, report: AnnualReport) -> None:
    """The 图解 sheet of ``report``'s settings (yellow input cells, the rest protected)."""
    ws = wb.create_sheet(SHEET)
    widths = (16.0, 70.0)
    S.set_widths(ws, widths)
    S.title_row(ws, 1, f"{SHEET}（图解版的设置，可不填）", 2)
    S.note_row(
        ws,
        2,
        f"“{K.SOURCE}”是图解结尾“数据来源：《…》”中的报告名称，不填为报告的标题；"
        f"“{K.RATES}”填图解可以显示的计算所得比率（{_rate_words()}），不填则不显示任何计算所得的比率，"
        "显示时标明“根据报告数据计算”。",
        2,
        sum(widths),
    )
    settings = report.graphic
    values = {
        K.SOURCE: settings.source or "",
        K.RATES: "、".join(K.RATE_WORDS[r] for r in settings.rates),
    }
    column_widths = S.column_widths(ws)
    for key, row in ROWS:
        label = ws.cell(row=row, column=1)
        S.set_text(label, key)
        S.style_header(label)
        cell = ws.cell(row=row, column=2)
        S.style_input(cell, horizontal="left")
        if values[key]:
            S.set_text(cell, values[key])
        S.fit_row(ws, row, column_widths)
    S.protect(ws)
    S.print_setup(ws, landscape=False)


def read_sheet(reader: Any) -> GraphicSettings:
    """The settings on the 图解 sheet (none when the workbook has no such sheet).

    ``reader`` is the workbook reader: problems go to ``reader.problem`` with the cell.
    """
    ws = reader.sheets.get(SHEET)
    if ws is None:
        return NO_SETTINGS
    if not reader.expect_labels(ws, {f"A{row}": key for key, row in ROWS}):
        return NO_SETTINGS
    at = {key: f"B{row}" for key, row in ROWS}
    source = reader.checked_text(ws, at[K.SOURCE], K.SOURCE, "graphic.source")
    rates: list[str] = []
    words = reader.text(ws, at[K.RATES], K.RATES) or ""
    for sep in _SEPARATORS[1:]:
        words = words.replace(sep, _SEPARATORS[0])
    for word in filter(None, (w.strip() for w in words.split(_SEPARATORS[0]))):
        rate = K.RATE_FROM_WORD.get(word)
        if rate is None:
            reader.problem(ws.title, at[K.RATES], f"应为{_rate_words()}之一，实际为“{word}”")
        elif rate not in rates:
            rates.append(rate)
    reader._stray_columns(ws, ROWS[0][1], 2)
    try:
        return GraphicSettings(source=source, rates=tuple(rates))
    except InvalidValueError as exc:
        reader.problem(ws.title, at[K.SOURCE], exc.message)
        return NO_SETTINGS
