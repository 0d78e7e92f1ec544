"""Chart arithmetic and geometry for the SVG templates: shares, bars, pictograms.

Shares are rounded to one decimal by the largest-remainder method, so the
shares of one chart add up to exactly 100.0 % as printed; each printed share
is its exact value rounded down or up.  Geometry is in viewBox units and
rounded to two decimals, so the same report always gives the same SVG.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

#: Decimal places of a percentage.
PLACES = 1
_STEP = Decimal(1).scaleb(-PLACES)


def largest_remainder(values: Sequence[int], total: int) -> tuple[int, ...]:
    """``values`` apportioned into ``total`` whole units that add up to ``total`` exactly.

    Each part gets the whole units of its exact share, and the units left over
    go to the largest remainders (ties: the larger value, then the earlier one).
    Zero values get nothing; all zero gives all zero.
    """
    whole = sum(values)
    if whole <= 0:
        return tuple(0 for _ in values)
    exact = [Fraction(v * total, whole) for v in values]
    floors = [int(e) for e in exact]
    left = total - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-(exact[i] - floors[i]), -values[i], i))
    for i in order[:left]:
        floors[i] += 1
    return tuple(floors)


def percentages(values: Sequence[int]) -> tuple[Decimal, ...]:
    """Shares of ``values`` in percent to one decimal, adding up to exactly 100.0 (all 0 for no whole)."""
    tenths = largest_remainder(values, 100 * 10**PLACES)
    return tuple(Decimal(t).scaleb(-PLACES) for t in tenths)


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


def stacked(values: Sequence[int]) -> tuple[str, ...]:
    """Widths of the segments of a 100 % stacked bar, in per cent of the bar (exact, not rounded shares)."""
    whole = sum(values)
    return tuple(_n(100 * v / whole) if whole > 0 and v > 0 else "0" for v in values)


def bar_length(value: int | Decimal, scale: int | Decimal, width: float = 100.0) -> str:
    """Length of a bar for ``value`` when ``scale`` is ``width`` long; a non-zero value shows a sliver."""
    if scale <= 0 or value <= 0:
        return "0"
    return _n(max(width * float(value) / float(scale), width * 0.008))


def share_length(percent: Decimal, width: float = 100.0) -> str:
    """Length of a bar for a share: the whole track is 100 %."""
    if percent <= 0:
        return "0"
    return _n(max(width * float(percent) / 100, width * 0.008))


#: Cells of a pictogram: each stands for one per cent.
PICTOGRAM_CELLS = 100


def pictogram(values: Sequence[int]) -> tuple[int, ...]:
    """How many of the 100 cells each value fills (whole per cents, largest remainder)."""
    return largest_remainder(values, PICTOGRAM_CELLS)


#: The pictogram's grid: 20 people a row, 5 rows; a person is 10 × 14 units in a 12 × 13 cell.
PICTOGRAM_COLUMNS = 20
_CELL_W, _CELL_H = 12, 13


def _person(x: float, y: float) -> str:
    """One person, head and shoulders, as path commands (a circle is two arcs)."""
    head = f"M{_n(x + 2.6)} {_n(y + 2.6)}a2.4 2.4 0 1 0 4.8 0a2.4 2.4 0 1 0 -4.8 0z"
    body = f"M{_n(x + 1)} {_n(y + 14)}V{_n(y + 9.2)}a4 4 0 0 1 8 0V{_n(y + 14)}z"
    return head + body


def pictogram_paths(cells: Sequence[int]) -> tuple[str, ...]:
    """One SVG path per part: its people, filled row by row after the previous part's."""
    out = []
    at = 0
    for count in cells:
        people = []
        for i in range(at, at + count):
            row, col = divmod(i, PICTOGRAM_COLUMNS)
            people.append(_person(col * _CELL_W + 1, row * _CELL_H + 0.5))
        out.append("".join(people))
        at += count
    return tuple(out)
