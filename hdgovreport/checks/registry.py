"""The rule registry: every check has a stable code, a severity and a title."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from hdgovreport.checks.findings import Finding, Location, Severity
from hdgovreport.model import AnnualReport


@attrs.frozen
class Context:
    """What a rule sees: this year's report and, when given, last year's.

    ``bad_cells`` (``bad_previous``) are the cells whose value is not a number
    of the right type; arithmetic rules skip them (``CELL-type`` reports them).
    """

    report: AnnualReport
    previous: AnnualReport | None = None
    bad_cells: frozenset[str] = frozenset()
    bad_previous: frozenset[str] = frozenset()
    #: Every table cell of ``report`` by path, in the layout's order, read once per check
    #: (rules look values up here); read from ``report`` when not given.
    values: Mapping[str, object] = attrs.field(
        default=attrs.Factory(lambda self: _read_cells(self.report), takes_self=True)
    )
    #: The reports summed into ``report`` (name, report), for the ``SUM-*`` rules.
    children: tuple[tuple[str, AnnualReport], ...] = ()
    #: The same values in the layout's order (:func:`~hdgovreport.form.layout.cells`), for
    #: rules that take many at once by position; taken from ``values`` when not given.
    cells: Sequence[object] = attrs.field(
        default=attrs.Factory(
            lambda self: _in_order(self.report.edition, self.values), takes_self=True
        )
    )
    #: Every count cell's value in the layout's order when each is a plain ``int`` (the
    #: common case: arithmetic rules then test their sums in one pass first), else ``None``;
    #: taken from ``cells`` when not given.
    counts: tuple[int, ...] | None = attrs.field(
        default=attrs.Factory(
            lambda self: _plain_counts(self.report.edition, self.cells), takes_self=True
        )
    )

    def numbers(self, *paths: str, previous: bool = False) -> bool:
        """True when every cell at ``paths`` holds a number of the right type."""
        bad = self.bad_previous if previous else self.bad_cells
        return not bad or not bad.intersection(paths)


@attrs.frozen
class Rule:
    """A cross-check (勾稽关系) or plausibility rule."""

    code: str
    severity: Severity
    title: str  # one line, Chinese
    needs_previous: bool
    #: The findings on a context: a generator, or a tuple or list (``()`` when a rule sees
    #: at once that it finds nothing, without a generator's cost).
    run: Callable[[Context, Rule], Iterable[Finding]]
    #: What else the rule needs: ``"children"`` (the reports summed into this one, see
    #: :func:`hdgovreport.check_children`) or ``"roster"`` (the district's roster; run by
    #: :mod:`hdgovreport.district`, never by :func:`check`).
    needs: str | None = None

    def finding(
        self,
        message: str,
        location: Location,
        expected: Any = None,
        actual: Any = None,
        *,
        severity: Severity | None = None,
        hint: str | None = None,
    ) -> Finding:
        return Finding(
            code=self.code,
            severity=severity or self.severity,
            message=message,
            location=location,
            expected=expected,
            actual=actual,
            hint=hint,
        )


def _read_cells(report: AnnualReport) -> Mapping[str, object]:
    from hdgovreport.checks.tables import read_cells

    return read_cells(report)


def _in_order(edition: str, values: Mapping[str, object]) -> Sequence[object]:
    from hdgovreport.checks.tables import in_order

    return in_order(edition, values)


def _plain_counts(edition: str, cells: Sequence[object]) -> tuple[int, ...] | None:
    from hdgovreport.checks.tables import plain_counts

    return plain_counts(edition, cells)


RULES: list[Rule] = []


@functools.cache
def rules_for(
    with_previous: bool, with_children: bool
) -> tuple[tuple[Callable[[Context, Rule], Iterable[Finding]], Rule], ...]:
    """The rules a check runs, each with its function, in :data:`RULES` order: those needing
    last year's report only ``with_previous``, those needing children only ``with_children``,
    never the roster's.  Made once per kind of check (a new rule starts them afresh)."""
    return tuple(
        (r.run, r)
        for r in RULES
        if (with_previous or not r.needs_previous)
        and r.needs != "roster"
        and (with_children or r.needs != "children")
    )


def rule(
    code: str,
    severity: Severity,
    title: str,
    *,
    needs_previous: bool = False,
    needs: str | None = None,
) -> Callable[
    [Callable[[Context, Rule], Iterable[Finding]]], Callable[[Context, Rule], Iterable[Finding]]
]:
    """Register a rule function under a stable code."""

    def register(
        func: Callable[[Context, Rule], Iterable[Finding]],
    ) -> Callable[[Context, Rule], Iterable[Finding]]:
        if any(r.code == code for r in RULES):
            raise ValueError(f"duplicate rule code {code}")
        RULES.append(Rule(code, severity, title, needs_previous, func, needs))
        rules_for.cache_clear()
        return func

    return register


def signed_sum(values: Iterable[Any]) -> str:
    """``26+0+0+19`` for a message."""
    return "+".join(str(v) for v in values)
