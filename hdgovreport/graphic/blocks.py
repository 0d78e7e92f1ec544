"""The graphic's blocks drawn from the three tables: 主动公开, 依申请公开, 复议诉讼.

Every number is a :class:`~hdgovreport.graphic.figures.Figure` naming its model
paths.  A chart of parts shows the reported total; the parts' shares are
computed from the parts and add up to 100.0 % as printed.  When the reported
total is not the sum of its parts, the chart states both (总计填报 42，各项之和
45) and shows no share at all, so it never prints one whole and computes from
another.  The chart follows the data: a pictogram when one part is most of the
whole, one stated share when a part is all of it, ranked bars otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import attrs

from hdgovreport.form import queries
from hdgovreport.form.layout import Node, layout
from hdgovreport.graphic import charts
from hdgovreport.graphic.figures import (
    Change,
    Figure,
    Kind,
    Mismatch,
    Public,
    change,
    figure,
    mismatch,
    public,
    unit_of,
)
from hdgovreport.graphic.wording import phrase
from hdgovreport.model import AnnualReport

#: A part at least this share (per cent) of its whole is drawn as a pictogram or stated alone.
DOMINANT = 75
#: How many reasons a ranked list names before "其余各项".
TOP_REASONS = 3

_TRAILING_COUNT = ("件数", "数量")


def public_label(label: str) -> str:
    """An official label in the words the public reads: no numbering, note, unit or ``数量``.

    ``一、本年新收政府信息公开申请数量`` → ``本年新收政府信息公开申请``;
    ``本年制发件数`` → ``本年制发``; ``本年收费金额（单位：万元）`` → ``本年收费金额``.
    """
    core = queries.label_core(label)
    for tail in _TRAILING_COUNT:
        if core.endswith(tail) and len(core) > len(tail) + 1:
            return core[: -len(tail)]
    return core


@attrs.frozen
class Stat:
    """A labelled figure: ``本年制发 6件``, ``办结总数 1521件``."""

    label: str
    figure: Figure
    public: Public
    change: Change | None = None
    mismatch: Mismatch | None = None


def stat(
    label: str,
    fig: Figure,
    previous: AnnualReport | None,
    *,
    unit: str | None = None,
    parts: Figure | None = None,
) -> Stat:
    """A :class:`Stat`; ``parts`` (the sum of the figure's parts) adds the mismatch note when it differs."""
    return Stat(
        label=label,
        figure=fig,
        public=public(fig, unit),
        change=change(fig, previous),
        mismatch=mismatch(fig, parts) if parts is not None else None,
    )


# ---------------------------------------------------------------- charts of parts


ChartKind = Literal["bars", "stack", "pictogram", "single", "dominant", "list"]


@attrs.frozen
class Part:
    """One part of a whole."""

    label: str
    figure: Figure
    percent: str | None  # None when the whole's reported total disagrees with its parts
    length: str  # bar length in viewBox units: the whole track (100) is 100 %
    color: int
    cells: int = 0  # pictogram cells (per cents) this part fills
    people: str = ""  # the pictogram's people of this part, one SVG path


@attrs.frozen
class Shares:
    """A whole split into its non-zero parts."""

    id: str
    title: str
    total: Stat  # the whole as reported, with the mismatch note when its parts disagree
    parts: tuple[Part, ...]
    kind: ChartKind
    unit: str
    segments: tuple[str, ...] = ()  # widths of a stacked bar's segments, per cent

    @property
    def mismatch(self) -> Mismatch | None:
        return self.total.mismatch

    @property
    def lead(self) -> Part:
        """The largest part (the first of equals)."""
        return max(self.parts, key=lambda p: p.figure.value)


def shares(
    chart_id: str,
    title: str,
    total: Stat,
    parts: Sequence[tuple[str, Figure]],
    *,
    many: ChartKind = "bars",
    one: ChartKind = "single",
    dominant: ChartKind | None = None,
) -> Shares | None:
    """The chart of the non-zero ``parts`` of ``total``; ``None`` when every part is zero.

    ``many`` is the chart for an ordinary split, ``one`` for a single non-zero
    part, ``dominant`` (if given) for a part of at least :data:`DOMINANT` per
    cent.  A total that disagrees with its parts gives a plain ``list``.
    """
    shown = [(label, fig) for label, fig in parts if fig.value]
    if not shown:
        return None
    values = [int(fig.value) for _label, fig in shown]
    pcts = charts.percentages(values)
    consistent = total.mismatch is None
    kind: ChartKind = many
    if not consistent:
        kind = "list"
    elif len(shown) == 1:
        kind = one
    elif dominant is not None and max(pcts) >= DOMINANT:
        kind = dominant
    cells = charts.pictogram(values) if kind == "pictogram" else tuple(0 for _ in values)
    people = charts.pictogram_paths(cells)
    out = tuple(
        Part(
            label=label,
            figure=fig,
            percent=format(pct, "f") if consistent else None,
            length=charts.share_length(pct) if consistent else "0",
            color=i,
            cells=cell,
            people=path,
        )
        for i, ((label, fig), pct, cell, path) in enumerate(
            zip(shown, pcts, cells, people, strict=True)
        )
    )
    segments = charts.stacked(values) if kind == "stack" else ()
    return Shares(chart_id, title, total, out, kind, unit_of("count"), segments)


# ---------------------------------------------------------------- Table 2


@attrs.frozen
class StatRow:
    """A row of Table 2 with several figures (行政规范性文件: 本年制发, 本年废止, 现行有效)."""

    label: str
    stats: tuple[Stat, ...]


@attrs.frozen
class CountBar:
    """One row of the ranked decision counts (行政许可, 行政处罚, 行政强制)."""

    stat: Stat
    length: str  # of 100: the largest count is the whole track


@attrs.frozen
class ProactiveBlock:
    rows: tuple[StatRow, ...]
    decisions_title: str
    decisions: tuple[CountBar, ...]
    amounts: tuple[StatRow, ...]

    @property
    def empty(self) -> bool:
        return not (self.rows or self.decisions or self.amounts)


def proactive_block(report: AnnualReport, previous: AnnualReport | None) -> ProactiveBlock | None:
    rows: list[StatRow] = []
    amounts: list[StatRow] = []
    counts: list[Stat] = []
    decisions_title = ""
    for row in queries.proactive_rows(report.edition):
        stats = []
        for col in row.columns:
            kind: Kind = col.type
            fig = figure(report, row.path(col), kind=kind)
            if fig.value:
                stats.append(
                    stat(public_label(col.label), fig, previous, unit=unit_of(kind, col.field))
                )
        if not stats:
            continue
        if row.single and row.columns[0].type == "count":
            counts.append(attrs.evolve(stats[0], label=row.row.label))
            decisions_title = stats[0].label
        elif all(s.figure.kind == "money" for s in stats):
            amounts.append(StatRow(row.row.label, tuple(stats)))
        else:
            rows.append(StatRow(row.row.label, tuple(stats)))
    scale = max((s.figure.value for s in counts), default=0)
    ranked = sorted(counts, key=lambda s: -s.figure.value)  # stable: table order among equals
    block = ProactiveBlock(
        rows=tuple(rows),
        decisions_title=decisions_title,
        decisions=tuple(CountBar(s, charts.bar_length(s.figure.value, scale)) for s in ranked),
        amounts=tuple(amounts),
    )
    return None if block.empty else block


# ---------------------------------------------------------------- Table 3


@attrs.frozen
class Comparison:
    """Last year against this year for one figure (the application volume)."""

    label: str
    unit: str
    bars: tuple[tuple[Figure, Figure, str], ...]  # (year, figure, bar length of 100)
    change: Change


@attrs.frozen
class ApplicationsBlock:
    received: tuple[Stat, ...]  # 本年新收, 上年结转
    handled: tuple[Stat, ...]  # 办结总数, 结转下年度
    comparison: Comparison | None
    applicants: Shares | None
    breakdown: tuple[Stat, ...]  # the parts of 法人或其他组织, counts only
    breakdown_title: str
    outcomes: Shares | None
    reasons: tuple[Shares, ...]
    fee: tuple[Stat, ...]

    @property
    def empty(self) -> bool:
        return not (
            any(s.figure.value for s in (*self.received, *self.handled))
            or self.applicants
            or self.outcomes
            or self.reasons
            or self.fee
        )


def _row(field: str, edition: str) -> Node:
    return queries.row_leaf(field, edition).node


def _applicants(report: AnnualReport) -> tuple[Shares | None, tuple[Stat, ...], str]:
    """Who applied: the top-level applicant types (自然人, 法人或其他组织) and the latter's parts."""
    groups: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for leaf in queries.applicant_columns(report.edition):
        if leaf.path == ("total",):
            continue
        top = leaf.nodes[1] if len(leaf.nodes) > 1 else leaf.node
        groups.setdefault(top.label, []).append(f"applications.new_received.{leaf.path[-1]}")
        names[f"applications.new_received.{leaf.path[-1]}"] = leaf.label
    parts = [(label, figure(report, *paths)) for label, paths in groups.items()]
    every = tuple(p for paths in groups.values() for p in paths)
    new_received = _row("new_received", report.edition)
    total = stat(
        new_received.key or public_label(new_received.label),
        figure(report, "applications.new_received.total"),
        None,
        parts=figure(report, *every),
    )
    chart = shares(
        "chart-applicants",
        phrase("applications.applicants_title"),
        total,
        parts,
        many="stack",
        dominant="pictogram",
    )
    breakdown: tuple[Stat, ...] = ()
    title = ""
    for label, paths in groups.items():
        if len(paths) > 1:
            title = label
            breakdown = tuple(
                stat(names[p], fig, None)
                for p in paths
                for fig in (figure(report, p),)
                if fig.value
            )
    return chart, breakdown, title


def _outcomes(report: AnnualReport) -> Shares | None:
    """How the applications were handled: the result categories, shares of 办结总数."""
    edition = report.edition
    categories = queries.result_categories(edition)
    parts = [
        (
            public_label(c.label),
            figure(
                report, *(f"applications.{f}.total" for f in queries.category_fields(c, edition))
            ),
        )
        for c in categories
    ]
    every = tuple(f"applications.{f}.total" for f in queries.result_rows(edition))
    total = stat(
        phrase("applications.handled_total"),
        figure(report, "applications.total_handled.total"),
        None,
        parts=figure(report, *every),
    )
    return shares("chart-outcomes", phrase("applications.outcomes_title"), total, parts)


def _reasons(report: AnnualReport) -> tuple[Shares, ...]:
    """The reasons inside 不予公开, 无法提供, 不予处理 (categories with reasons, not 其他处理)."""
    edition = report.edition
    other = set(queries.edition_only_rows("2021"))
    out: list[Shares] = []
    for category in queries.result_categories(edition):
        children = category.visible(edition)
        if not children or {c.field for c in children} & other:
            continue
        rows = [
            (public_label(c.label), figure(report, f"applications.{c.field}.total"))
            for c in children
        ]
        rows = [r for r in rows if r[1].value]
        if not rows:
            continue
        ordered = sorted(rows, key=lambda r: -r[1].value)  # stable: table order among equals
        parts = ordered[:TOP_REASONS]
        rest = ordered[TOP_REASONS:]
        if len(rest) == 1:
            parts.append(rest[0])
        elif rest:
            rest_fig = figure(report, *(f for _label, fig in rest for f in fig.fields))
            parts.append((phrase("applications.reasons_rest"), rest_fig))
        whole = figure(report, *(f for _label, fig in rows for f in fig.fields))
        total = Stat(phrase("applications.reasons_total"), whole, public(whole))
        chart = shares(
            f"chart-reasons-{len(out) + 1}",
            public_label(category.label),
            total,
            parts,
            dominant="dominant",
        )
        if chart is not None:
            out.append(chart)
    return tuple(out)


def _comparison(report: AnnualReport, previous: AnnualReport | None) -> Comparison | None:
    volume = figure(report, "applications.new_received.total")
    moved = change(volume, previous)
    if previous is None or moved is None:
        return None
    largest = max(volume.value, moved.previous.value)
    this_year = figure(report, "meta.year", kind="year")
    last_year = attrs.evolve(figure(previous, "meta.year", kind="year"), report="previous")
    return Comparison(
        label=public_label(_row("new_received", report.edition).label),
        unit=unit_of("count"),
        bars=(
            (last_year, moved.previous, charts.bar_length(moved.previous.value, largest)),
            (this_year, volume, charts.bar_length(volume.value, largest)),
        ),
        change=moved,
    )


def applications_block(
    report: AnnualReport, previous: AnnualReport | None
) -> ApplicationsBlock | None:
    edition = report.edition

    def row_stat(field: str, label: str | None = None) -> Stat:
        fig = figure(report, f"applications.{field}.total")
        parts = figure(report, *(f"applications.{field}.{p}" for p in queries.applicant_parts()))
        row = _row(field, edition)
        name = label or row.key or public_label(row.label)  # 本年新收申请: the form's short name
        return stat(name, fig, previous, parts=parts)

    applicants, breakdown, breakdown_title = _applicants(report)
    fee_layout = layout().fee
    fee = tuple(
        stat(public_label(item.label), fig, None, unit=unit_of(item.type, item.field))
        for item in fee_layout.items
        for fig in (
            figure(report, f"other_matters.{fee_layout.field}.{item.field}", kind=item.type),
        )
        if fig.value
    )
    block = ApplicationsBlock(
        received=(row_stat("new_received"), row_stat("carried_over")),
        handled=(
            row_stat("total_handled", phrase("applications.handled_total")),
            row_stat("carried_forward"),
        ),
        comparison=_comparison(report, previous),
        applicants=applicants,
        breakdown=breakdown,
        breakdown_title=breakdown_title,
        outcomes=_outcomes(report),
        reasons=_reasons(report),
        fee=fee,
    )
    return None if block.empty else block


# ---------------------------------------------------------------- Table 4


@attrs.frozen
class Rate:
    """A derived rate the data file asked for: 纠正率 = 结果纠正 ÷ 已审结."""

    corrected: Figure
    concluded: Figure
    percent: str


@attrs.frozen
class CaseGroup:
    label: str
    parent: str  # 行政诉讼 for its two groups, "" for 行政复议
    chart: Shares
    rate: Rate | None  # only when the data file's 图解 settings ask for 纠正率
    no_rate: bool = False  # asked for, but no case was concluded


def case_groups(report: AnnualReport) -> tuple[CaseGroup, ...]:
    rates = report.graphic.rates
    parents = {
        g.field: top.label
        for top in layout().review_litigation.columns
        if not top.field
        for g in top.children
    }
    out = []
    for group in queries.review_groups():
        base = f"review_litigation.{group.field}"
        columns = {c.field: c for c in group.children}
        parts = [
            (c.label, figure(report, f"{base}.{c.field}"))
            for c in group.children
            if c.field != "total"
        ]
        total = stat(
            columns["total"].label,
            figure(report, f"{base}.total"),
            None,
            parts=figure(report, *(f"{base}.{p}" for p in queries.outcome_parts())),
        )
        chart = shares(f"chart-{group.field}", group.label, total, parts, many="stack", one="stack")
        if chart is None:
            continue
        rate = None
        no_rate = False
        if "correction_rate" in rates:
            concluded = figure(report, *(f"{base}.{f}" for f in ("upheld", "corrected", "other")))
            corrected = figure(report, f"{base}.corrected")
            if concluded.value:
                pct = charts.rate(int(corrected.value), int(concluded.value))
                rate = Rate(corrected, concluded, format(pct, "f"))
            else:
                no_rate = True
        out.append(CaseGroup(group.label, parents.get(group.field, ""), chart, rate, no_rate))
    return tuple(out)


def formula() -> str:
    """``纠正率 = 结果纠正 ÷ 已审结（结果维持 + 结果纠正 + 其他结果）`` with the official labels."""
    outcomes = {c.field: c.label for c in queries.outcome_columns()}
    return phrase(
        "review_litigation.formula",
        corrected=outcomes["corrected"],
        upheld=outcomes["upheld"],
        other=outcomes["other"],
    )
