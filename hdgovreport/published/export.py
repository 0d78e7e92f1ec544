"""The three tables keyed by their official labels: a stable interchange shape (``--tables-json``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

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
    tables = layout()
    t2 = tables.proactive
    table2: dict[str, Any] = {}
    for block in t2.blocks(edition):
        for row in block.rows:
            path = f"{t2.field}.{row.field}"
            table2[row.label] = {
                col.label: _plain(value_at(report, f"{path}.{col.field}" if col.field else path))
                for col in block.columns
            }
    t3 = tables.applications
    columns = t3.column_leaves(edition)
    table3 = {
        leaf.name: {
            col.name: _plain(value_at(report, ".".join((t3.field, *leaf.path, *col.path))))
            for col in columns
        }
        for leaf in t3.row_leaves(edition)
    }
    t4 = tables.review_litigation
    table4: dict[str, Any] = {}
    for top in t4.columns:
        for group in [top] if top.field else top.children:
            table4[group.label] = {
                outcome.label: _plain(value_at(report, f"{t4.field}.{group.field}.{outcome.field}"))
                for outcome in group.children
            }
    return {
        "edition": edition,
        "agency": report.meta.agency,
        "year": report.meta.year,
        "table2": table2,
        "table3": table3,
        "table4": table4,
    }
