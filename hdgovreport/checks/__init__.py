"""The checker: pure functions from a report (and optionally last year's) to findings.

Nothing here renders or writes.  Each rule has a stable code; see
``docs/rules.md`` for the list, or :data:`RULES`.
"""

from __future__ import annotations

from collections.abc import Sequence

from hdgovreport.checks import (  # noqa: F401  (registers the rules)
    district,
    fees,
    linkage,
    narrative,
    tables,
)
from hdgovreport.checks.findings import SEVERITY_NAMES, CheckResult, Finding, Location, Severity
from hdgovreport.checks.registry import RULES, Context, Rule, rules_for
from hdgovreport.checks.tables import ill_typed_cells, plain_counts, read_cells
from hdgovreport.model import AnnualReport
from hdgovreport.model.provenance import Source

#: Rule families in reporting order: cells, Table 3, Table 4, fees, linkage, narrative,
#: metadata, then the district's: sums of children, the roster.
_FAMILIES = ("CELL", "T3", "T4", "FEE", "LINK", "S1", "NARR", "META", "SUM", "ROSTER")
RULES.sort(key=lambda r: _FAMILIES.index(r.code.split("-")[0]))
rules_for.cache_clear()  # the order is the sorted one

#: No cell paths (what ``bad_previous`` is without last year's report).
_NO_CELLS: frozenset[str] = frozenset()


def check(
    report: AnnualReport,
    previous: AnnualReport | None = None,
    *,
    subject: str = "",
    children: Sequence[tuple[str, AnnualReport]] | None = None,
) -> CheckResult:
    """Run every rule on ``report``; year-linkage rules run when ``previous`` is given.

    ``children`` (name, report) are the reports ``report`` sums up: the ``SUM-*`` rules
    then check every cell against their sum (see :func:`hdgovreport.check_children`).
    Findings come errors first, each group in rule order.
    """
    values = read_cells(report)
    counts = plain_counts(report.edition, values.cells)
    summed = tuple(children) if children else ()
    ctx = Context(
        report=report,
        previous=previous,
        bad_cells=ill_typed_cells(report, values, counts=counts),
        bad_previous=ill_typed_cells(previous) if previous is not None else _NO_CELLS,
        values=values,
        children=summed,
        cells=values.cells,
        counts=counts,
    )
    findings: list[Finding] = []
    for run, r in rules_for(previous is not None, bool(summed)):
        findings += run(ctx, r)
    if findings:
        findings.sort(key=lambda f: 0 if f.is_error else 1)
    return CheckResult(findings=tuple(findings), subject=subject or report.title)


def rule_by_code(code: str) -> Rule:
    for r in RULES:
        if r.code == code:
            return r
    raise KeyError(code)


__all__ = [
    "RULES",
    "SEVERITY_NAMES",
    "CheckResult",
    "Context",
    "Finding",
    "Location",
    "Rule",
    "Severity",
    "Source",
    "check",
    "rule_by_code",
]
