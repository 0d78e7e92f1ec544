"""Rules on the cells of Tables 2–4: types and ranges, and the printed cross-checks."""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal

from hdgovreport.checks.findings import Finding, Location
from hdgovreport.checks.registry import Context, Rule, rule, signed_sum
from hdgovreport.form import queries
from hdgovreport.form.layout import Cell, Leaf, cells, layout, leaves_by_path, section_heading
from hdgovreport.model import AnnualReport
from hdgovreport.model.values import MAX_COUNT, describe, problem_value

_TABLE_SECTION = {"表2": "proactive", "表3": "applications", "表4": "review_litigation"}


def _cell_location(cell: Cell) -> Location:
    section = _TABLE_SECTION.get(cell.table, "other_matters")
    return Location(
        section=section_heading(section),
        table=cell.table,
        row=cell.row or None,
        column=cell.column or None,
        field=cell.path,
        cells=(cell.path,),
    )


def _type_ok(kind: str, value: object) -> bool:
    if isinstance(value, bool):
        return False
    if kind in ("money", "yuan"):
        return isinstance(value, (int, Decimal))
    return isinstance(value, int)


@functools.cache
def _getter(edition: str) -> Callable[[object], tuple[object, ...]]:
    """One C-level getter of every cell value of ``edition``, in :func:`cells` order."""
    return operator.attrgetter(*(cell.path for cell in cells(edition)))


@functools.cache
def _amounts(edition: str) -> tuple[bool, ...]:
    return tuple(cell.type in ("money", "yuan") for cell in cells(edition))


def table_values(report: AnnualReport) -> dict[str, object]:
    """Every table cell of ``report`` by path, read in one pass (the getter is made once)."""
    edition = report.edition
    return dict(zip(queries.cell_paths(edition), _getter(edition)(report), strict=True))


def ill_typed_cells(
    report: AnnualReport, values: Mapping[str, object] | None = None
) -> frozenset[str]:
    """Paths of the cells whose value is not a number of the layout's type."""
    edition = report.edition
    values = values if values is not None else table_values(report)
    bad = []
    for cell, amount in zip(cells(edition), _amounts(edition), strict=True):
        value = values[cell.path]
        kind = type(value)
        if kind is int or (amount and kind is Decimal):
            continue  # the common case, without asking
        if not _type_ok(cell.type, value):
            bad.append(cell.path)
    return frozenset(bad)


@rule("CELL-type", "error", "表格单元格的数据类型正确（件数为整数，金额为十进制数）")
def cell_type(ctx: Context, r: Rule) -> Iterator[Finding]:
    if not ctx.bad_cells:
        return
    for cell in cells(ctx.report.edition):
        value = ctx.values[cell.path]
        if not _type_ok(cell.type, value):
            yield r.finding(
                f"{cell.row}{'·' + cell.column if cell.column else ''}：{problem_value(cell.type, value)}",
                _cell_location(cell),
                expected=cell.type,
                actual=describe(value),
            )


@rule("CELL-range", "error", "表格单元格的数值在允许范围内（非负、金额小数位数）")
def cell_range(ctx: Context, r: Rule) -> Iterator[Finding]:
    values, bad = ctx.values, ctx.bad_cells
    for cell in cells(ctx.report.edition):
        value = values[cell.path]
        if type(value) is int and 0 <= value <= MAX_COUNT:
            continue  # the common case, valid for every kind: no need to ask
        if cell.path in bad:
            continue  # reported by CELL-type
        problem = problem_value(cell.type, value)
        if problem is not None:
            yield r.finding(
                f"{cell.row}{'·' + cell.column if cell.column else ''}：{problem}",
                _cell_location(cell),
                actual=value,
            )


# ------------------------------------------------------------------ Table 3


def _t3(ctx: Context) -> tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str]]:
    """Row and column names of Table 3 keyed by field path."""
    return _t3_names(ctx.report.edition)


@functools.cache
def _t3_names(edition: str) -> tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str]]:
    table = layout().applications
    rows = {p: leaf.name for p, leaf in leaves_by_path(table, edition, "rows").items()}
    cols = {p: leaf.name for p, leaf in leaves_by_path(table, edition, "columns").items()}
    return rows, cols


def _t3_location(
    row: str | None, column: str | None, field: str, cells_: tuple[str, ...]
) -> Location:
    return Location(
        section=section_heading("applications"),
        table=layout().applications.name,
        row=row,
        column=column,
        field=field,
        cells=cells_,
    )


@rule("T3-row", "error", "表3每一行：总计等于各类申请人数量之和")
def t3_row(ctx: Context, r: Rule) -> Iterator[Finding]:
    apps = ctx.report.applications
    row_names, col_names = _t3(ctx)
    total_name = col_names[("total",)]
    for (row_field,), row_name in row_names.items():
        counts = apps.row(row_field)
        prefix = f"applications.{row_field}"
        if ctx.bad_cells and not ctx.numbers(*(f"{prefix}.{c}" for c in counts.COLUMNS)):
            continue
        expected = sum(counts.parts)
        if counts.total != expected:
            yield r.finding(
                f"“{row_name}”一行：{total_name}填报为 {counts.total}，"
                f"但各类申请人数量之和为 {expected}（{signed_sum(counts.parts)}）。",
                _t3_location(
                    row_name,
                    total_name,
                    f"{prefix}.total",
                    tuple(f"{prefix}.{c}" for c in counts.COLUMNS),
                ),
                expected=expected,
                actual=counts.total,
            )


def _column_cells(results: tuple[str, ...], col: str) -> tuple[str, ...]:
    return tuple(f"applications.{n}.{col}" for n in (*results, "total_handled"))


@rule("T3-results", "error", "表3每一列：办理结果的总计等于各项办理结果之和")
def t3_results(ctx: Context, r: Rule) -> Iterator[Finding]:
    apps = ctx.report.applications
    row_names, col_names = _t3(ctx)
    total_row = row_names[("total_handled",)]
    results = apps.result_row_names
    rows = [apps.row(name) for name in results]
    for (col,), col_name in col_names.items():
        if ctx.bad_cells and not ctx.numbers(*_column_cells(results, col)):
            continue
        values = [getattr(row, col) for row in rows]
        expected = sum(values)
        actual = apps.total_handled.get(col)
        if actual != expected:
            nonzero = [str(v) for v in values if v]
            yield r.finding(
                f"“{col_name}”一列：{total_row}填报为 {actual}，"
                f"但各项办理结果之和为 {expected}（{'+'.join(nonzero) or '0'}）。",
                _t3_location(
                    total_row,
                    col_name,
                    f"applications.total_handled.{col}",
                    _column_cells(results, col),
                ),
                expected=expected,
                actual=actual,
            )


@rule("T3-identity", "error", "表3每一列：第一项加第二项之和，等于第三项加第四项之和")
def t3_identity(ctx: Context, r: Rule) -> Iterator[Finding]:
    apps = ctx.report.applications
    row_names, col_names = _t3(ctx)
    received, carried = row_names[("new_received",)], row_names[("carried_over",)]
    handled, forward = row_names[("total_handled",)], row_names[("carried_forward",)]
    for (col,), col_name in col_names.items():
        involved = tuple(
            f"applications.{n}.{col}"
            for n in ("new_received", "carried_over", "total_handled", "carried_forward")
        )
        if ctx.bad_cells and not ctx.numbers(*involved):
            continue
        left = apps.new_received.get(col) + apps.carried_over.get(col)
        right = apps.total_handled.get(col) + apps.carried_forward.get(col)
        if left != right:
            yield r.finding(
                f"“{col_name}”一列不满足勾稽关系：{received}（{apps.new_received.get(col)}）"
                f"加{carried}（{apps.carried_over.get(col)}）为 {left}，"
                f"而{handled}（{apps.total_handled.get(col)}）加{forward}"
                f"（{apps.carried_forward.get(col)}）为 {right}。",
                _t3_location(
                    None,
                    col_name,
                    f"applications.carried_forward.{col}",
                    involved,
                ),
                expected=left,
                actual=right,
            )


# ------------------------------------------------------------------ Table 4


@rule("T4-sum", "error", "表4每一组：总计等于四种结果（维持、纠正、其他、未结）之和")
def t4_sum(ctx: Context, r: Rule) -> Iterator[Finding]:
    rl = ctx.report.review_litigation
    table = layout().review_litigation
    leaves: dict[tuple[str, ...], Leaf] | None = None
    for group in queries.review_group_fields():
        outcomes = rl.group(group)
        involved = tuple(f"review_litigation.{group}.{c}" for c in outcomes.COLUMNS)
        if ctx.bad_cells and not ctx.numbers(*involved):
            continue
        expected = sum(outcomes.parts)
        if outcomes.total == expected:
            continue
        leaves = leaves or leaves_by_path(table, ctx.report.edition, "columns")
        total_leaf = leaves[(group, "total")]
        group_name = total_leaf.nodes[-2].label
        part_names = "、".join(leaves[(group, p)].label for p in outcomes.PARTS)
        yield r.finding(
            f"{group_name}：{total_leaf.label}填报为 {outcomes.total}，"
            f"但{part_names}之和为 {expected}（{signed_sum(outcomes.parts)}）。",
            Location(
                section=section_heading("review_litigation"),
                table=table.name,
                row=group_name,
                column=total_leaf.label,
                field=f"review_litigation.{group}.total",
                cells=involved,
            ),
            expected=expected,
            actual=outcomes.total,
        )
