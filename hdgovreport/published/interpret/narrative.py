"""The narrative sections (1, 5 and 6): sub-sections, points and paragraphs.

A sub-section heading is a line numbered ``（一）`` (or ``（1）`` in order, or
marked as a level-2 heading by the format); a heading run into its paragraph
in one block (``（一）主动公开方面。有序推进…``, the way many sites print a bold
``<span>`` before the text) is split into the heading and its first paragraph.
Points are numbered ``一是`` / ``1.`` / ``（1）`` in order; anything else is a
paragraph.  Any count of sub-sections or points is read (``（一百零一）``).
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from hdgovreport.form.layout import section_order
from hdgovreport.form.numbering import chinese_numeral, parse_chinese_numeral, point
from hdgovreport.model import Paragraph, Point, PointStyle, Subsection
from hdgovreport.published.extract.stream import TableBlock, TextBlock, clean_text
from hdgovreport.published.interpret.result import Trail
from hdgovreport.published.interpret.sections import Section

_CN = "一二三四五六七八九十百零〇"
_POINT_PREFIX = re.compile(
    rf"^(?:(?P<cn>[{_CN}]+)是|(?P<dot>\d+)[.．、](?!\d)|[（(](?P<par>\d+)[）)])"
)
_SUB_PREFIX = re.compile(rf"^[（(](?P<cn>[{_CN}]+|\d+)[）)][、.．]?")
#: A sub-section heading run into its text: a short phrase, then 。/：, then the text.
_RUN_IN = re.compile(r"^(?P<head>[^。：:；;，,]{2,30}?)(?P<sep>[。：:．])(?P<rest>\S.*)$")
#: The longest sub-section heading printed on a line of its own.
MAX_SUBHEADING = 40


def _numeral(text: str) -> int:
    if text.isdigit():
        return int(text) if len(text) < 6 else 0
    return parse_chinese_numeral(text) or 0


@attrs.define
class _Sub:
    title: str
    content: list[Paragraph | Point] = attrs.Factory(list)
    style: PointStyle | None = None
    n: int = 0


@attrs.frozen
class _Kind:
    kind: str  # heading / point / paragraph
    number: int | None = None
    body: str = ""
    prefix: str = ""
    rest: str = ""  # a paragraph run in after a heading


def _sub_heading(block: TextBlock, subs: list[_Sub]) -> _Kind | None:
    text = block.text
    sub = subs[-1] if subs else None
    m = _SUB_PREFIX.match(text)
    if block.hint != "h2" and m is None:
        return None
    number = _numeral(m.group("cn")) if m else None
    body = clean_text(text[m.end() :]) if m else text
    prefix = m.group(0) if m else ""
    if block.hint == "h2":
        return _Kind("heading", number, body, prefix)
    assert m is not None
    arabic = m.group("cn").isdigit()
    is_next_point = arabic and sub is not None and sub.style == "（1）" and number == sub.n + 1
    if is_next_point or not body:
        return None
    heading_like = len(body) <= MAX_SUBHEADING and not re.search(r"[。；;]", body[:-1])
    in_order = number == len(subs) + 1
    if heading_like and (not arabic or in_order):
        return _Kind("heading", number, body, prefix)
    run_in = _RUN_IN.match(body)
    if run_in and (in_order or not arabic):
        return _Kind("heading", number, run_in.group("head"), prefix, run_in.group("rest").strip())
    if not arabic and not re.search(r"[。；;]", body[:-1]):
        return _Kind("heading", number, body, prefix)  # a long title on its own line
    return None


def _point(block: TextBlock, sub: _Sub | None, following: str, trail: Trail) -> _Kind:
    text = block.text
    if sub is None:
        return _Kind("paragraph", body=text)
    p = _POINT_PREFIX.match(text)
    if p is None:
        return _Kind("paragraph", body=text)
    style: PointStyle
    if p.group("cn"):
        style, n = "一是", _numeral(p.group("cn"))
    elif p.group("dot"):
        style, n = "1.", _numeral(p.group("dot"))
    else:
        style, n = "（1）", _numeral(p.group("par"))
    body = text[p.end() :]
    if not clean_text(body) or n < 1:
        return _Kind("paragraph", body=text)
    if sub.style is None:
        if n != 1:
            return _Kind("paragraph", body=text)
        if style == "一是" and "二是" in body and not _POINT_PREFIX.match(following):
            return _Kind("paragraph", body=text)  # 一是……二是……三是 in one paragraph
        sub.style = style
    elif style != sub.style:
        return _Kind("paragraph", body=text)
    expected = sub.n + 1
    if n != expected:
        if style != "一是":
            return _Kind("paragraph", body=text)
        trail.note(
            f"要点编号“{text[: p.end()]}”与顺序不符，应为“{point(expected, style)}”", block.source
        )
    if text[: p.end()] != point(n, style):
        trail.note(
            f"要点编号写作“{text[: p.end()]}”，应为“{point(n, style)}”", block.source, "info"
        )
    sub.n = expected
    return _Kind("point", n, clean_text(body), text[: p.end()])


def narrative(section: Section, cls: type[Any]) -> tuple[Any, Trail]:
    """A narrative section as the model's ``cls`` (Overview, Problems, OtherMatters)."""
    trail = Trail()
    attr = section.attr
    intro: list[str] = []
    subs: list[_Sub] = []
    blocks = [b for b in section.blocks if isinstance(b, TextBlock)]
    if any(isinstance(b, TableBlock) for b in section.blocks):
        trail.note(f"第{chinese_numeral(section_order().index(attr) + 1)}部分中的表格未读入")
    for i, block in enumerate(blocks):
        following = blocks[i + 1].text if i + 1 < len(blocks) else ""
        kind = _sub_heading(block, subs)
        if kind is not None:
            _heading(kind, block, subs, attr, trail)
            if kind.rest:
                where = f"{attr}.subsections.{len(subs) - 1}.content.0"
                trail.sources[where] = block.source
                subs[-1].content.append(Paragraph(kind.rest))
                trail.note(f"小节标题“{kind.body}”与正文连写在一段中，已分开", block.source, "info")
            continue
        if not subs:
            trail.sources[f"{attr}.intro.{len(intro)}"] = block.source
            intro.append(block.text)
            continue
        sub = subs[-1]
        trail.sources[f"{attr}.subsections.{len(subs) - 1}.content.{len(sub.content)}"] = (
            block.source
        )
        found = _point(block, sub, following, trail)
        sub.content.append(Point(found.body) if found.kind == "point" else Paragraph(block.text))
    subsections = [
        Subsection(
            title=sub.title or "（无标题）",
            content=tuple(sub.content),
            point_style=sub.style or "一是",
        )
        for sub in subs
    ]
    return cls(intro=tuple(intro), subsections=tuple(subsections)), trail


def _heading(kind: _Kind, block: TextBlock, subs: list[_Sub], attr: str, trail: Trail) -> None:
    expected = len(subs) + 1
    right = f"（{chinese_numeral(expected)}）"
    if kind.number is not None and kind.number != expected:
        trail.note(
            f"小节编号“{kind.prefix}”与顺序不符：这是第{expected}个小节，应为“{right}”",
            block.source,
        )
    elif kind.prefix and kind.prefix != right:
        trail.note(f"小节编号写作“{kind.prefix}”，应为“{right}”", block.source)
    path = f"{attr}.subsections.{len(subs)}"
    trail.sources[f"{path}.title"] = block.source
    trail.sources[path] = block.source
    subs.append(_Sub(kind.body))


__all__ = ["narrative"]
