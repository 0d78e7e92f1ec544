"""The shapes real agencies publish (fixtures written by ``fixtures/published/make_real.py``).

Each fixture is an invented report printed the way real ones are: WPS's scaled page, text at
size 1 under a matrix, one glyph per text object, a landscape table on a turned page, a 2019
government page with its title only in ``<title>``.  Each must read to its truth exactly, and
``check`` / ``import --tables-json`` must give the published cells.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from conftest import ROOT

from hdgovreport import AnnualReport, check, load_report
from hdgovreport.cli import main
from hdgovreport.published import read_published, read_published_bytes, tables_json

FIXTURES = ROOT / "tests" / "fixtures" / "published"
SEED = FIXTURES / "haidian-2022.txt"
TRUTH = {
    "wps-2024.pdf": "wps-2024.expected.yaml",
    "unit-2023.pdf": "unit-2023.expected.yaml",
    "glyph-2023.pdf": "unit-2023.expected.yaml",
    "site-2019.html": "site-2019.expected.yaml",
}


@pytest.fixture(scope="module")
def read() -> dict[str, object]:
    return {name: read_published(FIXTURES / name) for name in TRUTH}


def _messages(result: object) -> list[str]:
    return [n.message for n in result.notes]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", list(TRUTH))
def test_real_shape_reads_to_its_truth(read: dict[str, object], name: str) -> None:
    result = read[name]
    truth = load_report(FIXTURES / TRUTH[name])
    assert result.report == truth  # type: ignore[attr-defined]
    assert tables_json(result.report) == tables_json(truth)  # type: ignore[attr-defined]
    assert check(result.report).errors == ()  # type: ignore[attr-defined]


def _font_sizes(path: Path) -> set[float]:
    """The raw font sizes of a PDF's text objects (what pdfium reports, not what is printed)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(str(path))
    sizes = set()
    for page in document:
        text = page.get_textpage()
        for i in range(0, text.count_chars(), 7):
            if not raw.FPDFText_IsGenerated(text.raw, i):
                sizes.add(round(float(raw.FPDFText_GetFontSize(text.raw, i)), 1))
    return sizes


def test_fixtures_draw_text_the_way_those_producers_do() -> None:
    assert {259.0, 439.0} <= _font_sizes(FIXTURES / "wps-2024.pdf")  # 16 pt on odd, even pages
    assert _font_sizes(FIXTURES / "unit-2023.pdf") <= {1.0, 14.0}  # size 1 (14: page numbers)
    import pypdfium2 as pdfium

    turned = [p.get_rotation() for p in pdfium.PdfDocument(str(FIXTURES / "unit-2023.pdf"))]
    assert 90 in turned
    import pypdfium2.raw as raw

    glyph = pdfium.PdfDocument(str(FIXTURES / "glyph-2023.pdf"))[0]
    objects = sum(1 for o in glyph.get_objects() if o.type == raw.FPDF_PAGEOBJ_TEXT)
    text = glyph.get_textpage()
    printed = sum(1 for i in range(text.count_chars()) if not raw.FPDFText_IsGenerated(text.raw, i))
    assert objects >= printed  # one glyph per text object (a space is an object, no character)


@pytest.mark.parametrize("name", ["wps-2024.pdf", "unit-2023.pdf", "glyph-2023.pdf"])
def test_paragraphs_carry_the_printed_size(name: str) -> None:
    from hdgovreport.published.extract import Deadline, TextBlock
    from hdgovreport.published.extract.pdf import read_pdf

    data = (FIXTURES / name).read_bytes()
    blocks = read_pdf(data, name, Deadline(name, 30)).blocks
    sizes = {round(b.size or 0) for b in blocks if isinstance(b, TextBlock) and len(b.text) > 40}
    assert sizes == {16}
    titles = [b for b in blocks if isinstance(b, TextBlock) and "年度报告" in b.text]
    assert round(titles[0].size or 0) in (18, 22)


def test_wps_export_says_what_it_tolerated(read: dict[str, object]) -> None:
    result = read["wps-2024.pdf"]
    report: AnnualReport = result.report  # type: ignore[attr-defined]
    messages = _messages(result)
    assert any("标题分在多行" in m for m in messages)
    assert any("只印了一行" in m for m in messages)  # （六）其他处理 as one row
    assert any("“777777”越过了单元格的表格线" in m for m in messages)
    assert any("政府信息公开工作存在的主要问题及改进情况" in m for m in messages)
    assert any("小节标题“主动公开方面”与正文连写" in m for m in messages)
    assert report.proactive.fees == Decimal("5949.088667")  # type: ignore[union-attr]
    row = report.applications.new_received
    assert (row.natural_person, row.commercial, row.total) == (777777, 60, 777900)
    assert report.overview.subsections[0].title == "主动公开方面"
    # the distributed line is read without the letter spacing
    assert "地址：清河市人民路1号，邮编：223001" in report.other_matters.intro


def test_turned_page_and_the_unmerged_total_row(read: dict[str, object]) -> None:
    result = read["unit-2023.pdf"]
    sources = result.sources  # type: ignore[attr-defined]
    assert sources["applications.total_handled.total"].page == 3  # the landscape page
    assert not any("多出" in m for m in _messages(result))  # the empty label cell is no value


def test_government_page_2019_with_title_only_in_the_page_title(read: dict[str, object]) -> None:
    result = read["site-2019.html"]
    report: AnnualReport = result.report  # type: ignore[attr-defined]
    assert (report.meta.agency, report.meta.year, report.edition) == (
        "清河县自然资源局",
        2019,
        "2019",
    )
    assert str(report.meta.published) == "2020-01-21"
    messages = _messages(result)
    assert any("取自网页或文档属性中的标题" in m for m in messages)
    amount = "proactive.procurement.amount"
    assert report.proactive.procurement.amount == Decimal("25.1")  # type: ignore[union-attr]
    assert result.printed[amount] == "251000元"  # type: ignore[attr-defined]
    assert any("251000元" in m and "万元" in m and "金额未变" in m for m in messages)


def test_a_unit_in_a_cell_of_its_own() -> None:
    page = (FIXTURES / "site-2019.html").read_text("utf-8")
    cell = '<p style="text-align:center"><span style="font-size:12pt">251000元</span></p></td>'
    assert cell in page
    page = page.replace(cell, cell.replace("251000元", "25.1") + "<td>万元</td>")
    result = read_published_bytes(page.encode(), "unit.html")
    assert result.report.proactive.procurement.amount == Decimal("25.1")  # type: ignore[union-attr]
    assert not any("多出" in m for m in _messages(result))


def test_check_and_tables_json_give_the_published_cells(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(FIXTURES / "wps-2024.pdf")
    assert main(["import", path, "--tables-json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == tables_json(load_report(FIXTURES / "wps-2024.expected.yaml"))
    assert out["table2"]["行政事业性收费"] == {"本年收费金额（单位：万元）": "5949.088667"}
    assert main(["check", path]) == 0
    assert "读入：PDF" in capsys.readouterr().out


# ---------------------------------------------------------------- who and which year


SEED_TITLE = "北京市海淀区人民政府2022年政府信息公开\n工作年度报告\n"


def _untitled(tmp_path: Path, name: str, opening: str | None = None) -> Path:
    text = SEED.read_text("utf-8")
    assert SEED_TITLE in text
    text = text.replace(SEED_TITLE, "")
    if opening is not None:
        first = next(line for line in text.split("\n") if "编制本报告" in line)
        text = text.replace(first, opening)
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_no_title_agency_and_year_from_the_file_name(tmp_path: Path, haidian: AnnualReport) -> None:
    path = _untitled(tmp_path, "北京市海淀区人民政府2022年政府信息公开工作年度报告.txt")
    result = read_published(path)
    assert result.report == haidian
    assert any("取自文件名" in m for m in _messages(result))


def test_no_title_agency_from_the_opening_year_from_the_statistics_period(tmp_path: Path) -> None:
    opening = (
        "本报告由北京市海淀区人民政府办公室编制。本报告中所列数据的统计期限自2022年1月1日起"
        "至2022年12月31日止。"
    )
    result = read_published(_untitled(tmp_path, "r.txt", opening))
    assert (result.report.meta.agency, result.report.meta.year) == (
        "北京市海淀区人民政府办公室",
        2022,
    )
    messages = _messages(result)
    assert any("机关名称取自正文" in m for m in messages)
    assert any("年度取自统计期限" in m for m in messages)


def test_no_title_at_all_is_a_warning_not_unreadable(tmp_path: Path, haidian: AnnualReport) -> None:
    result = read_published(_untitled(tmp_path, "r.txt", "依据《条例》规定，编制本报告。"))
    warnings = [n.message for n in result.notes if n.level == "warning"]
    assert any("机关名称" in m for m in warnings) and any("年度" in m for m in warnings)
    assert result.report.meta.year == 2022  # the year the text mentions most
    assert tables_json(result.report)["table4"] == tables_json(haidian)["table4"]


def test_year_first_titles_and_titles_over_lines() -> None:
    from hdgovreport.published.interpret.front import parse_title

    assert parse_title("2019年上海市某某局政府信息公开工作年度报告") == ("上海市某某局", 2019)
    assert parse_title("清河市人民政府 2024 年政府信息公开工作年度报告") == ("清河市人民政府", 2024)
    assert parse_title("某某区某某局2023年度政府信息公开工作年度报告") == ("某某区某某局", 2023)
    assert parse_title("某某局政府信息公开工作2023年度报告") == ("某某局", 2023)
    assert parse_title("2024 年政府信息公开工作年度报告") == ("", 2024)
    assert parse_title("关于做好政务公开工作的通知") is None
    assert parse_title("某某区人民政府2024年政府信息公开年报") == ("某某区人民政府", 2024)
    assert parse_title(
        "某某区办公室关于印发某某区人民政府2024年政府信息公开工作年度报告的通知"
    ) == (
        "某某区人民政府",
        2024,
    )


# ---------------------------------------------------------------- agency kind and META-date


def _published_page(agency: str, published: str) -> bytes:
    import datetime

    from hdgovreport.document import build_document
    from hdgovreport.render.html import render_html

    base = load_report(FIXTURES / "wps-2024.expected.yaml")
    meta = attrs.evolve(
        base.meta,
        agency=agency,
        published=datetime.date.fromisoformat(published),
        kind="department",
    )
    report = attrs.evolve(base, meta=meta)
    return render_html(build_document(report, check(report))).encode()


@pytest.mark.parametrize(
    ("agency", "part"),
    [
        ("清河经济技术开发区管理委员会", "管理委员会"),
        ("清河综合实验区", "综合实验区"),
        ("清河新区管委会", "管委会"),
    ],
)
def test_zones_and_committees_report_at_government_level(agency: str, part: str) -> None:
    result = read_published_bytes(_published_page(agency, "2025-03-20"), "zone.html")
    meta = result.report.meta
    assert meta.kind == "government" and part in meta.kind_basis
    assert not [f for f in check(result.report).findings if f.code == "META-date"]
    late = read_published_bytes(_published_page(agency, "2025-04-20"), "zone.html")
    (finding,) = [f for f in check(late.report).findings if f.code == "META-date"]
    assert "2025-03-31" in finding.message and part in finding.message and "推断" in finding.message


def test_a_department_keeps_the_january_deadline() -> None:
    result = read_published_bytes(_published_page("清河市交通运输局", "2025-03-20"), "d.html")
    assert result.report.meta.kind == "department"
    (finding,) = [f for f in check(result.report).findings if f.code == "META-date"]
    assert "2025-01-31" in finding.message and "推断" not in finding.message


def test_kind_from_names() -> None:
    from hdgovreport.model import infer_kind

    assert infer_kind("平潭综合实验区") == "government"
    assert infer_kind("某某高新技术产业开发区管委会") == "government"
    assert infer_kind("北京市海淀区人民政府") == "government"
    assert infer_kind("北京市海淀区人民政府办公室") == "department"
    assert infer_kind("北京市海淀区教育委员会") == "department"


@pytest.mark.parametrize("name", list(TRUTH))
def test_imported_data_file_loads_back(read: dict[str, object], name: str, tmp_path: Path) -> None:
    from hdgovreport import dump

    target = tmp_path / "imported.yaml"
    dump(read[name].report, target)  # type: ignore[attr-defined]
    assert load_report(target) == read[name].report  # type: ignore[attr-defined]


def test_a_table_printed_as_an_image_is_a_warning_not_unreadable(tmp_path: Path) -> None:
    text = SEED.read_text("utf-8")
    start = text.index("二、主动公开政府信息情况")
    end = text.index("2、 收到和处理政府信息公开申请情况")  # the seed numbers it 2、
    path = tmp_path / "no-table2.txt"
    path.write_text(
        text[:start] + "二、主动公开政府信息情况\n（表格为图片）\n" + text[end:], "utf-8"
    )
    result = read_published(path)
    warnings = [n.message for n in result.notes if n.level == "warning"]
    assert any("未找到表2" in m and "按 0 读入" in m for m in warnings)
    assert result.report.proactive.licensing == 0  # type: ignore[union-attr]
    assert result.report.applications.new_received.total == 1521
