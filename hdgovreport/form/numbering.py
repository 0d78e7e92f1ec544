"""Generated numbering: ``一、``, ``（一）``, ``一是``, ``1.``, ``（1）``.

Numbering is never typed by hand in a data file; every renderer asks this
module, so the HTML, PDF, DOCX and graphic editions number alike.
"""

from __future__ import annotations

import re

_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))
#: Characters of a Chinese numeral as numbering uses it (一 … 九千九百九十九, with 零 and 〇).
NUMERAL_CHARS = "零〇一二两三四五六七八九十百千"
#: Largest number :func:`chinese_numeral` writes (no report has ten thousand sub-sections).
MAX_NUMERAL = 9999


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 100 → 一百, 101 → 一百零一, 110 → 一百一十.

    Covers 1 ≤ n ≤ :data:`MAX_NUMERAL`; larger numbers fall back to Arabic digits.
    """
    if n < 1:
        raise ValueError(f"numbering starts at 1, not {n}")
    if n > MAX_NUMERAL:
        return str(n)
    if 10 <= n < 20:  # 十, 十二: the leading 一 is not written below twenty
        return "十" + (_DIGITS[n - 10] if n > 10 else "")
    out: list[str] = []
    rest = n
    zero = False
    for value, unit in _UNITS:
        digit, rest = divmod(rest, value)
        if digit:
            if zero:
                out.append("零")
                zero = False
            out.append(_DIGITS[digit] + unit)
        elif out:
            zero = True
    if rest:
        if zero:
            out.append("零")
        out.append(_DIGITS[rest])
    return "".join(out)


def parse_chinese_numeral(text: str) -> int | None:
    """``十二`` → 12, ``一百零一`` → 101, ``二〇二三`` → 2023 (digit by digit); ``None`` if not one."""
    text = text.strip()
    if not text or any(c not in NUMERAL_CHARS for c in text):
        return None
    digits = {c: i for i, c in enumerate(_DIGITS)} | {"〇": 0, "两": 2}
    if not any(c in "十百千" for c in text):  # read digit by digit: 二〇二三
        return int("".join(str(digits[c]) for c in text))
    units = {u: v for v, u in _UNITS}
    total = 0
    digit: int | None = None
    last_unit = 10_000
    for c in text:
        if c in units:
            value = units[c]
            if value >= last_unit:
                return None
            total += (1 if digit is None else digit) * value
            digit = None
            last_unit = value
        else:
            if digit is not None and digits[c] != 0:
                return None  # two digits in a row: 一二百
            digit = digits[c] if digits[c] else None
    if digit is not None:
        total += digit
    return total


def level1(n: int) -> str:
    """Section heading number: ``一、``."""
    return f"{chinese_numeral(n)}、"


def level2(n: int) -> str:
    """Sub-section number: ``（一）``."""
    return f"（{chinese_numeral(n)}）"


def point(n: int, style: str = "一是") -> str:
    """Point number in the given style: ``一是`` / ``1.`` / ``（1）``."""
    if style == "一是":
        return f"{chinese_numeral(n)}是"
    if style == "1.":
        return f"{n}."
    if style == "（1）":
        return f"（{n}）"
    raise ValueError(f"unknown point style {style!r}")


#: Any hand-typed number at the start of a title or point (一、 （一） （4） 1. 1、 一是 第一，…).
HAND_NUMBERING = re.compile(
    r"^\s*(?:"
    r"[一二三四五六七八九十百千零〇]+[、是．.]"
    r"|[（(][一二三四五六七八九十百千零〇\d]+[）)]"
    r"|\d+\s*[、.．]"
    r"|第[一二三四五六七八九十百千零〇]+[，,、]"
    r")"
)


def hand_numbering(text: str) -> str | None:
    """The hand-typed number a text starts with, or ``None``."""
    match = HAND_NUMBERING.match(text)
    return match.group(0).strip() if match else None
