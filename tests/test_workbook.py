"""The fill-in workbook (.xlsx): written, edited by an officer (openpyxl standing in for Excel),
read back as strictly as the YAML file; every message names sheet!cell and the official labels."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from conftest import HAIDIAN

import hdgovreport as hg
from hdgovreport import cli
from hdgovreport.datafile import blank_report, dumps, load
from hdgovreport.datafile.workbook import layout as L
from hdgovreport.datafile.workbook.read import loads_workbook
from hdgovreport.datafile.workbook.write import workbook_bytes
from hdgovreport.document.build import build_document
from hdgovreport.errors import DataFileError
from hdgovreport.form import queries
from hdgovreport.form.layout import layout, wording
from hdgovreport.model import Highlight, Point, Subsection

EXAMPLE = HAIDIAN.read_text("utf-8")


def coordinate(path: str, edition: str = "2021") -> tuple[str, str]:
    """(sheet, cell) of a table cell path, from the workbook layout."""
    for sheet in L.table_sheets(edition):  # type: ignore[arg-type]
        if path in sheet.cells:
            return sheet.name, sheet.cells[path]
    for fee_path, _label, row in L.fee_rows():
        if fee_path == path:
            return L.narrative_sheet_name("other_matters"), L.ref(row, L.FEE_VALUE_COLUMN)
    raise KeyError(path)


@pytest.fixture(scope="module")
def haidian_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wb") / "h.xlsx"
    assert cli.main(["import", str(HAIDIAN), "-o", str(path)]) == 0
    return path


def edited(source: Path, target: Path, changes: dict[tuple[str, str], Any]) -> Path:
    """A copy of ``source`` with cells changed as an officer would in Excel."""
    wb = openpyxl.load_workbook(source)
    for (sheet, cell), value in changes.items():
        wb[sheet][cell] = value
    wb.save(target)
    return target


def problems(path: Path) -> list[str]:
    with pytest.raises(DataFileError) as caught:
        load(path)
    return [f"{p.field}：{p.message}" for p in caught.value.problems]


# ---------------------------------------------------------------- the "done when"


def test_haidian_yaml_to_xlsx_to_yaml_is_byte_identical(haidian_xlsx: Path, tmp_path: Path) -> None:
    back = tmp_path / "back.yaml"
    assert cli.main(["import", str(haidian_xlsx), "-o", str(back)]) == 0
    assert back.read_bytes() == HAIDIAN.read_bytes()


def test_check_xlsx_reports_the_t4_sum_error_at_its_cell_and_the_fee_warning(
    haidian_xlsx: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["check", str(haidian_xlsx)]) == 1
    out = capsys.readouterr().out
    checked = hg.check_file(haidian_xlsx)
    assert [f.code for f in checked.errors] == ["T4-sum"]
    assert [f.code for f in checked.warnings] == ["FEE-unpaid"]
    (error,) = checked.errors
    assert (error.expected, error.actual) == (45, 42)
    sheet, cell = coordinate("review_litigation.litigation_after_review.total")
    assert (sheet, cell) == ("表4", "O6")
    assert error.location.source is not None and error.location.source.detail == "表4!O6"
    assert f"错误 T4-sum  {haidian_xlsx} 表4!O6  " in out
    fee = checked.warnings[0].location.source
    assert (
        fee is not None
        and fee.detail == "表3!" + coordinate("applications.other_fee_unpaid.total")[1]
    )
    assert "共 1 个错误，1 个警告。" in out


def test_bad_count_cells_give_one_message_each_with_the_meant_value(
    haidian_xlsx: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = "applications.new_received"
    cells = {c: coordinate(f"{row}.{c}")[1] for c in queries.applicant_parts()}
    bad = edited(
        haidian_xlsx,
        tmp_path / "bad.xlsx",
        {
            ("表3", cells["natural_person"]): -1,
            ("表3", cells["commercial"]): "十二",
            ("表3", cells["research"]): "１２",
            ("表3", cells["public_interest"]): "1,520",
            ("表3", cells["legal_services"]): "=1+1",
            ("表3", cells["other"]): "#REF!",
        },
    )
    assert cli.main(["check", str(bad)]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 6, err
    label = queries.application_rows("2021")[0].name
    expected = {
        cells["natural_person"]: "不能为负数，实际为 -1",
        cells["commercial"]: "“十二”是汉字数字，应为 12",
        cells["research"]: "“１２”是全角数字，应为 12",
        cells["public_interest"]: "“1,520”含有千位分隔符或空格，应为 1520",
        cells["legal_services"]: "是公式“=1+1”，请直接填写数值 2",
        cells["other"]: "是错误值 #REF!",
    }
    for line, (cell, message) in zip(lines, expected.items(), strict=True):
        assert line.startswith(f"{bad}: 表3!{cell}：{label} › "), line
        assert message in line
    assert "Traceback" not in err and "内部错误" not in err


# ---------------------------------------------------------------- reading strictly


def test_number_typed_as_text_date_and_logical_value(haidian_xlsx: Path, tmp_path: Path) -> None:
    granted = coordinate("applications.granted.natural_person")[1]
    fees = coordinate("proactive.fees")[1]
    licensing = coordinate("proactive.licensing")[1]
    notices = coordinate("other_matters.fee.notices")
    import datetime as dt

    bad = edited(
        haidian_xlsx,
        tmp_path / "t.xlsx",
        {
            ("表3", granted): "288",
            ("表2", fees): "19656.3836",
            ("表2", licensing): dt.datetime(2022, 1, 2),
            notices: True,
        },
    )
    found = problems(bad)
    assert (
        f"表3!{granted}：（一）予以公开 › 自然人：数字存成了文本“288”，应为数值 288（请把单元格格式设为“常规”后重新输入）"
        in found
    )
    assert any(p.startswith(f"表2!{fees}：") and "数字存成了文本“19656.3836”" in p for p in found)
    assert any(p.startswith(f"表2!{licensing}：") and "被识别成了日期" in p for p in found)
    assert any(p.startswith(f"{notices[0]}!{notices[1]}：") and "逻辑值 TRUE" in p for p in found)
    assert len(found) == 4


def test_an_empty_part_is_missing_an_empty_total_is_computed(
    haidian_xlsx: Path, tmp_path: Path
) -> None:
    part = coordinate("applications.granted.commercial")[1]
    total = coordinate("review_litigation.litigation_after_review.total")[1]
    bad = edited(haidian_xlsx, tmp_path / "m.xlsx", {("表3", part): None})
    assert problems(bad) == [f"表3!{part}：（一）予以公开 › 商业企业：缺少数值（没有就填 0）"]
    fixed = edited(haidian_xlsx, tmp_path / "t.xlsx", {("表4", total): None})
    assert load(fixed).report.review_litigation.litigation_after_review.total == 45


def test_amounts_keep_their_places_and_a_typed_amount_is_exact(tmp_path: Path) -> None:
    report = hg.load_report(HAIDIAN)
    report = attrs.evolve(report, proactive=attrs.evolve(report.proactive, fees=Decimal("12.50")))
    path = tmp_path / "a.xlsx"
    hg.dump(report, path)
    assert format(load(path).report.proactive.fees, "f") == "12.50"
    typed = edited(path, tmp_path / "b.xlsx", {("表2", coordinate("proactive.fees")[1]): 12.345})
    assert format(load(typed).report.proactive.fees, "f") == "12.345"
    seven = edited(path, tmp_path / "c.xlsx", {("表2", coordinate("proactive.fees")[1]): 0.1234567})
    assert any("最多保留 6 位小数" in p for p in problems(seven))


def test_a_broken_or_added_merged_cell_is_said(haidian_xlsx: Path, tmp_path: Path) -> None:
    t2 = next(s for s in L.table_sheets("2021") if s.name == "表2")
    merged = t2.value_merges["proactive.licensing"]
    first, last = merged.split(":")
    wb = openpyxl.load_workbook(haidian_xlsx)
    ws = wb["表2"]
    value = ws[first].value
    ws.unmerge_cells(merged)
    ws[first] = None
    ws[last] = value
    wb.save(tmp_path / "split.xlsx")
    found = problems(tmp_path / "split.xlsx")
    assert any(
        p.startswith(f"表2!{last}：合并单元格 {merged} 被拆分了") and f"应填在 {first}" in p
        for p in found
    ), found
    assert any(p.startswith(f"表2!{first}：") and "缺少数值" in p for p in found)

    wb = openpyxl.load_workbook(haidian_xlsx)
    a, b = (coordinate(f"applications.granted.{c}")[1] for c in ("natural_person", "commercial"))
    wb["表3"].merge_cells(f"{a}:{b}")
    wb.save(tmp_path / "merged.xlsx")
    assert any(
        p.startswith(f"表3!{b}：") and f"被合并进了 {a}:{b}" in p
        for p in problems(tmp_path / "merged.xlsx")
    )


def test_a_row_inserted_into_a_table_is_found_not_misread(
    haidian_xlsx: Path, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(haidian_xlsx)
    wb["表3"].protection.sheet = False
    wb["表3"].insert_rows(8)
    wb.save(tmp_path / "ins.xlsx")
    (found,) = problems(tmp_path / "ins.xlsx")  # one message, not one per moved label
    assert found.startswith("表3!") and "表格的行或列被插入、删除或移动了，本表不读入" in found
    assert "处标签不在原位" in found


def test_edition_changed_without_its_tables(haidian_xlsx: Path, tmp_path: Path) -> None:
    bad = edited(haidian_xlsx, tmp_path / "e.xlsx", {(L.META_SHEET, f"B{L.META_TOP}"): 2019})
    (found,) = problems(bad)
    assert found.startswith(f"{L.META_SHEET}!B{L.META_TOP}：格式版本填写为 2019，但“表2”是 2021 版")


def test_missing_or_renamed_sheet(haidian_xlsx: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(haidian_xlsx)
    wb["表4"].title = "表四"
    wb.save(tmp_path / "r.xlsx")
    found = problems(tmp_path / "r.xlsx")
    assert any(p.startswith("表4：缺少工作表“表4”") and "表四" in p for p in found), found


def test_narrative_rows_are_read_strictly(tmp_path: Path) -> None:
    path = tmp_path / "n.xlsx"
    assert cli.main(["new", "--agency", "某区某局", "--year", "2023", "-o", str(path)]) == 0
    overview = L.narrative_sheet_name("overview")
    problems_sheet = L.narrative_sheet_name("problems")
    first = L.NARRATIVE_HEADER_ROW + 1
    n = len(wording().suggested_subsections["overview"])
    end = first + n
    bad = edited(
        path,
        tmp_path / "bad.xlsx",
        {
            (overview, f"A{end}"): "要点",
            (overview, f"B{end}"): "第一个要点。",
            (overview, f"A{end + 1}"): "导语",
            (overview, f"B{end + 1}"): "写在小节之后的导语。",
            (overview, f"A{end + 2}"): "标题",
            (overview, f"B{end + 2}"): "未知的层级。",
            (overview, f"B{end + 3}"): "没有层级的文字。",
            (overview, f"A{end + 4}"): "段落",
            (overview, f"B{end + 4}"): "第一行\n第二行",
            (overview, f"A{end + 5}"): "要点",
            (overview, f"B{end + 5}"): "编号只在小节行。",
            (overview, f"C{end + 5}"): "1.",
            (overview, f"F{end}"): "写在表外",
            (problems_sheet, f"A{first}"): "要点",
        },
    )
    found = problems(bad)
    assert found == [
        f"{overview}!F{end}：这里不是填写的位置，内容不会被读入（请移到黄色格子里，或删除）",
        f"{overview}!A{end + 1}：导语应写在第一个小节之前；小节中不编号的段落，层级请选“段落”",
        f"{overview}!A{end + 2}：层级应为导语、小节、要点、段落之一，实际为“标题”",
        f"{overview}!A{end + 3}：请选择层级（导语、小节、要点、段落之一）",
        f"{overview}!B{end + 4}：段落中不能换行（Alt+回车）：要分段请另起一行",
        f"{overview}!C{end + 5}：要点编号只在小节行填写",
        f"{problems_sheet}!A{first}：要点应写在小节标题之后；第一个小节之前的段落，层级请选“导语”",
        f"{problems_sheet}!C{first}：要点编号只在小节行填写",  # the 小节 row's 一是 is left over
    ]


def test_highlights_round_trip_and_a_wrong_subsection_is_said(tmp_path: Path) -> None:
    report = hg.load_report(HAIDIAN)
    subs = list(report.overview.subsections)
    subs[1] = attrs.evolve(
        subs[1], highlights=(Highlight("22", "条", "收录惠企政策"), Highlight("100余", "", "场次"))
    )
    subs.append(Subsection(title="持续完善体系建设", content=(Point("重名的小节。"),)))
    report = attrs.evolve(report, overview=attrs.evolve(report.overview, subsections=tuple(subs)))
    path = tmp_path / "h.xlsx"
    hg.dump(report, path)
    assert load(path).report == report
    ws = openpyxl.load_workbook(path)[L.HIGHLIGHT_SHEET]
    assert ws["A4"].value == "（二）" + subs[1].title and ws["B4"].value == "22"
    bad = edited(
        path,
        tmp_path / "bad.xlsx",
        {
            (L.HIGHLIGHT_SHEET, "A4"): "（九）持续优化政策服务",
            (L.HIGHLIGHT_SHEET, "A5"): "持续完善体系建设",
            (L.HIGHLIGHT_SHEET, "A6"): "（一）别的标题",
            (L.HIGHLIGHT_SHEET, "B6"): "多",
            (L.HIGHLIGHT_SHEET, "D6"): "说明",
        },
    )
    found = problems(bad)
    assert found[0].startswith(f"{L.HIGHLIGHT_SHEET}!A4：“一、总体情况”中没有第 九 个小节")
    assert found[1].startswith(f"{L.HIGHLIGHT_SHEET}!A5：") and "有多个小节用这个标题" in found[1]
    assert found[2].startswith(f"{L.HIGHLIGHT_SHEET}!A6：") and "与“别的标题”不一致" in found[2]


def test_graphic_settings_round_trip_and_a_wrong_rate_is_said(tmp_path: Path) -> None:
    from hdgovreport.datafile.workbook import settings as W
    from hdgovreport.model import GraphicSettings

    chosen = GraphicSettings(
        source="海淀区2022年政府信息公开工作年度报告", rates=("correction_rate",)
    )
    report = attrs.evolve(hg.load_report(HAIDIAN), graphic=chosen)
    path = tmp_path / "h.xlsx"
    hg.dump(report, path)
    assert load(path).report.graphic == chosen
    assert load(path).sources["graphic.source"].detail == f"{W.SHEET}!B3"
    yaml_again = tmp_path / "h.yaml"
    assert cli.main(["import", str(path), "-o", str(yaml_again)]) == 0
    assert load(yaml_again).report == load(path).report
    bad = edited(
        path,
        tmp_path / "bad.xlsx",
        {(W.SHEET, "B4"): "纠正率、办结率", (W.SHEET, "C3"): "多写的"},
    )
    found = problems(bad)
    assert found[0].startswith(f"{W.SHEET}!C3：这里不是填写的位置")  # in cell order
    assert found[1] == f"{W.SHEET}!B4：应为纠正率之一，实际为“办结率”"
    # a workbook made before the sheet existed still loads, with no settings
    wb = openpyxl.load_workbook(path)
    del wb[W.SHEET]
    wb.save(tmp_path / "old.xlsx")
    assert load(tmp_path / "old.xlsx").report.graphic.is_default


def test_values_outside_the_input_cells_are_said_computed_cells_are_ignored(
    haidian_xlsx: Path, tmp_path: Path
) -> None:
    t3 = next(s for s in L.table_sheets("2021") if s.name == "表3")
    computed = next(h.coordinate for h in t3.helpers if h.formula.startswith("SUM("))
    loose = L.ref(t3.grid_bottom, t3.width + 4)
    path = edited(haidian_xlsx, tmp_path / "s.xlsx", {("表3", computed): 999})
    assert load(path).report == hg.load_report(HAIDIAN)
    path = edited(haidian_xlsx, tmp_path / "t.xlsx", {("表3", loose): 5})
    assert problems(path) == [
        f"表3!{loose}：这里不是填写的位置，内容不会被读入（请移到黄色格子里，或删除）"
    ]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (EXAMPLE.encode("utf-8"), "内容看起来是 YAML 数据文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Excel 97-2003 工作簿"),
        (b"PK\x03\x04" + b"\0" * 100, "不是完整的 .xlsx 压缩包"),
        (b"", "不是 Excel 工作簿"),
    ],
)
def test_what_is_not_a_workbook_is_said_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, says: str
) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    assert cli.main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err


def test_a_docx_named_xlsx_and_a_workbook_named_yaml(tmp_path: Path, haidian_xlsx: Path) -> None:
    docx = tmp_path / "r.xlsx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert any("这是Word 文档" in p for p in problems(docx))
    named_yaml = tmp_path / "h.yaml"
    named_yaml.write_bytes(haidian_xlsx.read_bytes())
    with pytest.raises(DataFileError):
        load(named_yaml)


# ---------------------------------------------------------------- what the workbook holds


def test_same_report_same_bytes_and_no_save_time(tmp_path: Path) -> None:
    report = hg.load_report(HAIDIAN)
    first = workbook_bytes(report)
    assert workbook_bytes(report) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        core = archive.read("docProps/core.xml").decode()
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]+)<", core) == [
        "2000-01-01T00:00:00Z",
        "2000-01-01T00:00:00Z",
    ]
    other = attrs.evolve(report, opening=("另一段开头。",))
    assert workbook_bytes(other) != first


def test_sheets_in_report_order_protected_without_password(haidian_xlsx: Path) -> None:
    wb = openpyxl.load_workbook(haidian_xlsx)
    assert tuple(wb.sheetnames) == L.sheet_names("2021")
    headings = [L.narrative_sheet_name(a) for a in ("overview", "problems", "other_matters")]
    assert headings == [f"一、{wording().sections['overview']}", *headings[1:]]
    for ws in wb.worksheets:
        assert ws.protection.sheet and not ws.protection.password


def test_input_cells_unlocked_with_validation_labels_locked(haidian_xlsx: Path) -> None:
    wb = openpyxl.load_workbook(haidian_xlsx)
    kinds = queries.cells_by_path("2021")
    for sheet in L.table_sheets("2021"):
        ws = wb[sheet.name]
        rules = ws.data_validations.dataValidation
        for path, cell in sheet.cells.items():
            assert ws[cell].protection.locked is False, (sheet.name, cell)
            covering = [r for r in rules if cell in r.sqref]
            assert len(covering) == 1, (sheet.name, cell)
            (rule,) = covering
            if kinds[path].type == "count":
                assert (rule.type, rule.operator, rule.formula1) == ("whole", "between", "0")
            elif kinds[path].type == "money":
                assert rule.type == "custom" and f"ROUND({cell},6)={cell}" in rule.formula1
            assert rule.showErrorMessage and rule.error
        for cell in sheet.labels:
            assert ws[cell].protection.locked is not False
        for helper in sheet.helpers:
            assert ws[helper.coordinate].protection.locked is not False


def test_every_reported_total_has_a_sum_beside_it_that_turns_red(haidian_xlsx: Path) -> None:
    wb = openpyxl.load_workbook(haidian_xlsx)
    for sheet in L.table_sheets("2021"):
        if sheet.attr == "proactive":
            continue
        ws = wb[sheet.name]
        formatted = {
            str(c): [r.formula[0] for r in rules]
            for c, rules in ((cf.sqref, cf.rules) for cf in ws.conditional_formatting)
        }
        totals = [p for p in sheet.cells if p.endswith(".total") or ".total_handled." in p]
        for path in totals:
            cell = sheet.cells[path]
            ranges = [r for r in formatted if any(_in(cell, part) for part in r.split())]
            assert ranges, (sheet.name, cell)
            assert any(
                f"ISNUMBER(${cell[0]}${cell[1:]})" in f for r in ranges for f in formatted[r]
            )
            assert ws[cell].value is not None  # the reported total stays an input
        sums = [h for h in sheet.helpers if h.formula.startswith("SUM(")]
        assert sums and all(ws[h.coordinate].value == "=" + h.formula for h in sums)


def _in(cell: str, cell_range: str) -> bool:
    from openpyxl.worksheet.cell_range import CellRange

    return cell in CellRange(cell_range)


@pytest.mark.parametrize("edition", ["2021", "2019"])
def test_tables_are_the_official_grids(edition: str) -> None:
    report = blank_report("某县人民政府", 2020 if edition == "2019" else 2023, edition)  # type: ignore[arg-type]
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(report)))
    document = build_document(report)
    for sheet in L.table_sheets(edition):  # type: ignore[arg-type]
        ws = wb[sheet.name]
        table = document.table(sheet.name)
        merged = {str(m) for m in ws.merged_cells.ranges}
        for r, row in enumerate(table.rows()):
            for cell in row.cells:
                top = L.ref(L.TABLE_TOP + r, 1 + cell.column)
                if cell.kind != "value":
                    assert ws[top].value == cell.text
                if cell.colspan > 1 or cell.rowspan > 1:
                    end = L.ref(L.TABLE_TOP + r + cell.rowspan - 1, cell.column + cell.colspan)
                    assert f"{top}:{end}" in merged
        assert ws["A1"].value == sheet.title
    t3 = layout().applications
    assert wb["表3"]["A3"].value == t3.corner_note


def test_new_workbook_leaves_totals_to_the_program(tmp_path: Path) -> None:
    path = tmp_path / "2023.xlsx"
    assert cli.main(["new", "--agency", "某区某局", "--year", "2023", "-o", str(path)]) == 0
    t3 = next(s for s in L.table_sheets("2021") if s.name == "表3")
    ws = openpyxl.load_workbook(path)["表3"]
    assert ws[t3.cells["applications.new_received.total"]].value is None
    assert ws[t3.cells["applications.new_received.natural_person"]].value == 0
    loaded = load(path).report
    assert loaded.applications.total_handled.total == 0
    assert loaded == blank_report("某区某局", 2023)
    assert cli.main(["new", "--agency", "某区某局", "--year", "2023", "-o", str(path)]) == 2


def test_2019_edition_round_trip(tmp_path: Path) -> None:
    report = blank_report("某县人民政府", 2020, "2019")
    path = tmp_path / "2020.xlsx"
    hg.dump(report, path)
    assert load(path).report == report
    assert dumps(load(path).report) == dumps(report)


def test_an_amount_excel_cannot_hold_is_refused_not_rounded(tmp_path: Path) -> None:
    report = hg.load_report(HAIDIAN)
    precise = attrs.evolve(
        report, proactive=attrs.evolve(report.proactive, fees=Decimal("123456789012.123456"))
    )
    with pytest.raises(DataFileError) as caught:
        hg.dump(precise, tmp_path / "p.xlsx")
    assert "有效数字超过 15 位" in str(caught.value)
    assert not (tmp_path / "p.xlsx").exists()


# ---------------------------------------------------------------- every door takes a workbook


def test_api_previous_and_audit_take_workbooks(haidian_xlsx: Path, tmp_path: Path) -> None:
    assert hg.load_report(haidian_xlsx) == hg.load_report(HAIDIAN)
    assert (
        hg.read(haidian_xlsx).sources["proactive.fees"].detail
        == "表2!" + coordinate("proactive.fees")[1]
    )
    with_previous = hg.check_file(HAIDIAN, previous=haidian_xlsx)
    assert with_previous.codes() == hg.check_file(HAIDIAN, previous=HAIDIAN).codes()
    folder = tmp_path / "many"
    folder.mkdir()
    (folder / "h.xlsx").write_bytes(haidian_xlsx.read_bytes())
    result = hg.audit([folder], workers=1)
    (row,) = result.rows
    assert (row.format, row.errors, row.failed_rules) == ("data", 1, ("T4-sum",))


def test_build_from_a_workbook(haidian_xlsx: Path, tmp_path: Path) -> None:
    built = hg.build_file(haidian_xlsx, "html", tmp_path, allow_errors=True)
    html = built.outputs["html"]
    assert html.name == "h.html" and "复议后起诉" in html.read_text("utf-8")


def test_reading_is_not_fooled_by_a_stale_cached_total(haidian_xlsx: Path) -> None:
    """Computed cells are never read: the model is what the input cells hold."""
    data = haidian_xlsx.read_bytes()
    assert loads_workbook(data, "h.xlsx").report == hg.load_report(HAIDIAN)
