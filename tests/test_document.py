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


def test_kept_rows_hold_each_merged_label_and_each_table2_block_together(
    haidian: AnnualReport,
) -> None:
    document = build_document(haidian)
    table3 = document.table("表3")
    rows = table3.rows()
    kept = table3.kept_rows()

    def label(r: int) -> str:
        return [c.text for c in rows[r].cells if c.kind == "row-header"][-1]

    five = next(
        r for r, row in enumerate(rows) if any(c.text == "（五）不予处理" for c in row.cells)
    )
    # （五）不予处理 and its five items: no break after its first four rows, one after the fifth
    assert {five, five + 1, five + 2, five + 3} <= kept and five + 4 not in kept, label(five + 4)
    # 三、本年度办理结果 breaks between its groups, but only once it has a row for each of
    # its lines (vertical, one character a line)
    results = next(c for row in rows for c in row.cells if c.text == "三、本年度办理结果")
    start = next(r for r, row in enumerate(rows) if results in row.cells)
    assert set(range(start, start + len(results.lines) - 1)) <= kept
    assert len(results.lines) >= 8
    between = [r for r in range(start, start + results.rowspan - 1) if r not in kept]
    # … each break before a group label （四）, （五）, （六） or （七）总计
    starts = [next(c.text for c in rows[r + 1].cells if c.kind == "row-header") for r in between]
    assert starts and all(s.startswith("（") for s in starts), starts
    # no break inside a block of Table 2: every row but each block's last is kept
    table2 = document.table("表2")
    blocks = [table2.head + table2.bodies[0], *table2.bodies[1:]]
    ends, n = set(), -1
    for block in blocks:
        n += len(block)
        ends.add(n)
    assert table2.kept_rows() == frozenset(range(n)) - ends
