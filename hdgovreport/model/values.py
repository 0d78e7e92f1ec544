"""Value rules shared by the model, the builders, the data file and the checker.

Each ``problem_*`` function returns ``None`` for a valid value, or a Chinese
sentence saying what is wrong; callers attach the field and the place.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

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


#: Most digits a number typed as text may have before it is converted (Python refuses to
#: convert more than 4,300 digits; no table cell needs more than a dozen).
MAX_DIGITS = 30

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋，", "0123456789.-+,")
_SEPARATORS = ",，'’ _\u3000\u00a0"


@attrs.frozen
class NumberProblem:
    """A number typed as text that is not a valid value: what is wrong, and what was meant."""

    message: str
    suggestion: str | None = None  # the value the user probably meant, as text


def parse_number_text(
    kind: ValueType, text: str
) -> tuple[int | Decimal | None, NumberProblem | None]:
    """A number typed as text (a web-form input, a workbook cell typed as text, a published cell).

    Returns ``(value, None)`` for a valid value of ``kind``, else ``(None, problem)`` with a
    Chinese message and, where the intent is clear, the suggested value: ``１２`` (full-width
    digits), ``1,520`` (a thousands separator), ``十二`` (a Chinese numeral).  Used by every
    input path, so the same mistake gets the same message everywhere.
    """
    from hdgovreport.form.numbering import parse_chinese_numeral

    raw = text.strip(" \t\u3000\u00a0")
    integer = kind in ("count", "signed")
    word = {
        "count": "非负整数",
        "signed": "整数",
        "money": "以万元为单位的金额",
        "yuan": "以元为单位的金额",
    }[kind]
    if not raw:
        return None, NumberProblem(f"不能为空，应为{word}（没有就填 0）", "0")
    if sum(c.isdigit() for c in raw) > MAX_DIGITS:
        return None, NumberProblem(f"数字位数过多（上限 {MAX_DIGITS} 位），应为{word}")
    if _plain_number(raw, integer):
        value: int | Decimal = int(raw) if integer else Decimal(raw)
        problem = problem_value(kind, value)
        return (value, None) if problem is None else (None, NumberProblem(problem))
    if integer and _plain_number(raw, False) and "." in raw:
        return None, NumberProblem(f"应为{word}，实际为小数 {raw}")
    normalised = raw.translate(_FULL_WIDTH)
    if normalised != raw and _plain_number(normalised, integer):
        return None, NumberProblem(f"“{raw}”是全角数字，应为 {normalised}", normalised)
    unseparated = normalised
    for sep in _SEPARATORS:
        unseparated = unseparated.replace(sep, "")
    if unseparated != normalised and _plain_number(unseparated, integer):
        return None, NumberProblem(f"“{raw}”含有千位分隔符或空格，应为 {unseparated}", unseparated)
    numeral = parse_chinese_numeral(raw)
    if numeral is not None:
        return None, NumberProblem(f"“{raw}”是汉字数字，应为 {numeral}", str(numeral))
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    return None, NumberProblem(f"应为{word}，实际为文本“{shown}”")


def _plain_number(text: str, integer: bool) -> bool:
    """ASCII digits with an optional sign (and, unless ``integer``, one decimal point)."""
    body = text[1:] if text[:1] in "+-" else text
    if integer:
        return body.isascii() and body.isdigit()
    whole, _dot, frac = body.partition(".")
    return bool(whole or frac) and all(
        p == "" or (p.isascii() and p.isdigit()) for p in (whole, frac)
    )
