"""Chart arithmetic and geometry for the SVG templates: shares, donut arcs, stacked bars.

Percentages are rounded half up to one decimal, each on its own, so a chart's
shares add up to 100 % within rounding.  Coordinates are
rounded to two decimals, so the same report always gives the same SVG.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import attrs

#: Decimal places of a percentage.
PLACES = 1
_STEP = Decimal(1).scaleb(-PLACES)


def percentages(values: Sequence[int]) -> tuple[Decimal, ...]:
    """Shares of ``values`` in percent, each rounded half up to one decimal (all 0 for no whole).

    Each share is individually correct (60 of 1521 is 3.9 %), so the shares add up to
    100 % within rounding: at most 0.05 % per share away from exactly 100.
    """
    whole = sum(values)
    if whole <= 0:
        return tuple(Decimal(0) for _ in values)
    return tuple(rate(v, whole) for v in values)


def rate(part: int, whole: int) -> Decimal:
    """``part / whole`` in percent, one decimal, rounded half up (``whole`` must be positive)."""
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_STEP, rounding=ROUND_HALF_UP)


def change(current: int | Decimal, previous: int | Decimal) -> Decimal:
    """Relative change from ``previous`` (non-zero) to ``current`` in percent, one decimal."""
    diff = (Decimal(current) - Decimal(previous)) * 100 / abs(Decimal(previous))
    return diff.quantize(_STEP, rounding=ROUND_HALF_UP)


def _n(x: float) -> str:
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@attrs.frozen
class Arc:
    """One slice of a donut: an SVG path, or a full ring when it is the only slice."""

    path: str
    full: bool = False


def donut(
    values: Sequence[int], *, cx: float, cy: float, outer: float, inner: float
) -> tuple[Arc, ...]:
    """Annular sectors for ``values``, clockwise from twelve o'clock; zero values get an empty path."""
    whole = sum(values)
    arcs: list[Arc] = []
    if whole <= 0:
        return tuple(Arc("") for _ in values)
    nonzero = [v for v in values if v > 0]
    angle = 0.0
    for v in values:
        if v <= 0:
            arcs.append(Arc(""))
            continue
        if len(nonzero) == 1:
            arcs.append(Arc("", full=True))
            continue
        sweep = 2 * math.pi * v / whole
        a0, a1 = angle, angle + sweep
        angle = a1
        large = 1 if sweep > math.pi else 0

        def point(r: float, a: float) -> str:
            return f"{_n(cx + r * math.sin(a))} {_n(cy - r * math.cos(a))}"

        arcs.append(
            Arc(
                f"M{point(outer, a0)} A{_n(outer)} {_n(outer)} 0 {large} 1 {point(outer, a1)} "
                f"L{point(inner, a1)} A{_n(inner)} {_n(inner)} 0 {large} 0 {point(inner, a0)} Z"
            )
        )
    return tuple(arcs)


@attrs.frozen
class Segment:
    """One segment of a horizontal stacked bar, in viewBox units."""

    x: str
    width: str


def stacked(values: Sequence[int], width: float, *, gap: float = 0.0) -> tuple[Segment, ...]:
    """Segments of a 100 % stacked bar ``width`` wide; zero values get zero width."""
    whole = sum(values)
    shown = sum(1 for v in values if v > 0)
    usable = width - gap * max(shown - 1, 0)
    x = 0.0
    out: list[Segment] = []
    for v in values:
        w = usable * v / whole if whole > 0 and v > 0 else 0.0
        out.append(Segment(_n(x), _n(w)))
        if w:
            x += w + gap
    return tuple(out)


def bar_width(value: int | Decimal, largest: int | Decimal, width: float) -> str:
    """Length of a bar for ``value`` when the largest bar is ``width`` long (at least a sliver)."""
    if largest <= 0 or value <= 0:
        return "0"
    return _n(max(width * float(value) / float(largest), width * 0.01))
