"""What the graphic edition shows, in the order of the report.

总体情况 (the report's own facts, chosen by weight) → 主动公开 (Table 2) →
依申请公开 (Table 3 and the fee) → 复议诉讼 (Table 4) → 问题与改进 (section 5),
after a hero band of the year's headline numbers.  Every number is a
:class:`~hdgovreport.graphic.figures.Figure` that names the model paths it
comes from, and every piece of the report's text is a quote naming its
paragraph, so a test can read each one back from the HTML and compare it with
the report.  Labels come from the official layout (:mod:`hdgovreport.form`),
the graphic's own words from ``templates/graphic/wording.yaml``.  A block or
chart whose data is all zero is left out.
"""

from __future__ import annotations

import re
from typing import Literal

import attrs

from hdgovreport.checks import CheckResult
from hdgovreport.document import Banner
from hdgovreport.document.build import banner_for
from hdgovreport.form import queries
from hdgovreport.graphic.blocks import (
    ApplicationsBlock,
    CaseGroup,
    ProactiveBlock,
    Stat,
    applications_block,
    case_groups,
    proactive_block,
    public_label,
    stat,
)
from hdgovreport.graphic.facts import (
    Quote,
    card_items,
    highlight_facts,
    magnitude,
    subsection_quotes,
)
from hdgovreport.graphic.figures import Figure, change, figure
from hdgovreport.graphic.wording import phrase
from hdgovreport.model import AnnualReport

Icon = Literal["document", "letter", "scale", "court", "clipboard", "alert", "check"]


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
    icon: Icon
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
            cards.append(Card(sub.title, path, "clipboard", curated, facts))
    return tuple(cards)


def problem_cards(report: AnnualReport) -> tuple[Card, ...]:
    """Section 5: the first sub-section states the problems, the others the improvements."""
    cards = []
    for s, sub in enumerate(report.problems.subsections):
        path = f"problems.subsections.{s}"
        items = card_items(sub, path)
        if items:
            cards.append(Card(sub.title, path, "alert" if s == 0 else "check", facts=items))
    return tuple(cards)


# ---------------------------------------------------------------- the hero band

_LEADING_NUMBER = re.compile(r"[\d.]+[万亿千百]?(?:余|多)?[万亿]?|[十百千万](?:余|多)[万亿]?")


@attrs.frozen
class HeroQuote:
    """A headline the report's own words state: ``全区主动公开政府信息`` ``2万余`` ``条``.

    Each piece names where it was cut from: the paragraph, or the curated
    highlight's ``label``, ``figure`` and ``unit``.
    """

    label: str
    number: str
    unit: str
    label_source: str
    number_source: str
    unit_source: str


@attrs.frozen
class HeroItem:
    """One of the three or four headline numbers at the top of the graphic."""

    icon: Icon
    stat: Stat | None = None
    quote: HeroQuote | None = None


def _hero_quote(report: AnnualReport) -> HeroQuote | None:
    """The weightiest statement of section 1 about 主动公开 whose figure ends it, if any."""
    keyword = phrase("hero.proactive_keyword")
    curated: list[HeroQuote] = []
    quotes: list[Quote] = []
    for s, sub in enumerate(report.overview.subsections):
        path = f"overview.subsections.{s}"
        for i, h in enumerate(sub.highlights):
            if keyword in h.label:
                at = f"{path}.highlights.{i}"
                curated.append(
                    HeroQuote(
                        h.label, h.figure, h.unit, f"{at}.label", f"{at}.figure", f"{at}.unit"
                    )
                )
        quotes.extend(q for q in subsection_quotes(sub, path) if keyword in q.text)
    if curated:
        return curated[0]
    for quote in sorted(quotes, key=lambda q: -q.weight):  # stable: reading order among equals
        start, end = max(quote.figures, key=lambda span: magnitude(quote.text[span[0] : span[1]]))
        if end != len(quote.text) or start == 0:
            continue  # the figure must close the statement, so the label before it is whole
        figure_text = quote.text[start:end]
        number = _LEADING_NUMBER.match(figure_text)
        if number is None:
            continue
        at = quote.source
        return HeroQuote(
            quote.text[:start], number.group(), figure_text[number.end() :], at, at, at
        )
    return None


def hero(
    report: AnnualReport,
    proactive: ProactiveBlock | None,
    cases: tuple[CaseGroup, ...],
    previous: AnnualReport | None,
) -> tuple[HeroItem, ...]:
    """The year's headline numbers, one per part of the story, in the order of the report.

    主动公开: what section 1 says about it (``全区主动公开政府信息2万余条``), else the
    largest decision count of Table 2; 依申请公开: this year's new applications;
    行政复议 and 行政诉讼: their totals.  A reported total that disagrees with its
    parts carries its note here too; 行政诉讼 adds two totals up, so it is shown
    only when both agree with their parts.
    """
    items: list[HeroItem] = []
    quote = _hero_quote(report)
    if quote is not None:
        items.append(HeroItem("document", quote=quote))
    elif proactive is not None and proactive.decisions:
        items.append(HeroItem("document", stat=proactive.decisions[0].stat))
    received = figure(report, "applications.new_received.total")
    if received.value:
        label = public_label(queries.row_leaf("new_received", report.edition).label)
        parts = (f"applications.new_received.{p}" for p in queries.applicant_parts())
        items.append(
            HeroItem("letter", stat=stat(label, received, previous, parts=figure(report, *parts)))
        )
    for group in (g for g in cases if not g.parent):  # 行政复议, with its note if it disagrees
        total = group.chart.total
        items.append(
            HeroItem(
                "scale",
                stat=attrs.evolve(total, label=group.label, change=change(total.figure, previous)),
            )
        )
    suits = [g for g in cases if g.parent]
    if suits and all(g.chart.mismatch is None for g in suits):
        fig = figure(report, *(f for g in suits for f in g.chart.total.figure.fields))
        items.append(HeroItem("court", stat=stat(suits[0].parent, fig, previous)))
    return tuple(items)


# ---------------------------------------------------------------- the whole graphic


@attrs.frozen
class Graphic:
    """Everything the graphic edition shows, in order."""

    title: str  # the report's title, for the document
    source: str  # the report the source line names (数据来源：《…》)
    agency: str
    year: Figure
    banner: Banner | None
    hero: tuple[HeroItem, ...]
    highlights: tuple[Card, ...]
    proactive: ProactiveBlock | None
    applications: ApplicationsBlock | None
    cases: tuple[CaseGroup, ...]
    problems: tuple[Card, ...]
    website: str | None
    published: str | None
    previous_year: Figure | None = None

    @property
    def empty(self) -> bool:
        return not (
            self.hero
            or self.highlights
            or self.proactive
            or self.applications
            or self.cases
            or self.problems
        )

    @property
    def any_rate(self) -> bool:
        return any(g.rate is not None or g.no_rate for g in self.cases)


def build_graphic(
    report: AnnualReport,
    result: CheckResult | None = None,
    previous: AnnualReport | None = None,
) -> Graphic:
    """The graphic's content; ``result`` with errors adds the 校验未通过 notice."""
    proactive = proactive_block(report, previous)
    cases = case_groups(report)
    return Graphic(
        title=report.title,
        source=report.graphic.source or report.title,
        agency=report.meta.agency,
        year=figure(report, "meta.year", kind="year"),
        banner=banner_for(result),
        hero=hero(report, proactive, cases, previous),
        highlights=highlight_cards(report),
        proactive=proactive,
        applications=applications_block(report, previous),
        cases=cases,
        problems=problem_cards(report),
        website=report.meta.website,
        published=report.meta.published.isoformat() if report.meta.published else None,
        previous_year=(
            attrs.evolve(figure(previous, "meta.year", kind="year"), report="previous")
            if previous is not None
            else None
        ),
    )


__all__ = ["Card", "Curated", "Graphic", "HeroItem", "HeroQuote", "build_graphic"]
