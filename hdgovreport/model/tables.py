"""The three official tables (sections 2, 3 and 4) and the fee figures of section 6.

Field names are English; the official label of every row and column is in
``templates/official/tables.yaml`` (field → label), listed in
``docs/fields.md``.  The model stores what was reported, totals included, so
a report whose published total is wrong can be represented and checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar, Literal

import attrs

from hdgovreport.errors import InvalidValueError
from hdgovreport.model import _fields as f

# ---------------------------------------------------------------- Table 2 (2021)


@attrs.frozen(kw_only=True)
class DocumentCounts:
    """A row of block 第二十条第（一）项 (2021 edition): documents issued, repealed, in force."""

    issued: int = attrs.field(validator=f.count)
    repealed: int = attrs.field(validator=f.count)
    in_force: int = attrs.field(validator=f.count)


@attrs.frozen(kw_only=True)
class ProactiveDisclosure:
    """Section 2, Table 2 in the 2021 edition: proactive disclosure.

    ``licensing``, ``penalties`` and ``enforcement`` are decisions made this
    year; ``fees`` is the amount of administrative fees charged, in 万元.
    """

    edition: ClassVar[Literal["2021"]] = "2021"

    regulations: DocumentCounts = attrs.field(validator=f.instance_of(DocumentCounts))
    normative_documents: DocumentCounts = attrs.field(validator=f.instance_of(DocumentCounts))
    licensing: int = attrs.field(validator=f.count)
    penalties: int = attrs.field(validator=f.count)
    enforcement: int = attrs.field(validator=f.count)
    fees: Decimal = attrs.field(validator=f.money)
    intro: tuple[str, ...] = attrs.field(
        default=(), converter=f.paragraphs, validator=f.each_paragraph
    )
    notes: tuple[str, ...] = attrs.field(
        default=(), converter=f.paragraphs, validator=f.each_paragraph
    )


# ---------------------------------------------------------------- Table 2 (2019 trial edition)


@attrs.frozen(kw_only=True)
class DocumentCounts2019:
    """A row of block 第二十条第（一）项 (2019 edition): made, published, total published."""

    made: int = attrs.field(validator=f.count)
    published: int = attrs.field(validator=f.count)
    total_published: int = attrs.field(validator=f.count)


@attrs.frozen(kw_only=True)
class ItemCounts2019:
    """A row of blocks （五）/（六） (2019 edition): items last year, change, decisions."""

    previous_items: int = attrs.field(validator=f.count)
    change: int = attrs.field(validator=f.signed)
    decisions: int = attrs.field(validator=f.count)


@attrs.frozen(kw_only=True)
class FeeItems2019:
    """The row of block （八） (2019 edition): fee items last year and their change."""

    previous_items: int = attrs.field(validator=f.count)
    change: int = attrs.field(validator=f.signed)


@attrs.frozen(kw_only=True)
class Procurement2019:
    """The row of block （九） (2019 edition): central procurement projects and amount (万元)."""

    items: int = attrs.field(validator=f.count)
    amount: Decimal = attrs.field(validator=f.money)


@attrs.frozen(kw_only=True)
class ProactiveDisclosure2019:
    """Section 2, Table 2 in the 2019 trial edition."""

    edition: ClassVar[Literal["2019"]] = "2019"

    regulations: DocumentCounts2019 = attrs.field(validator=f.instance_of(DocumentCounts2019))
    normative_documents: DocumentCounts2019 = attrs.field(
        validator=f.instance_of(DocumentCounts2019)
    )
    licensing: ItemCounts2019 = attrs.field(validator=f.instance_of(ItemCounts2019))
    other_services: ItemCounts2019 = attrs.field(validator=f.instance_of(ItemCounts2019))
    penalties: ItemCounts2019 = attrs.field(validator=f.instance_of(ItemCounts2019))
    enforcement: ItemCounts2019 = attrs.field(validator=f.instance_of(ItemCounts2019))
    fees: FeeItems2019 = attrs.field(validator=f.instance_of(FeeItems2019))
    procurement: Procurement2019 = attrs.field(validator=f.instance_of(Procurement2019))
    intro: tuple[str, ...] = attrs.field(
        default=(), converter=f.paragraphs, validator=f.each_paragraph
    )
    notes: tuple[str, ...] = attrs.field(
        default=(), converter=f.paragraphs, validator=f.each_paragraph
    )


#: The class of each Table 2 row that has several columns, by edition (the other rows are one number).
PROACTIVE_ROWS: Mapping[str, Mapping[str, type[Any]]] = {
    "2021": {"regulations": DocumentCounts, "normative_documents": DocumentCounts},
    "2019": {
        "regulations": DocumentCounts2019,
        "normative_documents": DocumentCounts2019,
        "licensing": ItemCounts2019,
        "other_services": ItemCounts2019,
        "penalties": ItemCounts2019,
        "enforcement": ItemCounts2019,
        "fees": FeeItems2019,
        "procurement": Procurement2019,
    },
}


def proactive_from_values(
    edition: str,
    values: Mapping[str, Any],
    *,
    intro: Iterable[str] = (),
    notes: Iterable[str] = (),
) -> ProactiveDisclosure | ProactiveDisclosure2019:
    """Table 2 from its rows by field name: a mapping of column values for a row with
    several columns (``{"issued": 6, …}``), a single value otherwise."""
    rows = PROACTIVE_ROWS[edition]
    fields = {
        name: rows[name](**value) if name in rows else value for name, value in values.items()
    }
    cls: type[ProactiveDisclosure | ProactiveDisclosure2019] = (
        ProactiveDisclosure2019 if edition == "2019" else ProactiveDisclosure
    )
    return cls(**fields, intro=tuple(intro), notes=tuple(notes))


# ---------------------------------------------------------------- Table 3


@attrs.frozen(kw_only=True)
class ApplicantCounts:
    """One row of Table 3: a count per applicant type, and the row total as reported."""

    natural_person: int = attrs.field(validator=f.count)
    commercial: int = attrs.field(validator=f.count)
    research: int = attrs.field(validator=f.count)
    public_interest: int = attrs.field(validator=f.count)
    legal_services: int = attrs.field(validator=f.count)
    other: int = attrs.field(validator=f.count)
    total: int = attrs.field(validator=f.count)

    #: The six applicant-type columns that add up to ``total``.
    PARTS: ClassVar[tuple[str, ...]] = (
        "natural_person",
        "commercial",
        "research",
        "public_interest",
        "legal_services",
        "other",
    )
    #: All seven columns in table order.
    COLUMNS: ClassVar[tuple[str, ...]] = (*PARTS, "total")

    @classmethod
    def of(
        cls,
        natural_person: int = 0,
        commercial: int = 0,
        research: int = 0,
        public_interest: int = 0,
        legal_services: int = 0,
        other: int = 0,
        total: int | None = None,
    ) -> ApplicantCounts:
        """A row from its parts; ``total`` is computed when omitted, kept when given."""
        parts = (natural_person, commercial, research, public_interest, legal_services, other)
        if total is None and all(isinstance(p, int) and not isinstance(p, bool) for p in parts):
            total = sum(parts)
        return cls(
            natural_person=natural_person,
            commercial=commercial,
            research=research,
            public_interest=public_interest,
            legal_services=legal_services,
            other=other,
            total=total,  # type: ignore[arg-type]  # None only when a part is invalid; the validator says so
        )

    @property
    def parts(self) -> tuple[int, ...]:
        """The six applicant-type counts, without the total (in ``PARTS`` order)."""
        return (
            self.natural_person,
            self.commercial,
            self.research,
            self.public_interest,
            self.legal_services,
            self.other,
        )

    def get(self, column: str) -> int:
        value: int = getattr(self, column)
        return value


ZERO_COUNTS = ApplicantCounts.of()


_is_counts = f.instance_of(ApplicantCounts)
_maybe_counts = attrs.validators.optional(_is_counts)


@attrs.frozen(kw_only=True)
class Applications:
    """Section 3, Table 3: applications received and how they were handled.

    Rows are :class:`ApplicantCounts`.  The 2021 edition splits （六）其他处理
    into ``other_no_correction``, ``other_fee_unpaid`` and ``other_misc``; the
    2019 trial edition has the single row ``other_handling``.  Exactly one of
    the two shapes is present.
    """

    new_received: ApplicantCounts = attrs.field(validator=_is_counts)
    carried_over: ApplicantCounts = attrs.field(validator=_is_counts)
    granted: ApplicantCounts = attrs.field(validator=_is_counts)
    partially_granted: ApplicantCounts = attrs.field(validator=_is_counts)
    withheld_state_secret: ApplicantCounts = attrs.field(validator=_is_counts)
    withheld_other_laws: ApplicantCounts = attrs.field(validator=_is_counts)
    withheld_three_safeties: ApplicantCounts = attrs.field(validator=_is_counts)
    withheld_third_party: ApplicantCounts = attrs.field(validator=_is_counts)
    withheld_internal_affairs: ApplicantCounts = attrs.field(validator=_is_counts)
    withheld_process_info: ApplicantCounts = attrs.field(validator=_is_counts)
    withheld_enforcement_files: ApplicantCounts = attrs.field(validator=_is_counts)
    withheld_inquiry: ApplicantCounts = attrs.field(validator=_is_counts)
    unavailable_not_held: ApplicantCounts = attrs.field(validator=_is_counts)
    unavailable_needs_creation: ApplicantCounts = attrs.field(validator=_is_counts)
    unavailable_unclear: ApplicantCounts = attrs.field(validator=_is_counts)
    not_processed_petition: ApplicantCounts = attrs.field(validator=_is_counts)
    not_processed_repeat: ApplicantCounts = attrs.field(validator=_is_counts)
    not_processed_publication: ApplicantCounts = attrs.field(validator=_is_counts)
    not_processed_abusive: ApplicantCounts = attrs.field(validator=_is_counts)
    not_processed_confirmation: ApplicantCounts = attrs.field(validator=_is_counts)
    other_no_correction: ApplicantCounts | None = attrs.field(default=None, validator=_maybe_counts)
    other_fee_unpaid: ApplicantCounts | None = attrs.field(default=None, validator=_maybe_counts)
    other_misc: ApplicantCounts | None = attrs.field(default=None, validator=_maybe_counts)
    other_handling: ApplicantCounts | None = attrs.field(default=None, validator=_maybe_counts)
    total_handled: ApplicantCounts = attrs.field(validator=_is_counts)
    carried_forward: ApplicantCounts = attrs.field(validator=_is_counts)
    intro: tuple[str, ...] = attrs.field(
        default=(), converter=f.paragraphs, validator=f.each_paragraph
    )
    notes: tuple[str, ...] = attrs.field(
        default=(), converter=f.paragraphs, validator=f.each_paragraph
    )

    def __attrs_post_init__(self) -> None:
        from hdgovreport.form.queries import edition_only_rows

        split = [getattr(self, n) is not None for n in edition_only_rows("2021")]
        single = self.other_handling is not None
        if not ((all(split) and not single) or (not any(split) and single)):
            from hdgovreport.form.layout import layout, row_label

            other = row_label(layout().applications, "other_handling")
            raise InvalidValueError(
                "other_handling",
                f"{other}应当要么分三行填报（2021 版格式），要么只填一行（2019 版试行格式），不能混用或缺失",
            )

    @property
    def edition(self) -> Literal["2021", "2019"]:
        """Which format edition the shape of （六）其他处理 belongs to."""
        return "2019" if self.other_handling is not None else "2021"

    @property
    def result_row_names(self) -> tuple[str, ...]:
        """Field names of the leaf result rows that add up to （七）总计, in table order."""
        from hdgovreport.form.queries import result_rows

        return result_rows(self.edition)

    def row(self, name: str) -> ApplicantCounts:
        value = getattr(self, name)
        if not isinstance(value, ApplicantCounts):
            raise KeyError(name)
        return value


# ---------------------------------------------------------------- Table 4


@attrs.frozen(kw_only=True)
class CaseOutcomes:
    """One group of Table 4: outcomes of reconsideration or litigation cases."""

    upheld: int = attrs.field(validator=f.count)
    corrected: int = attrs.field(validator=f.count)
    other: int = attrs.field(validator=f.count)
    pending: int = attrs.field(validator=f.count)
    total: int = attrs.field(validator=f.count)

    PARTS: ClassVar[tuple[str, ...]] = ("upheld", "corrected", "other", "pending")
    COLUMNS: ClassVar[tuple[str, ...]] = (*PARTS, "total")

    @classmethod
    def of(
        cls,
        upheld: int = 0,
        corrected: int = 0,
        other: int = 0,
        pending: int = 0,
        total: int | None = None,
    ) -> CaseOutcomes:
        """A group from its parts; ``total`` is computed when omitted, kept when given."""
        parts = (upheld, corrected, other, pending)
        if total is None and all(isinstance(p, int) and not isinstance(p, bool) for p in parts):
            total = sum(parts)
        return cls(
            upheld=upheld,
            corrected=corrected,
            other=other,
            pending=pending,
            total=total,  # type: ignore[arg-type]  # None only when a part is invalid
        )

    @property
    def parts(self) -> tuple[int, ...]:
        return (self.upheld, self.corrected, self.other, self.pending)

    @property
    def concluded(self) -> int:
        """Cases concluded this year (all but the pending ones), from the parts."""
        return self.upheld + self.corrected + self.other


@attrs.frozen(kw_only=True)
class ReviewLitigation:
    """Section 4, Table 4: administrative reconsideration and litigation."""

    reconsideration: CaseOutcomes = attrs.field(validator=f.instance_of(CaseOutcomes))
    litigation_direct: CaseOutcomes = attrs.field(validator=f.instance_of(CaseOutcomes))
    litigation_after_review: CaseOutcomes = attrs.field(validator=f.instance_of(CaseOutcomes))
    intro: tuple[str, ...] = attrs.field(
        default=(), converter=f.paragraphs, validator=f.each_paragraph
    )
    notes: tuple[str, ...] = attrs.field(
        default=(), converter=f.paragraphs, validator=f.each_paragraph
    )

    def group(self, name: str) -> CaseOutcomes:
        value: CaseOutcomes = getattr(self, name)
        return value


# ---------------------------------------------------------------- Section 6 fee figures


@attrs.frozen(kw_only=True)
class FeeFigures:
    """Information-processing fees (信息处理费) of the year, reported in section 6."""

    notices: int = attrs.field(validator=f.count)
    notified_yuan: Decimal = attrs.field(validator=f.yuan)
    collected_yuan: Decimal = attrs.field(validator=f.yuan)


NO_FEES = FeeFigures(notices=0, notified_yuan=Decimal(0), collected_yuan=Decimal(0))
