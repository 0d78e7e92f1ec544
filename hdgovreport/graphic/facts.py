"""Short facts quoted from the narrative: never written, only cut out of the report's own text.

Section 1's cards show clauses that carry a figure (``专栏共收录惠企政策22条``);
when a sub-section has none, the first sentence of each of its points
(``优化工作流程``).  Section 5's cards show the first sentence of each point
or of each ``一是……二是……`` item of a paragraph.  Every quote is a substring of
the paragraph it came from, and names that paragraph's model path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from hdgovreport.model import Subsection

#: Longest quote a card shows, in characters; longer clauses are left out, never cut.
MAX_QUOTE = 36
#: Facts per card.
MAX_FACTS = 3
#: Items per section-5 card.
MAX_ITEMS = 5

# A figure with its unit: 22条, 3个方面, 47项, 200万条, 60余家, 100余万, 3万, 12.5%.
# Dates (2022年, 3月) are not figures: 年, 月, 日 are not units here.
_UNITS = (
    "个百分点|人次|场次|%|％|条|项|件|场|期|册|份|个|次|家|类|篇|批|例|名|人|户|所|部|本|张|"
    "套|台|辆|处|栏|种|万|亿"
)
FIGURE = re.compile(
    r"(?<![\d.])\d+(?:\.\d+)?(?:[万亿千百])?(?:余|多)?(?:[万亿])?(?:" + _UNITS + r")"
)
_TITLE = re.compile(r"《[^》]*》|“[^”]*”")
_SENTENCE = re.compile(r"[^。；！？!?;]+[。；！？!?;]?")
_CLAUSE = re.compile(r"[^，,：:]+")
_ENUMERATION = re.compile(r"(?:^|(?<=[。；，]))[一二三四五六七八九十]+是")
_TRIM = "。；！？!?;，,：: \u3000"


@attrs.frozen
class Quote:
    """A piece of the report's text; ``figures`` are (start, end) spans to emphasise."""

    text: str
    source: str  # model path of the paragraph it was cut from
    figures: tuple[tuple[int, int], ...] = ()

    def parts(self) -> tuple[tuple[str, bool], ...]:
        """The text split into (piece, is_figure) runs, in order."""
        out: list[tuple[str, bool]] = []
        at = 0
        for start, end in self.figures:
            if start > at:
                out.append((self.text[at:start], False))
            out.append((self.text[start:end], True))
            at = end
        if at < len(self.text):
            out.append((self.text[at:], False))
        return tuple(out)


def _sentences(text: str) -> Iterator[str]:
    for match in _SENTENCE.finditer(text):
        sentence = match.group().strip(_TRIM)
        if sentence:
            yield sentence


def figure_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of figures with units in ``text``, leaving out any inside 《书名》 or “引号”."""
    hidden = [m.span() for m in _TITLE.finditer(text)]
    return tuple(
        m.span() for m in FIGURE.finditer(text) if not any(a <= m.start() < b for a, b in hidden)
    )


def _figure_clauses(text: str, source: str) -> Iterator[Quote]:
    for sentence in _sentences(text):
        for match in _CLAUSE.finditer(sentence):
            clause = match.group().strip(_TRIM)
            if not clause or len(clause) > MAX_QUOTE:
                continue
            spans = figure_spans(clause)
            if spans:
                yield Quote(clause, source, spans)


def lead_sentence(text: str, source: str) -> Quote | None:
    """The first sentence of ``text`` (or its first clause when the sentence is long)."""
    first = next(_sentences(text), "")
    if len(first) > MAX_QUOTE:
        first = next((c.strip(_TRIM) for c in _CLAUSE.findall(first)), "")
    if not first or len(first) > MAX_QUOTE:
        return None
    return Quote(first, source)


def _blocks(sub: Subsection, path: str) -> Iterator[tuple[str, str]]:
    for b, block in enumerate(sub.content):
        yield block.text, f"{path}.content.{b}"


def highlight_facts(sub: Subsection, path: str) -> tuple[Quote, ...]:
    """Up to three facts for a section-1 card: figure clauses, one per point first, else lead sentences."""
    per_block = [list(_figure_clauses(text, source)) for text, source in _blocks(sub, path)]
    chosen: list[Quote] = []
    depth = 0
    while len(chosen) < MAX_FACTS and any(len(q) > depth for q in per_block):
        for quotes in per_block:
            if len(quotes) > depth and len(chosen) < MAX_FACTS:
                candidate = quotes[depth]
                if candidate.text not in {q.text for q in chosen}:
                    chosen.append(candidate)
        depth += 1
    if chosen:
        return tuple(chosen)
    leads = (lead_sentence(text, source) for text, source in _blocks(sub, path))
    return tuple(q for q in leads if q is not None)[:MAX_FACTS]


def _items(text: str, source: str) -> Iterator[Quote]:
    """``一是A。二是B。`` → lead sentences of A and B; any other paragraph → its lead sentence."""
    marks = list(_ENUMERATION.finditer(text))
    if len(marks) < 2:
        quote = lead_sentence(text, source)
        if quote is not None:
            yield quote
        return
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        quote = lead_sentence(text[mark.end() : end], source)
        if quote is not None:
            yield quote


def card_items(sub: Subsection, path: str) -> tuple[Quote, ...]:
    """The short items of a section-5 card, in reading order."""
    out: list[Quote] = []
    for text, source in _blocks(sub, path):
        out.extend(_items(text, source))
    return tuple(out[:MAX_ITEMS])
