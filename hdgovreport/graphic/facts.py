"""Short facts quoted from the narrative: never written, only cut out of the report's own text.

Section 1's cards show the clauses that carry the weightiest figures
(``实现200万条政府信息统一管理``, ``全区主动公开政府信息2万余条``), in reading
order; when a sub-section has none, the first sentence of each of its points
(``优化工作流程``).  A short clause (``参与人数100余万``) is quoted with the
clause before it, so it keeps its subject.  Section 5's cards show the first
sentence of each point or of each ``一是……二是……`` item of a paragraph.
Every quote is a substring of the paragraph it came from, and names that
paragraph's model path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from hdgovreport.model import Subsection

#: Longest quote a card shows, in characters; longer clauses are left out, never cut.
MAX_QUOTE = 40
#: A figure clause this short is quoted together with the clause before it.
SHORT_CLAUSE = 10
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
# ``千余件``, ``百余场``: a round figure written in characters, always with 余 or 多.
FIGURE = re.compile(
    r"(?:(?<![\d.])\d+(?:\.\d+)?(?:[万亿千百])?(?:余|多)?(?:[万亿])?"
    r"|(?<![\d.一二三四五六七八九十两百千万亿])[十百千万](?:余|多)[万亿]?)"
    r"(?:" + _UNITS + r")"
)
_TITLE = re.compile(r"《[^》]*》|“[^”]*”")
_SENTENCE = re.compile(r"[^。；！？!?;]+[。；！？!?;]?")
_CLAUSE = re.compile(r"[^，,：:]+")
_ENUMERATION = re.compile(r"(?:^|(?<=[。；，]))[一二三四五六七八九十]+是")
_TRIM = "。；！？!?;，,：: \u3000"
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_MULTIPLIERS = {"万": 10_000, "亿": 100_000_000, "千": 1_000, "百": 100}


@attrs.frozen
class Quote:
    """A piece of the report's text; ``figures`` are (start, end) spans to emphasise."""

    text: str
    source: str  # model path of the paragraph it was cut from
    figures: tuple[tuple[int, int], ...] = ()

    @property
    def weight(self) -> float:
        """The size of the largest figure quoted (200万 → 2 000 000); 0 without a figure."""
        return max((magnitude(self.text[a:b]) for a, b in self.figures), default=0.0)

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


def magnitude(figure: str) -> float:
    """The value a figure stands for: ``100余万`` → 1 000 000, ``千余件`` → 1000, ``12.5%`` → 12.5."""
    match = _DIGITS.search(figure)
    value, rest = (float(match.group()), figure[match.end() :]) if match else (1.0, figure)
    for ch in rest:
        value *= _MULTIPLIERS.get(ch, 1)
    return value


def figure_clauses(text: str, source: str) -> Iterator[Quote]:
    """The clauses of ``text`` that carry a figure, a short one joined to the clause before it."""
    for sentence in _sentences(text):
        clauses = [(m.start(), m.end()) for m in _CLAUSE.finditer(sentence)]
        for i, (start, end) in enumerate(clauses):
            clause = sentence[start:end].strip(_TRIM)
            if not clause or not figure_spans(clause):
                continue
            if len(clause) <= SHORT_CLAUSE and i > 0:
                joined = sentence[clauses[i - 1][0] : end].strip(_TRIM)
                if len(joined) <= MAX_QUOTE:
                    clause = joined
            if len(clause) <= MAX_QUOTE and clause in text:
                yield Quote(clause, source, figure_spans(clause))


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


def subsection_quotes(sub: Subsection, path: str) -> tuple[Quote, ...]:
    """Every figure clause of a sub-section, in reading order, each text once."""
    out: list[Quote] = []
    seen: set[str] = set()
    for text, source in _blocks(sub, path):
        for quote in figure_clauses(text, source):
            if quote.text not in seen and not any(quote.text in s for s in seen):
                # a clause already quoted inside a joined one is not quoted again
                out = [q for q in out if q.text not in quote.text]
                seen.add(quote.text)
                out.append(quote)
    return tuple(out)


def by_weight(quotes: tuple[Quote, ...], limit: int) -> tuple[Quote, ...]:
    """The ``limit`` weightiest quotes (ties: the earlier), in reading order."""
    ranked = sorted(range(len(quotes)), key=lambda i: (-quotes[i].weight, i))[:limit]
    return tuple(quotes[i] for i in sorted(ranked))


def highlight_facts(sub: Subsection, path: str) -> tuple[Quote, ...]:
    """Up to three facts for a section-1 card, in reading order.

    The weightiest figure clauses first; when there are fewer than three, the
    lead sentences of the points that gave none fill the card.
    """
    chosen = list(by_weight(subsection_quotes(sub, path), MAX_FACTS))
    used = {q.source for q in chosen}
    for text, source in _blocks(sub, path):
        if len(chosen) >= MAX_FACTS:
            break
        lead = None if source in used else lead_sentence(text, source)
        if lead is not None and lead.text not in {q.text for q in chosen}:
            chosen.append(lead)
    order = [source for _text, source in _blocks(sub, path)]
    return tuple(sorted(chosen, key=lambda q: order.index(q.source)))


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
