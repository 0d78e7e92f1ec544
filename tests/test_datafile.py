"""The data file: loading errors name file, line and field; loading then dumping is lossless."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import HAIDIAN

from hdgovreport import AnnualReport, DataFileError, dumps, loads
from hdgovreport.datafile import MAX_FILE_BYTES, blank_report, load, template
from hdgovreport.datafile.writer import render_document, to_document

EXAMPLE = HAIDIAN.read_text("utf-8")


def problems(text: str, *, cross_checks: bool = False) -> list[str]:
    """The rendered problems of ``text``; without the table cross-checks unless asked (the
    example keeps its published T4-sum error, reported beside any format problem)."""
    with pytest.raises(DataFileError) as info:
        loads(text, "r.yaml")
    return [p.render("r.yaml") for p in info.value.problems if cross_checks or not p.code]


def replace_line(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


# ------------------------------------------------------------------ lossless


def test_example_is_canonical_load_then_dump_gives_the_same_bytes() -> None:
    assert dumps(load(HAIDIAN).report) == EXAMPLE


def test_dump_then_load_gives_an_equal_report(haidian: AnnualReport) -> None:
    assert loads(dumps(haidian)).report == haidian


def test_2019_edition_round_trips() -> None:
    report = blank_report("某县人民政府", 2020, "2019")
    assert report.edition == "2019"
    assert loads(dumps(report)).report == report


def test_money_is_decimal_never_float(haidian: AnnualReport) -> None:
    assert haidian.proactive.fees == Decimal("19656.3836")
    assert isinstance(haidian.proactive.fees, Decimal)
    assert "行政事业性收费: 19656.3836\n" in EXAMPLE


def test_quoted_money_is_accepted() -> None:
    text = replace_line(EXAMPLE, "行政事业性收费: 19656.3836", "行政事业性收费: '19656.3836'")
    assert loads(text).report.proactive.fees == Decimal("19656.3836")


def test_omitted_totals_are_computed_and_supplied_totals_are_kept() -> None:
    text = replace_line(EXAMPLE, ", 总计: 1521}\n  上年结转申请", "}\n  上年结转申请")
    text = replace_line(
        text,
        "复议后起诉: {结果维持: 26, 结果纠正: 0, 其他结果: 0, 尚未审结: 19, 总计: 42}",
        "复议后起诉: {结果维持: 26, 结果纠正: 0, 其他结果: 0, 尚未审结: 19}",
    )
    start = text.index("    总计: {自然人: 1448")
    text = text[:start] + text[text.index("\n", start) + 1 :]
    report = loads(text).report
    assert report.applications.new_received.total == 1521
    assert report.applications.total_handled.commercial == 59  # computed from the result rows
    assert report.review_litigation.litigation_after_review.total == 45  # computed, so correct
    kept = loads(EXAMPLE).report
    assert (
        kept.review_litigation.litigation_after_review.total == 42
    )  # as published, never overwritten


def test_keys_accept_official_labels_with_numbering() -> None:
    text = replace_line(EXAMPLE, "  本年新收申请:", "  一、本年新收政府信息公开申请数量:")
    text = replace_line(text, "总体情况:", "一、总体情况:")
    assert loads(text).report == loads(EXAMPLE).report


def test_template_is_complete_and_loads(tmp_path: Path) -> None:
    text = template("北京市海淀区某某局", 2023)
    assert text.startswith("# 政府信息公开工作年度报告")
    report = loads(text).report
    assert report.meta.agency == "北京市海淀区某某局"
    assert report.meta.kind == "department"
    assert report.applications.total_handled.total == 0
    for heading in (
        "总体情况:",
        "主动公开政府信息情况:",
        "收到和处理政府信息公开申请情况:",
        "政府信息公开行政复议、行政诉讼情况:",
        "存在的主要问题及改进情况:",
        "其他需要报告的事项:",
    ):
        assert f"\n{heading}" in text
    assert "# 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" in text


def test_document_rendering_is_deterministic(haidian: AnnualReport) -> None:
    assert render_document(to_document(haidian)) == render_document(to_document(haidian))


# ------------------------------------------------------------------ malformed files


def test_truncated_yaml_names_the_line() -> None:
    cut = EXAMPLE[: EXAMPLE.index("复议后起诉: {") + 20]
    (message,) = problems(cut)
    assert message.startswith(f"r.yaml:{line_of(cut, '复议后起诉')}:")
    assert "YAML 格式错误" in message


def test_truncated_at_a_line_boundary_reports_missing_sections() -> None:
    cut = EXAMPLE[: EXAMPLE.index("存在的主要问题及改进情况:")]
    messages = problems(cut)
    assert any("缺少第5部分“存在的主要问题及改进情况”" in m for m in messages)
    assert any("缺少第6部分“其他需要报告的事项”" in m for m in messages)


def test_string_where_a_count_goes() -> None:
    text = replace_line(EXAMPLE, "予以公开: {自然人: 288,", "予以公开: {自然人: 二百八十八,")
    (message,) = problems(text)
    line = line_of(text, "二百八十八")
    assert message.startswith(f"r.yaml:{line}:")
    assert "收到和处理政府信息公开申请情况 › 本年度办理结果 › 予以公开 › 自然人" in message
    assert "“二百八十八”是汉字数字，应为 288" in message


def test_quoted_number_where_a_count_goes_suggests_removing_quotes() -> None:
    # a number in quotes is text in YAML, as a number typed as text is in a workbook
    (message,) = problems(replace_line(EXAMPLE, "行政许可: 66739", "行政许可: '66739'"))
    assert "请去掉引号" in message and "66739" in message


def test_negative_count() -> None:
    text = replace_line(EXAMPLE, "行政强制: 57", "行政强制: -1")
    (message,) = problems(text)
    assert message.startswith(f"r.yaml:{line_of(text, '行政强制: -1')}:")
    assert "主动公开政府信息情况 › 行政强制" in message and "不能为负数" in message


def test_float_count_and_too_many_decimals() -> None:
    assert (
        "应为非负整数" in problems(replace_line(EXAMPLE, "行政处罚: 21898", "行政处罚: 21898.5"))[0]
    )
    assert "最多保留 6 位小数" in problems(replace_line(EXAMPLE, "19656.3836", "19656.3836111"))[0]


def test_empty_cell_says_fill_zero() -> None:
    (message,) = problems(replace_line(EXAMPLE, "行政强制: 57", "行政强制:"))
    assert "没有就填 0" in message


def test_unknown_key_suggests_the_right_one() -> None:
    text = replace_line(EXAMPLE, "  行政许可: 66739", "  行政许决: 66739")
    messages = problems(text)
    assert any("未知的键“行政许决”" in m and "是否应为“行政许可”" in m for m in messages)
    assert any("缺少“行政许可”" in m for m in messages)


def test_unknown_section() -> None:
    text = EXAMPLE + "七、其他:\n  导语: []\n"
    (message,) = problems(text)
    assert message.startswith(f"r.yaml:{line_of(text, '七、其他')}:")
    assert "未知的键“七、其他”" in message


def test_missing_column_in_a_row() -> None:
    (message,) = problems(replace_line(EXAMPLE, "{自然人: 1448, 商业企业: 60, ", "{自然人: 1448, "))
    assert "缺少“商业企业”列" in message


def test_duplicate_key() -> None:
    text = replace_line(EXAMPLE, "  行政强制: 57\n", "  行政强制: 57\n  行政强制: 58\n")
    (message,) = problems(text)
    assert "重复出现" in message


def test_wrong_shape_for_a_section() -> None:
    messages = problems(
        replace_line(EXAMPLE, "总体情况:\n  导语: []", "总体情况: 很好\nx:\n  导语: []")
    )
    assert any("总体情况：应为由“导语”“小节”组成的映射，实际为“很好”" in m for m in messages)


def test_bad_edition_and_year() -> None:
    assert (
        "应为 2021 或 2019"
        in problems(replace_line(EXAMPLE, "格式版本: 2021", "格式版本: 2020"))[0]
    )
    assert "2008 至 2100" in problems(replace_line(EXAMPLE, "报告年度: 2022", "报告年度: 1999"))[0]


def test_control_characters_are_refused_with_line_and_column() -> None:
    text = replace_line(EXAMPLE, "完善组织架构", "完善\x07组织架构")
    (message,) = problems(text)
    assert message.startswith(f"r.yaml:{line_of(text, chr(7))}:")
    assert "控制字符 U+0007" in message


def test_newline_inside_a_paragraph_is_refused() -> None:
    text = replace_line(
        EXAMPLE, "- 要点: 完善组织架构和工作流程。", '- 要点: "完善组织架构和\\n工作流程。'
    )
    text = replace_line(text, "并制定配套工作制度。", '并制定配套工作制度。"')
    (message,) = problems(text)
    assert "不能换行" in message


def test_aliases_are_refused() -> None:
    text = replace_line(EXAMPLE, "规章: {", "规章: &z {")
    text = replace_line(
        text,
        "行政规范性文件: {本年制发件数: 6, 本年废止件数: 137, 现行有效件数: 175}",
        "行政规范性文件: *z",
    )
    messages = problems(text)
    assert any("不支持 YAML 锚点与别名" in m for m in messages)


def test_tabs_get_a_chinese_explanation() -> None:
    (message,) = problems(replace_line(EXAMPLE, "  行政强制: 57", "\t行政强制: 57"))
    assert "Tab" in message


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "report.yaml"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00binary")
    with pytest.raises(DataFileError) as info:
        load(path)
    assert "不是文本文件" in str(info.value)


def test_gbk_file_gets_re_save_advice(tmp_path: Path) -> None:
    path = tmp_path / "report.yaml"
    path.write_bytes(EXAMPLE.encode("gb18030"))
    with pytest.raises(DataFileError) as info:
        load(path)
    assert "GBK/GB18030" in str(info.value)
    assert f"{path}:1:" in str(info.value)


def test_empty_file_and_missing_file(tmp_path: Path) -> None:
    assert "文件是空的" in problems("")[0]
    with pytest.raises(DataFileError, match="文件不存在"):
        load(tmp_path / "nope.yaml")
    with pytest.raises(DataFileError, match="文件夹"):
        load(tmp_path)


def test_ten_megabyte_paragraph_is_refused_with_the_stated_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    huge = "字" * (10 * 1024 * 1024 // 3)
    path.write_text(replace_line(EXAMPLE, "完善组织架构和工作流程。", huge), "utf-8")
    with pytest.raises(DataFileError) as info:
        load(path)
    assert f"上限为 {MAX_FILE_BYTES // 1024 // 1024} MB" in str(info.value)


def test_long_paragraph_under_the_file_limit_is_refused_with_its_own_limit() -> None:
    text = replace_line(EXAMPLE, "完善组织架构和工作流程。", "字" * 30_000)
    (message,) = problems(text)
    assert "过长（上限 20000 字）" in message


def test_many_problems_are_all_reported() -> None:
    text = EXAMPLE.replace("自然人: 0,", "自然人: -1,")
    assert len(problems(text)) == EXAMPLE.count("自然人: 0,")


def test_deep_nesting_is_refused_cleanly() -> None:
    (message,) = problems("a: " + "[" * 100_000)
    assert message.startswith("r.yaml:1:") and "嵌套层次过深" in message
    (message,) = problems("a:\n" + "".join("  " * i + "b:\n" for i in range(1200)))
    assert "嵌套层次过深" in message


def test_not_a_mapping() -> None:
    assert "应为报告数据" in problems("- 1\n- 2\n")[0]


# ------------------------------------------------------------------ curated highlights (graphic edition)

HIGHLIGHTS = """\
      亮点:
        - {数字: 22, 单位: 条, 说明: 收录惠企政策}
        - {数字: 2.50, 单位: 万, 说明: 专栏浏览量}
        - {数字: 100余, 单位: 万, 说明: 政务开放日参与人数}
        - {数字: 90, 说明: 政务开放日活动场次}
"""
AFTER_POINT = "参与人数100余万。\n"


def with_highlights(text: str = HIGHLIGHTS) -> str:
    return replace_line(EXAMPLE, AFTER_POINT, AFTER_POINT + text)


def test_curated_highlights_round_trip_losslessly() -> None:
    text = with_highlights()
    report = loads(text).report
    sub = report.overview.subsections[1]
    assert [(h.figure, h.unit, h.label) for h in sub.highlights] == [
        ("22", "条", "收录惠企政策"),
        ("2.50", "万", "专栏浏览量"),
        ("100余", "万", "政务开放日参与人数"),
        ("90", "", "政务开放日活动场次"),
    ]
    assert dumps(report) == text  # canonical: same bytes back
    assert loads(dumps(report)).report == report
    assert all(not s.highlights for i, s in enumerate(report.overview.subsections) if i != 1)


def test_quoted_highlight_figure_keeps_its_text() -> None:
    text = with_highlights("      亮点:\n        - {数字: '007', 单位: 项, 说明: 测试}\n")
    report = loads(text).report
    assert report.overview.subsections[1].highlights[0].figure == "007"
    assert loads(dumps(report)).report == report


def test_bad_highlights_name_line_and_field() -> None:
    text = with_highlights("      亮点:\n        - {数字: 很多, 说明: 测试}\n        - {数字: 3}\n")
    found = problems(text)
    line = line_of(text, "数字: 很多")
    assert found[0].startswith(f"r.yaml:{line}:")
    assert "亮点 › 第1项 › 数字：应以阿拉伯数字开头" in found[0]
    assert "缺少“说明”" in found[1] and f"r.yaml:{line + 1}:" in found[1]


def test_highlights_belong_to_section_one_only() -> None:
    anchor = "        - 要点: 建立健全监督考核培训机制。"
    line = next(x for x in EXAMPLE.split("\n") if x.startswith(anchor))
    text = replace_line(
        EXAMPLE, line + "\n", line + "\n      亮点:\n        - {数字: 1, 说明: x}\n"
    )
    (message,) = problems(text)
    assert "未知的键“亮点”" in message


def test_one_value_object_in_two_cells_is_written_twice_never_as_an_alias() -> None:
    from decimal import Decimal

    from hdgovreport import ReportBuilder, dumps, loads

    amount = Decimal(40)
    rb = ReportBuilder(agency="某区某局", year=2023)
    rb.other_matters.fee(notices=2, notified_yuan=amount, collected_yuan=amount)
    text = dumps(rb.build())
    assert "&id" not in text and "*id" not in text
    assert loads(text).report.other_matters.fee.collected_yuan == amount
