"""Typed builders: the friendly way to make a report from a Python script.

Keyword arguments are named after the rows and columns (English field names;
the official labels are in ``docs/fields.md``).  A cell you leave out is 0, a
total you leave out is computed, and a total you give is kept as given, so
the checker can tell you when it is wrong.  The first invalid value (negative,
wrong type, unknown name) raises :class:`BuildError` naming the field, its
official label and what was expected.

    >>> from hdgovreport import ReportBuilder
    >>> rb = ReportBuilder(agency="某市某区人民政府", year=2023)
    >>> rb.applications.set(new_received={"natural_person": 12, "commercial": 3})
    ApplicationsBuilder(...)
"""

from __future__ import annotations

import datetime as _dt
import difflib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar, TypedDict

from typing_extensions import Self, Unpack

from hdgovreport.errors import BuildError, InvalidValueError
from hdgovreport.form import queries
from hdgovreport.form.layout import Edition, cells, wording
from hdgovreport.model import (
    AgencyKind,
    AnnualReport,
    ApplicantCounts,
    Applications,
    Block,
    CaseOutcomes,
    FeeFigures,
    Highlight,
    OtherMatters,
    Overview,
    Paragraph,
    Point,
    PointStyle,
    ProactiveDisclosure,
    ProactiveDisclosure2019,
    Problems,
    ReportMeta,
    ReviewLitigation,
    Subsection,
)
from hdgovreport.model import tables as T
from hdgovreport.model import values as V


def _where(path: str) -> str:
    """Official labels of a model path, for messages (``表3 一、本年新收… · 自然人``)."""
    for edition in ("2021", "2019"):
        for cell in cells(edition):
            if cell.path == path:
                return " · ".join(p for p in (cell.table, cell.row, cell.column) if p)
    return ""


def _reject_unknown(given: Iterable[str], known: Sequence[str], path: str) -> None:
    for name in given:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"，是否应为 {close[0]!r}？" if close else ""
            raise BuildError(
                f"{path}.{name}" if path else name,
                f"没有名为 {name!r} 的项{hint}可用：{', '.join(known)}",
            )


def _check(path: str, kind: str, value: Any) -> Any:
    if kind in ("money", "yuan") and isinstance(value, str):
        parsed = V.parse_decimal(value)
        if parsed is None:
            raise BuildError(path, f"应为金额，实际为文本“{value}”", _where(path))
        value = parsed
    problem = V.problem_value(kind, value)  # type: ignore[arg-type]
    if problem is not None:
        raise BuildError(path, problem, _where(path))
    return Decimal(value) if kind in ("money", "yuan") else value


# ---------------------------------------------------------------- keyword shapes


class CountsKw(TypedDict, total=False):
    """A row of Table 3 by applicant type; ``total`` is computed when omitted."""

    natural_person: int
    commercial: int
    research: int
    public_interest: int
    legal_services: int
    other: int
    total: int


class OutcomesKw(TypedDict, total=False):
    """A group of Table 4; ``total`` is computed when omitted."""

    upheld: int
    corrected: int
    other: int
    pending: int
    total: int


class DocumentsKw(TypedDict, total=False):
    """A row of block 第二十条第（一）项 (2021 edition)."""

    issued: int
    repealed: int
    in_force: int


RowValue = CountsKw | ApplicantCounts | Mapping[str, int]
GroupValue = OutcomesKw | CaseOutcomes | Mapping[str, int]


class ApplicationRowsKw(TypedDict, total=False):
    """Table 3 rows by field name."""

    new_received: RowValue
    carried_over: RowValue
    granted: RowValue
    partially_granted: RowValue
    withheld_state_secret: RowValue
    withheld_other_laws: RowValue
    withheld_three_safeties: RowValue
    withheld_third_party: RowValue
    withheld_internal_affairs: RowValue
    withheld_process_info: RowValue
    withheld_enforcement_files: RowValue
    withheld_inquiry: RowValue
    unavailable_not_held: RowValue
    unavailable_needs_creation: RowValue
    unavailable_unclear: RowValue
    not_processed_petition: RowValue
    not_processed_repeat: RowValue
    not_processed_publication: RowValue
    not_processed_abusive: RowValue
    not_processed_confirmation: RowValue
    other_no_correction: RowValue
    other_fee_unpaid: RowValue
    other_misc: RowValue
    other_handling: RowValue
    total_handled: RowValue
    carried_forward: RowValue


class ReviewGroupsKw(TypedDict, total=False):
    """Table 4 groups by field name."""

    reconsideration: GroupValue
    litigation_direct: GroupValue
    litigation_after_review: GroupValue


# ---------------------------------------------------------------- rows


def counts(path: str, value: RowValue) -> ApplicantCounts:
    """A Table 3 row from keywords, checking each cell; total computed when omitted."""
    if isinstance(value, ApplicantCounts):
        return value
    if not isinstance(value, Mapping):
        raise BuildError(path, f"应为各列数值的字典，实际为{V.describe(value)}", _where(path))
    _reject_unknown(value, ApplicantCounts.COLUMNS, path)
    parts = {
        name: _check(f"{path}.{name}", "count", value.get(name, 0))
        for name in ApplicantCounts.PARTS
    }
    total = value.get("total")
    if total is not None:
        total = _check(f"{path}.total", "count", total)
    return ApplicantCounts.of(**parts, total=total)


def outcomes(path: str, value: GroupValue) -> CaseOutcomes:
    """A Table 4 group from keywords, checking each cell; total computed when omitted."""
    if isinstance(value, CaseOutcomes):
        return value
    if not isinstance(value, Mapping):
        raise BuildError(path, f"应为各列数值的字典，实际为{V.describe(value)}", _where(path))
    _reject_unknown(value, CaseOutcomes.COLUMNS, path)
    parts = {
        name: _check(f"{path}.{name}", "count", value.get(name, 0)) for name in CaseOutcomes.PARTS
    }
    total = value.get("total")
    if total is not None:
        total = _check(f"{path}.total", "count", total)
    return CaseOutcomes.of(**parts, total=total)


# ---------------------------------------------------------------- Table 3


class ApplicationsBuilder:
    """Builds Table 3 (section 3).

    Rows you do not set are all 0.  ``total_handled`` (（七）总计) is computed
    from the result rows when you do not set it; ``carried_forward`` is data
    and is never computed.
    """

    def __init__(self, *, edition: Edition = "2021", **rows: Unpack[ApplicationRowsKw]) -> None:
        self.edition: Edition = edition
        self._rows: dict[str, ApplicantCounts] = {}
        self._intro: tuple[str, ...] = ()
        self._notes: tuple[str, ...] = ()
        self.set(**rows)

    def _row_names(self) -> tuple[str, ...]:
        return queries.application_row_fields(self.edition)

    def set(self, **rows: Unpack[ApplicationRowsKw]) -> Self:
        """Set rows by field name, e.g. ``set(granted={"natural_person": 3})``."""
        names = self._row_names()
        _reject_unknown(rows, names, "applications")
        for name, value in rows.items():
            self._rows[name] = counts(f"applications.{name}", value)  # type: ignore[arg-type]
        return self

    def text(self, *, intro: Sequence[str] = (), notes: Sequence[str] = ()) -> Self:
        """Paragraphs before (``intro``) and after (``notes``) the table."""
        self._intro, self._notes = tuple(intro), tuple(notes)
        return self

    def __repr__(self) -> str:
        return "ApplicationsBuilder(...)"

    def build(self) -> Applications:
        names = self._row_names()
        rows = {name: self._rows.get(name, T.ZERO_COUNTS) for name in names}
        if "total_handled" not in self._rows:
            results = queries.result_rows(self.edition)
            sums = {c: sum(rows[n].get(c) for n in results) for c in ApplicantCounts.PARTS}
            rows["total_handled"] = ApplicantCounts.of(**sums)
        return Applications(**rows, intro=self._intro, notes=self._notes)


# ---------------------------------------------------------------- Table 4


class ReviewLitigationBuilder:
    """Builds Table 4 (section 4); groups you do not set are all 0."""

    def __init__(self, **groups: Unpack[ReviewGroupsKw]) -> None:
        self._groups: dict[str, CaseOutcomes] = {}
        self._intro: tuple[str, ...] = ()
        self._notes: tuple[str, ...] = ()
        self.set(**groups)

    def set(self, **groups: Unpack[ReviewGroupsKw]) -> Self:
        _reject_unknown(groups, queries.review_group_fields(), "review_litigation")
        for name, value in groups.items():
            self._groups[name] = outcomes(f"review_litigation.{name}", value)  # type: ignore[arg-type]
        return self

    def text(self, *, intro: Sequence[str] = (), notes: Sequence[str] = ()) -> Self:
        self._intro, self._notes = tuple(intro), tuple(notes)
        return self

    def build(self) -> ReviewLitigation:
        zero = CaseOutcomes.of()
        return ReviewLitigation(
            **{g: self._groups.get(g, zero) for g in queries.review_group_fields()},
            intro=self._intro,
            notes=self._notes,
        )


# ---------------------------------------------------------------- Table 2


class ProactiveDisclosureBuilder:
    """Builds Table 2 (section 2) in the 2021 edition; cells you do not set are 0.

    ``fees`` is in 万元 and may be given as ``Decimal``, ``int`` or a decimal
    string such as ``"19656.3836"`` (never a float).
    """

    _FIELDS = (
        "regulations",
        "normative_documents",
        "licensing",
        "penalties",
        "enforcement",
        "fees",
    )

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}
        self._intro: tuple[str, ...] = ()
        self._notes: tuple[str, ...] = ()

    def set(
        self,
        *,
        regulations: DocumentsKw | None = None,
        normative_documents: DocumentsKw | None = None,
        licensing: int | None = None,
        penalties: int | None = None,
        enforcement: int | None = None,
        fees: Decimal | int | str | None = None,
    ) -> Self:
        for name, docs in (
            ("regulations", regulations),
            ("normative_documents", normative_documents),
        ):
            if docs is None:
                continue
            path = f"proactive.{name}"
            if not isinstance(docs, Mapping):
                raise BuildError(
                    path, f"应为各列数值的字典，实际为{V.describe(docs)}", _where(path)
                )
            _reject_unknown(docs, ("issued", "repealed", "in_force"), path)
            self._values[name] = T.DocumentCounts(
                **{
                    c: _check(f"{path}.{c}", "count", docs.get(c, 0))
                    for c in ("issued", "repealed", "in_force")
                }
            )
        for name, number in (
            ("licensing", licensing),
            ("penalties", penalties),
            ("enforcement", enforcement),
        ):
            if number is not None:
                self._values[name] = _check(f"proactive.{name}", "count", number)
        if fees is not None:
            self._values["fees"] = _check("proactive.fees", "money", fees)
        return self

    def text(self, *, intro: Sequence[str] = (), notes: Sequence[str] = ()) -> Self:
        self._intro, self._notes = tuple(intro), tuple(notes)
        return self

    def build(self) -> ProactiveDisclosure:
        zero_docs = T.DocumentCounts(issued=0, repealed=0, in_force=0)
        v = self._values
        return ProactiveDisclosure(
            regulations=v.get("regulations", zero_docs),
            normative_documents=v.get("normative_documents", zero_docs),
            licensing=v.get("licensing", 0),
            penalties=v.get("penalties", 0),
            enforcement=v.get("enforcement", 0),
            fees=v.get("fees", Decimal(0)),
            intro=self._intro,
            notes=self._notes,
        )


class ProactiveDisclosure2019Builder:
    """Builds Table 2 in the 2019 trial edition; cells you do not set are 0.

    Each keyword takes a dict of that row's columns, e.g.
    ``set(licensing={"previous_items": 120, "change": -3, "decisions": 5400})``.
    """

    #: Model class of each row; its columns and their types come from the layout.
    _CLASSES: ClassVar[Mapping[str, type[Any]]] = T.PROACTIVE_ROWS["2019"]

    @staticmethod
    def _columns() -> dict[str, tuple[tuple[str, str], ...]]:
        return {
            row.field: tuple((str(c.field), c.type) for c in row.columns)
            for row in queries.proactive_rows("2019")
        }

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}
        self._intro: tuple[str, ...] = ()
        self._notes: tuple[str, ...] = ()

    def set(self, **rows: Mapping[str, Any]) -> Self:
        _reject_unknown(rows, tuple(self._CLASSES), "proactive")
        all_columns = self._columns()
        for name, value in rows.items():
            cls, columns = self._CLASSES[name], all_columns[name]
            path = f"proactive.{name}"
            if not isinstance(value, Mapping):
                raise BuildError(
                    path, f"应为各列数值的字典，实际为{V.describe(value)}", _where(path)
                )
            _reject_unknown(value, tuple(c for c, _ in columns), path)
            self._values[name] = cls(
                **{c: _check(f"{path}.{c}", k, value.get(c, 0)) for c, k in columns}
            )
        return self

    def text(self, *, intro: Sequence[str] = (), notes: Sequence[str] = ()) -> Self:
        self._intro, self._notes = tuple(intro), tuple(notes)
        return self

    def build(self) -> ProactiveDisclosure2019:
        out = {}
        all_columns = self._columns()
        for name, cls in self._CLASSES.items():
            out[name] = self._values.get(name) or cls(**{c: 0 for c, _ in all_columns[name]})
        return ProactiveDisclosure2019(**out, intro=self._intro, notes=self._notes)


# ---------------------------------------------------------------- narrative


class SubsectionBuilder:
    """A sub-section under construction: add points and paragraphs in reading order."""

    def __init__(self, title: str, point_style: PointStyle = "一是") -> None:
        self.title = title
        self.point_style: PointStyle = point_style
        self._content: list[Block] = []
        self._highlights: list[Highlight] = []

    def point(self, *texts: str) -> Self:
        """Numbered points (``一是…``); write the text without the number."""
        self._content.extend(Point(t) for t in texts)
        return self

    def paragraph(self, *texts: str) -> Self:
        """Plain paragraphs, printed as written."""
        self._content.extend(Paragraph(t) for t in texts)
        return self

    def highlight(self, figure: str | int | Decimal, unit: str, label: str) -> Self:
        """A curated highlight for the graphic edition: ``highlight(22, "条", "收录惠企政策")``."""
        try:
            self._highlights.append(Highlight(figure=figure, unit=unit, label=label))
        except InvalidValueError as exc:
            raise BuildError(f"highlights.{exc.field}", exc.message) from None
        return self

    def build(self) -> Subsection:
        return Subsection(
            title=self.title,
            content=tuple(self._content),
            point_style=self.point_style,
            highlights=tuple(self._highlights),
        )


class NarrativeBuilder:
    """Builds a narrative section (1 or 5): opening paragraphs, then sub-sections."""

    def __init__(self) -> None:
        self._intro: list[str] = []
        self._subsections: list[SubsectionBuilder] = []

    def intro(self, *paragraphs: str) -> Self:
        self._intro.extend(paragraphs)
        return self

    def subsection(
        self, title: str, *points: str, point_style: PointStyle = "一是"
    ) -> SubsectionBuilder:
        """Start a sub-section ``（一）title``; positional ``points`` are added as points."""
        sub = SubsectionBuilder(title, point_style).point(*points)
        self._subsections.append(sub)
        return sub

    def _parts(self) -> dict[str, Any]:
        return {
            "intro": tuple(self._intro),
            "subsections": tuple(s.build() for s in self._subsections),
        }

    def build_overview(self) -> Overview:
        return Overview(**self._parts())

    def build_problems(self) -> Problems:
        return Problems(**self._parts())


class OtherMattersBuilder(NarrativeBuilder):
    """Builds section 6, with the information-processing fee figures."""

    def __init__(self, year: int) -> None:
        super().__init__()
        self.year = year
        self._fee = T.NO_FEES

    def fee(
        self,
        *,
        notices: int = 0,
        notified_yuan: Decimal | int | str = 0,
        collected_yuan: Decimal | int | str = 0,
        sentence: bool = True,
    ) -> Self:
        """Set the fee figures; with ``sentence`` (the default) also add the standard fee sentence."""
        self._fee = FeeFigures(
            notices=_check("other_matters.fee.notices", "count", notices),
            notified_yuan=_check("other_matters.fee.notified_yuan", "yuan", notified_yuan),
            collected_yuan=_check("other_matters.fee.collected_yuan", "yuan", collected_yuan),
        )
        if sentence:
            self._intro.append(fee_sentence(self._fee, self.year))
        return self

    def build_other_matters(self) -> OtherMatters:
        return OtherMatters(**self._parts(), fee=self._fee)


def fee_sentence(fee: FeeFigures, year: int) -> str:
    """The standard sentence reporting the fee figures (from ``wording.yaml``)."""
    return wording().fee_sentence.format(
        year=year,
        notices=fee.notices,
        notified=format(fee.notified_yuan, "f"),
        collected=format(fee.collected_yuan, "f"),
    )


# ---------------------------------------------------------------- the report


class ReportBuilder:
    """Builds a whole report.

    >>> rb = ReportBuilder(agency="某市某区人民政府", year=2023)
    >>> _ = rb.overview.subsection("主动公开", "全年主动公开政府信息1200条。")
    >>> _ = rb.applications.set(new_received={"natural_person": 10}, granted={"natural_person": 10})
    >>> _ = rb.other_matters.fee(notices=0)
    >>> report = rb.build()
    >>> report.applications.total_handled.total
    10
    """

    def __init__(
        self,
        *,
        agency: str,
        year: int,
        edition: Edition = "2021",
        kind: AgencyKind | None = None,
        published: _dt.date | None = None,
        website: str | None = None,
        contact: str | None = None,
        opening: str | Sequence[str] | None = None,
    ) -> None:
        try:
            meta_kwargs: dict[str, Any] = {
                "agency": agency,
                "year": year,
                "edition": edition,
                "published": published,
                "website": website,
                "contact": contact,
            }
            if kind is not None:
                meta_kwargs["kind"] = kind
            self.meta = ReportMeta(**meta_kwargs)
        except InvalidValueError as exc:
            raise BuildError(f"meta.{exc.field}", exc.message) from None
        if opening is None:
            opening = (wording().opening,)
        self.opening: tuple[str, ...] = (opening,) if isinstance(opening, str) else tuple(opening)
        self.overview = NarrativeBuilder()
        self.proactive: ProactiveDisclosureBuilder | ProactiveDisclosure2019Builder = (
            ProactiveDisclosure2019Builder() if edition == "2019" else ProactiveDisclosureBuilder()
        )
        self.applications = ApplicationsBuilder(edition=edition)
        self.review_litigation = ReviewLitigationBuilder()
        self.problems = NarrativeBuilder()
        self.other_matters = OtherMattersBuilder(year)

    def build(self) -> AnnualReport:
        """The finished report (checked cell by cell; run :func:`hdgovreport.check` for the cross-checks)."""
        try:
            return AnnualReport(
                meta=self.meta,
                opening=self.opening,
                overview=self.overview.build_overview(),
                proactive=self.proactive.build(),
                applications=self.applications.build(),
                review_litigation=self.review_litigation.build(),
                problems=self.problems.build_problems(),
                other_matters=self.other_matters.build_other_matters(),
            )
        except BuildError:
            raise
        except InvalidValueError as exc:
            raise BuildError(exc.field, exc.message, exc.where) from None
