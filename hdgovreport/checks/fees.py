"""Rules on the information-processing fee figures of section 6 against Table 3."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

from hdgovreport.checks.findings import Finding, Location
from hdgovreport.checks.registry import Context, Rule, rule
from hdgovreport.form import queries
from hdgovreport.form.layout import layout, leaves_by_path, section_heading

_FEE_WORDS = ("收费", "缴费", "信息处理费")
_UNPAID = "applications.other_fee_unpaid.total"
_AMOUNTS = ("other_matters.fee.notified_yuan", "other_matters.fee.collected_yuan")


@functools.cache
def _labels() -> dict[str, str]:
    """Fee item names for sentences: the label without its unit (``通知收费金额``)."""
    return {str(item.field): queries.label_core(item.label) for item in layout().fee.items}


def _unpaid_row(ctx: Context) -> str:
    table = layout().applications
    return leaves_by_path(table, ctx.report.edition, "rows")[("other_fee_unpaid",)].name


def _total_column(ctx: Context) -> str:
    table = layout().applications
    return leaves_by_path(table, ctx.report.edition, "columns")[("total",)].name


def _location(field: str, cells: tuple[str, ...], row: str | None = None) -> Location:
    return Location(
        section=section_heading("other_matters"),
        table=layout().fee.name,
        row=row,
        field=field,
        cells=cells,
    )


@rule("FEE-notices", "warning", "因逾期未缴费而不再处理的申请数，不多于发出的收费通知数")
def fee_notices(ctx: Context, r: Rule) -> Iterator[Finding]:
    apps = ctx.report.applications
    if apps.other_fee_unpaid is None:
        return  # the 2019 trial edition has no such row
    if not ctx.numbers(_UNPAID, "other_matters.fee.notices"):
        return
    fee = ctx.report.other_matters.fee
    unpaid = apps.other_fee_unpaid.total
    if unpaid > fee.notices:
        labels = _labels()
        yield r.finding(
            f"表3“{_unpaid_row(ctx)}”为 {unpaid} 件，多于第六部分的{labels['notices']} {fee.notices} 件："
            "只有收到收费通知的申请人才可能逾期未缴费。",
            _location(
                "other_matters.fee.notices",
                ("other_matters.fee.notices", "applications.other_fee_unpaid.total"),
                labels["notices"],
            ),
            expected=f"≤ {fee.notices}",
            actual=unpaid,
        )


@rule("FEE-unpaid", "warning", "收费通知金额已全部收取时，不应有因逾期未缴费而不再处理的申请")
def fee_unpaid(ctx: Context, r: Rule) -> Iterator[Finding]:
    apps = ctx.report.applications
    if apps.other_fee_unpaid is None:
        return
    if not ctx.numbers(_UNPAID, *_AMOUNTS):
        return
    fee = ctx.report.other_matters.fee
    unpaid = apps.other_fee_unpaid.total
    if unpaid > 0 and fee.notified_yuan > 0 and fee.collected_yuan >= fee.notified_yuan:
        labels = _labels()
        yield r.finding(
            f"第六部分报告{labels['notified_yuan']} {fee.notified_yuan} 元、"
            f"{labels['collected_yuan']} {fee.collected_yuan} 元，即通知的费用已全部收取，"
            f"但表3“{_unpaid_row(ctx)}”为 {unpaid} 件。请核对收费情况或表3的分类。",
            Location(
                section=section_heading("applications"),
                table=layout().applications.name,
                row=_unpaid_row(ctx),
                column=_total_column(ctx),
                field="applications.other_fee_unpaid.total",
                cells=(
                    "applications.other_fee_unpaid.total",
                    "other_matters.fee.notified_yuan",
                    "other_matters.fee.collected_yuan",
                ),
            ),
            expected=0,
            actual=unpaid,
        )


@rule("FEE-amounts", "warning", "收费金额自洽：实收不超过通知金额，有金额时有收费通知")
def fee_amounts(ctx: Context, r: Rule) -> Iterator[Finding]:
    if not ctx.numbers("other_matters.fee.notices", *_AMOUNTS):
        return
    fee = ctx.report.other_matters.fee
    labels = _labels()
    if fee.collected_yuan > fee.notified_yuan:
        yield r.finding(
            f"{labels['collected_yuan']} {fee.collected_yuan} 元多于{labels['notified_yuan']} "
            f"{fee.notified_yuan} 元。",
            _location(
                "other_matters.fee.collected_yuan",
                ("other_matters.fee.notified_yuan", "other_matters.fee.collected_yuan"),
                labels["collected_yuan"],
            ),
            expected=f"≤ {fee.notified_yuan}",
            actual=fee.collected_yuan,
        )
    if fee.notices == 0 and (fee.notified_yuan > 0 or fee.collected_yuan > 0):
        yield r.finding(
            f"{labels['notices']}为 0，却报告了收费金额（通知 {fee.notified_yuan} 元，"
            f"实收 {fee.collected_yuan} 元）。",
            _location(
                "other_matters.fee.notices",
                ("other_matters.fee.notices", "other_matters.fee.notified_yuan"),
                labels["notices"],
            ),
            expected="≥ 1",
            actual=0,
        )


@rule("FEE-missing", "warning", "第六部分说明了信息处理费的收取情况")
def fee_missing(ctx: Context, r: Rule) -> Iterable[Finding]:
    texts = "\n".join(ctx.report.other_matters.texts())  # no word holds a line break
    for word in _FEE_WORDS:
        if word in texts:
            return ()  # the common case: a tuple, not a generator (one is costly to run)
    return (
        r.finding(
            "第六部分没有说明信息处理费的收取情况。按《政府信息公开信息处理费管理办法》，"
            "应报告发出收费通知的件数、通知金额和实际收取金额（未收费的也应说明）。",
            _location("other_matters", ("other_matters.fee",)),
        ),
    )
