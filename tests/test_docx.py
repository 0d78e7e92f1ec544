"""The official edition as DOCX: read back with python-docx, laid out by LibreOffice.

Expectations come from the format notice (restated in the project spec and in
test_labels), not from the document tree the renderer walks: the grid test
places each official label and each published figure where the official
layout puts it, the style test checks the GB/T 9704 faces and sizes.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import attrs
import docx
import office
import pytest
from conftest import HAIDIAN, ROOT
from docx.oxml.ns import qn
from helpers import HAIDIAN_TABLE4, replace_many
from lxml import etree
from test_labels import SECTIONS, TABLE3_COLUMNS, TABLE3_ROWS_2021

from hdgovreport import AnnualReport, check
from hdgovreport.document import Document, Heading, Paragraph, build_document, format_value
from hdgovreport.form.layout import layout
from hdgovreport.model import value_at
from hdgovreport.render.build import FORMATS
from hdgovreport.render.docx import render_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MM = 72 / 25.4  # points per millimetre
TWIPS_PER_MM = 1440 / 25.4

# GB/T 9704 faces, as the issue names them
TITLE_FACE, BODY_FACE, HEI, KAI, SONG = (
    "方正小标宋简体",
    "仿宋_GB2312",
    "黑体",
    "楷体_GB2312",
    "宋体",
)
LATIN = "Times New Roman"
T3_COLUMN_FIELDS = [
    "natural_person",
    "commercial",
    "research",
    "public_interest",
    "legal_services",
    "other",
    "total",
]


# ---------------------------------------------------------------- fixtures


def _document(report: AnnualReport) -> Document:
    return build_document(report, check(report))


@pytest.fixture(scope="module")
def unverified(haidian: AnnualReport) -> bytes:
    """Haidian 2022 as published: T4-sum fails, so the DOCX carries the notice."""
    return render_docx(_document(haidian))


@pytest.fixture(scope="module")
def verified(clean: AnnualReport) -> bytes:
    return render_docx(_document(clean))


def _part(data: bytes, name: str) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def _parts(data: bytes, pattern: str) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if re.fullmatch(pattern, n)}


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


# ---------------------------------------------------------------- reading a Word table back


@attrs.define
class Slot:
    """A merged region of a Word table, as WordprocessingML describes it."""

    text: str
    row: int
    column: int
    colspan: int
    rowspan: int = 1


def read_grid(tbl: Any) -> list[list[Slot]]:
    """Every grid position → the merged region covering it, from gridSpan and vMerge alone."""
    columns = len(tbl.findall(f"{W}tblGrid/{W}gridCol"))
    grid: list[list[Slot]] = []
    for r, tr in enumerate(tbl.findall(f"{W}tr")):
        row: list[Slot | None] = [None] * columns
        c = 0
        for tc in tr.findall(f"{W}tc"):
            span_el = tc.find(f"{W}tcPr/{W}gridSpan")
            span = int(span_el.get(f"{W}val")) if span_el is not None else 1
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            if vmerge is not None and vmerge.get(f"{W}val") in (None, "continue"):
                above = grid[r - 1][c]
                assert above.column == c and above.colspan == span, (r, c)
                assert _text(tc) == "", f"merged-away cell ({r}, {c}) holds text"
                above.rowspan += 1
                slot = above
            else:
                slot = Slot(_text(tc), r, c, span)
            for k in range(span):
                assert row[c + k] is None
                row[c + k] = slot
            c += span
        assert c == columns, f"row {r} covers {c} of {columns} grid columns"
        grid.append([s for s in row if s is not None])
    return grid


def _table(data: bytes, caption: str) -> Any:
    body = _part(data, "word/document.xml").find(f"{W}body")
    for tbl in body.findall(f"{W}tbl"):
        if tbl.find(f"{W}tblPr/{W}tblCaption").get(f"{W}val") == caption:
            return tbl
    raise AssertionError(f"no table captioned {caption}")


def _region(grid: list[list[Slot]], r: int, c: int) -> tuple[str, int, int, int, int]:
    s = grid[r][c]
    return (s.text, s.row, s.column, s.rowspan, s.colspan)


# ---------------------------------------------------------------- tables


def test_table3_grid_puts_every_label_and_figure_where_the_official_layout_does(
    unverified: bytes, haidian: AnnualReport
) -> None:
    tbl = _table(unverified, SECTIONS[2][2:])
    grid = read_grid(tbl)
    assert len(grid) == 3 + len(TABLE3_ROWS_2021)
    assert all(len(row) == 10 for row in grid)

    # header block: corner note 3×3, 申请人情况 over the 7 value columns, then the two levels
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert _region(grid, 0, 0) == (note, 0, 0, 3, 3)
    assert _region(grid, 2, 2) == (note, 0, 0, 3, 3)
    assert _region(grid, 0, 3) == ("申请人情况", 0, 3, 1, 7)
    assert _region(grid, 1, 3) == ("自然人", 1, 3, 2, 1)
    assert _region(grid, 1, 4) == ("法人或其他组织", 1, 4, 1, 5)
    assert _region(grid, 1, 9) == ("总计", 1, 9, 2, 1)
    assert [grid[2][c].text for c in range(4, 9)] == TABLE3_COLUMNS[1:6]
    assert [grid[2][c].text for c in (3, 9)] == ["自然人", "总计"]

    leaves = layout().applications.row_leaves("2021")
    assert [leaf.name for leaf in leaves] == TABLE3_ROWS_2021
    group_sizes = {"三、本年度办理结果": 22, "（三）不予公开": 8, "（四）无法提供": 3}
    group_sizes |= {"（五）不予处理": 5, "（六）其他处理": 3}
    results_start = 3 + TABLE3_ROWS_2021.index("（一）予以公开")
    for i, (name, leaf) in enumerate(zip(TABLE3_ROWS_2021, leaves, strict=True)):
        r = 3 + i
        if name[0] in "一二四":  # top-level rows: label across the 3 label columns
            assert _region(grid, r, 0) == (name, r, 0, 1, 3)
        else:
            assert _region(grid, r, 0) == ("三、本年度办理结果", results_start, 0, 22, 1)
            if "/" in name:
                group, item = name.split("/")
                assert grid[r][1].text == group and grid[r][1].rowspan == group_sizes[group]
                assert _region(grid, r, 2) == (item, r, 2, 1, 1)
            else:
                assert _region(grid, r, 1) == (name, r, 1, 1, 2)
        figures = [grid[r][c].text for c in range(3, 10)]
        path = ".".join(("applications", *leaf.path))
        assert figures == [
            format_value(value_at(haidian, f"{path}.{col}")) for col in T3_COLUMN_FIELDS
        ], name
    # the published first row, as printed
    assert [grid[3][c].text for c in range(3, 10)] == ["1448", "60", "2", "2", "1", "8", "1521"]

    # vertical merges are real vMerge restart/continue pairs
    trs = tbl.findall(f"{W}tr")
    first = trs[results_start].find(f"{W}tc/{W}tcPr/{W}vMerge")
    assert first is not None and first.get(f"{W}val") == "restart"
    following = trs[results_start + 1].find(f"{W}tc/{W}tcPr/{W}vMerge")
    assert following is not None and following.get(f"{W}val") is None


def test_table_rows_repeat_their_head_and_never_split(unverified: bytes) -> None:
    for caption, head in ((SECTIONS[1][2:], 0), (SECTIONS[2][2:], 3), (SECTIONS[3][2:], 3)):
        trs = _table(unverified, caption).findall(f"{W}tr")
        repeated = [tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in trs]
        assert repeated == [i < head for i in range(len(trs))], caption
        assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in trs)


def test_merged_labels_and_table2_blocks_keep_their_rows_together(unverified: bytes) -> None:
    """Word keeps a row with the next when its paragraphs keep with the next (w:keepNext)."""
    styles = _part(unverified, "word/styles.xml")

    def keeps(tr: Any) -> bool:
        found = {
            _style_keeps(styles, p.find(f"{W}pPr/{W}pStyle").get(f"{W}val"))
            for p in tr.iter(f"{W}p")
        }
        return found == {True}

    trs = _table(unverified, SECTIONS[2][2:]).findall(f"{W}tr")
    labels = ["".join(t.text or "" for t in tr.iter(f"{W}t")) for tr in trs]
    five = next(n for n, text in enumerate(labels) if "（五）不予处理" in text)
    # （五）不予处理: its first four rows keep with the next, its fifth lets a page break follow
    assert [keeps(tr) for tr in trs[five : five + 5]] == [True, True, True, True, False]
    assert not keeps(trs[-1])
    # Table 2: each block (title, column heads, rows) on one page
    block = _table(unverified, SECTIONS[1][2:]).findall(f"{W}tr")
    titles = [
        n
        for n, tr in enumerate(block)
        if "第二十条" in "".join(t.text or "" for t in tr.iter(f"{W}t"))
    ]
    for start, end in itertools.pairwise([*titles, len(block)]):
        assert [keeps(tr) for tr in block[start:end]] == [True] * (end - start - 1) + [False]


def _style_keeps(styles: Any, style_id: str) -> bool:
    while style_id:
        style = _style(styles, style_id)
        if style.find(f"{W}pPr/{W}keepNext") is not None:
            return True
        based = style.find(f"{W}basedOn")
        style_id = based.get(f"{W}val") if based is not None else ""
    return False


def test_tables_have_fixed_widths_filling_the_156_mm_text_block(unverified: bytes) -> None:
    body = _part(unverified, "word/document.xml").find(f"{W}body")
    tables = body.findall(f"{W}tbl")
    assert len(tables) == 3
    for tbl in tables:
        cols = [int(g.get(f"{W}w")) for g in tbl.findall(f"{W}tblGrid/{W}gridCol")]
        assert sum(cols) == round(156 * TWIPS_PER_MM)
        assert tbl.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
        assert tbl.find(f"{W}tblPr/{W}tblW").get(f"{W}w") == str(sum(cols))
        for tr in tbl.findall(f"{W}tr"):  # every cell is as wide as the columns it spans
            c = 0
            for tc in tr.findall(f"{W}tc"):
                span_el = tc.find(f"{W}tcPr/{W}gridSpan")
                span = int(span_el.get(f"{W}val")) if span_el is not None else 1
                assert int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) == sum(cols[c : c + span])
                c += span
    t3 = [int(g.get(f"{W}w")) for g in tables[1].findall(f"{W}tblGrid/{W}gridCol")]
    # sized from the labels: （三） / 不予公开 fits the group column, 自然人 its value column
    widths = [w / TWIPS_PER_MM for w in t3]
    assert widths[1] >= 16 and widths[3] >= 12.3
    assert abs(sum(widths) - sum(layout().applications.widths)) < 0.1


def test_table4_header_merges_and_published_figures(unverified: bytes) -> None:
    grid = read_grid(_table(unverified, SECTIONS[3][2:]))
    assert len(grid) == 4
    assert _region(grid, 0, 0) == ("行政复议", 0, 0, 1, 5)
    assert _region(grid, 0, 5) == ("行政诉讼", 0, 5, 1, 10)
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    for c, label in enumerate(outcomes):
        assert _region(grid, 1, c) == (label, 1, c, 2, 1)
    assert _region(grid, 1, 5) == ("未经复议直接起诉", 1, 5, 1, 5)
    assert _region(grid, 1, 10) == ("复议后起诉", 1, 10, 1, 5)
    assert [grid[2][c].text for c in range(5, 15)] == outcomes * 2
    assert [grid[3][c].text for c in range(15)] == HAIDIAN_TABLE4


def test_table2_blocks(unverified: bytes) -> None:
    grid = read_grid(_table(unverified, SECTIONS[1][2:]))
    texts = [[s.text for s in _distinct(row)] for row in grid]
    assert texts == [
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
        ["行政规范性文件", "6", "137", "175"],
        ["第二十条第（五）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政许可", "66739"],
        ["第二十条第（六）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政处罚", "21898"],
        ["行政强制", "57"],
        ["第二十条第（八）项"],
        ["信息内容", "本年收费金额（单位：万元）"],
        ["行政事业性收费", "19656.3836"],
    ]
    assert _region(grid, 0, 0) == ("第二十条第（一）项", 0, 0, 1, 4)
    assert _region(grid, 6, 1) == ("66739", 6, 1, 1, 3)


def _distinct(row: list[Slot]) -> list[Slot]:
    seen: list[Slot] = []
    for s in row:
        if not any(s is t for t in seen):
            seen.append(s)
    return seen


def test_2019_edition_has_the_single_other_handling_row() -> None:
    from hdgovreport.datafile import blank_report

    report = blank_report("某县人民政府", 2020, "2019")
    data = render_docx(build_document(report))
    grid = read_grid(_table(data, SECTIONS[2][2:]))
    assert len(grid) == 3 + len(TABLE3_ROWS_2021) - 2
    other = next(r for r, row in enumerate(grid) if row[1].text == "（六）其他处理")
    assert _region(grid, other, 1) == ("（六）其他处理", other, 1, 1, 2)
    assert grid[other][0].rowspan == 20


# ---------------------------------------------------------------- styles


def _style(styles: Any, style_id: str) -> Any:
    found = styles.find(f"{W}style[@{W}styleId='{style_id}']")
    assert found is not None, style_id
    return found


def _resolved(styles: Any, style_id: str, path: str, attr: str) -> str | None:
    """An attribute as Word resolves it: the style, then its basedOn chain."""
    while style_id:
        style = _style(styles, style_id)
        element = style.find(path)
        if element is not None and element.get(f"{W}{attr}") is not None:
            return str(element.get(f"{W}{attr}"))
        based = style.find(f"{W}basedOn")
        style_id = based.get(f"{W}val") if based is not None else ""
    return None


def test_every_style_names_its_east_asian_and_latin_face(unverified: bytes) -> None:
    styles = _part(unverified, "word/styles.xml")
    all_styles = styles.findall(f"{W}style")
    assert len(all_styles) >= 10
    for style in all_styles:
        fonts = style.find(f"{W}rPr/{W}rFonts")
        name = style.get(f"{W}styleId")
        assert fonts is not None, name
        assert fonts.get(f"{W}eastAsia") in (TITLE_FACE, BODY_FACE, HEI, KAI, SONG), name
        assert fonts.get(f"{W}ascii") == fonts.get(f"{W}hAnsi") == LATIN, name
        assert not any("Theme" in key for key in fonts.attrib), name
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(f"{W}rFonts").get(f"{W}eastAsia") == BODY_FACE
    assert defaults.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"
    assert defaults.find(f"{W}lang").get(f"{W}val") == "en-US"  # digits and addresses


def test_gbt9704_typography_in_the_styles(unverified: bytes) -> None:
    styles = _part(unverified, "word/styles.xml")

    def font(style_id: str) -> tuple[str | None, int]:
        size = _resolved(styles, style_id, f"{W}rPr/{W}sz", "val")
        return _resolved(styles, style_id, f"{W}rPr/{W}rFonts", "eastAsia"), int(size or 0)

    assert font("Title") == (TITLE_FACE, 44)  # 2号 = 22 pt
    assert font("Normal") == (BODY_FACE, 32)  # 3号 = 16 pt
    assert font("Heading1") == (HEI, 32)
    assert font("Heading2") == (KAI, 32)
    assert font("Heading3") == (BODY_FACE, 32)
    for table_style in ("TableText", "TableHead", "TableRowHeader", "TableCorner"):
        face, size = font(table_style)
        assert face == SONG and size <= 28, table_style  # smaller than the 16 pt body
    assert font("PageNumberOdd") == font("PageNumberEven") == (SONG, 28)  # 4号 = 14 pt

    normal = _style(styles, "Normal")
    assert normal.get(f"{W}default") == "1"
    spacing = normal.find(f"{W}pPr/{W}spacing")
    assert (spacing.get(f"{W}lineRule"), spacing.get(f"{W}line")) == ("exact", "579")  # 28.95 pt
    indent = normal.find(f"{W}pPr/{W}ind")
    assert indent.get(f"{W}firstLineChars") == "200"
    assert indent.get(f"{W}firstLine") == "640"
    assert _resolved(styles, "Title", f"{W}pPr/{W}jc", "val") == "center"
    assert _resolved(styles, "Title", f"{W}pPr/{W}ind", "firstLineChars") == "0"
    assert _resolved(styles, "TableText", f"{W}pPr/{W}jc", "val") == "center"
    assert _resolved(styles, "TableRowHeader", f"{W}pPr/{W}jc", "val") == "left"
    assert _resolved(styles, "PageNumberOdd", f"{W}pPr/{W}jc", "val") == "right"
    assert _resolved(styles, "PageNumberEven", f"{W}pPr/{W}jc", "val") == "left"
    for level in (1, 2, 3):
        assert (
            _style(styles, f"Heading{level}").find(f"{W}name").get(f"{W}val") == f"heading {level}"
        )
        outline = _resolved(styles, f"Heading{level}", f"{W}pPr/{W}outlineLvl", "val")
        assert outline == str(level - 1)


def test_body_style_fits_28_characters_a_line_and_the_section_22_lines_a_page(
    unverified: bytes,
) -> None:
    """28 × 22 (GB/T 9704): 22 lines from the section's line grid, 28 characters from the body
    style's 紧缩 — the largest in whole twentieths of a point that fits 28 of 16 pt in 156 mm."""
    styles = _part(unverified, "word/styles.xml")
    tracking = int(_resolved(styles, "Normal", f"{W}rPr/{W}spacing", "val") or 0) / 20
    block_pt = 156 * MM
    assert 28 * (16 + tracking) <= block_pt < 28 * (16 + tracking + 0.05)
    for style_id in ("Heading1", "Heading2", "Opening", "Point", "TableIntro"):
        assert _resolved(styles, style_id, f"{W}rPr/{W}spacing", "val") == str(round(tracking * 20))
    for style_id in ("Title", "TableText", "TableHead", "TableNote", "PageNumberOdd"):
        assert _resolved(styles, style_id, f"{W}rPr/{W}spacing", "val") == "0", style_id
    grid = _part(unverified, "word/document.xml").find(f"{W}body/{W}sectPr/{W}docGrid")
    assert grid.get(f"{W}type") == "lines" and grid.get(f"{W}linePitch") == "579"
    assert round(225 * TWIPS_PER_MM / 579) == 22
    # the title's 35 pt lines stay off the line grid (LibreOffice would give each two grid lines)
    assert _resolved(styles, "Title", f"{W}pPr/{W}snapToGrid", "val") == "0"
    assert _resolved(styles, "Normal", f"{W}pPr/{W}snapToGrid", "val") is None
    # the character pitch Word's 指定行和字符网格 would use: 28 in the text block
    assert abs(28 * (16 + int(grid.get(f"{W}charSpace")) / 4096) - block_pt) < 0.1


def test_headings_are_word_headings_and_the_six_sections_are_level_1(
    unverified: bytes, haidian: AnnualReport
) -> None:
    doc = docx.Document(io.BytesIO(unverified))
    by_style: dict[str, list[str]] = {}
    for p in doc.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Heading 1"] == SECTIONS
    subsections = [
        s.title
        for n in (haidian.overview, haidian.problems, haidian.other_matters)
        for s in n.subsections
    ]
    level2 = by_style["Heading 2"]
    assert [re.sub(r"^（[一二三四五六七八九十]+）", "", t) for t in level2] == subsections
    assert all(t.startswith("（") for t in level2)
    assert by_style["Title"] == [haidian.title]
    assert doc.core_properties.title == haidian.title


def test_docs_describe_every_style() -> None:
    from hdgovreport.render.docx import STYLES, TABLE_STYLE

    text = (ROOT / "docs" / "docx.md").read_text("utf-8")
    for name in [s.name for s in STYLES] + [TABLE_STYLE[1]]:
        assert name in text, name


# ---------------------------------------------------------------- page, footers, properties


def test_page_is_a4_with_the_gbt9704_margins(unverified: bytes) -> None:
    section = _part(unverified, "word/document.xml").find(f"{W}body/{W}sectPr")
    size = section.find(f"{W}pgSz")
    assert (int(size.get(f"{W}w")), int(size.get(f"{W}h"))) == (11906, 16838)
    margins = section.find(f"{W}pgMar")
    for side, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(int(margins.get(f"{W}{side}")) - mm * TWIPS_PER_MM) < 1, side


def test_page_numbers_right_on_odd_left_on_even_pages(unverified: bytes) -> None:
    settings = _part(unverified, "word/settings.xml")
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    section = _part(unverified, "word/document.xml").find(f"{W}body/{W}sectPr")
    rels = _part(unverified, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    refs = {
        ref.get(f"{W}type"): targets[ref.get(qn("r:id"))]
        for ref in section.findall(f"{W}footerReference")
    }
    assert set(refs) == {"default", "even"}
    for kind, style in (("default", "PageNumberOdd"), ("even", "PageNumberEven")):
        footer = _part(unverified, f"word/{refs[kind]}")
        (p,) = footer.findall(f"{W}p")
        assert p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == style
        assert "".join(i.text for i in p.iter(f"{W}instrText")).strip() == "PAGE"
        kinds = [f.get(f"{W}fldCharType") for f in p.iter(f"{W}fldChar")]
        assert kinds == ["begin", "separate", "end"]
        assert re.fullmatch(r"— \d+ —", _text(p))


def test_document_properties_are_fixed_by_the_report(unverified: bytes) -> None:
    core = _part(unverified, "docProps/core.xml")

    def prop(tag: str) -> str:
        element = core.find(tag)
        assert element is not None, tag
        return str(element.text)

    dc = "{http://purl.org/dc/elements/1.1/}"
    terms = "{http://purl.org/dc/terms/}"
    assert prop(f"{dc}title") == "北京市海淀区人民政府2022年政府信息公开工作年度报告"
    assert prop(f"{dc}creator") == "北京市海淀区人民政府"
    assert prop(f"{dc}language") == "zh-CN"
    # no publication date in the example: 1 January after the report year
    assert prop(f"{terms}created") == prop(f"{terms}modified") == "2023-01-01T00:00:00Z"
    with zipfile.ZipFile(io.BytesIO(unverified)) as z:
        assert {info.date_time for info in z.infolist()} == {(2023, 1, 1, 0, 0, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"
    assert "python-docx" not in _part(unverified, "docProps/app.xml").findtext("*")


def test_a_publication_date_dates_the_document(haidian: AnnualReport) -> None:
    document = attrs.evolve(_document(haidian), published=dt.date(2023, 3, 28))
    data = render_docx(document)
    core = _part(data, "docProps/core.xml")
    assert core.findtext("{http://purl.org/dc/terms/}created") == "2023-03-28T00:00:00Z"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {info.date_time for info in z.infolist()} == {(2023, 3, 28, 0, 0, 0)}


def test_two_builds_are_byte_identical(
    haidian: AnnualReport, unverified: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    later = time.time() + 3 * 86400 + 7
    monkeypatch.setattr(time, "time", lambda: later)
    again = render_docx(_document(haidian))
    assert again == unverified


# ---------------------------------------------------------------- no spacing paragraphs, no direct formatting


def _story_parts(data: bytes) -> dict[str, Any]:
    return _parts(data, r"word/(document|header\d+|footer\d+)\.xml")


def test_no_empty_paragraphs_and_no_direct_formatting(unverified: bytes, verified: bytes) -> None:
    for data in (unverified, verified):
        for name, root in _story_parts(data).items():
            assert not list(root.iter(f"{W}rPr")), f"{name}: direct run formatting"
            for p in root.iter(f"{W}p"):
                ppr = p.find(f"{W}pPr")
                if ppr is not None:  # a paragraph names its style and nothing else
                    assert [child.tag for child in ppr] == [f"{W}pStyle"], name
                if _text(p):
                    continue
                # the only empty paragraphs: the one a vertically merged-away cell must hold
                tc = p.getparent()
                assert tc.tag == f"{W}tc", f"{name}: empty paragraph used for spacing"
                vmerge = tc.find(f"{W}tcPr/{W}vMerge")
                assert vmerge is not None and vmerge.get(f"{W}val") is None


# ---------------------------------------------------------------- the unverified notice


def test_unverified_document_carries_the_notice_on_top_and_in_every_header(
    unverified: bytes, verified: bytes
) -> None:
    doc = docx.Document(io.BytesIO(unverified))
    # once on every page (the header), not a second time in the body; in words, not codes
    assert doc.paragraphs[0].style.name == "Title"
    section = doc.sections[0]
    for header in (section.header, section.even_page_header):
        assert not header.is_linked_to_previous
        (notice,) = [p.text for p in header.paragraphs]
        assert notice.startswith("校验未通过") and "T4-sum" not in notice
        assert "复议后起诉：总计填报为 42" in notice
    notes = [p for p in doc.paragraphs if p.style.name == "校验说明"]
    assert len(notes) == 1 and "总计填报为 42" in notes[0].text
    clean = docx.Document(io.BytesIO(verified))
    assert not any("校验未通过" in p.text for p in clean.paragraphs)
    assert clean.paragraphs[0].style.name == "Title"
    assert not _parts(verified, r"word/header\d+\.xml")


def test_every_paragraph_role_has_its_own_style(clean: AnnualReport) -> None:
    report = replace_many(
        clean,
        {
            "applications.intro": ("本年度共收到申请1521件。",),
            "applications.notes": ("注：表中数据统计至12月31日。",),
        },
    )
    doc = docx.Document(io.BytesIO(render_docx(_document(report))))
    style_of = {p.text: p.style.name for p in doc.paragraphs}
    assert style_of["本年度共收到申请1521件。"] == "表格导语"
    assert style_of["注：表中数据统计至12月31日。"] == "表格注"
    assert style_of[report.opening[0]] == "开头"
    assert style_of[report.title] == "Title"
    point = report.overview.subsections[0].content[0].text
    assert style_of["一是" + point] == "要点"
    body = next(p for p in doc.paragraphs if p.text == report.other_matters.intro[0])
    assert body.style.name == "Normal" and body._p.pPr is None  # the default style, named by nobody
    note = next(p for p in doc.paragraphs if p.text.startswith("注："))
    intro = next(p for p in doc.paragraphs if p.text.startswith("本年度共收到"))
    # the intro stands right before Table 3, the note right after it
    assert intro._p.getnext().tag == f"{W}tbl" and note._p.getprevious().tag == f"{W}tbl"


def test_text_xml_cannot_hold_is_a_render_error(haidian: AnnualReport) -> None:
    from hdgovreport.errors import RenderError

    document = attrs.evolve(_document(haidian), title="报告\x01")
    with pytest.raises(RenderError, match="生成 DOCX 失败"):
        render_docx(document)


# ---------------------------------------------------------------- command line


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hdgovreport", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def test_cli_refuses_a_report_with_errors(tmp_path: Path) -> None:
    out = _cli("build", str(HAIDIAN), "--to", "docx", "--out", str(tmp_path))
    assert out.returncode == 1
    assert "T4-sum" in out.stdout and "--allow-errors" in out.stderr
    assert "Traceback" not in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_allow_errors_writes_the_docx_with_the_notice_and_the_other_formats(
    tmp_path: Path, unverified: bytes
) -> None:
    out = _cli(
        "build", str(HAIDIAN), "--to", "html,pdf,docx", "--allow-errors", "--out", str(tmp_path)
    )
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "report.docx",
        "report.html",
        "report.pdf",
    ]
    data = (tmp_path / "report.docx").read_bytes()
    header = docx.Document(io.BytesIO(data)).sections[0].header
    assert header.paragraphs[0].text.startswith("校验未通过")
    # the same bytes as in-process, in another process at another time
    assert data == unverified
    assert FORMATS["docx"][0] == ".docx"
    assert "docx" in _cli("build", "--help").stdout


# ---------------------------------------------------------------- LibreOffice


needs_office = pytest.mark.skipif(
    office.SOFFICE is None or not office.POPPLER,
    reason="LibreOffice 或 poppler-utils 未安装（scripts/setup.sh --test 会安装）",
)


@pytest.fixture(scope="module")
def lo_pdfs(
    tmp_path_factory: pytest.TempPathFactory, unverified: bytes, verified: bytes
) -> dict[str, Path]:
    """Both DOCX files laid out by LibreOffice, in one run."""
    work = tmp_path_factory.mktemp("libreoffice")
    files = {"unverified": work / "unverified.docx", "verified": work / "verified.docx"}
    files["unverified"].write_bytes(unverified)
    files["verified"].write_bytes(verified)
    pdfs = office.to_pdf(list(files.values()), work)
    return {key: pdfs[path] for key, path in files.items()}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


#: Punctuation LibreOffice may hang past the right margin (and, in 7.4, sometimes drops when it
#: does): it ignores w:overflowPunct="0", which Word and WPS honour.
HANGING = "，。、；：！？”’）》"


def _unhung(text: str) -> str:
    return _squeeze(text).translate({ord(c): None for c in HANGING})


@needs_office
def test_libreoffice_text_holds_every_heading_label_and_figure_in_order(
    lo_pdfs: dict[str, Path], clean: AnnualReport
) -> None:
    document = _document(clean)
    repeated_heads = [
        _unhung("".join(c.text for row in t.head for c in row.cells))
        for t in document.tables()
        if t.repeat_head
    ]
    text = ""
    for n, page in enumerate(office.raw_text(lo_pdfs["verified"]).split("\f")):
        # page furniture: the page number, and a table head LibreOffice repeats on a new page
        lines = [line for line in page.splitlines() if not re.fullmatch(r"— \d+ —", line.strip())]
        squeezed = _unhung("".join(lines))
        for head in repeated_heads:
            if n and squeezed.startswith(head):
                squeezed = squeezed[len(head) :]
        text += squeezed

    expected: list[tuple[str, bool]] = [(document.title, False)]  # (text, may break over a page)
    for block in document.blocks():
        if isinstance(block, (Heading, Paragraph)):
            expected.append((block.full_text, False))
        else:
            cells = [c for row in block.rows() for c in row.cells if c.text]
            expected += [(c.text, c.rowspan > 1) for c in cells]
    assert len(expected) > 300
    position = 0
    for item, splits in expected:
        wanted = _unhung(item)
        found = text.find(wanted, position)
        if found >= 0:
            position = found + len(wanted)
            continue
        # a label merged down several rows may be cut by a page break: its characters then
        # come in order, with the rows beside it in between; go on after its first part
        assert splits, f"not found after position {position}: {item}"
        cursor, first_part_end = position, None
        for char in wanted:
            found = text.find(char, cursor, cursor + 400)
            assert found >= 0, f"{item}: {char} not found after position {cursor}"
            if first_part_end is None and found > cursor and cursor > position:
                first_part_end = cursor
            cursor = found + 1
        assert first_part_end is not None, f"{item}: neither whole nor split"
        position = first_part_end
    for heading in SECTIONS:
        assert _unhung(heading) in text


@needs_office
def test_libreoffice_never_breaks_a_number_across_lines(lo_pdfs: dict[str, Path]) -> None:
    for pdf in lo_pdfs.values():  # two paginations, more line ends
        lines = [
            line.strip()
            for line in office.raw_text(pdf).splitlines()
            if line.strip() and not re.fullmatch(r"— \d+ —", line.strip())
        ]
        assert any("190" in line for line in lines)
        # no line ends in a digit where the next goes on with one ("19" / "0元"); a line
        # starting "2." is the next numbered row label of Table 3
        broken = [
            (a, b)
            for a, b in itertools.pairwise(lines)
            if a[-1].isdigit() and re.match(r"\d+(?![\d.])", b)
        ]
        assert broken == [], (pdf.name, broken)


@needs_office
def test_libreoffice_keeps_everything_inside_the_text_block_with_page_numbers_outside(
    lo_pdfs: dict[str, Path],
) -> None:
    for key, pdf in lo_pdfs.items():
        pages = office.pages(pdf)
        assert 4 <= len(pages) <= 10, key
        for page in pages:
            assert (round(page.width / MM), round(page.height / MM)) == (210, 297)
            left, right = 28 * MM - 1, page.width - 26 * MM + 1
            for word in page.words:
                hang = 16 if word.text[-1] in HANGING else 0  # one body character, see HANGING
                assert left <= word.x0 and word.x1 <= right + hang, (key, page.number, word)
            footer = [w for w in page.words if w.y0 > page.height - 35 * MM]
            assert _squeeze("".join(w.text for w in footer)) == f"—{page.number}—", (
                key,
                page.number,
            )
            number = next(w for w in footer if w.text == str(page.number))
            centre = (number.x0 + number.x1) / 2
            if page.number % 2:
                assert centre > page.width / 2 + 50 * MM, (key, page.number)
            else:
                assert centre < page.width / 2 - 50 * MM, (key, page.number)
            body = [w for w in page.words if w not in footer]
            assert all(w.y0 > 15 * MM for w in body)
            if key == "verified":  # nothing above the 37 mm top margin
                assert all(w.y0 >= 37 * MM - 1 for w in body), page.number
            else:  # the notice heads every page
                header = [w for w in body if w.y1 < 37 * MM]
                assert header and header[0].text == "校验未通过", page.number


@needs_office
def test_libreoffice_sets_28_characters_a_line_and_22_lines_a_page(
    lo_pdfs: dict[str, Path],
) -> None:
    import pdfplumber

    full_lines = 0
    for key, path in lo_pdfs.items():
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                left, right = 28 * MM, page.width - 26 * MM
                rows: dict[int, list[dict[str, Any]]] = {}
                for c in page.chars:
                    if abs(c["size"] - 16) < 0.1 and c["text"].strip():
                        rows.setdefault(round(c["top"]), []).append(c)
                tops = sorted(rows)
                # lines follow one another at the 28.95 pt pitch (tops rounded to the point):
                # 22 to the 225 mm text block
                pitches = [b - a for a, b in itertools.pairwise(tops) if b - a < 40]
                assert all(abs(p - 28.95) < 1.5 for p in pitches), (key, number, pitches)
                assert len(tops) <= 22
                for top in tops:
                    chars = sorted(rows[top], key=lambda c: c["x0"])
                    text = "".join(c["text"] for c in chars)
                    if chars[-1]["x1"] < right - MM or not all(
                        unicodedata.east_asian_width(ch) in "WF" for ch in text
                    ):
                        continue  # a paragraph's last line, or one holding Latin text
                    # a full line of Chinese: 28 cells, the first two an indent where there is
                    # one; a comma LibreOffice hangs past the edge (see HANGING) is not counted
                    inside = [c for c in chars if c["x1"] <= right + MM]
                    indent = round((chars[0]["x0"] - left) / 16)
                    assert indent + len(inside) == 28, (key, number, text)
                    full_lines += 1
    assert full_lines >= 50


@pytest.fixture(scope="module")
def lo_machine_pdf(tmp_path_factory: pytest.TempPathFactory, verified: bytes) -> Path:
    """The DOCX laid out by LibreOffice with only the machine's own fonts and fontconfig."""
    work = tmp_path_factory.mktemp("libreoffice-machine")
    source = work / "verified.docx"
    source.write_bytes(verified)
    return office.to_pdf([source], work, stand_ins=False)[source]


@needs_office
def test_libreoffice_without_the_official_faces_draws_simplified_chinese_glyphs(
    lo_machine_pdf: Path,
) -> None:
    """No JP face: every Noto CJK glyph comes from the collection's SC member.

    The PDF names the font NotoSansCJKjp-… either way (the members share one CFF table
    named after the JP one); the glyph each character maps to tells the member apart.
    """
    if not (office.NOTO_CJK / "NotoSansCJK-Regular.ttc").is_file():
        pytest.skip("需要 fonts-noto-cjk")
    members = office.noto_members(lo_machine_pdf)
    assert members, office.fonts(lo_machine_pdf)
    assert all(found == {"sc"} for found in members.values()), members


@needs_office
def test_libreoffice_honours_each_styles_east_asian_face(lo_pdfs: dict[str, Path]) -> None:
    if not set(office.STAND_INS.values()) <= office.installed_families():
        pytest.skip("需要 fonts-noto-cjk 和 fonts-arphic-ukai")
    names = office.fonts(lo_pdfs["verified"])
    # 楷体_GB2312 (level-2 headings) and 黑体 (level-1) each came out in their own stand-in,
    # which only happens when the style's w:eastAsia slot is read
    assert any("UKai" in n for n in names), names
    assert any("NotoSansCJK" in n for n in names), names
    assert any("NotoSerifCJK" in n for n in names), names


@needs_office
def test_libreoffice_sees_real_headings_the_pdf_outline_lists_sections_and_subsections(
    lo_pdfs: dict[str, Path], clean: AnnualReport, tmp_path: Path
) -> None:
    bookmarks = office.outline(lo_pdfs["verified"], tmp_path)
    assert [title for title, _ in bookmarks] == SECTIONS
    nested = dict(bookmarks)
    for heading, narrative in (
        (SECTIONS[0], clean.overview),
        (SECTIONS[4], clean.problems),
        (SECTIONS[5], clean.other_matters),
    ):
        assert [re.sub(r"^（[一二三四五六七八九十]+）", "", t) for t in nested[heading]] == [
            s.title for s in narrative.subsections
        ]
