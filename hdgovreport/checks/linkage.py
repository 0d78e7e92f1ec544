"""Rules linking this year's report to last year's."""

from __future__ import annotations

from collections.abc import Iterator

from hdgovreport.checks.findings import Finding, Location
from hdgovreport.checks.registry import Context, Rule, rule
from hdgovreport.form import queries
from hdgovreport.form.layout import layout, leaves_by_path, section_heading
from hdgovreport.model import ProactiveDisclosure


def _comparable(ctx: Context) -> bool:
    """Linkage rules only run when last year's report is for the year before."""
    prev = ctx.previous
    return prev is not None and prev.meta.year == ctx.report.meta.year - 1


@rule("LINK-year", "error", "上年报告的年度应为本年度的前一年", needs_previous=True)
def link_year(ctx: Context, r: Rule) -> Iterator[Finding]:
    prev = ctx.previous
    assert prev is not None
    expected = ctx.report.meta.year - 1
    if prev.meta.year != expected:
        yield r.finding(
            f"作为上年报告提供的是 {prev.meta.year} 年度报告，应为 {expected} 年度报告；"
            "年度衔接检查未进行。",
            Location(section="报告基本信息", field="meta.year"),
            expected=expected,
            actual=prev.meta.year,
        )


@rule("LINK-agency", "warning", "上年报告与本年报告是同一机关的报告", needs_previous=True)
def link_agency(ctx: Context, r: Rule) -> Iterator[Finding]:
    prev = ctx.previous
    assert prev is not None
    if prev.meta.agency != ctx.report.meta.agency:
        yield r.finding(
            f"上年报告的机关名称为“{prev.meta.agency}”，本年为“{ctx.report.meta.agency}”；"
            "如机构名称已调整可忽略此提示。",
            Location(section="报告基本信息", field="meta.agency"),
            expected=ctx.report.meta.agency,
            actual=prev.meta.agency,
        )


@rule(
    "LINK-carryover",
    "error",
    "本年的上年结转申请数等于上年报告的结转下年度数（逐列）",
    needs_previous=True,
)
def link_carryover(ctx: Context, r: Rule) -> Iterator[Finding]:
    if not _comparable(ctx):
        return
    prev = ctx.previous
    assert prev is not None
    table = layout().applications
    rows = leaves_by_path(table, ctx.report.edition, "rows")
    cols = leaves_by_path(table, ctx.report.edition, "columns")
    this_row, last_row = rows[("carried_over",)].name, rows[("carried_forward",)].name
    for (col,), leaf in cols.items():
        if not (
            ctx.numbers(f"applications.carried_over.{col}")
            and ctx.numbers(f"applications.carried_forward.{col}", previous=True)
        ):
            continue
        actual = ctx.report.applications.carried_over.get(col)
        expected = prev.applications.carried_forward.get(col)
        if actual != expected:
            yield r.finding(
                f"“{leaf.name}”一列：本年{this_row}填报为 {actual}，"
                f"但 {prev.meta.year} 年度报告的{last_row}为 {expected}。",
                Location(
                    section=section_heading("applications"),
                    table=table.name,
                    row=this_row,
                    column=leaf.name,
                    field=f"applications.carried_over.{col}",
                    cells=(f"applications.carried_over.{col}",),
                ),
                expected=expected,
                actual=actual,
            )


@rule(
    "LINK-stock",
    "warning",
    "现行有效文件数与上年衔接：上年数加本年制发减本年废止",
    needs_previous=True,
)
def link_stock(ctx: Context, r: Rule) -> Iterator[Finding]:
    if not _comparable(ctx):
        return
    prev = ctx.previous
    assert prev is not None
    this, last = ctx.report.proactive, prev.proactive
    if not (isinstance(this, ProactiveDisclosure) and isinstance(last, ProactiveDisclosure)):
        return  # the 2019 trial edition counts documents differently
    t2 = layout().proactive
    first = queries.proactive_rows(ctx.report.edition)[0].block  # 第二十条第（一）项
    col_label = {c.field: c.label for c in first.columns}
    for row in first.rows:
        assert row.field is not None
        paths = [f"proactive.{row.field}.{c}" for c in ("issued", "repealed", "in_force")]
        if not (ctx.numbers(*paths) and ctx.numbers(paths[-1], previous=True)):
            continue
        now = getattr(this, row.field)
        before = getattr(last, row.field)
        expected = before.in_force + now.issued - now.repealed
        if now.in_force != expected:
            yield r.finding(
                f"{row.label}：{col_label['in_force']}填报为 {now.in_force}，"
                f"按上年 {before.in_force} 件加{col_label['issued']} {now.issued} 件"
                f"减{col_label['repealed']} {now.repealed} 件应为 {expected} 件；"
                "如本年对存量文件重新清理统计，请在报告中说明。",
                Location(
                    section=section_heading("proactive"),
                    table=t2.name,
                    row=row.label,
                    column=col_label["in_force"],
                    field=f"proactive.{row.field}.in_force",
                    cells=tuple(paths),
                ),
                expected=expected,
                actual=now.in_force,
            )
