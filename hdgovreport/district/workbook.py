"""The audit as a workbook (审核结果.xlsx) for Excel, WPS and LibreOffice, written with openpyxl.

Two sheets, each with a bold frozen header row and filters on every column:
``汇总`` (one row per report) and ``问题清单`` (one row per finding, where it is in the
file, what the rule checks).  The bytes are deterministic: fixed document dates and
ZIP entry dates.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from hdgovreport.checks import SEVERITY_NAMES
from hdgovreport.district.outputs import SUMMARY_HEADERS, plain, summary_cells

if TYPE_CHECKING:
    from hdgovreport.district.audit import AuditResult

SUMMARY_SHEET = "汇总"
FINDINGS_SHEET = "问题清单"
FINDING_HEADERS = (
    "机关",
    "文件",
    "规则",
    "级别",
    "文件中的位置",
    "部分 › 行 › 列",
    "说明",
    "应为",
    "实为",
    "提示",
    "核对要点",
)
#: The fixed date written into the workbook's properties (deterministic bytes).
_FIXED = _dt.datetime(2000, 1, 1)


def audit_workbook(result: AuditResult) -> bytes:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    from hdgovreport.render.ooxml import fixed_zip

    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = SUMMARY_SHEET
    _sheet(
        summary,
        SUMMARY_HEADERS,
        [summary_cells(r) for r in result.rows],
        widths=(48, 8, 32, 6, 6, 6, 6, 28, 40, 40),
    )
    findings = wb.create_sheet(FINDINGS_SHEET)
    _sheet(
        findings,
        FINDING_HEADERS,
        [
            [
                row.agency,
                row.file,
                row.rule,
                SEVERITY_NAMES[row.severity],
                row.place,
                row.location,
                row.message,
                plain(row.expected),
                plain(row.actual),
                row.hint,
                row.title,
            ]
            for row in result.findings()
        ],
        widths=(30, 40, 16, 6, 20, 36, 70, 12, 12, 30, 40),
        wrap=(6,),
    )
    wb.properties.creator = "hdgovreport"
    wb.properties.lastModifiedBy = "hdgovreport"
    wb.properties.created = _FIXED
    wb.properties.modified = _FIXED
    out = io.BytesIO()
    # ExcelWriter, not wb.save(): save() stamps the current time as the modified date
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return fixed_zip(out.getvalue(), _FIXED.date())


def _sheet(
    ws: Any,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    widths: Sequence[int],
    wrap: Sequence[int] = (),
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.append(list(headers))
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE4EE")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
    for r, row in enumerate(rows, 2):
        for c, value in enumerate(row, 1):
            cell = ws.cell(row=r, column=c, value=_cell(value))
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # user text, never a formula
    for index, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = w
    wrapped = Alignment(wrap_text=True, vertical="top")
    for column in wrap:
        for (cell,) in ws.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            cell.alignment = wrapped
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"  # printed: every column on one page width
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A1:{last}{max(1, len(rows) + 1)}"


def _cell(value: Any) -> Any:
    """Counts stay numbers; everything else is text."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return str(value)
