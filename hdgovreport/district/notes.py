"""Return notes (退改单): one per agency whose report has findings, ready to send back.

Each note names the agency and its report, says how many errors and warnings were found,
and lists every finding with where it is in the agency's own file (line, or table, row and
page), what the report says, what the rule expects and what to check.  Written as DOCX
(for Word and WPS; deterministic bytes) and as a self-contained HTML page.
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from markupsafe import Markup

from hdgovreport.checks import SEVERITY_NAMES
from hdgovreport.district.names import safe_filename
from hdgovreport.district.outputs import finding_row, plain
from hdgovreport.fileio import write_atomic

if TYPE_CHECKING:
    from hdgovreport.district.audit import AuditResult, AuditRow, FindingRow

NOTE_TITLE = "政府信息公开工作年度报告退改单"
COLUMNS = ("序号", "级别", "文件中的位置", "问题", "报告中为", "应为", "请核对")
_FIXED_DATE = _dt.date(2000, 1, 1)


@attrs.frozen
class NoteSection:
    """One report file of the agency and its findings."""

    file: str
    title: str
    errors: int
    warnings: int
    rows: tuple[FindingRow, ...]
    unreadable: str | None = None


@attrs.frozen
class ReturnNote:
    """The note for one agency."""

    agency: str
    sections: tuple[NoteSection, ...]

    @property
    def errors(self) -> int:
        return sum(s.errors for s in self.sections)

    @property
    def warnings(self) -> int:
        return sum(s.warnings for s in self.sections)


def return_notes(result: AuditResult) -> list[ReturnNote]:
    """A note for every agency with an error, a warning or an unreadable file, in file order."""
    by_agency: dict[str, list[NoteSection]] = {}
    for row in result.rows:
        if not (row.findings or row.unreadable):
            continue
        agency = row.agency or Path(row.file).stem
        by_agency.setdefault(agency, []).append(_section(row, result))
    return [ReturnNote(agency, tuple(sections)) for agency, sections in by_agency.items()]


def _section(row: AuditRow, result: AuditResult) -> NoteSection:
    rows = [finding_row(row.agency or "", row.file, f) for f in row.findings]
    rows += [finding_row(f.agency, f.file, f.finding) for f in result.roster if f.file == row.file]
    return NoteSection(
        file=row.file,
        title=row.title or "",
        errors=sum(1 for r in rows if r.severity == "error"),
        warnings=sum(1 for r in rows if r.severity == "warning"),
        rows=tuple(rows),
        unreadable=row.unreadable,
    )


def _cells(index: int, row: FindingRow) -> list[str]:
    check = row.title + (f"（{row.hint}）" if row.hint else "")
    where = "；".join(p for p in (row.place, row.location) if p)
    return [
        str(index),
        SEVERITY_NAMES[row.severity],
        where,
        row.message,
        plain(row.actual),
        plain(row.expected),
        check,
    ]


def _summary(note: ReturnNote) -> str:
    return (
        f"经审核，贵单位报送的年度报告共发现 {note.errors} 个错误、{note.warnings} 个警告。"
        "错误须改正后重新报送；警告请逐条核实，确有原因的请在报告中说明。"
    )


# ---------------------------------------------------------------- HTML

_CSS = """
body{font-family:"FangSong","仿宋","Noto Serif CJK SC","SimSun",serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.6}
h1{font-family:"SimHei","黑体","Noto Sans CJK SC",sans-serif;text-align:center;font-size:1.6em}
h2{font-size:1.15em;margin-top:1.6em}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;min-width:44em;font-size:.95em}
th,td{border:1px solid #555;padding:.3em .4em;vertical-align:top;text-align:left}
th,td:nth-child(-n+2),td:nth-child(5),td:nth-child(6){white-space:nowrap}
th{background:#eef}
.error{color:#a00;font-weight:bold}
.sign{margin-top:3em}
@media print{body{margin:0}}
"""


def note_html(note: ReturnNote) -> str:
    """The note as one self-contained HTML page (all user text escaped)."""
    parts: list[Markup] = [
        Markup('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'),
        Markup('<meta name="viewport" content="width=device-width, initial-scale=1">'),
        Markup("<title>{} {}</title><style>{}</style></head><body>").format(
            note.agency, NOTE_TITLE, Markup(_CSS)
        ),
        Markup("<h1>{}</h1>").format(NOTE_TITLE),
        Markup("<p>报送单位：{}</p>").format(note.agency),
        Markup("<p>{}</p>").format(_summary(note)),
    ]
    for section in note.sections:
        parts.append(Markup("<h2>{}</h2>").format(section.title or section.file))
        parts.append(Markup("<p>文件：{}</p>").format(section.file))
        if section.unreadable:
            parts.append(
                Markup('<p class="error">报告文件无法读取：{}。请检查文件后重新报送。</p>').format(
                    section.unreadable
                )
            )
        if section.rows:
            head = Markup("").join(Markup("<th>{}</th>").format(c) for c in COLUMNS)
            body = []
            for i, row in enumerate(section.rows, 1):
                cells = _cells(i, row)
                klass = Markup(' class="error"') if row.severity == "error" else Markup("")
                tds = [Markup("<td>{}</td>").format(c) for c in cells]
                tds[1] = Markup("<td{}>{}</td>").format(klass, cells[1])
                body.append(Markup("<tr>{}</tr>").format(Markup("").join(tds)))
            parts.append(
                Markup(
                    '<div class="scroll"><table><thead><tr>{}</tr></thead>'
                    "<tbody>{}</tbody></table></div>"
                ).format(head, Markup("\n").join(body))
            )
    parts.append(
        Markup('<p class="sign">审核人：________　　日期：____年__月__日</p></body></html>\n')
    )
    return str(Markup("\n").join(parts))


# ---------------------------------------------------------------- DOCX


def note_docx(note: ReturnNote) -> bytes:
    """The note as a Word document (A4 landscape table, 宋体/仿宋); deterministic bytes."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    from hdgovreport import __version__
    from hdgovreport.render import ooxml

    package = ooxml.base_package(
        lang="zh-CN",
        latin_lang="en-US",
        fonts=["宋体", "黑体", "Times New Roman"],
        application=f"hdgovreport {__version__}",
    )
    doc: Any = docx.Document(io.BytesIO(package))
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    styles = doc.styles
    normal = styles.add_style("NoteNormal", 1)
    ooxml.set_fonts(normal.element, "宋体", "Times New Roman")
    normal.font.size = Pt(11)
    title_style = styles.add_style("NoteTitle", 1)
    title_style.base_style = normal
    ooxml.set_fonts(title_style.element, "黑体", "Times New Roman")
    title_style.font.size = Pt(18)
    heading = styles.add_style("NoteHeading", 1)
    heading.base_style = normal
    ooxml.set_fonts(heading.element, "黑体", "Times New Roman")
    heading.font.size = Pt(13)

    title = doc.add_paragraph(NOTE_TITLE, style=title_style)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(f"报送单位：{note.agency}", style=normal)
    doc.add_paragraph(_summary(note), style=normal)
    widths = (Mm(12), Mm(14), Mm(45), Mm(95), Mm(22), Mm(22), Mm(47))
    for sec in note.sections:
        doc.add_paragraph(sec.title or sec.file, style=heading)
        doc.add_paragraph(f"文件：{sec.file}", style=normal)
        if sec.unreadable:
            doc.add_paragraph(
                f"报告文件无法读取：{sec.unreadable}。请检查文件后重新报送。", style=normal
            )
        if not sec.rows:
            continue
        table = doc.add_table(rows=1, cols=len(COLUMNS))
        table.style = None
        _borders(table)
        for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
            _write(cell, text, normal, bold=True)
        for i, row in enumerate(sec.rows, 1):
            cells = table.add_row().cells
            for cell, text in zip(cells, _cells(i, row), strict=True):
                _write(cell, text, normal)
        table.autofit = False
        for column, w in zip(table.columns, widths, strict=True):
            column.width = w  # the grid: what Word, WPS and LibreOffice lay out by
        for r in table.rows:
            for cell, w in zip(r.cells, widths, strict=True):
                cell.width = w
    doc.add_paragraph("审核人：________　　日期：____年__月__日", style=normal)
    props = doc.core_properties
    when = _dt.datetime.combine(_FIXED_DATE, _dt.time(0, 0))
    props.title = f"{note.agency} {NOTE_TITLE}"
    props.author = "hdgovreport"
    props.last_modified_by = "hdgovreport"
    props.created = when
    props.modified = when
    props.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return ooxml.fixed_zip(out.getvalue(), _FIXED_DATE)


def _write(cell: Any, text: str, style: Any, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    run = paragraph.add_run(text)
    run.bold = bold or None


def _borders(table: Any) -> None:
    from docx.oxml import parse_xml

    tbl_pr = table._tbl.tblPr
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    tbl_pr.append(
        parse_xml(
            '<w:tblBorders xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"{borders}</w:tblBorders>"
        )
    )


# ---------------------------------------------------------------- writing


def write_notes(
    result: AuditResult, folder: str | Path, formats: Sequence[str] = ("docx", "html")
) -> list[Path]:
    """Write ``<folder>/<机关>退改单.docx`` (and ``.html``) for every agency with findings."""
    out: list[Path] = []
    used: set[str] = set()
    for note in return_notes(result):
        stem = safe_filename(f"{note.agency}退改单")
        while stem.casefold() in used:  # two names that differ only in case or punctuation
            stem += "_"
        used.add(stem.casefold())
        if "docx" in formats:
            out.append(write_atomic(Path(folder) / f"{stem}.docx", note_docx(note)))
        if "html" in formats:
            out.append(write_atomic(Path(folder) / f"{stem}.html", note_html(note).encode("utf-8")))
    return out


__all__ = [
    "NOTE_TITLE",
    "NoteSection",
    "ReturnNote",
    "note_docx",
    "note_html",
    "return_notes",
    "write_notes",
]
