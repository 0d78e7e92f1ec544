"""One way from raw cell values to the model's tables.

Every input — the YAML data file, the workbook, the web form, a published report —
ends up with values keyed by cell path (``applications.granted.natural_person``).
:func:`structure_tables` turns them into Tables 2–4 and the fee figures, coercing
each value with the shared rules of :mod:`hdgovreport.model.values` and computing the
totals that were not given (a total that was given is kept, so the checker can test it).
Every problem comes back with its cell path; the caller maps paths to its own locations
(``file:line``, ``表3!D12``, a form input) and reports them all at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

import attrs

from hdgovreport.errors import InvalidValueError
from hdgovreport.form import queries
from hdgovreport.form.layout import Edition, ValueType, cells, layout
from hdgovreport.model import tables as T
from hdgovreport.model import values as V

Missing = Literal["error", "zero"]


@attrs.frozen
class CellProblem:
    """A value that could not be taken: the cell path, the message, the suggested value."""

    path: str
    message: str
    suggestion: str | None = None


@attrs.frozen
class StructuredTables:
    """Tables 2–4 and the fee figures, or (when ``problems``) the problems found."""

    proactive: T.ProactiveDisclosure | T.ProactiveDisclosure2019 | None
    applications: T.Applications | None
    review_litigation: T.ReviewLitigation | None
    fee: T.FeeFigures | None
    problems: tuple[CellProblem, ...] = ()
    computed: frozenset[str] = frozenset()  # paths of totals computed because they were absent

    @property
    def ok(self) -> bool:
        return not self.problems


def coerce_value(kind: ValueType, raw: object) -> tuple[Any, V.NumberProblem | None]:
    """One raw value (``int``, ``Decimal``, text) as a value of ``kind``, or the problem."""
    if isinstance(raw, str):
        return V.parse_number_text(kind, raw)
    if kind in ("money", "yuan") and isinstance(raw, int) and not isinstance(raw, bool):
        raw = Decimal(raw)
    problem = V.problem_value(kind, raw)
    return (raw, None) if problem is None else (None, V.NumberProblem(problem))


def _is_total(path: str) -> bool:
    parts = path.split(".")
    return parts[-1] == "total" or (len(parts) > 1 and parts[1] == "total_handled")


def structure_tables(
    edition: Edition,
    values: Mapping[str, object],
    *,
    texts: Mapping[str, tuple[str, ...]] | None = None,
    missing: Missing = "error",
) -> StructuredTables:
    """The tables of ``edition`` from raw values by cell path.

    ``texts`` holds the paragraphs around a table (``"applications.intro"`` → paragraphs).
    A total that is absent (or ``None``) is computed from its parts; any other absent cell
    is a problem (``missing="error"``) or 0 (``missing="zero"``).  Unknown paths are problems.
    """
    known = queries.cells_by_path(edition)
    problems: list[CellProblem] = [
        CellProblem(path, "不是本版格式表格中的单元格") for path in values if path not in known
    ]
    got: dict[str, Any] = {}
    bad: set[str] = set()
    for cell in cells(edition):
        raw = values.get(cell.path)
        if raw is None:
            if _is_total(cell.path):
                continue
            if missing == "zero":
                got[cell.path] = Decimal(0) if cell.type in ("money", "yuan") else 0
                continue
            problems.append(CellProblem(cell.path, "缺少数值（没有就填 0）", "0"))
            bad.add(cell.path)
            continue
        value, problem = coerce_value(cell.type, raw)
        if problem is not None:
            problems.append(CellProblem(cell.path, problem.message, problem.suggestion))
            bad.add(cell.path)
        else:
            got[cell.path] = value
    computed = _compute_totals(edition, got, bad)
    if problems:
        return StructuredTables(None, None, None, None, tuple(problems), frozenset(computed))
    texts = texts or {}
    try:
        return StructuredTables(
            proactive=_proactive(edition, got, texts),
            applications=_applications(edition, got, texts),
            review_litigation=_review(got, texts),
            fee=_fee(got),
            computed=frozenset(computed),
        )
    except InvalidValueError as exc:  # a paragraph of ``texts`` the model refuses
        return StructuredTables(
            None, None, None, None, (CellProblem(exc.field, exc.message),), frozenset(computed)
        )


def _compute_totals(edition: str, got: dict[str, Any], bad: set[str]) -> set[str]:
    """Fill absent totals from their parts (row totals first, then （七）总计); return their paths."""
    computed: set[str] = set()
    t3 = layout().applications.field
    parts = queries.applicant_parts()
    rows = queries.application_row_fields(edition)

    def fill(path: str, addends: list[str]) -> None:
        if path in got or path in bad:
            return
        if all(a in got for a in addends):
            got[path] = sum(got[a] for a in addends)
            computed.add(path)
        else:
            bad.add(path)

    for row in rows:
        if row == "total_handled":
            continue
        fill(f"{t3}.{row}.total", [f"{t3}.{row}.{p}" for p in parts])
    for column in (*parts, "total"):
        fill(
            f"{t3}.total_handled.{column}",
            [f"{t3}.{r}.{column}" for r in queries.result_rows(edition)],
        )
    t4 = layout().review_litigation.field
    for group in queries.review_group_fields():
        fill(f"{t4}.{group}.total", [f"{t4}.{group}.{p}" for p in queries.outcome_parts()])
    return computed


def _texts(texts: Mapping[str, tuple[str, ...]], table: str) -> dict[str, Any]:
    return {k: texts[f"{table}.{k}"] for k in ("intro", "notes") if f"{table}.{k}" in texts}


def _proactive(
    edition: str, got: Mapping[str, Any], texts: Mapping[str, tuple[str, ...]]
) -> T.ProactiveDisclosure | T.ProactiveDisclosure2019:
    row_values: dict[str, Any] = {}
    for row in queries.proactive_rows(edition):
        if row.single:
            row_values[row.field] = got[row.path(row.columns[0])]
        else:
            row_values[row.field] = {
                c.field: got[row.path(c)] for c in row.columns if c.field is not None
            }
    return T.proactive_from_values(edition, row_values, **_texts(texts, "proactive"))


def _applications(
    edition: str, got: Mapping[str, Any], texts: Mapping[str, tuple[str, ...]]
) -> T.Applications:
    t3 = layout().applications.field
    columns = (*queries.applicant_parts(), "total")
    rows: dict[str, Any] = {
        row: T.ApplicantCounts(**{c: got[f"{t3}.{row}.{c}"] for c in columns})
        for row in queries.application_row_fields(edition)
    }
    return T.Applications(**rows, **_texts(texts, t3))


def _review(got: Mapping[str, Any], texts: Mapping[str, tuple[str, ...]]) -> T.ReviewLitigation:
    t4 = layout().review_litigation.field
    columns = (*queries.outcome_parts(), "total")
    groups: dict[str, Any] = {
        g: T.CaseOutcomes(**{c: got[f"{t4}.{g}.{c}"] for c in columns})
        for g in queries.review_group_fields()
    }
    return T.ReviewLitigation(**groups, **_texts(texts, t4))


def _fee(got: Mapping[str, Any]) -> T.FeeFigures:
    fee = layout().fee
    return T.FeeFigures(
        **{i.field: got[f"other_matters.{fee.field}.{i.field}"] for i in fee.items if i.field}
    )


def table_values(report: Any) -> dict[str, Any]:
    """The inverse: every cell value of a report by cell path (what an input path writes)."""
    from hdgovreport.model.report import value_at

    return {path: value_at(report, path) for path in queries.cell_paths(report.edition)}


__all__ = [
    "CellProblem",
    "StructuredTables",
    "coerce_value",
    "structure_tables",
    "table_values",
]
