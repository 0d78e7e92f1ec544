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

#: Longest curated figure and unit of a highlight, in characters.
MAX_FIGURE = 16
MAX_UNIT = 8


def _figure(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    from hdgovreport.errors import InvalidValueError
    from hdgovreport.model.values import problem_text

    problem = problem_text(value, what="数字")
    if problem is None:
        assert isinstance(value, str)
        if value[0] not in "0123456789":
            problem = f"应以阿拉伯数字开头（如 22、2.5、100余），实际为“{value}”"
        elif len(value) > MAX_FIGURE:
            problem = f"数字过长（上限 {MAX_FIGURE} 字），实际为 {len(value)} 字"
    if problem is not None:
        raise InvalidValueError(attribute.name, problem)


def _unit(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    from hdgovreport.errors import InvalidValueError
    from hdgovreport.model.values import problem_text

    problem = None if value == "" else problem_text(value, what="单位")
    if problem is None and isinstance(value, str) and len(value) > MAX_UNIT:
        problem = f"单位过长（上限 {MAX_UNIT} 字），实际为 {len(value)} 字"
    if problem is not None:
        raise InvalidValueError(attribute.name, problem)


def _figure_text(value: object) -> object:
    """Curated figures are kept as written; an int or Decimal from code becomes its plain numeral."""
    from decimal import Decimal

    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    return f.clean(value)


@attrs.frozen
class Highlight:
    """A curated highlight of a sub-section for the graphic edition: ``22`` ``条`` ``收录惠企政策``.

    ``figure`` is kept as written (``22``, ``2.5``, ``100余``); it must start with a digit.
    """

    figure: str = attrs.field(converter=_figure_text, validator=_figure)
    unit: str = attrs.field(converter=f.clean, validator=_unit)
    label: str = attrs.field(converter=f.clean, validator=f.text)


def _blocks(value: object) -> tuple[Block, ...]:
    if isinstance(value, (Point, Paragraph)):
        return (value,)
    return tuple(cast("Iterable[Block]", value))


def _highlights(value: Iterable[Highlight]) -> tuple[Highlight, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Subsection:
    """A sub-section ``（一）标题``: a title, then points and paragraphs in order.

    ``highlights`` are optional curated figures the graphic edition shows for
    this sub-section instead of the figures it finds in the text.
    """

    title: str = attrs.field(converter=f.clean, validator=f.text)
    content: tuple[Block, ...] = attrs.field(
        default=(), converter=_blocks, validator=f.each_instance_of(Point, Paragraph)
    )
    point_style: PointStyle = attrs.field(
        default="一是", validator=attrs.validators.in_(POINT_STYLES)
    )
    #: Curated highlights for the graphic edition (section 1); empty: taken from the text.
    highlights: tuple[Highlight, ...] = attrs.field(
        default=(), converter=_highlights, validator=f.each_instance_of(Highlight)
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
