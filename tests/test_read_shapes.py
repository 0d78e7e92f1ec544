"""Shapes seen in real published reports, rebuilt with an invented agency and our own numbers.

Each test writes the shape (never a published text) and reads it back: a web table copied
one cell per paragraph, a sub-heading that repeats a section's wording, a title sharing its
line with a breadcrumb or a page label, the agency named only in the opening sentence
(``结合2025年某某局政府信息公开工作实际``), a statistics period without the second year, a
title in the words ``政府信息公开工作报告``, a report by a place's own name (its government).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hdgovreport import AnnualReport
from hdgovreport.form.layout import section_heading, wording
from hdgovreport.published import read_published, tables_json

AGENCY = "清河市云岭区统计局"


def _own_numbers(report: AnnualReport) -> dict[str, Any]:
    """The report's tables with every count replaced by our own (sums need not hold)."""
    tables = tables_json(report)
    k = 0
    for name in ("table2", "table3", "table4"):
        for row in tables[name].values():
            for column, value in row.items():
                k += 1
                if isinstance(value, int):
                    row[column] = (k * 7) % 23
    return tables


def _cell_per_paragraph(
    tables: dict[str, Any], rules: bool = False, blank_table3: bool = False
) -> list[str]:
    """The three tables as a browser copies some sites' tables: every cell a paragraph."""
    sep = ["|"] if rules else []
    out: list[str] = [section_heading("proactive")]
    for label, row in tables["table2"].items():
        out += [label, *sep]
        for value in row.values():
            out += [str(value), *sep]
    out.append(section_heading("applications"))
    out += ["申请人情况", "自然人", "法人或其他组织", "总计"]
    out += [c for c in next(iter(tables["table3"].values())) if c not in ("自然人", "总计")]
    groups: set[str] = set()
    for label, row in tables["table3"].items():
        group, _, own = label.rpartition("/")
        if group and group not in groups:
            groups.add(group)
            out.append(group)
        out += [own, *sep]
        for value in row.values():
            out += [] if blank_table3 else [str(value), *sep]
    out.append(section_heading("review_litigation"))
    out += ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    out += ["未经复议直接起诉", "复议后起诉"]
    out += ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    for row in tables["table4"].values():
        for value in row.values():
            out += [str(value), *sep]
    return out


def _report(front: list[str], body: list[str]) -> str:
    tail = [
        section_heading("problems"),
        "一是数据发布的时效性有待提升。",
        section_heading("other_matters"),
        "本年度未收取信息处理费。",
    ]
    return "\n\n".join(front + body + tail) + "\n"


def _overview(sub_heading_repeats_section: bool = False) -> list[str]:
    proactive = wording().sections["proactive"]
    sub = f"（一）{proactive}" if sub_heading_repeats_section else "（一）主动公开方面"
    return [
        section_heading("overview"),
        "2024年，本局扎实推进政务公开。",
        sub,
        "全年主动公开信息一百余条。",
        "（二）依申请公开方面",
        "全年办理申请若干件，均按时答复。",
    ]


@pytest.mark.parametrize("rules", [False, True])
def test_web_table_copied_one_cell_per_paragraph(
    tmp_path: Path, clean: AnnualReport, rules: bool
) -> None:
    """Every label and every number a paragraph of its own (cells may be separated by ``|``
    lines): each number belongs to the label before it, Table 4's to its wide row."""
    tables = _own_numbers(clean)
    front = [f"{AGENCY}2024年政府信息公开工作年度报告"]
    path = tmp_path / "report.txt"
    path.write_text(_report(front, _overview() + _cell_per_paragraph(tables, rules)), "utf-8")
    result = read_published(path)
    got = tables_json(result.report)
    for name in ("table2", "table3", "table4"):
        assert got[name] == tables[name], name
    assert result.report.meta.agency == AGENCY and result.report.meta.year == 2024
    assert not any("未读入" in n.message or "未找到表" in n.message for n in result.notes)


def test_sub_heading_repeating_a_section_wording_stays_in_section_one(
    tmp_path: Path, clean: AnnualReport
) -> None:
    """``（一）主动公开政府信息情况`` under ``一、总体情况`` is a sub-heading there, not section 2,
    when section 2 has its own heading ``二、主动公开政府信息情况``."""
    tables = _own_numbers(clean)
    front = [f"{AGENCY}2024年政府信息公开工作年度报告"]
    path = tmp_path / "report.txt"
    path.write_text(_report(front, _overview(True) + _cell_per_paragraph(tables)), "utf-8")
    result = read_published(path)
    overview = result.report.overview
    titles = [s.title for s in overview.subsections]
    assert titles == [wording().sections["proactive"], "依申请公开方面"]
    assert not any("标题编号" in n.message for n in result.notes)
    assert tables_json(result.report)["table3"] == tables["table3"]


@pytest.mark.parametrize(
    ("front", "agency", "year", "kind"),
    [
        # a breadcrumb before the title: the breadcrumb is not the title
        (
            [
                "首页 > 政务公开 > 政府信息公开年报 > 部门年报",
                f"{AGENCY}2023年政府信息公开工作年度报告",
            ],
            AGENCY,
            2023,
            "department",
        ),
        # a page label in front of the title (a flip-book's page text)
        ([f"Page 1 - {AGENCY}2022年政府信息公开工作年度报告"], AGENCY, 2022, "department"),
        # no title: the agency in the opening sentence of a provincial template, the year
        # from a statistics period without its second year
        (
            [
                "根据《中华人民共和国政府信息公开条例》(国务院令第711号,以下简称《条例》)要求，"
                f"结合2025年{AGENCY}政府信息公开工作实际，编制发布本报告。",
                "报告中所列数据统计期限从2025年1月1日到12月31日止。",
            ],
            AGENCY,
            2025,
            "department",
        ),
        # the agency in a sentence after half-width punctuation: 要求,现公布…
        (
            [
                "根据《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号)要求,"
                "现公布清河市人民政府2024年政府信息公开工作年度报告。"
            ],
            "清河市人民政府",
            2024,
            "government",
        ),
        # a title in other words, split over two lines
        ([f"{AGENCY}2020年度政府", "信息公开工作报告"], AGENCY, 2020, "department"),
        # a place named alone reports as its government
        (["2022年清河市政府信息公开工作年度报告"], "清河市", 2022, "government"),
    ],
)
def test_agency_and_year_from_real_front_matter(
    tmp_path: Path, clean: AnnualReport, front: list[str], agency: str, year: int, kind: str
) -> None:
    tables = _own_numbers(clean)
    path = tmp_path / "report.txt"
    path.write_text(_report(front, _overview() + _cell_per_paragraph(tables)), "utf-8")
    meta = read_published(path).report.meta
    assert (meta.agency, meta.year, meta.kind) == (agency, year, kind)


def test_a_blank_table_is_said_once(tmp_path: Path, clean: AnnualReport) -> None:
    """A form published with Table 3 left blank (its cells vanish in a copied page): one note
    for the table, not one per row; the other tables read as printed."""
    tables = _own_numbers(clean)
    front = [f"{AGENCY}2024年政府信息公开工作年度报告"]
    path = tmp_path / "report.txt"
    body = _overview() + _cell_per_paragraph(tables, blank_table3=True)
    path.write_text(_report(front, body), "utf-8")
    result = read_published(path)
    got = tables_json(result.report)
    assert got["table2"] == tables["table2"] and got["table4"] == tables["table4"]
    assert all(v == 0 for row in got["table3"].values() for v in row.values())
    messages = [n.message for n in result.notes]
    assert sum("空白的表格" in m for m in messages) == 1
    assert not any(m.startswith("表3“") and "只有" in m for m in messages)


def test_a_table_mostly_missing_keeps_the_numbers_it_prints(
    tmp_path: Path, clean: AnnualReport
) -> None:
    """Table 3 printed only in part (its other rows lost, as on a page cut short): the rows
    that are there keep their published numbers, the rest are 0, and a warning says so."""
    tables = _own_numbers(clean)
    kept = dict(list(tables["table3"].items())[:6])
    partial = {**tables, "table3": kept}
    body = [b for b in _cell_per_paragraph(partial) if b != section_heading("review_litigation")]
    path = tmp_path / "report.txt"
    front = [f"{AGENCY}2024年政府信息公开工作年度报告"]
    path.write_text(_report(front, _overview() + body[: body.index("行政复议")]), "utf-8")
    result = read_published(path)
    got = tables_json(result.report)["table3"]
    assert {k: got[k] for k in kept} == kept
    assert any("只读入了找到的" in n.message and n.level == "warning" for n in result.notes)


def test_row_labels_with_the_forms_instructions_in_parentheses(
    tmp_path: Path, clean: AnnualReport
) -> None:
    """Some provinces print the form's instructions after a label (``规章（设区的市…应提供相关
    数据）``): the row is the label's, its numbers are read (never left at 0), a note says so."""
    tables = _own_numbers(clean)
    annotated = {
        "table2": {
            f"{k}（填报说明：本机关的数据，不含下属单位）": v for k, v in tables["table2"].items()
        },
        "table3": tables["table3"],
        "table4": tables["table4"],
    }
    front = [f"{AGENCY}2024年政府信息公开工作年度报告"]
    path = tmp_path / "report.txt"
    path.write_text(_report(front, _overview() + _cell_per_paragraph(annotated)), "utf-8")
    result = read_published(path)
    assert tables_json(result.report)["table2"] == tables["table2"]
    assert sum("填报说明" in n.message for n in result.notes) == len(tables["table2"])


def _wrap(paragraph: str, width: int = 28) -> list[str]:
    return [paragraph[i : i + width] for i in range(0, len(paragraph), width)]


def test_text_copied_from_a_pdf_is_unwrapped(tmp_path: Path, clean: AnnualReport) -> None:
    """Text copied out of a PDF keeps every printed line a line: paragraphs are joined back
    (a heading, a numbered point, a sentence end or a table line stops a join)."""
    tables = _own_numbers(clean)
    problems = [
        "本年度政务公开工作取得了一些成绩，但仍存在着一些短板和不足，如公开内容不够丰富、"
        "解读形式较为单一、开展政府开放日活动方面有待提升。",
        "下一年，本局将根据政务公开工作的具体要求，进一步提高认识，深入查找各个环节中的"
        "薄弱点，加大工作力度，提升公开水平，更好地服务公众。",
    ]
    lines = [f"{AGENCY}2024年政府信息公开工作年度报告", section_heading("overview")]
    for p in problems:  # section 1 too, so the report has enough wrapped lines
        lines += _wrap(p)
    lines += _cell_per_paragraph(tables)
    lines.append(section_heading("problems"))
    for p in problems:
        lines += _wrap(p)
    lines += [section_heading("other_matters"), "本年度未收取信息处理费。"]
    path = tmp_path / "report.txt"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    result = read_published(path)
    assert list(result.report.problems.intro) == problems
    assert list(result.report.overview.intro) == problems
    got = tables_json(result.report)
    assert all(got[name] == tables[name] for name in ("table2", "table3", "table4"))
    assert any("折行已接回" in n.message for n in result.notes)


def _piped_tables(report: AnnualReport, shape: str, blank_zeros: bool = False) -> list[str]:
    """The three tables written with ``|`` between cells, as tools that turn a web page into
    text write them:

    - ``rows``: one row per line ending in ``|``, a ``|`` opening a line for each column a
      merged label above fills (``| | 2.其他法律行政法规禁止公开 | 0 | … |``);
    - ``markdown``: every row between ``|`` borders, merged cells as empty ones, a rule
      under the first row;
    - ``cells``: one cell per line, each ending in `` |``, an empty cell a lone ``|``, and
      at the row's end one line of a ``|`` for each column a merged cell covers
      (``第二十条第(一)项 |`` / ``|||``); ``blank_zeros`` leaves every 0 empty, as agencies
      with nothing to report often do.
    """
    from hdgovreport.checks import check
    from hdgovreport.document import build_document

    document = build_document(report, check(report))
    out: list[str] = []
    for table, section in zip(
        document.tables(), ("proactive", "applications", "review_litigation"), strict=True
    ):
        out.append(section_heading(section))
        width = table.columns
        for r, row in enumerate(table.rows()):
            starts = {c.column: c for c in row.cells}
            line: list[str] = []
            column = 0
            while column < width:
                cell = starts.get(column)
                if cell is None:
                    line.append("")  # under a merged label (or the rest of a wide cell)
                    column += 1
                    continue
                line.append(cell.text)
                line += [""] * (cell.colspan - 1)
                column += cell.colspan
            if shape == "rows":
                # leading empty cells stand for the merged labels; the rest of a wide cell is not written
                while line and line[-1] == "":
                    line.pop()
                out.append(" | ".join(line) + " |")
            elif shape == "markdown":
                out.append("| " + " | ".join(line) + " |")
                if r == 0:
                    out.append("|" + "---|" * width)
            else:
                # the row's own cells in order, an empty one a lone ``|``; then one line with
                # a ``|`` for each column a merged cell covers (``第二十条第(一)项 |`` / ``|||``)
                cells = [c.text for c in row.cells]
                if blank_zeros:
                    cells = ["" if text == "0" else text for text in cells]
                out += [f"{text} |" if text else "|" for text in cells]
                if width > len(cells):
                    out.append("|" * (width - len(cells)))
    return out


@pytest.mark.parametrize(
    ("shape", "blank_zeros"),
    [("rows", False), ("markdown", False), ("cells", False), ("cells", True)],
)
def test_tables_written_with_pipes_between_cells(
    tmp_path: Path, clean: AnnualReport, shape: str, blank_zeros: bool
) -> None:
    """Text from a tool that writes web tables with ``|`` between cells reads as the tables;
    one cell per line, the cells left empty (a lone ``|``) keep the values after them in
    their columns (before, they were dropped and every later value moved a column left)."""
    front = [f"{AGENCY}2024年政府信息公开工作年度报告"]
    body = _piped_tables(clean, shape, blank_zeros)
    if blank_zeros:
        assert body.count("|") > 100  # the shape under test: many empty cells
    path = tmp_path / "report.txt"
    path.write_text("\n".join([*front, *_overview(), *body, "", _report([], [])]), "utf-8")
    result = read_published(path)
    got, expected = tables_json(result.report), tables_json(clean)
    for name in ("table2", "table3", "table4"):
        assert got[name] == expected[name], name
    assert any("以“|”分隔" in n.message for n in result.notes)
    assert not any("未找到表" in n.message for n in result.notes)
    assert not any("填写为" in n.message for n in result.notes)  # empty, not a mark


def test_a_stray_pipe_in_the_text_is_text() -> None:
    from hdgovreport.published.extract.text import unpipe

    lines = ["首页 | 政务公开", "一、总体情况", "本局全年公开信息100条。"]
    assert unpipe(lines) == (lines, 0)
