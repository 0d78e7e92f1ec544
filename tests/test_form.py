"""The form's queries, numbering and the one path from raw cell values to the model."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from helpers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from hdgovreport import AnnualReport
from hdgovreport.form import queries
from hdgovreport.form.layout import layout
from hdgovreport.form.numbering import chinese_numeral, level2, parse_chinese_numeral
from hdgovreport.form.sentences import figure_patterns, figure_sentences, required_words
from hdgovreport.model import ApplicantCounts, CaseOutcomes
from hdgovreport.model.structure import structure_tables, table_values
from hdgovreport.model.values import parse_number_text


def test_result_rows_are_the_leaves_of_the_result_group_in_each_edition() -> None:
    assert len(queries.result_rows("2021")) == 21  # the spec: 21 leaf rows add to （七）总计
    assert len(queries.result_rows("2019")) == 19  # （六）其他处理 is one row in 2019
    assert queries.result_rows("2021")[-3:] == queries.edition_only_rows("2021")
    assert queries.edition_only_rows("2019") == ("other_handling",)
    assert "total_handled" not in queries.result_rows("2021")


def test_table4_groups_and_parts_follow_the_layout() -> None:
    groups = queries.review_groups()
    assert [g.label for g in groups] == ["行政复议", "未经复议直接起诉", "复议后起诉"]
    assert queries.outcome_parts() == CaseOutcomes.PARTS
    assert queries.applicant_parts() == ApplicantCounts.PARTS


def test_label_core_drops_numbering_and_trailing_notes() -> None:
    t3 = layout().applications
    partial = queries.row_leaf("partially_granted", "2021").label
    assert partial.startswith("（二）") and queries.label_core(partial) == "部分公开"
    assert queries.label_core(t3.corner_note or "") == t3.corner_note  # nothing but a note: kept
    assert queries.label_core("1.属于国家秘密") == "属于国家秘密"


def test_cell_name_speaks_the_official_labels() -> None:
    name = queries.cell_name("review_litigation.litigation_after_review.total")
    assert name == "表4 · 复议后起诉/总计"
    assert queries.cell_name("no.such.path") == ""


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (1001, "一千零一"),
        (2023, "二千零二十三"),
    ],
)
def test_numbering_covers_any_count(n: int, text: str) -> None:
    assert chinese_numeral(n) == text
    assert parse_chinese_numeral(text) == n


def test_numbering_beyond_ninety_nine_in_headings() -> None:
    assert level2(100) == "（一百）" and level2(101) == "（一百零一）"
    assert parse_chinese_numeral("二〇二三") == 2023
    assert parse_chinese_numeral("一二百") is None and parse_chinese_numeral("12") is None


@pytest.mark.parametrize(
    ("text", "message", "suggestion"),
    [
        ("１２", "全角数字，应为 12", "12"),
        ("1,520", "应为 1520", "1520"),
        ("十二", "汉字数字，应为 12", "12"),
        ("-1", "不能为负数", None),
        ("=1+1", "文本“=1+1”", None),
        ("#REF!", "文本“#REF!”", None),
        ("", "没有就填 0", "0"),
        ("9" * 5000, "位数过多", None),
    ],
)
def test_number_text_mistakes_get_the_meant_value(
    text: str, message: str, suggestion: str | None
) -> None:
    value, problem = parse_number_text("count", text)
    assert value is None and problem is not None
    assert message in problem.message
    assert problem.suggestion == suggestion


def test_number_text_accepts_plain_values() -> None:
    assert parse_number_text("count", " 12 ") == (12, None)
    assert parse_number_text("signed", "-18") == (-18, None)
    assert parse_number_text("money", "5949.088667") == (Decimal("5949.088667"), None)
    _, problem = parse_number_text("money", "1.2345678")
    assert problem is not None and "6 位小数" in problem.message


def test_structure_tables_round_trips_a_report(haidian: AnnualReport) -> None:
    values = table_values(haidian)
    got = structure_tables(haidian.edition, values)
    assert got.ok and not got.computed
    assert got.applications == haidian.applications
    assert got.proactive == haidian.proactive
    assert got.review_litigation == haidian.review_litigation
    assert got.fee == haidian.other_matters.fee


def test_structure_tables_computes_absent_totals_and_keeps_given_ones(
    haidian: AnnualReport,
) -> None:
    values = {
        k: v for k, v in table_values(haidian).items() if not k.endswith(".total") or "review" in k
    }
    got = structure_tables("2021", values)
    assert got.ok
    # the published, wrong 复议后起诉 total 42 is kept; Table 3 row totals are computed
    assert got.review_litigation is not None
    assert got.review_litigation.litigation_after_review.total == 42
    assert "applications.new_received.total" in got.computed
    assert got.applications == haidian.applications


def test_structure_tables_reports_every_problem_with_its_path(haidian: AnnualReport) -> None:
    values = table_values(haidian)
    values["applications.granted.natural_person"] = "１２"
    values["review_litigation.reconsideration.upheld"] = -1
    del values["proactive.licensing"]
    values["applications.nonsense.total"] = 1
    got = structure_tables("2021", values)
    assert not got.ok and got.applications is None
    paths = {p.path: p for p in got.problems}
    assert set(paths) == {
        "applications.granted.natural_person",
        "review_litigation.reconsideration.upheld",
        "proactive.licensing",
        "applications.nonsense.total",
    }
    assert paths["applications.granted.natural_person"].suggestion == "12"
    zero = structure_tables("2021", {}, missing="zero")
    assert zero.ok and zero.applications is not None
    assert zero.applications.total_handled.total == 0


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("abc", ("abc",)),
        ("(?:ab)?cd", ("cd",)),
        ("ab?c", ("a",)),
        ("x*yz", ("yz",)),
        ("(?:foo|bar)baz", ("foo", "bar")),
        ("foo|bar", ("foo", "bar")),
        ("(foo|b?ar)z", ("z",)),
        ("(?:a|b)+c", ("c",)),
        (r"(?:共计|共)?\d+元", ("元",)),
        (r"\d+", ()),
        ("(?:ab)?", ()),
        ("(?i)abc", ()),
        ("(?i:ab)c", ("c",)),
    ],
)
def test_required_words_are_in_every_match(pattern: str, words: tuple[str, ...]) -> None:
    assert required_words(re.compile(pattern)) == words


@pytest.mark.parametrize("index", range(len(figure_patterns())))
@settings(max_examples=examples(200), deadline=None)
@given(data=st.data())
def test_every_quoted_figure_holds_one_of_its_words(index: int, data: st.DataObject) -> None:
    pattern, _path, words = figure_sentences()[index]
    assert words  # every figure sentence can skip the texts without its words
    text = data.draw(st.from_regex(pattern))
    assert pattern.search(text)
    assert any(w in text for w in words)
