"""The document tree: every official table is a full grid in both format editions."""

from __future__ import annotations

import pytest

from hdgovreport import AnnualReport
from hdgovreport.datafile import blank_report
from hdgovreport.document import build_document


@pytest.mark.parametrize("edition", ["2021", "2019"])
def test_every_table_row_covers_every_grid_column(edition: str, haidian: AnnualReport) -> None:
    report = haidian if edition == "2021" else blank_report("某县人民政府", 2020, "2019")
    for table in build_document(report).tables():
        for r, row in enumerate(table.grid()):
            holes = [c for c, cell in enumerate(row) if cell is None]
            assert holes == [], f"{table.name} row {r}: no cell in columns {holes}"


def test_2019_two_column_blocks_of_table2_span_the_three_value_columns() -> None:
    table = build_document(blank_report("某县人民政府", 2020, "2019")).table("表2")
    fee_head = next(
        row
        for row in table.rows()
        if any(c.text == "上一年项目数量" for c in row.cells) and len(row.cells) == 3
    )
    assert [(c.column, c.colspan) for c in fee_head.cells] == [(0, 1), (1, 2), (3, 1)]
