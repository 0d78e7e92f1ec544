"""The data file as a non-programmer meets it: every problem in one run, each at its line,
in the words an officer understands; and bounded work whatever the file holds."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import HAIDIAN
from helpers import clean_variant

from hdgovreport.datafile import dumps, load, loads, template
from hdgovreport.datafile.yamltext import MAX_NODES
from hdgovreport.errors import DataFileError, Problem

EXAMPLE = HAIDIAN.read_text("utf-8")
CLEAN = dumps(clean_variant(loads(EXAMPLE).report))  # no findings at all


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(DataFileError) as info:
        loads(text, "r.yaml")
    return list(info.value.problems)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_every_problem_of_the_file_in_one_run_sorted_by_line() -> None:
    text = edit(EXAMPLE, "行政许可: 66739", "行政许可：66739")  # the input method's colon
    text = edit(text, "行政处罚: 21898", "行政处罚:21898")  # no space
    text = edit(text, "予以公开: {自然人: 288,", "予以公开: {自然人: １２,")
    text = edit(text, "部分公开: {自然人: 108,", "部分公开: {自然人: 十二,")
    text = edit(text, "行政强制: 57", "行政强制: 1,520")
    text = edit(text, "属于国家秘密: {自然人: 0,", "属于国家秘密: {自然人: 1,520,")
    text = edit(text, "完善组织架构", "完善\u2028组织架构")
    found = problems_of(text)
    rendered = [p.render("r.yaml") for p in found]
    expected = [
        (line_of(text, "\u2028"), "含有行分隔符 U+2028"),
        (line_of(text, "行政许可："), "行政许可：请把全角冒号“：”改为半角冒号加空格"),
        (line_of(text, "行政处罚:"), "行政处罚：冒号后面要有一个空格"),
        (line_of(text, "行政强制:"), "“1,520”含有千位分隔符或空格，应为 1520"),
        (line_of(text, "自然人: １２"), "“１２”是全角数字，应为 12"),
        (line_of(text, "自然人: 十二"), "“十二”是汉字数字，应为 12"),
        (line_of(text, "属于国家秘密"), "“1,520”含有千位分隔符或空格，应为 1520"),
        # the table check is not hidden by the format problems (复议后起诉 42 ≠ 45)
        (
            line_of(text, "复议后起诉"),
            "总计填报为 42，但结果维持、结果纠正、其他结果、尚未审结之和为 45",
        ),
    ]
    assert len(found) == len(expected), rendered
    for (line, words), problem, shown in zip(expected, found, rendered, strict=True):
        assert problem.line == line and words in shown, shown
    assert found[-1].code == "T4-sum" and "（校验规则 T4-sum）" in rendered[-1]
    assert [p.line for p in found] == sorted(p.line or 0 for p in found)


def test_table_checks_skip_cells_that_could_not_be_read() -> None:
    # a bad cell in 予以公开 must not make its row total or the （七）总计 column look wrong
    text = edit(CLEAN, "予以公开: {自然人: 288,", "予以公开: {自然人: 二百八十八,")
    (problem,) = problems_of(text)
    assert "“二百八十八”是汉字数字，应为 288" in problem.message
    # while a real error elsewhere is still reported beside it
    text = edit(text, "行政复议: {结果维持: 67,", "行政复议: {结果维持: 68,")
    codes = [p.code for p in problems_of(text)]
    assert codes == ["", "T4-sum"]


def test_the_same_mistake_gets_the_same_words_as_every_other_input() -> None:
    from hdgovreport.model.values import parse_number_text

    for typed in ("１２", "十二", "1,520", "1 520", "12.5", "abc", "-3", "9" * 40):
        text = edit(CLEAN, "行政强制: 57", f"行政强制: '{typed}'")
        (problem,) = problems_of(text)
        _value, expected = parse_number_text("count", typed)
        assert expected is not None
        assert problem.message == expected.message
        assert problem.field == "主动公开政府信息情况 › 行政强制"


def test_thousands_of_digits_are_refused_before_conversion() -> None:
    for where in ("行政强制: 57", "报告年度: 2022"):
        key = where.split(":")[0]
        (problem,) = problems_of(edit(CLEAN, where, f"{key}: {'9' * 5000}"))
        assert "数字位数过多（上限 30 位）" in problem.message
    (problem,) = problems_of(
        edit(CLEAN, "行政事业性收费: 19656.3836", "行政事业性收费: 1" + "0" * 4400)
    )
    assert "数字位数过多" in problem.message


def test_a_raw_line_separator_in_a_key_keeps_file_and_line_on_one_line() -> None:
    text = edit(CLEAN, "  行政强制: 57", "  行政\u2028强制: 57")
    found = problems_of(text)
    assert found[0].line == line_of(text, "\u2028")
    for problem in found:
        rendered = problem.render("r.yaml")
        assert len(rendered.splitlines()) == 1 and "\u2028" not in rendered


@pytest.mark.parametrize(
    "tagged",
    [
        "!!binary aGVsbG8=",
        "!!set {a: null}",
        "!custom 57",
        "!!python/object:os.system x",
        "!!omap []",
    ],
)
def test_unknown_yaml_tags_are_refused(tagged: str) -> None:
    text = edit(CLEAN, "行政强制: 57", f"行政强制: {tagged}")
    (problem,) = problems_of(text)
    assert problem.line == line_of(text, "行政强制") and "不支持 YAML 标签" in problem.message


def test_aliases_are_reported_where_they_are_used() -> None:
    text = edit(CLEAN, "规章: {", "规章: &z {")
    text = edit(
        text,
        "行政规范性文件: {本年制发件数: 6, 本年废止件数: 137, 现行有效件数: 175}",
        "行政规范性文件: *z",
    )
    found = problems_of(text)
    assert any(p.line == line_of(text, "*z") and "锚点与别名" in p.message for p in found)


def test_too_many_entries_are_refused_naming_the_limit() -> None:
    many = "".join(f"  - 要点: 第{i}条\n" for i in range(MAX_NODES))
    text = edit(CLEAN, "  小节:\n", "  小节:\n") + "额外:\n" + many
    (problem,) = problems_of(text)
    assert f"数据文件最多 {MAX_NODES} 项" in problem.message


def test_a_report_with_a_hundred_sub_sections_of_a_hundred_points_is_accepted() -> None:
    from hdgovreport import ReportBuilder

    rb = ReportBuilder(agency="某区某局", year=2023)
    for s in range(100):
        rb.overview.subsection(f"小节{s}", *(f"第{s}节第{p}个要点。" for p in range(40)))
    rb.other_matters.fee(notices=0)
    report = rb.build()
    assert loads(dumps(report)).report == report  # about 12,000 nodes, under MAX_NODES


def test_fifo_and_device_are_refused_before_opening(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    fifo = tmp_path / "report.yaml"
    os.mkfifo(fifo)  # opening it for reading would block forever
    with pytest.raises(DataFileError, match="命名管道"):
        load(fifo)
    if os.path.exists("/dev/zero"):
        with pytest.raises(DataFileError, match="设备"):
            load("/dev/zero")


def test_full_width_colons_in_a_flow_row_and_comma() -> None:
    text = edit(
        CLEAN,
        "本年新收申请: {自然人: 1448, 商业企业: 60,",
        "本年新收申请: {自然人：1448，商业企业: 60,",
    )
    found = problems_of(text)
    line = line_of(text, "本年新收申请")
    assert [p.line for p in found] == [line, line]
    assert {p.message for p in found} == {
        "请把全角逗号“，”改为半角逗号“,”",
        "请把全角冒号“：”改为半角冒号加空格（写成“自然人: 值”）",
    }


def test_a_colon_inside_a_paragraph_is_left_alone() -> None:
    text = edit(CLEAN, "完善组织架构和工作流程。", "完善组织架构：行政许可：工作流程。")
    assert "行政许可：工作流程" in loads(text).report.overview.subsections[0].content[0].text


def test_blank_template_shows_a_commented_example_in_every_empty_list() -> None:
    text = template("某区某局", 2023)
    assert "内容: []" not in text and "小节: []" not in text
    assert "        # - 要点: 在这里写第一个要点" in text
    assert "    # - 标题: 小节标题" in text
    uncommented = re.sub(r"^( +)# ", r"\1", text, flags=re.M)
    report = loads(uncommented).report  # the examples, uncommented, are valid entries
    assert report.overview.subsections[0].content[0].text.startswith("在这里写第一个要点")
    assert report.other_matters.subsections[0].title.startswith("小节标题")
    assert loads(text).report.overview.subsections[0].content == ()
