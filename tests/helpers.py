"""Test helpers: replace a value deep inside a frozen report."""

from __future__ import annotations

import os
from typing import Any

import attrs

from hdgovreport import AnnualReport
from hdgovreport.model import ApplicantCounts


def examples(n: int) -> int:
    """Hypothesis example count: ``n`` (the full count, as CI runs it), or a twentieth of it
    with ``HDGOV_QUICK=1`` for a fast local run while developing."""
    return max(2, n // 20) if os.environ.get("HDGOV_QUICK") else n


#: Haidian 2022 Table 4 as published, including the wrong 复议后起诉 total (42; its parts add to 45).
HAIDIAN_TABLE4 = [
    "67",
    "15",
    "7",
    "36",
    "125",
    "39",
    "1",
    "13",
    "32",
    "85",
    "26",
    "0",
    "0",
    "19",
    "42",
]


def replace_at(obj: Any, path: str, value: Any) -> Any:
    """A copy of ``obj`` with the attribute at dotted ``path`` replaced (validators run)."""
    head, _, rest = path.partition(".")
    if not rest:
        return attrs.evolve(obj, **{head: value})
    return attrs.evolve(obj, **{head: replace_at(getattr(obj, head), rest, value)})


def replace_many(obj: Any, changes: dict[str, Any]) -> Any:
    for path, value in changes.items():
        obj = replace_at(obj, path, value)
    return obj


def clean_variant(report: AnnualReport) -> AnnualReport:
    """Repair the Haidian report: 复议后起诉 total 45, and the unpaid-fee case counted under （六）3."""
    after = report.review_litigation.litigation_after_review
    apps = report.applications
    assert apps.other_misc is not None
    return replace_many(
        report,
        {
            "review_litigation.litigation_after_review": attrs.evolve(after, total=45),
            "applications.other_fee_unpaid": ApplicantCounts.of(),
            "applications.other_misc": ApplicantCounts.of(
                natural_person=apps.other_misc.natural_person + 1,
                commercial=apps.other_misc.commercial,
            ),
        },
    )
