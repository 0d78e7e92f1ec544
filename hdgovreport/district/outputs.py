"""The audit as text, CSV and rows: every finding, where it is, and the per-report summary."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from hdgovreport.checks import SEVERITY_NAMES, Finding, rule_by_code
from hdgovreport.model.provenance import Source
from hdgovreport.published.detect import FORMAT_NAMES

if TYPE_CHECKING:
    from hdgovreport.district.audit import AuditResult, AuditRow, FindingRow

#: UTF-8 byte-order mark: Excel on Chinese Windows reads a CSV as UTF-8 only with it.
BOM = "\ufeff"


def place(source: Source | None) -> str:
    """Where a value is in its file, without the file name: ``第 75 行第 53 列``, ``第 3 页 表3 第5行``."""
    if source is None:
        return ""
    parts = []
    if source.line is not None:
        parts.append(
            f"第 {source.line} 行" + (f"第 {source.column} 列" if source.column is not None else "")
        )
    if source.page is not None:
        parts.append(f"第 {source.page} 页")
    if source.detail:
        parts.append(source.detail)
    return " ".join(parts)


def plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _title(code: str) -> str:
    try:
        return rule_by_code(code).title
    except KeyError:
        return ""


def finding_row(agency: str, file: str, finding: Finding) -> FindingRow:
    from hdgovreport.district.audit import FindingRow

    return FindingRow(
        agency=agency,
        file=file,
        rule=finding.code,
        severity=finding.severity,
        place=place(finding.location.source),
        location=finding.location.describe(),
        message=finding.message,
        expected=finding.expected,
        actual=finding.actual,
        hint=finding.hint or "",
        title=_title(finding.code),
    )


def finding_rows(result: AuditResult) -> list[FindingRow]:
    rows = [finding_row(r.agency or "", r.file, f) for r in result.rows for f in r.findings]
    rows += [finding_row(f.agency, f.file, f.finding) for f in result.roster]
    return rows


# ---------------------------------------------------------------- CSV

SUMMARY_HEADERS = (
    "文件",
    "格式",
    "机关",
    "年度",
    "版本",
    "错误",
    "警告",
    "未通过的规则",
    "无法读取的原因",
    "上年报告",
)

CSV_HEADERS = (
    "机关",
    "文件",
    "格式",
    "年度",
    "报告错误数",
    "报告警告数",
    "规则",
    "级别",
    "文件中的位置",
    "部分 › 行 › 列",
    "说明",
    "应为",
    "实为",
    "提示",
    "无法读取的原因",
)


def summary_cells(r: AuditRow) -> list[Any]:
    return [
        r.file,
        FORMAT_NAMES.get(r.format or "", ""),
        r.agency or "",
        r.year or "",
        r.edition or "",
        "" if r.unreadable else r.errors,
        "" if r.unreadable else r.warnings,
        "、".join(r.failed_rules),
        r.unreadable or "",
        r.previous or "",
    ]


def audit_csv(result: AuditResult) -> str:
    """One row per finding, each with its report's summary; a report without findings gets
    one row too (so every file appears); roster findings last.  Starts with a UTF-8 BOM."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for r in result.rows:
        head = [
            r.agency or "",
            r.file,
            FORMAT_NAMES.get(r.format or "", ""),
            r.year or "",
            "" if r.unreadable else r.errors,
            "" if r.unreadable else r.warnings,
        ]
        if not r.findings:
            note = "" if r.unreadable else "未发现问题"
            writer.writerow([*head, "", "", "", "", note, "", "", "", r.unreadable or ""])
        for f in r.findings:
            row = finding_row(r.agency or "", r.file, f)
            writer.writerow([*head, *_finding_cells(row), ""])
    for rf in result.roster:
        row = finding_row(rf.agency, rf.file, rf.finding)
        writer.writerow([rf.agency, rf.file, "", "", "", "", *_finding_cells(row), ""])
    return BOM + out.getvalue()


def _finding_cells(row: FindingRow) -> list[str]:
    return [
        row.rule,
        SEVERITY_NAMES[row.severity],
        row.place,
        row.location,
        row.message,
        plain(row.expected),
        plain(row.actual),
        row.hint,
    ]


# ---------------------------------------------------------------- text


def width(text: str) -> int:
    """Columns ``text`` takes on a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    """Aligned columns (the last one is not padded)."""
    cells = [list(headers)] + [[plain(c) for c in row] for row in rows]
    widths = [max(width(row[i]) for row in cells) for i in range(len(headers) - 1)]
    lines = []
    for row in cells:
        padded = [pad(c, w) for c, w in zip(row[:-1], widths, strict=True)]
        lines.append("  ".join([*padded, row[-1]]).rstrip())
    return lines


def audit_table(result: AuditResult) -> str:
    shown = [h for h in SUMMARY_HEADERS if h != "上年报告" or result.pairing is not None]
    rows = [summary_cells(r)[: len(shown)] for r in result.rows]
    lines = table(shown, rows)
    lines.append(result.summary_line())
    if result.pairing is not None:
        linkage = {r.file: r.findings for r in result.rows}
        lines += ["", result.pairing.to_text(linkage)]
    found = result.findings()
    if found:
        lines += ["", f"问题清单（{len(found)} 条）："]
        current = None
        for row in found:
            key = (row.agency, row.file)
            if key != current:
                current = key
                lines.append(f"{row.agency or '（未读出机关）'}  {row.file or '（名册）'}")
            where = f"{row.place}  " if row.place else ""
            lines.append(f"    {SEVERITY_NAMES[row.severity]} {row.rule}  {where}{row.location}")
            lines.append(f"        {row.message}")
            if row.hint:
                lines.append(f"        提示：{row.hint}")
    return "\n".join(lines)
