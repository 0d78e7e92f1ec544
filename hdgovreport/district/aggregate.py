"""The district sum: a report whose tables are the cell-wise sums of its children's.

Every value cell of Tables 2–4 and the section-6 fee figures is summed exactly (counts
as integers, amounts as ``Decimal``, never rounded), totals included — the sum of the
reported totals, so that a wrong total in a child stays visible in the sum.  The tables
are built through the one structuring path (:func:`hdgovreport.model.structure.structure_tables`).
Summing is associative and exact: summing any partition of the children and then summing
the parts gives the same numbers (a property test says so).

The narrative is a generated stub that says what was summed from which files; the
coordinator writes the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from hdgovreport.checks.district import exact_sum
from hdgovreport.checks.tables import ill_typed_cells, table_values
from hdgovreport.district.names import normalise_agency
from hdgovreport.errors import AggregateError
from hdgovreport.form import queries
from hdgovreport.model import AgencyKind, AnnualReport, OtherMatters, Overview, ReportMeta
from hdgovreport.model.structure import structure_tables

#: Members listed per paragraph of the stub (a paragraph stays well under its length limit).
_PER_PARAGRAPH = 40


@attrs.frozen
class Member:
    """One report summed: its label (usually the file) and its agency."""

    label: str
    agency: str


@attrs.frozen
class Aggregate:
    """The summed report and the reports it was summed from."""

    report: AnnualReport
    members: tuple[Member, ...]
    skipped: tuple[tuple[str, str], ...] = ()  # (label, why): reports of another year


Child = AnnualReport | tuple[str, AnnualReport]


def _labelled(children: Iterable[Child]) -> list[tuple[str, AnnualReport]]:
    out = []
    for child in children:
        if isinstance(child, AnnualReport):
            out.append((child.meta.agency, child))
        else:
            out.append(child)
    return out


def aggregate(
    children: Iterable[Child],
    *,
    agency: str,
    year: int | None = None,
    kind: AgencyKind | None = None,
) -> Aggregate:
    """Sum ``children`` (reports, or ``(label, report)`` pairs) into one report of ``agency``.

    All children must be of one year (``year``, when given) and one format edition.
    Raises :class:`AggregateError` naming every child that cannot be summed.
    """
    members = _labelled(children)
    problems: list[str] = []
    if not members:
        raise AggregateError(["没有可汇总的报告"])
    years = sorted({r.meta.year for _l, r in members})
    if year is None and len(years) > 1:
        raise AggregateError(
            [f"报告年度不一致（{'、'.join(map(str, years))}）；请用 --year 指定汇总的年度"]
        )
    year = year if year is not None else years[-1]
    skipped = tuple(
        (label, f"{r.meta.year} 年度报告，不是 {year} 年度")
        for label, r in members
        if r.meta.year != year
    )
    members = [(label, r) for label, r in members if r.meta.year == year]
    if not members:
        raise AggregateError([f"没有 {year} 年度的报告"])
    seen: dict[str, str] = {}
    for label, r in members:
        key = normalise_agency(r.meta.agency)
        if key in seen:
            problems.append(
                f"{label} 与 {seen[key]} 是同一机关（{r.meta.agency}）的报告，不能重复相加；请只保留一份"
            )
        seen.setdefault(key, label)
    editions = sorted({r.edition for _l, r in members})
    if len(editions) > 1:
        for label, r in members:
            if r.edition != editions[-1]:
                problems.append(f"{label}：{r.edition} 版格式，与其他报告（{editions[-1]} 版）不同")
    for label, r in members:
        bad = ill_typed_cells(r)
        if bad:
            problems.append(f"{label}：{len(bad)} 个单元格的数据类型不对，无法相加")
    if problems:
        raise AggregateError(problems)
    edition = members[0][1].edition
    columns = [table_values(r) for _l, r in members]
    sums: dict[str, int | Decimal] = {
        path: exact_sum(v[path] for v in columns) for path in queries.cell_paths(edition)
    }
    tables = structure_tables(edition, sums)
    if not tables.ok:
        raise AggregateError(
            [
                f"{queries.cell_name(p.path, edition) or p.path}：{p.message}"
                for p in tables.problems
            ]
        )
    assert tables.proactive and tables.applications and tables.review_litigation and tables.fee
    listed = [Member(label, r.meta.agency) for label, r in members]
    meta = (
        ReportMeta(agency=agency, year=year, edition=edition, kind=kind)
        if kind is not None
        else ReportMeta(agency=agency, year=year, edition=edition)
    )
    report = AnnualReport(
        meta=meta,
        opening=(_opening(len(members), year),),
        overview=Overview(intro=_member_paragraphs(listed)),
        proactive=tables.proactive,
        applications=tables.applications,
        review_litigation=tables.review_litigation,
        other_matters=OtherMatters(intro=(_fee_sentence(tables.fee, year),), fee=tables.fee),
    )
    return Aggregate(report=report, members=tuple(listed), skipped=skipped)


def _opening(count: int, year: int) -> str:
    return (
        f"本报告的表格由 {count} 家单位的 {year} 年度政府信息公开工作年度报告逐格相加生成："
        "件数（表2的存量文件数也一样）相加，金额按十进制精确相加，各单位填报的总计也相加（不重新计算）。"
        "叙述部分为自动生成的说明，请另行撰写。"
    )


def _member_paragraphs(members: Sequence[Member]) -> tuple[str, ...]:
    out = []
    for start in range(0, len(members), _PER_PARAGRAPH):
        chunk = members[start : start + _PER_PARAGRAPH]
        listed = "；".join(
            f"{m.agency}（{m.label}）" if m.label != m.agency else m.agency for m in chunk
        )
        lead = "汇总的单位和文件：" if start == 0 else "汇总的单位和文件（续）："
        out.append(f"{lead}{listed}。")
    return tuple(out)


def _fee_sentence(fee: object, year: int) -> str:
    from hdgovreport.builders import fee_sentence
    from hdgovreport.model import FeeFigures

    assert isinstance(fee, FeeFigures)
    return fee_sentence(fee, year)


__all__ = ["Aggregate", "AggregateError", "Member", "aggregate"]
