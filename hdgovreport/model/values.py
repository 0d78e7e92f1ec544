"""Value rules shared by the model, the builders, the data file and the checker.

Each ``problem_*`` function returns ``None`` for a valid value, or a Chinese
sentence saying what is wrong; callers attach the field and the place.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from hdgovreport.form.layout import ValueType

#: Largest count a cell may hold (a sanity bound: no agency decides a billion cases a year).
MAX_COUNT = 999_999_999
#: Largest amount in 万元 / 元 a cell may hold.
MAX_AMOUNT = Decimal("999999999999")
#: Decimal places allowed for an amount in 万元 (6 places = 0.01 yuan, one fen) and in 元 (fen).
MONEY_PLACES = 6
YUAN_PLACES = 2
#: Longest paragraph or title, in characters.
MAX_TEXT = 20_000


def describe(value: Any) -> str:
    """How a wrong value is quoted back to the user."""
    if isinstance(value, bool):
        return f"布尔值 {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return f"文本“{shown}”"
    if isinstance(value, float):
        return f"小数 {value!r}"
    if value is None:
        return "空值"
    if isinstance(value, (int, Decimal)):
        return str(value)
    return f"{type(value).__name__} 类型的值"


def problem_count(value: Any) -> str | None:
    """A count: a non-negative integer (not a bool, not a float)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return f"应为非负整数，实际为{describe(value)}"
    if value < 0:
        return f"不能为负数，实际为 {value}"
    if value > MAX_COUNT:
        return f"数值过大（上限 {MAX_COUNT}），实际为 {value}"
    return None


def problem_signed(value: Any) -> str | None:
    """A signed integer (2019 edition ``本年增/减``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return f"应为整数，实际为{describe(value)}"
    if abs(value) > MAX_COUNT:
        return f"数值过大（上限 {MAX_COUNT}），实际为 {value}"
    return None


def _problem_amount(value: Any, places: int, unit: str) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        hint = (
            "（小数请写成文本或不带引号的十进制数，不能用浮点数）"
            if isinstance(value, float)
            else ""
        )
        return f"应为以{unit}为单位的非负金额，实际为{describe(value)}{hint}"
    amount = Decimal(value)
    if not amount.is_finite():
        return f"应为有限的金额，实际为 {value}"
    if amount < 0:
        return f"金额不能为负数，实际为 {value}"
    if amount > MAX_AMOUNT:
        return f"金额过大（上限 {MAX_AMOUNT}），实际为 {value}"
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        return f"以{unit}为单位时最多保留 {places} 位小数，实际为 {value}"
    return None


def problem_money(value: Any) -> str | None:
    """An amount in 万元 with at most 6 decimals (one fen)."""
    return _problem_amount(value, MONEY_PLACES, "万元")


def problem_yuan(value: Any) -> str | None:
    """An amount in 元 with at most 2 decimals (fen)."""
    return _problem_amount(value, YUAN_PLACES, "元")


PROBLEMS = {
    "count": problem_count,
    "signed": problem_signed,
    "money": problem_money,
    "yuan": problem_yuan,
}


def problem_value(kind: ValueType, value: Any) -> str | None:
    return PROBLEMS[kind](value)


def parse_decimal(text: str) -> Decimal | None:
    """Parse a plain decimal numeral (``19656.3836``); ``None`` if it is not one."""
    cleaned = text.strip()
    if not cleaned or any(c not in "0123456789.+-" for c in cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def problem_text(value: Any, *, what: str = "文本") -> str | None:
    """One paragraph or title: non-empty, one line, no control characters, bounded length."""
    if not isinstance(value, str):
        return f"应为{what}，实际为{describe(value)}"
    if not value.strip():
        return f"{what}不能为空"
    if len(value) > MAX_TEXT:
        return f"{what}过长（上限 {MAX_TEXT} 字），实际为 {len(value)} 字"
    for i, ch in enumerate(value):
        if ch in "\n\r\u2028\u2029":
            return f"{what}中不能换行，请把每段写成单独的一项（第 {i + 1} 个字符处）"
        if unicodedata.category(ch) in ("Cc", "Cs") and ch != "\t":
            return f"{what}中含有控制字符 U+{ord(ch):04X}（第 {i + 1} 个字符处）"
    return None


def clean_text(value: str) -> str:
    """Strip layout whitespace (ASCII, full-width and non-breaking spaces, tabs) around text."""
    return value.strip(" \t\u3000\u00a0")
