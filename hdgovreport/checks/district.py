"""Rules of a district: a summary report equals the sum of its children; the roster.

``SUM-*`` run when :func:`hdgovreport.checks.check` is given ``children`` (see
:func:`hdgovreport.check_children`): every value cell of the parent's Tables 2–4 and
fee figures must equal the exact sum of the same cell in the children's reports.

``ROSTER-*`` are declared here so that every code has one home and one title (and
``docs/rules.md`` lists them); they compare a set of reports with the district's
roster, so :mod:`hdgovreport.district.roster` runs them, never a single report's check.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Iterator
from decimal import Decimal

import attrs

from hdgovreport.checks.findings import CheckResult, Finding, Location
from hdgovreport.checks.registry import Context, Rule, rule
from hdgovreport.checks.tables import _cell_location, ill_typed_cells, table_values
from hdgovreport.form import queries
from hdgovreport.form.layout import cells
from hdgovreport.model import AnnualReport

#: Children named one by one in a SUM-cell message; the rest are counted.
NAMED_CHILDREN = 12


def exact_sum(values: Iterable[object]) -> int | Decimal:
    """The sum of counts (``int``) or amounts (``Decimal``), exactly: never rounded.

    Raises ``decimal.Inexact`` rather than round (which needs more than 80 digits).
    """
    with decimal.localcontext() as context:
        context.prec = 80
        context.traps[decimal.Inexact] = True
        total: int | Decimal = 0
        for value in values:
            assert isinstance(value, (int, Decimal))
            total = total + value
        return total


def summable(
    parent: AnnualReport, children: Iterable[tuple[str, AnnualReport]]
) -> list[tuple[str, AnnualReport]]:
    """The children of the parent's year and format edition (the others cannot be summed)."""
    return [
        (name, child)
        for name, child in children
        if child.meta.year == parent.meta.year and child.edition == parent.edition
    ]


@rule(
    "SUM-members",
    "error",
    "汇总的下级单位报告与汇总报告的年度、格式版本相同",
    needs="children",
)
def sum_members(ctx: Context, r: Rule) -> Iterator[Finding]:
    meta = ctx.report.meta
    for name, child in ctx.children:
        if child.meta.year != meta.year or child.edition != ctx.report.edition:
            yield r.finding(
                f"下级单位报告“{name}”为 {child.meta.year} 年度、{child.edition} 版格式，"
                f"汇总报告为 {meta.year} 年度、{ctx.report.edition} 版格式；该报告未计入汇总比较。",
                Location(section="报告基本信息", field="meta.year"),
                expected=f"{meta.year} 年度 {ctx.report.edition} 版",
                actual=f"{child.meta.year} 年度 {child.edition} 版",
            )
        elif bad := ill_typed_cells(child):
            yield r.finding(
                f"下级单位报告“{name}”有 {len(bad)} 个单元格的数据类型不对"
                f"（如 {queries.cell_name(sorted(bad)[0], child.edition)}）；这些单元格未作汇总比较。",
                Location(section="报告基本信息", field="meta"),
            )


def _plain(value: object) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


@rule(
    "SUM-cell",
    "error",
    "汇总报告的每个单元格等于各下级单位报告对应单元格之和",
    needs="children",
)
def sum_cell(ctx: Context, r: Rule) -> Iterator[Finding]:
    members = summable(ctx.report, ctx.children)
    if not members:
        return
    columns = [(name, table_values(child), ill_typed_cells(child)) for name, child in members]
    for cell, reported in zip(cells(ctx.report.edition), ctx.cells, strict=True):
        path = cell.path
        if path in ctx.bad_cells or any(path in bad for _n, _v, bad in columns):
            continue
        parts = [(name, values[path]) for name, values, _bad in columns]
        total = exact_sum(v for _n, v in parts)
        if reported == total:
            continue
        nonzero = [(n, v) for n, v in parts if v]
        shown = "、".join(f"{n} {_plain(v)}" for n, v in nonzero[:NAMED_CHILDREN])
        rest = []
        if len(nonzero) > NAMED_CHILDREN:
            rest.append(f"另有 {len(nonzero) - NAMED_CHILDREN} 家不为 0")
        if len(parts) > len(nonzero):
            rest.append(f"其余 {len(parts) - len(nonzero)} 家为 0")
        detail = "；".join(p for p in (shown, *rest) if p) or "各家均为 0"
        yield r.finding(
            f"{queries.cell_name(path, ctx.report.edition)}：汇总报告填报为 {_plain(reported)}，"
            f"但 {len(parts)} 家下级单位之和为 {_plain(total)}（{detail}）。",
            _cell_location(cell),
            expected=total,
            actual=reported,
        )


def _run_by_district(_ctx: Context, _r: Rule) -> Iterator[Finding]:
    """Roster rules compare many reports; :mod:`hdgovreport.district.roster` runs them."""
    return iter(())


rule("ROSTER-missing", "error", "名册上的每个单位都报送了本年度报告", needs="roster")(
    _run_by_district
)
rule("ROSTER-duplicate", "error", "每个单位只报送一份本年度报告", needs="roster")(_run_by_district)
rule("ROSTER-unknown", "warning", "报送报告的机关在名册上（名称或别名一致）", needs="roster")(
    _run_by_district
)
rule(
    "ROSTER-late",
    "warning",
    "发布日期不晚于名册所列单位类型的公布期限（政府 3 月 31 日，部门 1 月 31 日）",
    needs="roster",
)(_run_by_district)


def check_children(
    parent: AnnualReport,
    children: Iterable[AnnualReport | tuple[str, AnnualReport]],
    *,
    subject: str = "",
) -> CheckResult:
    """Only the ``SUM-*`` findings: does ``parent`` equal the sum of ``children``, cell by cell?"""
    from hdgovreport.checks import check

    named = [(c.meta.agency, c) if isinstance(c, AnnualReport) else c for c in children]
    result = check(parent, subject=subject, children=named)
    return attrs.evolve(
        result, findings=tuple(f for f in result.findings if f.code.startswith("SUM-"))
    )
