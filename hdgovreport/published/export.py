"""The three tables keyed by their official labels: a stable interchange shape (``--tables-json``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hdgovreport.form import queries
from hdgovreport.form.layout import layout
from hdgovreport.model import AnnualReport, value_at


def _plain(value: object) -> Any:
    return format(value, "f") if isinstance(value, Decimal) else value


def tables_json(report: AnnualReport) -> dict[str, Any]:
    """``{"edition", "agency", "year", "table2", "table3", "table4"}`` with official labels as keys.

    Row keys of Table 3 are the qualified official names (``（三）不予公开/1.属于国家秘密``);
    money is a decimal string; a 2019-edition report uses its own Table 2 labels and the single
    row ``（六）其他处理``.
    """
    edition = report.edition
    table2: dict[str, Any] = {}
    for row in queries.proactive_rows(edition):
        table2[row.row.label] = {
            col.label: _plain(value_at(report, row.path(col))) for col in row.columns
        }
    t3 = layout().applications.field
    columns = queries.applicant_columns(edition)
    table3 = {
        leaf.name: {
            col.name: _plain(value_at(report, ".".join((t3, *leaf.path, *col.path))))
            for col in columns
        }
        for leaf in queries.application_rows(edition)
    }
    t4 = layout().review_litigation.field
    table4 = {
        group.label: {
            outcome.label: _plain(value_at(report, f"{t4}.{group.field}.{outcome.field}"))
            for outcome in queries.outcome_columns()
        }
        for group in queries.review_groups()
    }
    return {
        "edition": edition,
        "agency": report.meta.agency,
        "year": report.meta.year,
        "table2": table2,
        "table3": table3,
        "table4": table4,
    }
