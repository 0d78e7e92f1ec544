"""The official edition as DOCX (GB/T 9704-2012), from the shared document tree.

python-docx writes the document; :mod:`hdgovreport.render.ooxml` holds the raw
WordprocessingML python-docx has no API for.  Every text comes from the
:class:`~hdgovreport.document.Document` tree — headings with their generated
numbers, paragraphs, and the three official tables as grids with their row
and column spans — so the DOCX says exactly what the HTML and PDF say.

Look and feel live in named styles (:data:`STYLES`), never on runs: a user
restyles the whole report in Word or WPS by changing a style.  Each style
names the official faces (:data:`hdgovreport.render.fonts.OFFICIAL`) in the
East Asian font slot and Times New Roman for Latin letters and digits; the
agency's PC has them, and other machines substitute.

The output is deterministic: document properties are dated from the report
and every ZIP entry carries that same date, so two builds of the same report
are byte-identical.
"""

from __future__ import annotations

import datetime as _dt
import io
import itertools
import math
from collections.abc import Mapping
from typing import Any, Literal

import attrs
from docx import Document as _new_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from hdgovreport.document import Banner, Cell, Document, Heading, Paragraph, Table
from hdgovreport.errors import RenderError
from hdgovreport.render import ooxml
from hdgovreport.render.fonts import OFFICIAL, OFFICIAL_LATIN

Align = Literal["both", "center", "left", "right"]

_ALIGN = {
    "both": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}

#: GB/T 9704: A4, margins top 37 / bottom 35 / left 28 / right 26 mm → a 156 × 225 mm text block.
PAGE_MM = (210.0, 297.0)
MARGINS_MM = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
#: Body line pitch: 22 lines in the 225 mm text block.
LINE_PITCH_PT = 28.95
#: Character pitch of the grid: 28 characters in the 156 mm text block.
GRID_CHARS = 28
#: ``w:docGrid/@w:type``: lines (see _page_setup for why not linesAndChars).
DOC_GRID_TYPE = "lines"
GRID_PITCH_PT = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) * 72 / 25.4 / GRID_CHARS
#: The body's character spacing (``w:spacing``, 紧缩), in whole twentieths of a point: the
#: largest that still fits 28 characters of 16 pt in the text block (−0.25 pt); justification
#: then fills each full line exactly. This carries the 28 characters a line in Word, WPS and
#: LibreOffice alike (see _page_setup for why the character grid cannot).
BODY_TRACKING_PT = math.floor((GRID_PITCH_PT - 16) * 20) / 20
#: Page numbers sit 7 mm below the text block; a 14 pt line is about 6.4 mm high.
FOOTER_DISTANCE_MM = MARGINS_MM["bottom"] - 7.0 - 6.4
HEADER_DISTANCE_MM = 15.0
#: ``— N —``: a dash each side of the page number (GB/T 9704 §7.5).
PAGE_NUMBER = ("— ", " —")
#: The colour of the unverified-build notice (the HTML and PDF use the same red).
NOTICE_RGB = "C01C28"
#: The tint of a figure that fails a check.
ERROR_FILL = "FDE8EA"
#: Table rules: 0.5 pt (in eighths of a point), and the cell padding in twips
#: (top, left, bottom, right).
TABLE_RULE_EIGHTHS = 4
TABLE_CELL_MARGINS = (28, 40, 28, 40)
TABLE_STYLE = ("OfficialTable", "公文表格")
#: Language of Latin runs (digits, web addresses); Chinese text is ``Document.lang``.
LATIN_LANG = "en-US"


@attrs.frozen
class StyleSpec:
    """One named paragraph style; ``None`` means "as the base style"."""

    id: str
    name: str
    based_on: str | None
    font: str  # typographic role: a key of fonts.OFFICIAL
    size: float  # points
    builtin: bool = False
    align: Align | None = None
    indent_chars: float | None = None
    side_indents_pt: tuple[float, float] = (0.0, 0.0)  # left, right
    line: float | Literal["single"] | None = None  # exact pitch in points, or single spacing
    space_after: float | None = None  # points
    outline_level: int | None = None  # 0 = level 1
    keep_next: bool = False
    hanging_punctuation: bool | None = None  # may ，。 hang past the right margin?
    color: str | None = None
    box: bool = False
    tracking_pt: float | None = None  # character spacing; None: as the base style

    @property
    def face(self) -> str:
        return OFFICIAL[self.font]


#: Every paragraph style of the DOCX, in the order they appear in styles.xml.
STYLES: tuple[StyleSpec, ...] = (
    # 正文: 3号仿宋, justified, first line indented two characters, 22 lines a page
    StyleSpec(
        "Normal", "Normal", None, "body", 16, builtin=True, align="both",
        indent_chars=2, line=LINE_PITCH_PT, space_after=0, hanging_punctuation=False,
        tracking_pt=BODY_TRACKING_PT,
    ),
    # 标题: 2号小标宋, centred, one blank line (as spacing, not an empty paragraph) below
    StyleSpec(
        "Title", "Title", "Normal", "title", 22, builtin=True, align="center",
        indent_chars=0, line=35, space_after=LINE_PITCH_PT, keep_next=True, tracking_pt=0,
    ),
    StyleSpec("Heading1", "heading 1", "Normal", "heading1", 16, builtin=True,
              outline_level=0, keep_next=True),
    StyleSpec("Heading2", "heading 2", "Normal", "heading2", 16, builtin=True,
              outline_level=1, keep_next=True),
    StyleSpec("Heading3", "heading 3", "Normal", "body", 16, builtin=True,
              outline_level=2, keep_next=True),
    StyleSpec("Heading4", "heading 4", "Normal", "body", 16, builtin=True,
              outline_level=3, keep_next=True),
    StyleSpec("Opening", "开头", "Normal", "body", 16),
    StyleSpec("Point", "要点", "Normal", "body", 16),
    StyleSpec("TableIntro", "表格导语", "Normal", "body", 16, keep_next=True),
    StyleSpec("TableNote", "表格注", "Normal", "body", 14, indent_chars=0, tracking_pt=0),
    # tables: 5号宋体, single spacing, no indent
    StyleSpec("TableText", "表格文字", "Normal", "table", 10.5, align="center",
              indent_chars=0, line="single", tracking_pt=0),
    # header cells keep their row with the next one: no header row alone at a page foot
    StyleSpec("TableHead", "表头", "TableText", "table", 10.5, keep_next=True),
    StyleSpec("TableRowHeader", "表格行标题", "TableText", "table", 10.5, align="left"),
    StyleSpec("TableCorner", "表格角注", "TableText", "table", 9, align="left", keep_next=True),
    StyleSpec("Header", "header", "Normal", "table", 10.5, builtin=True, align="left",
              indent_chars=0, line="single", tracking_pt=0),
    StyleSpec("Footer", "footer", "Normal", "table", 14, builtin=True, align="left",
              indent_chars=0, line="single", tracking_pt=0),
    # 页码: 4号宋体; odd pages right-aligned, even pages left-aligned, one character in
    StyleSpec("PageNumberOdd", "页码（奇数页）", "Footer", "table", 14, align="right",
              side_indents_pt=(0, 14)),
    StyleSpec("PageNumberEven", "页码（偶数页）", "Footer", "table", 14, align="left",
              side_indents_pt=(14, 0)),
    # the unverified-build notice: at the top of the document and in every page header
    StyleSpec("Unverified", "校验提示", "Normal", "heading1", 10.5, align="left",
              indent_chars=0, line="single", space_after=6, color=NOTICE_RGB, box=True,
              tracking_pt=0),
    # under a table: why its marked figures fail the check
    StyleSpec("ErrorNote", "校验说明", "Normal", "table", 10.5, align="left",
              indent_chars=0, line="single", space_after=6, color=NOTICE_RGB, tracking_pt=0),
)  # fmt: skip

#: Paragraph role in the tree → style id.
PARAGRAPH_STYLES: Mapping[str, str] = {
    "opening": "Opening",
    "body": "Normal",
    "point": "Point",
    "table-intro": "TableIntro",
    "table-note": "TableNote",
}
#: Heading level → style id (real Word headings with outline levels).
HEADING_STYLES: Mapping[int, str] = {1: "Heading1", 2: "Heading2", 3: "Heading3", 4: "Heading4"}
#: Table cell kind → style id.
CELL_STYLES: Mapping[str, str] = {
    "corner": "TableCorner",
    "column-header": "TableHead",
    "block-title": "TableHead",
    "row-header": "TableRowHeader",
    "value": "TableText",
}


def document_date(document: Document) -> _dt.date:
    """The date the DOCX is stamped with: publication, else 1 January after the report year."""
    return document.published or _dt.date(document.year + 1, 1, 1)


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def column_twips(widths_mm: tuple[float, ...]) -> list[int]:
    """Column widths in twips whose sum is exactly the rounded total (rounding at the edges)."""
    edges = [0]
    total = 0.0
    for width in widths_mm:
        total += width
        edges.append(twips(total))
    return [b - a for a, b in itertools.pairwise(edges)]


def render_docx(document: Document) -> bytes:
    """The document as DOCX bytes; deterministic for a given document."""
    try:
        return _render(document)
    except ValueError as exc:
        # lxml refuses text XML cannot hold (control characters); python-docx, malformed input
        raise RenderError(f"生成 DOCX 失败：{type(exc).__name__}: {exc}") from exc


def _render(document: Document) -> bytes:
    from hdgovreport import __version__

    faces = list(dict.fromkeys([*OFFICIAL.values(), OFFICIAL_LATIN]))
    package = ooxml.base_package(
        lang=document.lang,
        latin_lang=LATIN_LANG,
        fonts=faces,
        application=f"hdgovreport {__version__}",
    )
    doc = _new_docx(io.BytesIO(package))
    sizes = sorted({t.value_size_pt for t in document.tables() if t.value_size_pt != 10.5})
    styles = _add_styles(doc, document.lang, sizes)
    value_styles = {size: _value_style_id(size) for size in sizes}
    _page_setup(doc, styles, document.banner)
    _properties(doc, document)

    def paragraph(text: str, style_id: str) -> None:
        # Normal is the default style: its paragraphs name no style at all
        doc.add_paragraph(text, style=None if style_id == "Normal" else styles[style_id])

    # the unverified notice heads every page (in the header), once
    paragraph(document.title, "Title")
    body = doc.element.body
    for block in document.blocks():
        if isinstance(block, Heading):
            style = HEADING_STYLES.get(block.level)
            if style is None:
                raise RenderError(f"生成 DOCX 失败：不支持第 {block.level} 级标题")
            paragraph(block.full_text, style)
        elif isinstance(block, Paragraph):
            paragraph(block.full_text, PARAGRAPH_STYLES[block.role])
        else:
            body.sectPr.addprevious(_table(block, styles, value_styles))
            for note in block.notes:
                paragraph(note.text, "ErrorNote")

    out = io.BytesIO()
    doc.save(out)
    return ooxml.fixed_zip(out.getvalue(), document_date(document))


def _notice(banner: Banner) -> str:
    return f"{banner.title}　{banner.notice}"


def _value_style_id(size: float) -> str:
    return f"TableText{round(size * 10)}"


#: Cell styles with a keep-with-next twin (the value-size styles TableTextNN too).
_KEEPABLE = frozenset(CELL_STYLES.values())


def _keep_id(style_id: str) -> str:
    return f"{style_id}Keep"


# ---------------------------------------------------------------- styles


def _add_styles(doc: Any, lang: str, value_sizes: list[float]) -> dict[str, Any]:
    defaults = ooxml.doc_defaults(doc.styles.element)
    ooxml.set_fonts(defaults, OFFICIAL["body"], OFFICIAL_LATIN)
    ooxml.set_size(defaults, 16)
    ooxml.set_language(defaults, lang, LATIN_LANG)

    made: dict[str, Any] = {}
    specs = list(STYLES)
    for size in value_sizes:  # figures too long for 5号: a smaller style, never a broken number
        specs.append(
            StyleSpec(_value_style_id(size), f"表格数字（{size:g} 磅）", "TableText", "table", size)
        )
    # a row a page break must not part from the next (Table.kept_rows): Word keeps a table
    # row with the next when its paragraphs keep with the next, so each cell style has a twin
    for spec in list(specs):
        if (spec.id in _KEEPABLE or spec.id.startswith("TableText")) and not spec.keep_next:
            twin = attrs.evolve(
                spec, id=_keep_id(spec.id), name=f"{spec.name}（与下行同页）", based_on=spec.id
            )
            specs.append(attrs.evolve(twin, keep_next=True))
    for spec in specs:
        style = doc.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH, builtin=spec.builtin)
        style.style_id = spec.id
        element = style.element
        if spec.based_on is None:
            ooxml.mark_default(element)
        else:
            style.base_style = made[spec.based_on]
        style.quick_style = spec.id not in ("Header", "Footer")
        fmt = style.paragraph_format
        if spec.keep_next:
            ooxml.set_keep_next(element)
        if spec.hanging_punctuation is False:
            ooxml.set_no_hanging_punctuation(element)
        if spec.box:
            ooxml.set_box(element, spec.color or "000000", 8)
        if spec.line == "single":
            ooxml.set_no_snap_to_grid(element)
            ooxml.set_spacing(
                element,
                line_twips=240,
                rule="auto",
                after_twips=round((spec.space_after or 0) * 20),
            )
        elif spec.line is not None or spec.space_after is not None:
            line = spec.line if spec.line is not None else LINE_PITCH_PT
            if line != LINE_PITCH_PT:  # the title's 35 pt: LibreOffice would take two grid lines
                ooxml.set_no_snap_to_grid(element)
            ooxml.set_spacing(
                element,
                line_twips=round(line * 20),
                rule="exact",
                after_twips=round((spec.space_after or 0) * 20),
            )
        if spec.indent_chars is not None or spec.side_indents_pt != (0.0, 0.0):
            ooxml.set_indent(
                element,
                first_line_chars=spec.indent_chars or 0,
                font_points=spec.size,
                left_twips=round(spec.side_indents_pt[0] * 20),
                right_twips=round(spec.side_indents_pt[1] * 20),
            )
        if spec.align is not None:
            fmt.alignment = _ALIGN[spec.align]
        if spec.outline_level is not None:
            ooxml.set_outline_level(element, spec.outline_level)
        ooxml.set_fonts(element, spec.face, OFFICIAL_LATIN)
        if spec.color is not None:
            ooxml.set_color(element, spec.color)
        if spec.tracking_pt is not None:
            ooxml.set_tracking(element, round(spec.tracking_pt * 20))
        ooxml.set_size(element, spec.size)
        # every style says its text is Chinese: Word, WPS and LibreOffice then substitute a
        # Chinese face of the right kind for a missing official one (never a Japanese one)
        ooxml.set_language(element, lang, LATIN_LANG)
        if spec.based_on is None:
            ooxml.set_widow_control(element)
        made[spec.id] = style

    table = doc.styles.add_style(TABLE_STYLE[1], WD_STYLE_TYPE.TABLE)
    table.style_id = TABLE_STYLE[0]
    ooxml.set_fonts(table.element, OFFICIAL["table"], OFFICIAL_LATIN)
    ooxml.set_size(table.element, 10.5)
    ooxml.set_table_style_borders(
        table.element, eighths=TABLE_RULE_EIGHTHS, cell_margins_twips=TABLE_CELL_MARGINS
    )
    return made


# ---------------------------------------------------------------- page, header, footer


def _page_setup(doc: Any, styles: Mapping[str, Any], banner: Banner | None) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.gutter = Mm(0)
    section.header_distance = Mm(HEADER_DISTANCE_MM)
    section.footer_distance = Mm(FOOTER_DISTANCE_MM)
    # the document grid: 22 lines a page; the 28 characters a line come from the body
    # style's 0.25 pt 紧缩 (BODY_TRACKING_PT), not from a character grid. Measured with
    # LibreOffice 7.4: type linesAndChars with charSpace −848 (a 15.79 pt pitch) gives every
    # 16 pt character two cells (14 a line) — it never squeezes a character below its size —
    # and with the paragraphs opted out of that grid it drops the 紧缩 on runs of Chinese
    # (27 a line). charSpace stays, so switching Word's dialog to 指定行和字符网格 gives 28.
    ooxml.set_doc_grid(
        section._sectPr,
        grid_type=DOC_GRID_TYPE,
        line_pitch_twips=round(LINE_PITCH_PT * 20),
        char_space=round((GRID_PITCH_PT - 16) * 4096),
    )

    # evenAndOddHeaders is set in settings.xml: the default footer serves odd pages
    for footer, style in (
        (section.footer, "PageNumberOdd"),
        (section.even_page_footer, "PageNumberEven"),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = styles[style]
        ooxml.page_field(paragraph._p, *PAGE_NUMBER)
    if banner is not None:
        for header in (section.header, section.even_page_header):
            header.is_linked_to_previous = False
            paragraph = header.paragraphs[0]
            paragraph.style = styles["Unverified"]
            paragraph.add_run(_notice(banner))


def _properties(doc: Any, document: Document) -> None:
    when = _dt.datetime.combine(document_date(document), _dt.time(0, 0))
    props = doc.core_properties
    props.title = document.title
    props.author = document.agency
    props.last_modified_by = document.agency
    props.language = document.lang
    props.created = when
    props.modified = when
    props.revision = 1


# ---------------------------------------------------------------- tables


def _table(table: Table, styles: Mapping[str, Any], value_styles: Mapping[float, str]) -> Any:
    """The tree's grid as a Word table: gridSpan across, vMerge down, fixed column widths.

    Labels break where the document tree says (between words, ``w:br``); a figure
    that fails a check is tinted and framed in red, its note follows the table.
    """
    widths = column_twips(table.widths_mm)
    tbl = ooxml.table(widths, style_id=TABLE_STYLE[0], caption=table.caption)
    rows = table.rows()
    first_row: dict[int, int] = {}
    for r, row in enumerate(rows):
        for placed in row.cells:
            first_row[id(placed)] = r
    grid = table.grid()
    kept = table.kept_rows()
    for r in range(len(rows)):
        tr = ooxml.table_row(tbl, header=table.repeat_head and r < len(table.head))
        column = 0
        while column < table.columns:
            cell: Cell | None = grid[r][column]
            if cell is None or cell.column != column:
                raise RenderError(
                    f"生成 DOCX 失败：{table.name}第 {r + 1} 行第 {column + 1} 列没有单元格"
                )
            starts = first_row[id(cell)] == r
            style = CELL_STYLES[cell.kind]
            if cell.kind == "value":
                style = value_styles.get(table.value_size_pt, style)
            if r in kept and _keep_id(style) in styles:
                style = _keep_id(style)
            text = "\n".join(cell.lines) if cell.lines else cell.text
            tc = ooxml.table_cell(
                tr,
                width_twips=sum(widths[column : column + cell.colspan]),
                grid_span=cell.colspan,
                vmerge=None if cell.rowspan == 1 else ("restart" if starts else "continue"),
                # a continued (merged) cell still needs its one paragraph, and it stays empty
                paragraphs=[ooxml.text_paragraph(style, text if starts else "")],
            )
            if cell.error:
                ooxml.mark_cell(tc, NOTICE_RGB, ERROR_FILL)
            column += cell.colspan
    return tbl
