"""Generated numbering: ``一、``, ``（一）``, ``一是``, ``1.``, ``（1）``.

Numbering is never typed by hand in a data file; every renderer asks this
module, so the HTML, PDF, DOCX and graphic editions number alike.
"""

from __future__ import annotations

import re

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (1 ≤ n ≤ 99)."""
    if not 1 <= n <= 99:
        raise ValueError(f"numbering supports 1..99, not {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


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
    r"[一二三四五六七八九十]+[、是．.]"
    r"|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d+\s*[、.．]"
    r"|第[一二三四五六七八九十]+[，,、]"
    r")"
)


def hand_numbering(text: str) -> str | None:
    """The hand-typed number a text starts with, or ``None``."""
    match = HAND_NUMBERING.match(text)
    return match.group(0).strip() if match else None
