"""The value printed in one table cell: a number, a blank, a number with its unit, or a label.

Published cells carry more than digits: ``1,448``, full-width ``１９６５６.３８３６``,
``251000元`` and ``25.1万元`` (the 2019 edition's procurement amount has no unit in the
form, so agencies print one), ``6个``, ``-``/``无``/``/`` for nothing.  A number is
bounded in digits before it is converted (:data:`~hdgovreport.model.values.MAX_DIGITS`),
so no published cell can make the reader fail.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation

import attrs

from hdgovreport.model.values import MAX_DIGITS
from hdgovreport.published.extract.stream import squeeze

_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_BLANKS = frozenset({"", "-", "--", "—", "——", "－", "–", "/", "／", "无", "空", "\\"})
#: Units printed after a number: money (kept, the reader converts between 元 and 万元 and
#: says so), and counting words (dropped).
MONEY_UNITS = ("万元", "元")
_COUNT_UNITS = ("人次", "件", "个", "项", "条", "次", "家", "起", "宗", "份")
_UNIT = re.compile(r"^(?P<number>.*?\d)\s*(?P<unit>" + "|".join(MONEY_UNITS + _COUNT_UNITS) + r")$")


@attrs.frozen
class CellValue:
    """A cell read as a value: the number (``None`` for a blank), its unit, the printed text."""

    number: Decimal | None
    raw: str
    unit: str = ""
    too_long: bool = False  # more digits than any cell may have: printed, but not a value


def _plain(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).strip()
    return t.replace(",", "").replace("，", "").replace(" ", "")


def parse_number(text: str) -> Decimal | None:
    """A published number (``1,448``, ``１９６５６.３８３６``), or ``None`` when the text is not one."""
    t = _plain(text)
    if not _NUMBER.match(t) or sum(c.isdigit() for c in t) > MAX_DIGITS:
        return None
    try:
        return Decimal(t)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None


def _long_number(text: str) -> bool:
    t = _plain(text)
    return bool(_NUMBER.match(t)) and sum(c.isdigit() for c in t) > MAX_DIGITS


@functools.lru_cache(maxsize=4096)
def is_blank(text: str) -> bool:
    return squeeze(text) in _BLANKS


def _with_unit(text: str) -> tuple[str, str] | None:
    m = _UNIT.match(squeeze(text))
    if m is None:
        return None
    return m.group("number"), m.group("unit")


def read_cell(text: str) -> CellValue | None:
    """The value in a cell, or ``None`` when the cell holds a label (text that is not a value)."""
    raw = text.strip()
    if is_blank(text):
        return CellValue(None, raw)
    number = parse_number(text)
    if number is not None:
        return CellValue(number, raw)
    if _long_number(text):
        return CellValue(None, raw, too_long=True)
    found = _with_unit(text)
    if found is not None:
        digits, unit = found
        number = parse_number(digits)
        if number is not None:
            return CellValue(number, raw, unit)
        if _long_number(digits):
            return CellValue(None, raw, unit, too_long=True)
    return None


def split_numbers(text: str) -> list[str] | None:
    """``"0 0 0"`` → three numbers (a text extractor ran cells together); else ``None``."""
    parts = unicodedata.normalize("NFKC", text).split()
    if len(parts) > 1 and all(parse_number(p) is not None for p in parts):
        return parts
    return None


@functools.lru_cache(maxsize=4096)
def is_value(text: str) -> bool:
    """Whether a cell holds a value (a number, with or without a unit, or several numbers)."""
    return (not is_blank(text) and read_cell(text) is not None) or split_numbers(text) is not None


@functools.lru_cache(maxsize=4096)
def is_unit_only(text: str) -> bool:
    """A cell holding only a unit (``万元``, ``单位：元``): a note on its neighbour, not a value."""
    t = squeeze(text).removeprefix("单位").lstrip(":：").strip("（）()")
    return t in MONEY_UNITS


__all__ = [
    "MONEY_UNITS",
    "CellValue",
    "is_blank",
    "is_unit_only",
    "is_value",
    "parse_number",
    "read_cell",
    "split_numbers",
]
