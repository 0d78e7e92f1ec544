"""One passing and one failing case per checker rule, named after the rule."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import attrs
import pytest
from helpers import replace_at, replace_many
from hypothesis import given
from hypothesis import strategies as st

from hdgovreport import RULES, AnnualReport, check
from hdgovreport.model import ApplicantCounts, Narrative, Paragraph, Subsection
from hdgovreport.model.values import MAX_COUNT


def codes(report: AnnualReport, previous: AnnualReport | None = None) -> list[str]:
    return check(report, previous).codes()


def only(report: AnnualReport, code: str, previous: AnnualReport | None = None):  # type: ignore[no-untyped-def]
    found = [f for f in check(report, previous).findings if f.code == code]
    assert found, f"{code} not reported; got {codes(report, previous)}"
    return found


def test_clean_report_has_no_findings(clean: AnnualReport) -> None:
    assert check(clean).findings == ()


def test_haidian_as_published_has_exactly_t4_sum_error_and_fee_warning(
    haidian: AnnualReport,
) -> None:
    result = check(haidian)
    assert [f.code for f in result.errors] == ["T4-sum"]
    assert [f.code for f in result.warnings] == ["FEE-unpaid"]
    error = result.errors[0]
    assert (error.expected, error.actual) == (45, 42)
    assert error.location.row == "复议后起诉"
    assert error.location.column == "总计"
    assert error.location.field == "review_litigation.litigation_after_review.total"
    assert "42" in error.message and "45" in error.message and "26+0+0+19" in error.message


# ------------------------------------------------------------------ cells


def test_cell_type_passes_on_valid_cells(clean: AnnualReport) -> None:
    assert "CELL-type" not in codes(clean)


def test_cell_type_fails_on_text_in_a_count(clean: AnnualReport) -> None:
    with attrs.validators.disabled():
        bad = replace_at(clean, "applications.granted.research", "12")
    (finding,) = only(bad, "CELL-type")
    assert finding.severity == "error"
    assert finding.location.field == "applications.granted.research"
    assert finding.location.row == "（一）予以公开"
    assert finding.location.column == "科研机构"


def test_cell_range_passes_on_valid_cells(clean: AnnualReport) -> None:
    assert "CELL-range" not in codes(clean)


def test_cell_range_fails_on_negative_count_and_too_many_decimals(clean: AnnualReport) -> None:
    with attrs.validators.disabled():
        bad = replace_many(
            clean,
            {
                "proactive.licensing": -1,
                "proactive.fees": Decimal("1.2345678"),
            },
        )
    fields = {f.location.field for f in only(bad, "CELL-range")}
    assert fields == {"proactive.licensing", "proactive.fees"}


# ------------------------------------------------------------------ Table 3


def test_t3_row_passes(clean: AnnualReport) -> None:
    assert "T3-row" not in codes(clean)


def test_t3_row_fails_when_a_row_total_is_wrong(clean: AnnualReport) -> None:
    bad = replace_at(clean, "applications.granted.total", 310)
    (finding,) = only(bad, "T3-row")
    assert finding.location.row == "（一）予以公开"
    assert finding.location.column == "总计"
    assert (finding.expected, finding.actual) == (309, 310)
    assert finding.location.cells[-1] == "applications.granted.total"


def test_t3_row_names_nested_rows_with_their_group(clean: AnnualReport) -> None:
    bad = replace_at(clean, "applications.unavailable_not_held.total", 857)
    (finding,) = only(bad, "T3-row")
    assert finding.location.row == "（四）无法提供/1.本机关不掌握相关政府信息"


def test_t3_results_passes(clean: AnnualReport) -> None:
    assert "T3-results" not in codes(clean)


def test_t3_results_fails_when_total_handled_disagrees_with_result_rows(
    clean: AnnualReport,
) -> None:
    bad = replace_at(
        clean,
        "applications.granted",
        ApplicantCounts.of(
            natural_person=288, commercial=14, research=2, public_interest=1, other=5
        ),
    )
    findings = only(bad, "T3-results")
    by_column = {f.location.column: f for f in findings}
    assert set(by_column) == {"商业企业", "总计"}
    assert (by_column["商业企业"].expected, by_column["商业企业"].actual) == (60, 59)
    assert by_column["商业企业"].location.row == "（七）总计"


def test_t3_identity_passes(clean: AnnualReport) -> None:
    assert "T3-identity" not in codes(clean)


def test_t3_identity_fails_per_column(clean: AnnualReport) -> None:
    bad = replace_at(
        clean, "applications.carried_forward", ApplicantCounts.of(natural_person=100, commercial=4)
    )
    findings = only(bad, "T3-identity")
    assert {f.location.column for f in findings} == {"商业企业", "总计"}
    commercial = next(f for f in findings if f.location.column == "商业企业")
    assert (commercial.expected, commercial.actual) == (62, 63)
    assert "第一项" not in commercial.message  # names the rows, not their numbers only
    assert "一、本年新收政府信息公开申请数量" in commercial.message


def test_t3_rules_use_the_single_other_row_in_the_2019_edition(clean: AnnualReport) -> None:
    apps = clean.applications
    assert apps.other_no_correction and apps.other_fee_unpaid and apps.other_misc
    merged = ApplicantCounts.of(
        **{
            c: apps.other_no_correction.get(c)
            + apps.other_fee_unpaid.get(c)
            + apps.other_misc.get(c)
            for c in ApplicantCounts.PARTS
        }
    )
    from hdgovreport.builders import ProactiveDisclosure2019Builder

    apps2019 = attrs.evolve(
        apps,
        other_no_correction=None,
        other_fee_unpaid=None,
        other_misc=None,
        other_handling=merged,
    )
    report = attrs.evolve(
        clean,
        meta=attrs.evolve(clean.meta, edition="2019", year=2020),
        proactive=ProactiveDisclosure2019Builder().build(),
        applications=apps2019,
    )
    assert [c for c in codes(report) if c.startswith("T3")] == []
    broken = replace_at(
        report, "applications.other_handling.natural_person", merged.natural_person + 1
    )
    assert "T3-row" in codes(broken) and "T3-results" in codes(broken)


# ------------------------------------------------------------------ Table 4


def test_t4_sum_passes(clean: AnnualReport) -> None:
    assert "T4-sum" not in codes(clean)


def test_t4_sum_fails_for_each_group(clean: AnnualReport) -> None:
    bad = replace_many(
        clean,
        {
            "review_litigation.reconsideration.total": 1,
            "review_litigation.litigation_direct.total": 2,
            "review_litigation.litigation_after_review.total": 3,
        },
    )
    rows = [f.location.row for f in only(bad, "T4-sum")]
    assert rows == ["行政复议", "未经复议直接起诉", "复议后起诉"]


# ------------------------------------------------------------------ fees


def test_fee_notices_passes(clean: AnnualReport) -> None:
    assert "FEE-notices" not in codes(clean)


def test_fee_notices_fails_when_unpaid_exceeds_notices(haidian: AnnualReport) -> None:
    bad = replace_at(haidian, "other_matters.fee.notices", 0)
    (finding,) = only(bad, "FEE-notices")
    assert finding.severity == "warning"
    assert finding.actual == 1


def test_fee_unpaid_passes_when_not_all_collected(haidian: AnnualReport) -> None:
    report = replace_at(haidian, "other_matters.fee.collected_yuan", Decimal(0))
    assert "FEE-unpaid" not in codes(report)


def test_fee_unpaid_fails_on_haidian(haidian: AnnualReport) -> None:
    (finding,) = only(haidian, "FEE-unpaid")
    assert finding.severity == "warning"
    assert (finding.expected, finding.actual) == (0, 1)
    assert finding.location.field == "applications.other_fee_unpaid.total"


def test_fee_amounts_passes(clean: AnnualReport) -> None:
    assert "FEE-amounts" not in codes(clean)


def test_fee_amounts_fails_when_more_collected_than_notified(clean: AnnualReport) -> None:
    bad = replace_at(clean, "other_matters.fee.collected_yuan", Decimal(200))
    (finding,) = only(bad, "FEE-amounts")
    assert finding.actual == Decimal(200)


def test_fee_missing_passes(clean: AnnualReport) -> None:
    assert "FEE-missing" not in codes(clean)


def test_fee_missing_fails_when_section_6_says_nothing_about_fees(clean: AnnualReport) -> None:
    bad = replace_at(clean, "other_matters.intro", ("本机关网站网址：http://example.gov.cn/。",))
    only(bad, "FEE-missing")


# ------------------------------------------------------------------ year linkage


def _previous(clean: AnnualReport) -> AnnualReport:
    """A 2021 report that links cleanly to the clean 2022 report."""
    return replace_many(
        clean,
        {
            "meta.year": 2021,
            "applications.carried_forward": clean.applications.carried_over,
            "proactive.normative_documents.in_force": 306,
        },
    )


def test_link_year_passes(clean: AnnualReport) -> None:
    assert "LINK-year" not in codes(clean, _previous(clean))


def test_link_year_fails_for_the_wrong_year(clean: AnnualReport) -> None:
    wrong = replace_at(_previous(clean), "meta.year", 2020)
    (finding,) = only(clean, "LINK-year", wrong)
    assert finding.severity == "error"
    assert (finding.expected, finding.actual) == (2021, 2020)
    assert "LINK-carryover" not in codes(clean, wrong)  # not compared across the wrong years


def test_link_agency_passes(clean: AnnualReport) -> None:
    assert "LINK-agency" not in codes(clean, _previous(clean))


def test_link_agency_fails_for_another_agency(clean: AnnualReport) -> None:
    other = replace_at(_previous(clean), "meta.agency", "北京市西城区人民政府")
    (finding,) = only(clean, "LINK-agency", other)
    assert finding.severity == "warning"


def test_link_carryover_passes(clean: AnnualReport) -> None:
    assert "LINK-carryover" not in codes(clean, _previous(clean))


def test_link_carryover_fails_per_column(clean: AnnualReport) -> None:
    prev = replace_at(
        _previous(clean),
        "applications.carried_forward",
        ApplicantCounts.of(natural_person=99, commercial=2, legal_services=1),
    )
    findings = only(clean, "LINK-carryover", prev)
    assert all(f.severity == "error" for f in findings)
    assert {f.location.column: (f.expected, f.actual) for f in findings} == {
        "自然人": (99, 100),
        "总计": (102, 103),
    }
    assert findings[0].location.row == "二、上年结转政府信息公开申请数量"


def test_link_stock_passes(clean: AnnualReport) -> None:
    assert "LINK-stock" not in codes(clean, _previous(clean))


def test_link_stock_fails_when_stock_does_not_follow(clean: AnnualReport) -> None:
    prev = replace_at(_previous(clean), "proactive.normative_documents.in_force", 300)
    (finding,) = only(clean, "LINK-stock", prev)
    assert finding.severity == "warning"
    assert (finding.expected, finding.actual) == (169, 175)
    assert finding.location.row == "行政规范性文件"
    assert finding.location.column == "现行有效件数"


def test_link_rules_do_not_run_without_previous(haidian: AnnualReport) -> None:
    assert not [c for c in codes(haidian) if c.startswith("LINK")]


# ------------------------------------------------------------------ narrative


def test_s1_oversight_passes(clean: AnnualReport) -> None:
    assert "S1-oversight" not in codes(clean)


def _without(report: AnnualReport, word: str) -> AnnualReport:
    subs = []
    for sub in report.overview.subsections:
        content = tuple(attrs.evolve(b, text=b.text.replace(word, "某某")) for b in sub.content)
        subs.append(attrs.evolve(sub, content=content))
    return replace_at(report, "overview.subsections", tuple(subs))


def test_s1_oversight_fails_when_accountability_is_missing(clean: AnnualReport) -> None:
    bad = _without(clean, "责任追究")
    (finding,) = only(bad, "S1-oversight")
    assert "责任追究" in finding.message and "社会评议" not in finding.actual


def test_s1_oversight_only_applies_to_governments(clean: AnnualReport) -> None:
    department = replace_at(_without(clean, "责任追究"), "meta.kind", "department")
    assert "S1-oversight" not in codes(department)


def test_narr_figures_passes_when_quote_matches(clean: AnnualReport) -> None:
    ok = replace_at(clean, "overview.intro", ("全年共收到政府信息公开申请1521件。",))
    assert "NARR-figures" not in codes(ok)


def test_narr_figures_fails_when_quote_disagrees(clean: AnnualReport) -> None:
    bad = replace_at(
        clean, "overview.intro", ("全年共收到政府信息公开申请1,500件，办理行政复议案件124件。",)
    )
    findings = only(bad, "NARR-figures")
    assert {(f.location.cells[0], f.expected, f.actual) for f in findings} == {
        ("applications.new_received.total", 1521, 1500),
        ("review_litigation.reconsideration.total", 125, 124),
    }
    assert findings[0].location.field == "overview.intro.0"


def test_narr_figures_checks_the_fee_sentence(clean: AnnualReport) -> None:
    bad = replace_at(clean, "other_matters.fee.notified_yuan", Decimal(200))
    finding = next(
        f
        for f in only(bad, "NARR-figures")
        if f.location.cells == ("other_matters.fee.notified_yuan",)
    )
    assert (finding.expected, finding.actual) == (Decimal(200), Decimal(190))


def test_narr_figures_points_at_the_text_of_each_quote(clean: AnnualReport) -> None:
    texts = ("本年度无变化。", "全年收到申请1521件。", "办结申请1000件。", "发出收费通知3件。")
    bad = replace_at(clean, "problems.intro", texts)
    findings = only(bad, "NARR-figures")
    assert [(f.location.field, f.actual) for f in findings] == [
        ("problems.intro.2", 1000),
        ("problems.intro.3", 3),
    ]
    assert findings[0].message.startswith("正文写“办结申请1000件。”")
    assert findings[0].location.section.startswith("五、")


def test_narr_figures_reads_every_text_in_order(haidian: AnnualReport) -> None:
    from hdgovreport.checks.narrative import _text_list, _texts

    for report in (haidian, replace_at(haidian, "problems.intro", ("a", "b"))):
        assert _text_list(report) == [text for _attr, _path, text in _texts(report)]


def test_narr_figures_ignores_approximate_figures(clean: AnnualReport) -> None:
    ok = replace_at(clean, "overview.intro", ("全年收到申请1500余件。",))
    assert "NARR-figures" not in codes(ok)


def test_narr_empty_passes(clean: AnnualReport) -> None:
    assert "NARR-empty" not in codes(clean)


def test_narr_empty_fails_for_empty_section_and_subsection(clean: AnnualReport) -> None:
    bad = replace_many(
        clean,
        {
            "problems": type(clean.problems)(),
            "overview.subsections": (*clean.overview.subsections, Subsection(title="监督保障")),
        },
    )
    fields = {f.location.field for f in only(bad, "NARR-empty")}
    assert fields == {"problems", "overview.subsections.4"}


def test_narr_numbering_passes(clean: AnnualReport) -> None:
    assert "NARR-numbering" not in codes(clean)


def test_narr_numbering_fails_on_hand_typed_numbers(clean: AnnualReport) -> None:
    subs = list(clean.overview.subsections)
    subs[3] = attrs.evolve(subs[3], title="（4） 持续强化平台建设")
    bad = replace_at(clean, "overview.subsections", tuple(subs))
    (finding,) = only(bad, "NARR-numbering")
    assert finding.actual == "（4）"
    assert finding.location.field == "overview.subsections.3.title"


def test_narr_numbering_allows_inline_enumeration_in_paragraphs(clean: AnnualReport) -> None:
    assert isinstance(clean.problems.subsections[0].content[0], Paragraph)
    assert clean.problems.subsections[0].content[0].text.startswith("一是")
    assert "NARR-numbering" not in codes(clean)


# ------------------------------------------------------------------ metadata


@pytest.mark.parametrize("published", [dt.date(2023, 1, 20), dt.date(2023, 3, 31)])
def test_meta_date_passes(clean: AnnualReport, published: dt.date) -> None:
    assert "META-date" not in codes(replace_at(clean, "meta.published", published))


@pytest.mark.parametrize(
    ("kind", "published"),
    [
        ("government", dt.date(2022, 12, 1)),
        ("government", dt.date(2023, 4, 1)),
        ("department", dt.date(2023, 2, 1)),
    ],
)
def test_meta_date_fails_outside_the_statutory_window(
    clean: AnnualReport, kind: str, published: dt.date
) -> None:
    bad = replace_many(clean, {"meta.kind": kind, "meta.published": published})
    only(bad, "META-date")


def test_meta_edition_passes(clean: AnnualReport) -> None:
    assert "META-edition" not in codes(clean)


def test_meta_edition_fails_for_a_2021_format_report_on_2020(clean: AnnualReport) -> None:
    bad = replace_at(clean, "meta.year", 2020)
    (finding,) = only(bad, "META-edition")
    assert (finding.expected, finding.actual) == ("2019", "2021")


# ------------------------------------------------------------------ every rule is covered


def test_every_rule_has_a_stable_code_a_title_and_a_test() -> None:
    from pathlib import Path

    here = Path(__file__).parent
    # the district's rules (SUM-*, ROSTER-*) are tested beside the district
    source = "".join(
        p.read_text("utf-8") for p in (here / "test_checks.py", *here.glob("test_district*.py"))
    )
    for r in RULES:
        slug = r.code.lower().replace("-", "_")
        assert f"def test_{slug}_passes" in source, r.code
        assert f"def test_{slug}_fails" in source, r.code
        assert r.title and r.severity in ("error", "warning")


def test_findings_serialise_to_json(haidian: AnnualReport) -> None:
    data = check(haidian).to_dict()
    assert data["errors"] == 1
    finding = data["findings"][0]
    assert set(finding) >= {"code", "severity", "message", "location", "expected", "actual"}
    assert set(finding["location"]) >= {"section", "table", "row", "column", "field"}


def test_narrative_texts_walk_every_block() -> None:
    n = Narrative(intro=("a",), subsections=(Subsection(title="t", content=(Paragraph("p"),)),))
    assert n.texts() == ("a", "t", "p")


# ------------------------------------------------------------ fast paths of the cell rules


@pytest.mark.parametrize(
    "counts",
    [
        (0, 0),
        (0, MAX_COUNT),
        (MAX_COUNT, MAX_COUNT),  # the sum is over the bound, each value is not
        (-1, 5),
        (5, MAX_COUNT + 1),
        (2**32, 0),
        (2**64 + 3, 1),
        (-(2**70), 1),
    ],
)
def test_counts_in_range_agrees_with_min_and_max(counts: tuple[int, ...]) -> None:
    from hdgovreport.checks.tables import counts_in_range

    assert counts_in_range(counts) == (min(counts) >= 0 and max(counts) <= MAX_COUNT)


@given(st.lists(st.integers(min_value=-(2**40), max_value=2**40), min_size=2, max_size=30))
def test_counts_in_range_agrees_with_min_and_max_on_any_ints(counts: list[int]) -> None:
    from hdgovreport.checks.tables import counts_in_range

    values = tuple(counts)
    assert counts_in_range(values) == (min(values) >= 0 and max(values) <= MAX_COUNT)


class _Count(enum.IntEnum):
    ONE = 1


@pytest.mark.parametrize("odd", [True, False, _Count.ONE, Decimal(1), 1.0, "1", None])
def test_plain_counts_wants_every_count_a_plain_int(clean: AnnualReport, odd: object) -> None:
    from hdgovreport.checks.tables import plain_counts, read_cells

    cells = read_cells(clean).cells
    assert plain_counts(clean.edition, cells) is not None
    index = next(i for i, v in enumerate(cells) if type(v) is int)
    assert plain_counts(clean.edition, [*cells[:index], odd, *cells[index + 1 :]]) is None
