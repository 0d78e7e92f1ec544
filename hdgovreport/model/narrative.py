"""Narrative sections (1, 5 and 6): sub-sections of numbered points and paragraphs.

Numbering (``（一）`` for sub-sections, ``一是`` / ``1.`` / ``（1）`` for points)
is never stored: it is generated when a report is rendered.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, cast

import attrs

from hdgovreport.model import _fields as f
from hdgovreport.model.tables import NO_FEES, FeeFigures

#: How the points of a sub-section are numbered: ``一是…二是…``, ``1.`` or ``（1）``.
PointStyle = Literal["一是", "1.", "（1）"]
POINT_STYLES: tuple[PointStyle, ...] = ("一是", "1.", "（1）")


@attrs.frozen
class Point:
    """A numbered point (``一是……``); the text is stored without its number."""

    text: str = attrs.field(converter=f.clean, validator=f.text)


@attrs.frozen
class Paragraph:
    """A plain paragraph, printed as written."""

    text: str = attrs.field(converter=f.clean, validator=f.text)


Block = Point | Paragraph


def _blocks(value: object) -> tuple[Block, ...]:
    if isinstance(value, (Point, Paragraph)):
        return (value,)
    return tuple(cast("Iterable[Block]", value))


@attrs.frozen(kw_only=True)
class Subsection:
    """A sub-section ``（一）标题``: a title, then points and paragraphs in order."""

    title: str = attrs.field(converter=f.clean, validator=f.text)
    content: tuple[Block, ...] = attrs.field(
        default=(), converter=_blocks, validator=f.each_instance_of(Point, Paragraph)
    )
    point_style: PointStyle = attrs.field(
        default="一是", validator=attrs.validators.in_(POINT_STYLES)
    )

    @property
    def points(self) -> tuple[Point, ...]:
        return tuple(b for b in self.content if isinstance(b, Point))


def _subsections(value: Iterable[Subsection]) -> tuple[Subsection, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Narrative:
    """A narrative section: opening paragraphs, then sub-sections."""

    intro: tuple[str, ...] = attrs.field(
        default=(), converter=f.paragraphs, validator=f.each_paragraph
    )
    subsections: tuple[Subsection, ...] = attrs.field(
        default=(), converter=_subsections, validator=f.each_instance_of(Subsection)
    )

    def texts(self) -> tuple[str, ...]:
        """Every paragraph, title and point of the section, in reading order."""
        out: list[str] = list(self.intro)
        for sub in self.subsections:
            out.append(sub.title)
            out.extend(block.text for block in sub.content)
        return tuple(out)

    @property
    def is_empty(self) -> bool:
        return not self.intro and not self.subsections


@attrs.frozen(kw_only=True)
class Overview(Narrative):
    """Section 1, 总体情况: 主动公开, 依申请公开, 政府信息管理, 平台建设, 监督保障."""


@attrs.frozen(kw_only=True)
class Problems(Narrative):
    """Section 5: the main problems and how they were (or will be) fixed."""


@attrs.frozen(kw_only=True)
class OtherMatters(Narrative):
    """Section 6: other matters, including the information-processing fee figures."""

    fee: FeeFigures = attrs.field(default=NO_FEES, validator=f.instance_of(FeeFigures))
