"""The graphic as plain text: every figure, share and quote, for readers who cannot see the image.

The same text is written beside the PNG (``.graphic.txt``, the image's
alternative text when it is published) and folded into the HTML page as its
text version.  It follows the graphic block by block and says every number
the graphic shows, with its label and unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from hdgovreport.form.layout import section_heading
from hdgovreport.graphic.blocks import Shares, Stat
from hdgovreport.graphic.content import Card, Graphic, HeroItem
from hdgovreport.graphic.figures import Change, Figure, Public, unit_of
from hdgovreport.graphic.wording import phrase


def amount(public: Public, fig: Figure, unit: str | None = None) -> str:
    """``1521件``; ``约1.97亿元（19656.3836万元）`` when the public form is rounded or rescaled."""
    shown = (
        f"{phrase('units.approximately') if public.approximate else ''}{public.text}{public.unit}"
    )
    if not public.rescaled:
        return shown
    return phrase("text.approx", public=shown, exact=f"{fig.text}{unit or unit_of(fig.kind)}")


def _change(c: Change | None, unit: str) -> str:
    if c is None:
        return ""
    previous = f"{c.previous.text}{unit}"
    if c.direction == "flat":
        return phrase("text.change_flat", previous=previous)
    if c.direction == "from_zero":
        return phrase("text.change_from_zero")
    return phrase(
        "text.change",
        direction=phrase(f"change.{c.direction}"),
        percent=f"{c.percent}%",
        previous=previous,
    )


def stat_text(s: Stat) -> str:
    """``本年制发6件``, ``办结总数1521件，较上年增加16.9%（上年1301件）``."""
    text = phrase("text.item", label=s.label, value=amount(s.public, s.figure, s.public.own))
    moved = _change(s.change, s.public.own)
    return f"{text}，{moved}" if moved else text


def _sentence(head: str, items: Iterable[str]) -> str:
    body = phrase("text.separator").join(items)
    return f"{head}：{body}{phrase('text.stop')}" if head else f"{body}{phrase('text.stop')}"


def _count(fig: Figure) -> str:
    return f"{fig.text}{unit_of('count')}"


def shares_text(chart: Shares, extra: str = "") -> str:
    """One sentence: the chart's title and total, then each part with its share."""
    total = chart.total
    head = f"{chart.title}（{phrase('text.total', label=total.label, value=_count(total.figure))}）"
    items: list[str] = []
    if chart.mismatch is not None:
        items.append(
            phrase(
                "text.mismatch",
                label=total.label,
                reported=_count(chart.mismatch.reported),
                parts=_count(chart.mismatch.parts),
            )
        )
    for part in chart.parts:
        value = _count(part.figure)
        if part.percent is None:
            items.append(phrase("text.item", label=part.label, value=value))
        else:
            items.append(
                phrase("text.share", label=part.label, value=value, percent=f"{part.percent}%")
            )
    if chart.kind == "pictogram":
        head += phrase("text.scale", note=phrase("applications.pictogram_scale"))
    return _sentence(head, items) + extra


def _cards(cards: tuple[Card, ...]) -> Iterator[str]:
    for card in cards:
        items = [f"{c.figure}{c.unit}{c.label}" for c in card.curated] or [
            q.text for q in card.facts
        ]
        yield _sentence(card.title, items)


def _hero(item: HeroItem) -> str:
    if item.quote is not None:
        q = item.quote
        return f"{q.label}{q.number}{q.unit}"
    assert item.stat is not None
    said = stat_text(item.stat)
    m = item.stat.mismatch
    if m is None:
        return said
    wrong = phrase(
        "text.mismatch",
        label="",  # the label was just said
        reported=_count(m.reported),
        parts=_count(m.parts),
    )
    return f"{said}（{wrong}）"


def headline(g: Graphic) -> str:
    """One sentence for the page's description: the hero band, or the title."""
    if g.hero:
        return _sentence(phrase("hero.title"), (_hero(h) for h in g.hero))
    return _title(g)


def _title(g: Graphic) -> str:
    """The report's own title with the edition's badge: ``…2022年政府信息公开工作年度报告（图解）``."""
    return f"{g.title}（{phrase('badge')}）"


def lines(g: Graphic) -> tuple[str, ...]:
    """The text version, line by line: a title, then one line per chart or card."""
    out: list[str] = [_title(g)]
    if g.banner is not None:
        out.append(f"{g.banner.title}：{g.banner.full_notice}")
    if g.empty:
        out.append(phrase("all_zero"))
    if g.hero:
        out.append(headline(g))
    if g.highlights:
        out.append(section_heading("overview"))
        out.extend(_cards(g.highlights))
    p = g.proactive
    if p is not None:
        out.append(section_heading("proactive"))
        out.extend(_sentence(r.label, (stat_text(s) for s in r.stats)) for r in p.rows)
        if p.decisions:
            head = (
                f"{p.decisions_title}{phrase('text.scale', note=phrase('proactive.counts_scale'))}"
            )
            out.append(_sentence(head, (stat_text(b.stat) for b in p.decisions)))
        out.extend(_sentence(r.label, (stat_text(s) for s in r.stats)) for r in p.amounts)
    a = g.applications
    if a is not None:
        out.append(section_heading("applications"))
        out.append(_sentence(phrase("applications.received_title"), map(stat_text, a.received)))
        out.append(_sentence(phrase("applications.handled_title"), map(stat_text, a.handled)))
        if a.comparison is not None:
            c = a.comparison
            bars = (f"{phrase('change.year', year=y.text)}{f.text}{c.unit}" for y, f, _w in c.bars)
            out.append(_sentence(phrase("change.volume_title"), bars))
        if a.applicants is not None:
            extra = ""
            if a.breakdown:
                head = phrase("applications.breakdown", group=a.breakdown_title).rstrip("：")
                extra = _sentence(head, map(stat_text, a.breakdown))
            out.append(shares_text(a.applicants, extra))
        if a.outcomes is not None:
            out.append(shares_text(a.outcomes))
        if a.reasons:
            out.append(f"{phrase('applications.reasons_title')}：")
            out.extend(shares_text(r) for r in a.reasons)
        if a.fee:
            out.append(_sentence(phrase("applications.fee_title"), map(stat_text, a.fee)))
    if g.cases:
        out.append(section_heading("review_litigation"))
        for group in g.cases:
            chart = group.chart
            if group.parent:
                chart = attrs.evolve(chart, title=f"{group.parent} · {chart.title}")
            extra = ""
            if group.rate is not None:
                r = group.rate
                extra = phrase(
                    "text.rate",
                    percent=f"{r.percent}%",
                    corrected=r.corrected.text,
                    concluded=r.concluded.text,
                ) + phrase("text.stop")
            out.append(shares_text(chart, extra))
    if g.problems:
        out.append(section_heading("problems"))
        out.extend(_cards(g.problems))
    out.append(phrase("footer.source", title=g.source))
    if g.website:
        out.append(phrase("footer.website", website=g.website))
    return tuple(out)


def text(g: Graphic) -> str:
    """The text version as one plain-text document (UTF-8, one line per item, final newline)."""
    return "\n".join(lines(g)) + "\n"


__all__ = ["headline", "lines", "stat_text", "text"]
