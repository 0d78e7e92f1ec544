"""Tables 2 and 3 from their printed rows: cell values by model path.

Rows are found by their labels (never by position); each function returns the
values by cell path (what :func:`hdgovreport.model.structure.structure_tables`
takes), and its notes.  A total the report leaves blank is left out, so the one
structuring path computes it; a total the report prints is kept as printed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from hdgovreport.form import queries
from hdgovreport.form.layout import Edition, layout
from hdgovreport.published.extract.stream import CellText
from hdgovreport.published.interpret.cells import CellValue
from hdgovreport.published.interpret.result import Trail
from hdgovreport.published.interpret.rows import Row, Value
from hdgovreport.published.interpret.values import (
    Hit,
    TableMissing,
    align,
    label_note,
    label_rows,
    missing_rows,
    take,
)
from hdgovreport.published.interpret.vocabulary import t2_matcher, t3_matcher

Values = dict[str, object]


def proactive(rows: Sequence[Row], edition: Edition, filename: str) -> tuple[Values, Trail]:
    """Table 2's cells by path."""
    trail = Trail()
    t2 = layout().proactive
    matcher = t2_matcher(edition)

    def match(printed: str, exact_only: bool) -> tuple[str | None, bool] | None:
        m = matcher.match(printed, fuzzy=not exact_only)
        return (m.value.field, m.exact) if m else None

    found = label_rows(rows, match, prefer=t2.field, trail=trail)
    values: Values = {}
    missing: list[str] = []
    table_rows = queries.proactive_rows(edition)
    for row in table_rows:
        hit = found.get(row.field)
        label = row.row.label
        cells: list[Value | None]
        units: tuple[str, ...] = ()
        if hit is None:
            missing.append(label)
            cells = [None] * len(row.columns)
        else:
            published, cell, exact, printed = hit
            trail.sources[f"{t2.field}.{row.field}"] = cell.source
            label_note(trail, t2.name, printed, label, exact, cell)
            cells, remarks = align(published, len(row.columns))
            units = published.units
            for remark in remarks:
                trail.note(f"{t2.name}“{label}”一行{remark}", cell.source)
        for column, value in zip(row.columns, cells, strict=True):
            what = f"{t2.name}“{label}”" + (column.label if not row.single else "")
            values[row.path(column)] = take(
                value, column.type, row.path(column), what, trail, units
            )
    reason = missing_rows(trail, t2.name, missing, len(table_rows))
    if reason:
        raise TableMissing(filename, reason)
    return values, trail


Read = dict[str, tuple[list[Value | None], CellText]]


def _read_rows(
    found: Mapping[str, Hit],
    fields: Sequence[tuple[str, str]],
    count: int,
    table: str,
    trail: Trail,
) -> Read:
    out: Read = {}
    for field, name in fields:
        hit = found.get(field)
        if hit is None:
            continue
        published, cell, exact, printed = hit
        label_note(trail, table, printed, name, exact, cell)
        cells, remarks = align(published, count)
        for remark in remarks:
            trail.note(f"{table}“{name}”一行{remark}", cell.source)
        out[field] = (cells, cell)
    return out


def applications(rows: Sequence[Row], edition: Edition, filename: str) -> tuple[Values, Trail]:
    """Table 3's cells by path; （六）其他处理 printed as one row or three, whatever the edition."""
    trail = Trail()
    table = layout().applications
    matcher = t3_matcher()

    def match(printed: str, exact_only: bool) -> tuple[str | None, bool] | None:
        m = matcher.match(printed, fuzzy=not exact_only)
        return (m.value.field or None, m.exact) if m else None

    found = label_rows(rows, match, prefer=table.field, trail=trail)
    columns = queries.applicant_columns(edition)
    only_2019 = queries.edition_only_rows("2019")
    only_2021 = queries.edition_only_rows("2021")
    single = only_2019[0]  # （六）其他处理 as one row
    single_name = queries.row_leaf(single, "2019").name
    split_names = [queries.row_leaf(f, "2021").name for f in only_2021]
    every = [(leaf.path[-1], leaf.name) for leaf in queries.application_rows("2021")]
    read = _read_rows(found, [*every, (single, single_name)], len(columns), table.name, trail)
    synthesized: set[str] = set()
    if edition == "2021":
        if single in read and not any(f in read for f in only_2021):
            cells, cell = read.pop(single)
            trail.note(
                f"{table.name}“{single_name}”只印了一行（2019 试行版的样式）：按 2021 版读入，"
                f"数字记在“{split_names[-1]}”，其余两行按 0 读入",
                cell.source,
            )
            read[only_2021[-1]] = (cells, cell)
            zero = Value(CellValue(Decimal(0), "0"), cell)
            for f in only_2021[:-1]:
                read[f] = ([zero] * len(columns), cell)
                synthesized.add(f)
    elif single not in read and any(f in read for f in only_2021):
        first_cell = next(read[f][1] for f in only_2021 if f in read)
        sums: list[Value | None] = []
        for c in range(len(columns)):
            total = Decimal(0)
            for f in only_2021:
                value = read[f][0][c] if f in read else None
                if value is not None and value.number is not None:
                    total += value.number
            sums.append(Value(CellValue(total, str(total)), first_cell))
        trail.note(
            f"{table.name}“{single_name}”分三行印出，按 2019 试行版的一行读入（三行相加）",
            first_cell.source,
        )
        read[single] = (sums, first_cell)
    for f in only_2021 if edition == "2019" else (single,):
        read.pop(f, None)

    as_printed = {f: v for f, v in read.items() if f not in synthesized}
    total_blank = bool(as_printed) and all(
        cells[-1] is None or cells[-1].number is None for cells, _c in as_printed.values()
    )
    if total_blank:
        trail.note(f"{table.name}的“{columns[-1].name}”列整列为空，按各列之和读入")
    values: Values = {}
    missing: list[str] = []
    leaves = queries.application_rows(edition)
    names = [(col.path[-1], col.name) for col in columns]
    for leaf in leaves:
        field = leaf.path[-1]
        path = f"{table.field}.{field}"
        if field not in read:
            if field == "total_handled":
                trail.note(f"{table.name}中未找到“（七）”总计一行，按各项办理结果之和读入")
                continue
            missing.append(leaf.name)
            for col in columns:
                values[f"{path}.{col.path[-1]}"] = 0
            continue
        cells, cell = read[field]
        trail.sources[path] = cell.source
        row_name = leaf.name
        for (column, column_name), value in zip(names, cells, strict=True):
            if total_blank and column == "total":
                continue
            what = f"{table.name}“{row_name}”{column_name}"
            cell_path = f"{path}.{column}"
            values[cell_path] = take(value, "count", cell_path, what, trail)
    reason = missing_rows(trail, table.name, missing, len(leaves))
    if reason:
        raise TableMissing(filename, reason)
    return values, trail


__all__ = ["applications", "proactive"]
