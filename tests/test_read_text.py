"""Reading the published Haidian 2022 text (the project's seed) and other plain-text shapes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT

from hdgovreport import AnnualReport, check
from hdgovreport.form.layout import cells
from hdgovreport.model import value_at
from hdgovreport.published import UnreadableError, merge_hints, read_published, tables_json

SEED = ROOT / "tests" / "fixtures" / "published" / "haidian-2022.txt"
SEED_LINES = SEED.read_text("utf-8").split("\n")


@pytest.fixture(scope="module")
def seed() -> object:
    return read_published(SEED)


def test_seed_reads_to_the_published_example_exactly(seed, haidian: AnnualReport) -> None:  # type: ignore[no-untyped-def]
    report = seed.report
    assert seed.format == "text"
    assert report == haidian  # every cell, every paragraph, title, edition, website
    assert report.meta.agency == "北京市海淀区人民政府" and report.meta.year == 2022


def test_seed_tables_as_published(seed) -> None:  # type: ignore[no-untyped-def]
    t = tables_json(seed.report)
    assert t["table2"]["行政规范性文件"] == {
        "本年制发件数": 6,
        "本年废止件数": 137,
        "现行有效件数": 175,
    }
    assert t["table2"]["行政许可"] == {"本年处理决定数量": 66739}
    assert t["table2"]["行政处罚"] == {"本年处理决定数量": 21898}
    assert t["table2"]["行政强制"] == {"本年处理决定数量": 57}
    assert t["table2"]["行政事业性收费"] == {"本年收费金额（单位：万元）": "19656.3836"}
    t3 = t["table3"]
    assert list(t3["一、本年新收政府信息公开申请数量"].values()) == [1448, 60, 2, 2, 1, 8, 1521]
    assert list(t3["（七）总计"].values()) == [1448, 59, 2, 2, 2, 8, 1521]
    assert list(t3["（四）无法提供/1.本机关不掌握相关政府信息"].values()) == [
        817,
        38,
        0,
        0,
        2,
        1,
        858,
    ]
    assert list(t3["四、结转下年度继续办理"].values()) == [100, 3, 0, 0, 0, 0, 103]
    t4 = t["table4"]
    assert list(t4["行政复议"].values()) == [67, 15, 7, 36, 125]
    assert list(t4["未经复议直接起诉"].values()) == [39, 1, 13, 32, 85]
    assert list(t4["复议后起诉"].values()) == [26, 0, 0, 19, 42]


def test_every_table_cell_points_at_its_published_line(seed) -> None:  # type: ignore[no-untyped-def]
    checked = 0
    for cell in cells("2021"):
        if cell.table == "信息处理费":
            continue
        source = seed.sources[cell.path]
        assert source.file == str(SEED)
        printed = SEED_LINES[source.line - 1].strip()
        value = value_at(seed.report, cell.path)
        assert Decimal(printed) == value, (cell.path, source.line, printed)
        checked += 1
    assert checked == 10 + 25 * 7 + 15  # Table 2, Table 3 (25 rows × 7), Table 4


def test_t4_sum_error_is_located_at_its_published_line(seed) -> None:  # type: ignore[no-untyped-def]
    result = merge_hints(check(seed.report).located(seed.sources), seed.report)
    (error,) = result.errors
    assert error.code == "T4-sum" and (error.expected, error.actual) == (45, 42)
    line = error.location.source.line
    assert SEED_LINES[line - 1] == "\t42"
    # the 15th value of the row that follows the header line "\t复议后起诉"
    header = max(i for i, text in enumerate(SEED_LINES) if text == "\t复议后起诉")
    assert line > header + 1
    assert [w.code for w in result.warnings] == ["FEE-unpaid"]


def test_seed_reading_says_what_it_tolerated(seed) -> None:  # type: ignore[no-untyped-def]
    messages = [n.message for n in seed.notes]
    assert any("“2、”" in m and "三、" in m for m in messages)
    assert any("“（4）”" in m and "（四）" in m for m in messages)
    assert any("标题分在多行" in m for m in messages)
    assert "2021" in seed.edition_evidence


def test_row_per_line_text_with_blank_cells_and_page_numbers(tmp_path: Path) -> None:
    lines = SEED.read_text("utf-8")
    # page numbers dropped into the middle of Table 3 and a paragraph
    lines = lines.replace("\t（七）总计\n", "— 5 —\n\t（七）总计\n").replace(
        "五、存在的主要问题", "-6-\n五、存在的主要问题"
    )
    path = tmp_path / "r.txt"
    path.write_text(lines, "utf-8")
    read = read_published(path)
    assert tables_json(read.report) == tables_json(read_published(SEED).report)
    assert any("页码" in n.message for n in read.notes)


def test_gbk_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(SEED.read_text("utf-8").encode("gb18030"))
    assert read_published(path).report == read_published(SEED).report


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (bytes(range(256)) * 40, "不是文本文件"),
        (b"", "空"),
        ("随便写的一段话，不是年度报告。\n第二段。\n".encode(), "标题"),
    ],
)
def test_garbage_is_unreadable_with_a_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(UnreadableError) as info:
        read_published(path, "text")
    assert reason in info.value.reason
