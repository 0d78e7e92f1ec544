"""Builders: keyword arguments named after rows/columns, computed totals, clear errors."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from helpers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hdgovreport import (
    AnnualReport,
    ApplicantCounts,
    ApplicationsBuilder,
    BuildError,
    ReportBuilder,
    check,
    dumps,
    loads,
)
from hdgovreport.form import queries
from hdgovreport.model import Paragraph, Point


def test_totals_are_computed_when_omitted() -> None:
    apps = ApplicationsBuilder(
        new_received={"natural_person": 5, "commercial": 2},
        granted={"natural_person": 4},
        unavailable_not_held={"commercial": 2},
        carried_forward={"natural_person": 1},
    ).build()
    assert apps.new_received.total == 7
    assert apps.total_handled == ApplicantCounts.of(natural_person=4, commercial=2)
    assert apps.carried_over == ApplicantCounts.of()


def test_a_supplied_total_is_kept_and_checked_never_overwritten() -> None:
    rb = ReportBuilder(agency="某市某局", year=2023)
    rb.applications.set(
        new_received={"natural_person": 5, "total": 6}, granted={"natural_person": 5}
    )
    report = rb.build()
    assert report.applications.new_received.total == 6
    assert "T3-row" in check(report).codes()


def test_unknown_row_gets_a_suggestion() -> None:
    with pytest.raises(BuildError) as info:
        ApplicationsBuilder(new_recieved={"natural_person": 1})  # type: ignore[call-arg]
    assert info.value.field == "applications.new_recieved"
    assert "'new_received'" in str(info.value)


def test_unknown_column_gets_a_suggestion() -> None:
    with pytest.raises(BuildError) as info:
        ApplicationsBuilder(granted={"natural_persons": 1})  # type: ignore[typeddict-unknown-key]
    assert "'natural_person'" in str(info.value)


def test_negative_value_names_field_and_official_label() -> None:
    with pytest.raises(BuildError) as info:
        ApplicationsBuilder(granted={"research": -2})
    message = str(info.value)
    assert info.value.field == "applications.granted.research"
    assert "（一）予以公开" in message and "科研机构" in message and "不能为负数" in message


@pytest.mark.parametrize("value", ["3", 3.0, True, None])
def test_wrong_type_is_refused(value: Any) -> None:
    with pytest.raises(BuildError, match="应为非负整数"):
        ApplicationsBuilder(granted={"research": value})


def test_money_accepts_decimal_strings_but_not_floats() -> None:
    rb = ReportBuilder(agency="某市某局", year=2023)
    rb.proactive.set(fees="19656.3836")
    assert rb.build().proactive.fees == Decimal("19656.3836")
    with pytest.raises(BuildError, match="不能用浮点数"):
        rb.proactive.set(fees=19656.3836)  # type: ignore[arg-type]
    rb.proactive.set(fees="5949.088667")  # published to the fen: six decimals in 万元
    assert rb.build().proactive.fees == Decimal("5949.088667")
    with pytest.raises(BuildError, match="6 位小数"):
        rb.proactive.set(fees="1.2345678")


def test_bad_metadata_is_a_build_error() -> None:
    with pytest.raises(BuildError, match=r"meta\.year"):
        ReportBuilder(agency="某市某局", year=1990)
    with pytest.raises(BuildError, match=r"meta\.agency"):
        ReportBuilder(agency="  ", year=2023)


def test_2019_edition_builder() -> None:
    rb = ReportBuilder(agency="某县人民政府", year=2020, edition="2019")
    rb.proactive.set(licensing={"previous_items": 120, "change": -3, "decisions": 5400})
    rb.applications.set(other_handling={"natural_person": 2}, new_received={"natural_person": 2})
    report = rb.build()
    assert report.edition == "2019"
    assert report.applications.total_handled.total == 2
    with pytest.raises(BuildError):
        ApplicationsBuilder(edition="2019", other_misc={"natural_person": 1})


def test_narrative_builder_keeps_points_and_paragraphs_in_order() -> None:
    rb = ReportBuilder(agency="某市某局", year=2023)
    sub = rb.overview.subsection("主动公开", "第一点。", "第二点。")
    sub.paragraph("一段说明。").point("第三点。")
    built = rb.build().overview.subsections[0]
    assert [type(b) for b in built.content] == [Point, Point, Paragraph, Point]
    assert [b.text for b in built.points] == ["第一点。", "第二点。", "第三点。"]


def test_haidian_built_in_python_with_totals_omitted_checks_clean(haidian: AnnualReport) -> None:
    """Every figure of the published report, fed to the builders without any total."""
    rb = ReportBuilder(
        agency=haidian.meta.agency,
        year=haidian.meta.year,
        website=haidian.meta.website,
        opening=haidian.opening,
    )
    for sub in haidian.overview.subsections:
        rb.overview.subsection(sub.title, *(b.text for b in sub.points))
    p = haidian.proactive
    rb.proactive.set(
        regulations={"issued": 0, "repealed": 0, "in_force": 0},
        normative_documents={"issued": 6, "repealed": 137, "in_force": 175},
        licensing=p.licensing,  # type: ignore[union-attr]
        penalties=p.penalties,  # type: ignore[arg-type]
        enforcement=p.enforcement,  # type: ignore[arg-type]
        fees=p.fees,  # type: ignore[arg-type]
    )
    apps = haidian.applications
    rows = {
        name: {c: apps.row(name).get(c) for c in ApplicantCounts.PARTS}
        for name in ("new_received", "carried_over", *apps.result_row_names, "carried_forward")
    }
    rb.applications.set(**rows)  # type: ignore[arg-type]
    rl = haidian.review_litigation
    rb.review_litigation.set(
        **{
            g: dict(
                zip(("upheld", "corrected", "other", "pending"), rl.group(g).parts, strict=True)
            )
            for g in queries.review_group_fields()
        }  # type: ignore[arg-type]
    )
    for sub in haidian.problems.subsections:
        s = rb.problems.subsection(sub.title)
        for block in sub.content:
            (s.point if isinstance(block, Point) else s.paragraph)(block.text)
    fee = haidian.other_matters.fee
    rb.other_matters.fee(
        notices=fee.notices,
        notified_yuan=fee.notified_yuan,
        collected_yuan=fee.collected_yuan,
        sentence=False,
    )
    rb.other_matters.intro(*haidian.other_matters.intro)
    built = rb.build()

    assert check(built).errors == ()
    assert (
        built.review_litigation.litigation_after_review.total == 45
    )  # computed, where 42 was published
    assert built.applications == haidian.applications  # every published Table 3 total is right
    assert built.overview == haidian.overview and built.other_matters == haidian.other_matters


# ------------------------------------------------------------------ the documented script


def _doc_blocks(name: str) -> list[str]:
    text = (ROOT / "docs" / name).read_text("utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_python_api_doc_script_builds_a_clean_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    blocks = _doc_blocks("python-api.md")
    assert blocks  # the builder script is the first block; tests/test_api.py runs them all
    namespace: dict[str, Any] = {}
    exec(compile(blocks[0], "docs/python-api.md", "exec"), namespace)
    report = namespace["report"]
    assert isinstance(report, AnnualReport)
    assert check(report).findings == ()
    assert (tmp_path / "某区某局-2023.yaml").exists()
    assert loads((tmp_path / "某区某局-2023.yaml").read_text("utf-8")).report == report


# ------------------------------------------------------------------ property


_count = st.integers(min_value=0, max_value=500)
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30
).filter(lambda s: s.strip(" \t\u3000\u00a0") != "")


@st.composite
def built_reports(draw: st.DrawFn) -> AnnualReport:
    """A report from the builders with every total computed (and 结转 consistent)."""
    edition = draw(st.sampled_from(["2021", "2019"]))
    year = draw(st.integers(2021, 2030) if edition == "2021" else st.integers(2019, 2020))
    rb = ReportBuilder(agency=draw(_text), year=year, edition=edition, kind="department")  # type: ignore[arg-type]
    results = queries.result_rows(edition)
    rows: dict[str, dict[str, int]] = {}
    for name in (*results, "carried_forward"):
        rows[name] = {c: draw(_count) for c in ApplicantCounts.PARTS}
    rows["carried_over"] = {}
    rows["new_received"] = {}
    for c in ApplicantCounts.PARTS:
        need = sum(rows[n][c] for n in (*results, "carried_forward"))
        carried = draw(st.integers(0, need))
        rows["carried_over"][c] = carried
        rows["new_received"][c] = need - carried
    rb.applications.set(**rows)  # type: ignore[arg-type]
    rb.review_litigation.set(
        reconsideration={k: draw(_count) for k in ("upheld", "corrected", "other", "pending")},
        litigation_direct={k: draw(_count) for k in ("upheld", "corrected", "other", "pending")},
        litigation_after_review={
            k: draw(_count) for k in ("upheld", "corrected", "other", "pending")
        },
    )
    if edition == "2021":
        rb.proactive.set(  # type: ignore[call-arg]
            licensing=draw(_count),
            fees=Decimal(draw(st.integers(0, 10**8))) / 10000,
        )
    for _ in range(draw(st.integers(0, 3))):
        rb.overview.subsection(draw(_text), *draw(st.lists(_text, max_size=3))).paragraph(
            *draw(st.lists(_text, max_size=2))
        )
    rb.problems.intro(*draw(st.lists(_text, max_size=2)))
    notices = draw(_count)
    rb.other_matters.fee(notices=notices, notified_yuan=notices * 10, collected_yuan=notices * 10)
    if edition == "2021":
        # nothing may be closed for an unpaid fee when every notified yuan was collected
        rb.applications.set(other_fee_unpaid={})
        moved = rows["other_fee_unpaid"]
        rows["other_misc"] = {c: rows["other_misc"][c] + moved[c] for c in ApplicantCounts.PARTS}
        rb.applications.set(other_misc=rows["other_misc"])  # type: ignore[typeddict-item]
    return rb.build()


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(built_reports())
def test_any_builder_made_report_with_computed_totals_passes_every_error_rule(
    report: AnnualReport,
) -> None:
    result = check(report)
    assert result.errors == (), result.to_text()


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(built_reports())
def test_any_builder_made_report_survives_dump_and_load(report: AnnualReport) -> None:
    assert loads(dumps(report)).report == report


def test_curated_highlights_from_code() -> None:
    from hdgovreport import BuildError, ReportBuilder

    rb = ReportBuilder(agency="某区某局", year=2023)
    sub = rb.overview.subsection("主动公开", "全年主动公开政府信息1260条。")
    sub.highlight(1260, "条", "主动公开政府信息").highlight("2.5", "万", "专栏浏览量")
    report = rb.build()
    assert [(h.figure, h.unit, h.label) for h in report.overview.subsections[0].highlights] == [
        ("1260", "条", "主动公开政府信息"),
        ("2.5", "万", "专栏浏览量"),
    ]
    with pytest.raises(BuildError, match="阿拉伯数字开头"):
        sub.highlight("很多", "条", "x")
    with pytest.raises(BuildError, match="单位过长"):
        sub.highlight(1, "条" * 20, "x")
