"""Names: output files named after the report (safe on Windows), and agency names compared.

``北京市海淀区教育委员会2022年政府信息公开工作年度报告.pdf`` is what a coordinator
publishes; the same name must be a valid file name on Windows, macOS and Linux.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters Windows refuses in a file name, and their full-width stand-ins.
_WINDOWS_FORBIDDEN = {
    "<": "＜",
    ">": "＞",
    ":": "：",
    '"': "＂",
    "/": "／",
    "\\": "＼",
    "|": "｜",
    "?": "？",
    "*": "＊",
}
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\.|$)", re.I)
#: Longest name (in characters) given to one path component: Windows allows 255, and the
#: whole path 260 unless long paths are enabled, so a report name stays well under.
MAX_NAME = 120


def safe_filename(name: str, max_length: int = MAX_NAME) -> str:
    """``name`` as a file (or folder) name valid on Windows, macOS and Linux.

    Forbidden characters become their full-width forms (``/`` → ``／``), control
    characters are dropped, trailing dots and spaces removed, reserved device names
    (``CON``, ``NUL``…) prefixed, and the name cut to ``max_length`` characters.
    """
    out = []
    for ch in unicodedata.normalize("NFC", name):
        if ch in _WINDOWS_FORBIDDEN:
            out.append(_WINDOWS_FORBIDDEN[ch])
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            continue
        else:
            out.append(ch)
    text = "".join(out).strip().rstrip(". ")
    if not text:
        text = "未命名"
    if _RESERVED.match(text):
        text = "_" + text
    return text[:max_length].rstrip(". ") or "未命名"


_PUNCTUATION = re.compile(r"[\s\u3000·•・,，.。、:：;；()（）\[\]【】〔〕<>《》\"'“”‘’_\-—]+")


def normalise_agency(name: str) -> str:
    """An agency name for matching: NFKC, no spaces or punctuation, brackets unified.

    ``北京市 海淀区（教育）委员会`` and ``北京市海淀区(教育)委员会`` compare equal.
    """
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", name)).casefold()


__all__ = ["MAX_NAME", "normalise_agency", "safe_filename"]
