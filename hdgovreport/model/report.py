"""The whole report: metadata and the six sections of Article 50."""

from __future__ import annotations

import datetime as _dt
import functools
import operator
import re
from collections.abc import Callable
from typing import Literal

import attrs

from hdgovreport.errors import InvalidValueError
from hdgovreport.form.layout import EDITIONS, Edition
from hdgovreport.model import _fields as f
from hdgovreport.model.narrative import OtherMatters, Overview, Problems
from hdgovreport.model.settings import NO_SETTINGS, GraphicSettings
from hdgovreport.model.tables import (
    Applications,
    ProactiveDisclosure,
    ProactiveDisclosure2019,
    ReviewLitigation,
)

#: ``government``: a people's government's own report (本级政府); ``department``: any other body.
AgencyKind = Literal["government", "department"]
AGENCY_KINDS: tuple[AgencyKind, ...] = ("government", "department")

FIRST_YEAR = 2008  # the Regulations took effect on 2008-05-01
LAST_YEAR = 2100

#: Names of bodies that report at government level (Article 49: by 31 March), by their ending:
#: a people's government, and the administrative committees and zones that govern an area
#: like one (管理委员会/管委会 of a 开发区, 平潭综合实验区, 新区).
_GOVERNMENT_NAME = re.compile(
    r"(?:人民政府|管理委员会|管委会|综合实验区|实验区|新区|开发区|高新区|示范区|合作区)$"
)
#: Offices of a government are departments, though their names contain 人民政府.
_OFFICE_NAME = re.compile(r"(?:办公室|办公厅|研究室|参事室)$")


def kind_evidence(agency: str) -> tuple[AgencyKind, str]:
    """The kind a body's name suggests, and the part of the name that says so."""
    name = agency.strip()
    office = _OFFICE_NAME.search(name)
    if office:
        return "department", office.group(0)
    found = _GOVERNMENT_NAME.search(name)
    if found:
        return "government", found.group(0)
    return "department", ""


def infer_kind(agency: str) -> AgencyKind:
    """A body named as a government (人民政府, 管委会, 综合实验区, 新区…) reports as one;
    others (its offices included) as departments."""
    return kind_evidence(agency)[0]


def _year(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValueError(attribute.name, f"报告年度应为整数年份，实际为 {value!r}")
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise InvalidValueError(
            attribute.name, f"报告年度应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间，实际为 {value}"
        )


@attrs.frozen(kw_only=True)
class ReportMeta:
    """Who reports, for which year, in which format edition."""

    agency: str = attrs.field(converter=f.clean, validator=f.text)
    year: int = attrs.field(validator=_year)
    edition: Edition = attrs.field(default="2021", validator=attrs.validators.in_(EDITIONS))
    kind: AgencyKind = attrs.field(validator=attrs.validators.in_(AGENCY_KINDS))
    published: _dt.date | None = attrs.field(
        default=None, validator=attrs.validators.optional(f.instance_of(_dt.date))
    )
    website: str | None = attrs.field(
        default=None,
        converter=f.clean_optional,
        validator=attrs.validators.optional(f.text),
    )
    contact: str | None = attrs.field(
        default=None,
        converter=f.clean_optional,
        validator=attrs.validators.optional(f.text),
    )
    #: When ``kind`` was guessed rather than stated (a published report says no 机关类别):
    #: what it was guessed from, for messages.  Not part of the report's value.
    kind_basis: str = attrs.field(default="", eq=False, validator=attrs.validators.instance_of(str))

    @kind.default
    def _kind_from_name(self) -> AgencyKind:
        return infer_kind(self.agency) if isinstance(self.agency, str) else "department"

    @published.validator
    def _published_is_a_date(self, attribute: attrs.Attribute[object], value: object) -> None:
        if isinstance(value, _dt.datetime):
            raise InvalidValueError(attribute.name, "发布日期应为日期（年-月-日），不含时刻")


@attrs.frozen(kw_only=True)
class AnnualReport:
    """A yearly open-government-information report (政府信息公开工作年度报告)."""

    meta: ReportMeta = attrs.field(validator=f.instance_of(ReportMeta))
    opening: tuple[str, ...] = attrs.field(
        default=(), converter=f.paragraphs, validator=f.each_paragraph
    )
    overview: Overview = attrs.field(factory=Overview, validator=f.instance_of(Overview))
    proactive: ProactiveDisclosure | ProactiveDisclosure2019 = attrs.field(
        validator=f.instance_of(ProactiveDisclosure, ProactiveDisclosure2019)
    )
    applications: Applications = attrs.field(validator=f.instance_of(Applications))
    review_litigation: ReviewLitigation = attrs.field(validator=f.instance_of(ReviewLitigation))
    problems: Problems = attrs.field(factory=Problems, validator=f.instance_of(Problems))
    other_matters: OtherMatters = attrs.field(
        factory=OtherMatters, validator=f.instance_of(OtherMatters)
    )
    #: The data file's ``图解`` settings (graphic edition only; not part of the published report).
    graphic: GraphicSettings = attrs.field(
        default=NO_SETTINGS, validator=f.instance_of(GraphicSettings)
    )

    def __attrs_post_init__(self) -> None:
        edition = self.meta.edition
        if self.proactive.edition != edition:
            raise InvalidValueError(
                "proactive",
                f"第二部分表格为 {self.proactive.edition} 版格式，与报告格式版本 {edition} 不一致",
            )
        if self.applications.edition != edition:
            from hdgovreport.form.layout import layout, row_label

            other = row_label(layout().applications, "other_handling")
            raise InvalidValueError(
                "applications.other_handling",
                f"第三部分{other}为 {self.applications.edition} 版格式，与报告格式版本 {edition} 不一致",
            )

    @property
    def edition(self) -> Edition:
        return self.meta.edition

    @property
    def title(self) -> str:
        """The report title, e.g. ``北京市海淀区人民政府2022年政府信息公开工作年度报告``."""
        from hdgovreport.form.layout import wording

        return wording().title_for(self.meta.agency, self.meta.year)


@functools.cache
def _getter(path: str) -> Callable[[object], object]:
    return operator.attrgetter(path)


def value_at(report: object, path: str) -> object:
    """The value at a dotted field path, e.g. ``applications.total_handled.commercial``.

    The getter of each path is made once (paths are few and never change), so the
    checker's hundreds of look-ups per report cost no string splitting.
    """
    return _getter(path)(report)
