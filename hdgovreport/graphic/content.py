"""What the graphic edition shows, derived from the model.

Every number on the graphic is a :class:`Figure` that names the model paths
it comes from (its value is their sum), so a test can read each number back
from the HTML and compare it with the report.  Labels come from the official
layout (:mod:`hdgovreport.form.layout`), the graphic's own words from
``templates/graphic/wording.yaml``.  A block, chart or card whose data is all
zero is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Literal

import attrs

from hdgovreport.checks import CheckResult
from hdgovreport.document import Banner
from hdgovreport.document.build import banner_for
from hdgovreport.form import queries
from hdgovreport.form.layout import Node, layout, strip_numbering
from hdgovreport.graphic import charts
from hdgovreport.graphic.facts import Quote, card_items, highlight_facts
from hdgovreport.graphic.wording import phrase, table
from hdgovreport.model import AnnualReport, value_at

Number = int | Decimal
_UNIT_IN_LABEL = re.compile(r"（[^（）]*）$")


def _short(label: str) -> str:
    """A column label without its numbering and its trailing unit: ``本年收费金额（单位：万元）`` → ``本年收费金额``."""
    return _UNIT_IN_LABEL.sub("", strip_numbering(label))


def _number(value: object) -> Number | None:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    return value


@attrs.frozen
class Figure:
    """A number on the graphic: the sum of the values at ``fields`` in one report."""

    value: Number
    fields: tuple[str, ...]
    report: Literal["current", "previous"] = "current"
    signed: bool = False

    @property
    def text(self) -> str:
        if isinstance(self.value, Decimal):
            return format(self.value, "f")
        return f"{self.value:+d}" if self.signed and self.value else str(self.value)


def figure(report: AnnualReport, *paths: str, signed: bool = False) -> Figure:
    """The figure at one model path, or the sum of several."""
    values = [_number(value_at(report, p)) for p in paths]
    if any(v is None for v in values):
        raise TypeError(f"not a number: {paths}")
    total: Number = sum((v for v in values if v is not None), start=0)
    return Figure(value=total, fields=tuple(paths), signed=signed)


def _percent(value: Decimal) -> str:
    return format(value, "f")


@attrs.frozen
class Change:
    """Year-over-year change of a figure (``hdgovreport graphic --previous``)."""

    direction: Literal["up", "down", "flat", "from_zero"]
    percent: str  # absolute change in percent, one decimal; "" for flat and from_zero
    previous: Figure


def _change(current: Figure, previous: AnnualReport | None) -> Change | None:
    if previous is None or len(current.fields) != 1:
        return None
    try:
        before = _number(value_at(previous, current.fields[0]))
    except AttributeError:  # another format edition: no such field last year
        return None
    if before is None:
        return None
    last = Figure(value=before, fields=current.fields, report="previous", signed=current.signed)
    if before == 0:
        return Change("from_zero", "", last) if current.value else None
    if current.value == before:
        return Change("flat", "", last)
    pct = charts.change(current.value, before)
    return Change("up" if current.value > before else "down", _percent(abs(pct)), last)


# ---------------------------------------------------------------- key figures


@attrs.frozen
class KeyFigure:
    detail: str  # 本年制发件数, 本年处理决定数量, ""
    unit: str
    figure: Figure
    change: Change | None = None


@attrs.frozen
class KeyTile:
    """One tile of large numbers: a row of Table 2 (several columns), or one total."""

    label: str  # 行政规范性文件, 行政许可, 本年新收申请
    figures: tuple[KeyFigure, ...]


@attrs.frozen
class KeyGroup:
    title: str
    tiles: tuple[KeyTile, ...]


def _unit(kind: str, field: str | None = None) -> str:
    units = table("units")
    by_column = table("units_by_column")
    if field is not None and field in by_column:
        return by_column[field]
    return units[kind]


def _proactive_tiles(report: AnnualReport, previous: AnnualReport | None) -> Iterator[KeyTile]:
    t2 = layout().proactive
    for block in t2.blocks(report.edition):
        for row in block.rows:
            figures = []
            for col in block.columns:
                path = ".".join(p for p in (t2.field, row.field, col.field) if p)
                fig = figure(report, path, signed=col.type == "signed")
                if fig.value:
                    figures.append(
                        KeyFigure(
                            detail=_short(col.label),
                            unit=_unit(col.type, col.field),
                            figure=fig,
                            change=_change(fig, previous),
                        )
                    )
            if figures:
                yield KeyTile(row.label, tuple(figures))


def _row_node(nodes: Sequence[Node], field: str) -> tuple[Node, ...]:
    """The chain of row nodes from the top down to the node holding ``field``."""
    for node in nodes:
        if node.field == field:
            return (node,)
        chain = _row_node(node.children, field)
        if chain:
            return (node, *chain)
    return ()


def _results_group() -> Node:
    """Table 3's ``三、本年度办理结果`` group (the only row group at the top level)."""
    return next(n for n in layout().applications.rows if n.children)


def _application_tiles(report: AnnualReport, previous: AnnualReport | None) -> Iterator[KeyTile]:
    t3 = layout().applications
    for field in ("new_received", "carried_over", "total_handled", "carried_forward"):
        fig = figure(report, f"applications.{field}.total")
        if not fig.value:
            continue
        chain = _row_node(t3.rows, field)
        if len(chain) > 1:  # （七）总计: named with its group, 本年度办理结果
            label, detail = strip_numbering(chain[0].label), strip_numbering(chain[-1].label)
        else:
            label, detail = chain[-1].key, ""
        yield KeyTile(label, (KeyFigure(detail, _unit("count"), fig, _change(fig, previous)),))


def _groups() -> tuple[Node, ...]:
    """Table 4's three groups: 行政复议, 未经复议直接起诉, 复议后起诉."""
    columns = layout().review_litigation.columns
    return tuple(n for top in columns for n in ((top,) if top.field else top.children))


def _case_tiles(report: AnnualReport, previous: AnnualReport | None) -> Iterator[KeyTile]:
    for group in _groups():
        fig = figure(report, f"review_litigation.{group.field}.total")
        if fig.value:
            total = next(c for c in group.children if c.field == "total")
            key = KeyFigure(total.label, _unit("count"), fig, _change(fig, previous))
            yield KeyTile(group.label, (key,))


def key_groups(report: AnnualReport, previous: AnnualReport | None) -> tuple[KeyGroup, ...]:
    titles = table("key_groups")
    groups = (
        KeyGroup(titles["proactive"], tuple(_proactive_tiles(report, previous))),
        KeyGroup(titles["applications"], tuple(_application_tiles(report, previous))),
        KeyGroup(titles["review_litigation"], tuple(_case_tiles(report, previous))),
    )
    return tuple(g for g in groups if g.tiles)


# ---------------------------------------------------------------- section 1 highlights


@attrs.frozen
class Curated:
    """A curated highlight from the data file (``亮点``)."""

    figure: str
    unit: str
    label: str
    source: str  # model path of the highlight


@attrs.frozen
class Card:
    """A card of section 1 or section 5: a sub-section's title and a few short facts."""

    title: str
    source: str  # model path of the sub-section
    curated: tuple[Curated, ...] = ()
    facts: tuple[Quote, ...] = ()


def highlight_cards(report: AnnualReport) -> tuple[Card, ...]:
    cards = []
    for s, sub in enumerate(report.overview.subsections):
        path = f"overview.subsections.{s}"
        curated = tuple(
            Curated(h.figure, h.unit, h.label, f"{path}.highlights.{i}")
            for i, h in enumerate(sub.highlights)
        )
        facts = () if curated else highlight_facts(sub, path)
        if curated or facts:
            cards.append(Card(sub.title, path, curated, facts))
    return tuple(cards)


def problem_cards(report: AnnualReport) -> tuple[Card, ...]:
    cards = []
    for s, sub in enumerate(report.problems.subsections):
        path = f"problems.subsections.{s}"
        items = card_items(sub, path)
        if items:
            cards.append(Card(sub.title, path, facts=items))
    return tuple(cards)


# ---------------------------------------------------------------- charts


@attrs.frozen
class Share:
    """One part of a whole: a slice, a segment or a ranked row."""

    label: str
    figure: Figure
    percent: str
    color: int
    group: str = ""  # a label the legend puts above this share (法人或其他组织)


@attrs.frozen
class ShareChart:
    """A whole split into parts; the percentages add up to 100 within rounding."""

    id: str
    title: str
    basis: str  # what the whole is (本年新收申请, （七）总计)
    total: Figure  # the whole as reported
    shares: tuple[Share, ...]  # the non-zero parts
    unit: str
    arcs: tuple[charts.Arc, ...] = ()
    segments: tuple[charts.Segment, ...] = ()

    @property
    def alt(self) -> str:
        """The text alternative: every figure and percentage of the chart in one sentence."""
        items = phrase("alt.separator").join(
            phrase(
                "alt.share_item",
                label=s.label,
                value=s.figure.text,
                unit=self.unit,
                percent=f"{s.percent}{phrase('units.percent')}",
            )
            for s in self.shares
        )
        return phrase(
            "alt.share",
            title=f"{self.title}（{self.basis} {self.total.text}{self.unit}）",
            items=items,
        )


#: Width of a stacked bar in viewBox units.
BAR_WIDTH = 1000.0


def share_chart(
    chart_id: str,
    title: str,
    basis: str,
    total: Figure,
    parts: Sequence[tuple[str, Figure, str]],
    *,
    kind: Literal["donut", "bar"],
) -> ShareChart | None:
    """A chart of the non-zero ``parts`` (label, figure, legend group); ``None`` when all are zero."""
    shown = [(i, p) for i, p in enumerate(parts) if p[1].value]
    if not shown:
        return None
    values = [int(p[1].value) for _i, p in shown]
    pcts = charts.percentages(values)
    shares = tuple(
        Share(label=p[0], figure=p[1], percent=_percent(pct), color=i, group=p[2])
        for (i, p), pct in zip(shown, pcts, strict=True)
    )
    arcs = charts.donut(values, cx=100, cy=100, outer=96, inner=62) if kind == "donut" else ()
    segments = charts.stacked(values, BAR_WIDTH, gap=4) if kind == "bar" else ()
    return ShareChart(
        id=chart_id,
        title=title,
        basis=basis,
        total=total,
        shares=shares,
        unit=_unit("count"),
        arcs=arcs,
        segments=segments,
    )


@attrs.frozen
class Ranked:
    """The largest reasons inside one result group (不予公开, 无法提供, 不予处理)."""

    label: str
    total: Figure
    shares: tuple[Share, ...]
    widths: tuple[str, ...]  # bar lengths in viewBox units (of 100)


@attrs.frozen
class Rate:
    """The correction rate of a Table 4 group: 结果纠正 ÷ (结果维持 + 结果纠正 + 其他结果)."""

    corrected: Figure
    concluded: Figure
    percent: str


@attrs.frozen
class CaseGroup:
    label: str
    chart: ShareChart
    rate: Rate | None


@attrs.frozen
class Comparison:
    """Last year against this year for one figure (the application volume)."""

    label: str
    unit: str
    bars: tuple[tuple[Figure, Figure, str], ...]  # (year, figure, bar length of 100)
    change: Change


@attrs.frozen
class FeeItem:
    label: str
    unit: str
    figure: Figure


@attrs.frozen
class ApplicationsBlock:
    applicants: ShareChart | None
    outcomes: ShareChart | None
    reasons: tuple[Ranked, ...]
    fee: tuple[FeeItem, ...]
    comparison: Comparison | None

    @property
    def empty(self) -> bool:
        return not (self.applicants or self.outcomes or self.reasons or self.fee or self.comparison)


#: How many reasons a ranked list names before "其余各项".
TOP_REASONS = 3


def _leaf_fields(node: Node, edition: str) -> tuple[str, ...]:
    visible = node.visible(edition)
    if not visible:
        return (str(node.field),)
    return tuple(f for child in visible for f in _leaf_fields(child, edition))


def _ranked(report: AnnualReport, group: Node) -> Ranked | None:
    edition = report.edition
    rows = [
        (child.key, figure(report, f"applications.{child.field}.total"))
        for child in group.visible(edition)
    ]
    rows = [r for r in rows if r[1].value]
    if not rows:
        return None
    ordered = sorted(rows, key=lambda r: -r[1].value)  # stable: table order among equals
    top, rest = ordered[:TOP_REASONS], ordered[TOP_REASONS:]
    parts: list[tuple[str, Figure]] = list(top)
    if rest:
        rest_fig = figure(report, *(f for _l, fig in rest for f in fig.fields))
        parts.append((phrase("applications.reasons_rest"), rest_fig))
    pcts = charts.percentages([int(p[1].value) for p in parts])
    total = figure(report, *(f"applications.{f}.total" for f in _leaf_fields(group, edition)))
    largest = max(p[1].value for p in parts)
    return Ranked(
        label=group.key,
        total=total,
        shares=tuple(
            Share(label, fig, _percent(pct), color=i)
            for i, ((label, fig), pct) in enumerate(zip(parts, pcts, strict=True))
        ),
        widths=tuple(charts.bar_width(p[1].value, largest, 100) for p in parts),
    )


def applications_block(
    report: AnnualReport, previous: AnnualReport | None
) -> ApplicationsBlock | None:
    edition = report.edition
    t3 = layout().applications
    count = _unit("count")

    # who applied: this year's new applications by applicant type
    new_row = _row_node(t3.rows, "new_received")[-1]
    parts = []
    for leaf in t3.column_leaves(edition):
        if leaf.path == ("total",):
            continue
        group = leaf.nodes[-2].label if len(leaf.nodes) > 2 else ""
        parts.append(
            (leaf.label, figure(report, f"applications.new_received.{leaf.path[-1]}"), group)
        )
    applicants = share_chart(
        "chart-applicants",
        phrase("applications.applicants_title"),
        new_row.key,
        figure(report, "applications.new_received.total"),
        parts,
        kind="donut",
    )

    # how they were handled: the six result categories, as shares of （七）总计
    results = _results_group()
    categories = [c for c in results.visible(edition) if c.field != "total_handled"]
    total_node = _row_node(t3.rows, "total_handled")[-1]
    outcome_parts = [
        (
            c.key,
            figure(report, *(f"applications.{f}.total" for f in _leaf_fields(c, edition))),
            "",
        )
        for c in categories
    ]
    outcomes = share_chart(
        "chart-outcomes",
        phrase("applications.outcomes_title"),
        total_node.label,
        figure(report, "applications.total_handled.total"),
        outcome_parts,
        kind="bar",
    )

    # the largest reasons inside 不予公开, 无法提供, 不予处理 (not 其他处理)
    other = set(queries.edition_only_rows("2021"))
    reasons = tuple(
        r
        for c in categories
        if c.visible(edition) and not {ch.field for ch in c.visible(edition)} & other
        for r in (_ranked(report, c),)
        if r is not None
    )

    fee_layout = layout().fee
    fee = tuple(
        FeeItem(_short(item.label), _unit(item.type), fig)
        for item in fee_layout.items
        for fig in (figure(report, f"other_matters.{fee_layout.field}.{item.field}"),)
        if fig.value
    )

    comparison = None
    volume = figure(report, "applications.new_received.total")
    change = _change(volume, previous)
    if previous is not None and change is not None:
        largest = max(volume.value, change.previous.value)
        comparison = Comparison(
            label=new_row.key,
            unit=count,
            bars=(
                (
                    attrs.evolve(figure(previous, "meta.year"), report="previous"),
                    change.previous,
                    charts.bar_width(change.previous.value, largest, 100),
                ),
                (
                    figure(report, "meta.year"),
                    volume,
                    charts.bar_width(volume.value, largest, 100),
                ),
            ),
            change=change,
        )

    block = ApplicationsBlock(
        applicants=applicants,
        outcomes=outcomes,
        reasons=reasons,
        fee=fee,
        comparison=comparison,
    )
    return None if block.empty else block


def case_groups(report: AnnualReport) -> tuple[CaseGroup, ...]:
    out = []
    for group in _groups():
        base = f"review_litigation.{group.field}"
        outcomes = [c for c in group.children if c.field != "total"]
        parts = [(c.label, figure(report, f"{base}.{c.field}"), "") for c in outcomes]
        total_node = next(c for c in group.children if c.field == "total")
        chart = share_chart(
            f"chart-{group.field}",
            group.label,
            total_node.label,
            figure(report, f"{base}.total"),
            parts,
            kind="bar",
        )
        if chart is None:
            continue
        concluded = figure(report, *(f"{base}.{f}" for f in ("upheld", "corrected", "other")))
        rate = None
        if concluded.value:
            corrected = figure(report, f"{base}.corrected")
            rate = Rate(
                corrected,
                concluded,
                _percent(charts.rate(int(corrected.value), int(concluded.value))),
            )
        out.append(CaseGroup(group.label, chart, rate))
    return tuple(out)


def formula() -> str:
    """``纠正率 = 结果纠正 ÷ 已审结（结果维持 + 结果纠正 + 其他结果）`` with the official labels."""
    outcomes = {c.field: c.label for c in _groups()[0].children}
    return phrase(
        "review_litigation.formula",
        corrected=outcomes["corrected"],
        upheld=outcomes["upheld"],
        other=outcomes["other"],
    )


# ---------------------------------------------------------------- the whole graphic


@attrs.frozen
class Graphic:
    """Everything the graphic edition shows, in order."""

    title: str  # the report's title, for the document and the source line
    agency: str
    year: Figure
    banner: Banner | None
    key_groups: tuple[KeyGroup, ...]
    highlights: tuple[Card, ...]
    applications: ApplicationsBlock | None
    cases: tuple[CaseGroup, ...]
    problems: tuple[Card, ...]
    website: str | None
    published: str | None

    @property
    def empty(self) -> bool:
        return not (
            self.key_groups or self.highlights or self.applications or self.cases or self.problems
        )


def build_graphic(
    report: AnnualReport,
    result: CheckResult | None = None,
    previous: AnnualReport | None = None,
) -> Graphic:
    """The graphic's content; ``result`` with errors adds the 校验未通过 notice."""
    return Graphic(
        title=report.title,
        agency=report.meta.agency,
        year=figure(report, "meta.year"),
        banner=banner_for(result),
        key_groups=key_groups(report, previous),
        highlights=highlight_cards(report),
        applications=applications_block(report, previous),
        cases=case_groups(report),
        problems=problem_cards(report),
        website=report.meta.website,
        published=report.meta.published.isoformat() if report.meta.published else None,
    )
