"""Numbers on the graphic: each one names the model paths it comes from.

A :class:`Figure` is the value at one model path or the sum of several; its
``text`` is the exact value.  :func:`public` gives the form the public reads
(``约1.97亿元`` for 19656.3836 万元); the graphic then prints the exact figure
beside it in small type.  :class:`Mismatch` is a reported total that differs
from the sum of its parts, which the graphic states in words at that total.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

import attrs

from hdgovreport.graphic import charts
from hdgovreport.graphic.wording import table
from hdgovreport.model import AnnualReport, value_at

Number = int | Decimal
#: What a figure counts: official value types (tables.yaml ``type``), plus ``year``.
Kind = Literal["count", "signed", "money", "yuan", "year"]


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
    kind: Kind = "count"

    @property
    def text(self) -> str:
        """The exact value as the report has it: ``19656.3836``, ``-3``, ``1521``."""
        if isinstance(self.value, Decimal):
            return format(self.value, "f")
        return f"{self.value:+d}" if self.kind == "signed" and self.value else str(self.value)


def figure(report: AnnualReport, *paths: str, kind: Kind = "count") -> Figure:
    """The figure at one model path, or the sum of several."""
    values = [_number(value_at(report, p)) for p in paths]
    if any(v is None for v in values):
        raise TypeError(f"not a number: {paths}")
    total: Number = sum((v for v in values if v is not None), start=0)
    return Figure(value=total, fields=tuple(paths), kind=kind)


def unit_of(kind: Kind, field: str | None = None) -> str:
    """The unit printed after a figure: 件, 项, 万元, 元 (by column where the type's unit is wrong)."""
    by_column = table("units_by_column")
    if field is not None and field in by_column:
        return by_column[field]
    return table("units")[kind]


# ---------------------------------------------------------------- numbers for the public


@attrs.frozen
class Public:
    """How the public reads a figure: ``约`` ``1.97`` ``亿元``; ``exact`` when nothing was rounded."""

    text: str  # the number: 1.97, 66739
    unit: str  # 亿元, 万件, 件
    approximate: bool  # 约: the number is rounded
    rescaled: bool  # the unit differs from the figure's own (万元 → 亿元): print the exact one too
    own: str = ""  # the figure's own unit (万元), for its exact value and last year's


_TWO = Decimal("0.01")
_ONE = Decimal("0.1")


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scaled(value: Decimal, factor: int, step: Decimal) -> tuple[str, bool]:
    shown = (value / factor).quantize(step, rounding=ROUND_HALF_UP)
    return _plain(shown), shown * factor != value


#: Counts from this size up are read in 万 (123456 件 → 约12.3万件).
COUNT_IN_WAN = 100_000
#: 万 in one 亿, and 亿 in one 万亿.
WAN_IN_YI = 10_000
#: Counts from this size up are read in 亿 (123456789 件 → 约1.23亿件); amounts in 万元
#: from this size up in 万亿元 (123456789 万元 → 约1.23万亿元), amounts in 元 in 亿元.
YI = 100_000_000


def public(fig: Figure, own: str | None = None) -> Public:
    """The figure as people read it; the exact text stays available as ``fig.text``.

    - amounts in 万元: from 1 万亿元 up in 万亿元, from 1 亿元 up in 亿元, both to two
      decimals (19656.3836 → 约1.97亿元); from 1 万元 up in 万元 to two decimals; below
      that in 元 to the fen;
    - amounts in 元: from 1 亿元 up in 亿元, from 1 万元 up in 万元, to two decimals, else
      as reported;
    - counts: from 1 亿 up in 亿 to two decimals (约1.23亿件), from 100 000 up in 万 to one
      decimal (约12.3万件), else exact.

    ``own`` is the figure's unit when it is not its kind's (项 for a 2019 item count).
    """
    units = table("units")
    own = own or unit_of(fig.kind)
    value = Decimal(fig.value)
    if fig.kind == "money":
        if value >= YI:
            text, approx = _scaled(value, YI, _TWO)
            return Public(text, units["wan_yi_yuan"], approx, True, own)
        if value >= WAN_IN_YI:
            text, approx = _scaled(value, WAN_IN_YI, _TWO)
            return Public(text, units["yi_yuan"], approx, True, own)
        if value >= 1:
            text, approx = _scaled(value, 1, _TWO)
            return Public(text, own, approx, approx, own)
        shown = (value * 10_000).quantize(_TWO, rounding=ROUND_HALF_UP)
        return Public(_plain(shown), units["yuan"], shown != value * 10_000, True, own)
    if fig.kind == "yuan" and value >= YI:
        text, approx = _scaled(value, YI, _TWO)
        return Public(text, units["yi_yuan"], approx, True, own)
    if fig.kind == "yuan" and value >= 10_000:
        text, approx = _scaled(value, 10_000, _TWO)
        return Public(text, units["money"], approx, True, own)
    if fig.kind == "count" and value >= YI:
        text, approx = _scaled(value, YI, _TWO)
        return Public(text, units["yi"] + own, approx, True, own)
    if fig.kind == "count" and value >= COUNT_IN_WAN:
        text, approx = _scaled(value, 10_000, _ONE)
        return Public(text, units["wan"] + own, approx, True, own)
    return Public(fig.text, own, False, False, own)


# ---------------------------------------------------------------- year over year


@attrs.frozen
class Change:
    """Year-over-year change of a figure (``hdgovreport graphic --previous``)."""

    direction: Literal["up", "down", "flat", "from_zero"]
    percent: str  # absolute change in percent, one decimal; "" for flat and from_zero
    previous: Figure


def change(current: Figure, previous: AnnualReport | None) -> Change | None:
    """The change from last year's value of the same fields (``None`` without one)."""
    if previous is None:
        return None
    try:
        values = [_number(value_at(previous, f)) for f in current.fields]
    except AttributeError:  # another format edition: no such field last year
        return None
    if any(v is None for v in values):
        return None
    before: Number = sum((v for v in values if v is not None), start=0)
    last = Figure(before, current.fields, "previous", current.kind)
    if before == 0:
        return Change("from_zero", "", last) if current.value else None
    if current.value == before:
        return Change("flat", "", last)
    pct = charts.change(current.value, before)
    return Change("up" if current.value > before else "down", format(abs(pct), "f"), last)


# ---------------------------------------------------------------- totals that disagree


@attrs.frozen
class Mismatch:
    """A reported total that is not the sum of its parts: both are shown, no share is computed."""

    reported: Figure
    parts: Figure  # the sum of the parts, tagged with every part's path


def mismatch(reported: Figure, parts: Figure) -> Mismatch | None:
    """``Mismatch`` when the reported total differs from the sum of its parts, else ``None``."""
    return None if reported.value == parts.value else Mismatch(reported, parts)
