"""Rules on the cells of Tables 2–4: types and ranges, and the printed cross-checks."""

from __future__ import annotations

import functools
import operator
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal

from hdgovreport.checks import compiled
from hdgovreport.checks.compiled import CellTest
from hdgovreport.checks.findings import Finding, Location
from hdgovreport.checks.registry import Context, Rule, rule, signed_sum
from hdgovreport.form import queries
from hdgovreport.form.layout import Cell, cells, layout, leaves_by_path, section_heading
from hdgovreport.model import AnnualReport
from hdgovreport.model.tables import ApplicantCounts, CaseOutcomes
from hdgovreport.model.values import (
    MAX_AMOUNT,
    MAX_COUNT,
    MONEY_PLACES,
    YUAN_PLACES,
    describe,
    problem_value,
)


def _equations(edition: str, sides: Iterable[tuple[Iterable[str], Iterable[str]]]) -> CellTest:
    """:func:`~hdgovreport.checks.compiled.equations` on cell paths: a test of the values
    of every cell in :func:`cells` order, true when each ``(left, right)`` adds up."""
    index = cell_index(edition)
    return compiled.equations(
        [([index[p] for p in left], [index[p] for p in right]) for left, right in sides]
    )


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
def _reader(edition: str) -> Callable[[object], list[object]]:
    """A reader of every cell value of ``edition``, in :func:`cells` order: straight-line
    attribute reads, each parent (a Table 3 row, a Table 4 group) looked up once."""
    return compiled.attribute_reader(queries.cell_paths(edition))


def table_values(report: AnnualReport) -> dict[str, object]:
    """Every table cell of ``report`` by path, read in one pass (the reader is made once)."""
    edition = report.edition
    return dict(zip(queries.cell_paths(edition), _reader(edition)(report), strict=True))


@functools.cache
def cell_index(edition: str) -> Mapping[str, int]:
    """The position of every cell path of ``edition`` in :func:`cells` order."""
    return {path: i for i, path in enumerate(queries.cell_paths(edition))}


class CellValues(Mapping[str, object]):
    """Every table cell's value by path, over the values read in :func:`cells` order.

    What :func:`table_values` gives, without building a dict for each report: a check
    looks up a few values by path, and takes the many it sums by position.
    """

    __slots__ = ("_index", "cells")

    def __init__(self, edition: str, values: list[object]) -> None:
        self._index = cell_index(edition)
        self.cells = values  # in cells() order

    def __getitem__(self, path: str) -> object:
        return self.cells[self._index[path]]

    def __contains__(self, path: object) -> bool:
        return path in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return f"CellValues({dict(self)!r})"


def read_cells(report: AnnualReport) -> CellValues:
    """Every table cell of ``report``, read in one pass: by path and in the layout's order."""
    edition = report.edition
    return CellValues(edition, _reader(edition)(report))


def in_order(edition: str, values: Mapping[str, object]) -> Sequence[object]:
    """The values of every cell of ``edition`` in :func:`cells` order."""
    if isinstance(values, CellValues):
        return values.cells
    return operator.itemgetter(*queries.cell_paths(edition))(values)  # type: ignore[no-any-return]


@functools.cache
def _counts_and_amounts(
    edition: str,
) -> tuple[Callable[[Sequence[object]], tuple[object, ...]], tuple[str, ...]]:
    """A getter of every count cell's value by position, and the amount cells' paths."""
    index = cell_index(edition)
    counts = tuple(index[c.path] for c in cells(edition) if c.type not in ("money", "yuan"))
    amounts = tuple(c.path for c in cells(edition) if c.type in ("money", "yuan"))
    return compiled.item_getter(counts), amounts


#: The types an amount cell's value has in the common case (others, ``bool`` among them,
#: are asked about cell by cell).
_AMOUNT_TYPES = frozenset((int, Decimal))


@functools.cache
def _amounts(edition: str) -> Callable[[Sequence[object]], tuple[object, ...]]:
    """A getter of every amount cell's value by position in :func:`cells` order."""
    index = cell_index(edition)
    return compiled.item_getter([index[p] for p in _counts_and_amounts(edition)[1]])


def plain_counts(edition: str, cells_: Sequence[object]) -> tuple[int, ...] | None:
    """Every count's value when all are ``int`` (the common case, found in C), else ``None``;
    ``cells_`` holds every cell's value in :func:`cells` order."""
    counts, _ = _counts_and_amounts(edition)
    found = counts(cells_)
    # countOf compares by identity first, and types compare by identity: the count of
    # ``int`` is the number of values whose type is exactly int (not bool, not a subclass)
    if operator.countOf(map(type, found), int) == len(found):
        return found  # type: ignore[return-value]
    return None


def counts_in_range(counts: tuple[int, ...]) -> bool:
    """True when every one of ``counts`` (plain ``int``) is in [0, MAX_COUNT], tested in C.

    An unsigned array takes the values only when each is in [0, 2**(8 * itemsize)), else
    raises OverflowError: then they are all non-negative, and their sum bounds each.  Only
    when the sum is over MAX_COUNT is the largest looked for.  (``min`` and ``max`` ask
    the same, at twice the cost.)
    """
    try:
        array("I", counts)
    except OverflowError:
        return False  # a value is negative or far too large
    return sum(counts) <= MAX_COUNT or max(counts) <= MAX_COUNT


def ill_typed_cells(
    report: AnnualReport,
    values: Mapping[str, object] | None = None,
    *,
    counts: tuple[int, ...] | None = None,
) -> frozenset[str]:
    """Paths of the cells whose value is not a number of the layout's type.

    ``counts`` is :func:`plain_counts` of ``values`` when the caller has it already.
    """
    edition = report.edition
    values = values if values is not None else read_cells(report)
    in_layout_order = in_order(edition, values)
    if counts is None:
        counts = plain_counts(edition, in_layout_order)
    if counts is not None and _AMOUNT_TYPES.issuperset(
        map(type, _amounts(edition)(in_layout_order))
    ):
        return frozenset()  # the common case, without a look at each cell
    by_path = queries.cells_by_path(edition)
    return frozenset(p for p, v in values.items() if not _type_ok(by_path[p].type, v))


def _fast(ctx: Context) -> bool:
    """Every cell a number and every count a plain ``int``: sums can be tested in one pass."""
    return ctx.counts is not None and not ctx.bad_cells


@rule("CELL-type", "error", "表格单元格的数据类型正确（件数为整数，金额为十进制数）")
def cell_type(ctx: Context, r: Rule) -> Iterable[Finding]:
    # A rule that sees at once it finds nothing returns () rather than a generator (one
    # is costly to make and run): the same findings, none.
    return _cell_type_findings(ctx, r) if ctx.bad_cells else ()


def _cell_type_findings(ctx: Context, r: Rule) -> Iterator[Finding]:
    for cell in cells(ctx.report.edition):
        value = ctx.values[cell.path]
        if not _type_ok(cell.type, value):
            yield r.finding(
                f"{cell.row}{'·' + cell.column if cell.column else ''}：{problem_value(cell.type, value)}",
                _cell_location(cell),
                expected=cell.type,
                actual=describe(value),
            )


#: Decimal places an amount cell may have, by kind.
_PLACES = {"money": MONEY_PLACES, "yuan": YUAN_PLACES}


def _plain_amount(value: Decimal, places: int | None) -> bool:
    """True for a finite amount in [0, MAX_AMOUNT] with at most ``places`` decimals: an amount
    of a kind in ``_PLACES`` that :func:`problem_value` has nothing to say about."""
    return (
        places is not None
        and value.is_finite()
        and 0 <= value <= MAX_AMOUNT
        and value.as_tuple().exponent >= -places  # type: ignore[operator]  # int when finite
    )


@rule("CELL-range", "error", "表格单元格的数值在允许范围内（非负、金额小数位数）")
def cell_range(ctx: Context, r: Rule) -> Iterator[Finding]:
    bad, values, edition = ctx.bad_cells, ctx.values, ctx.report.edition
    by_path = queries.cells_by_path(edition)
    counts = None if bad else ctx.counts
    if counts is not None and counts_in_range(counts):
        paths: Iterable[str] = _counts_and_amounts(edition)[1]  # only the amounts to ask about
    else:
        paths = values
    for path in paths:
        value = values[path]
        if type(value) is int and 0 <= value <= MAX_COUNT:
            continue  # the common case, valid for every kind: no need to ask
        if type(value) is Decimal and _plain_amount(value, _PLACES.get(by_path[path].type)):
            continue  # the common amount: no need to ask either
        if path in bad:
            continue  # reported by CELL-type
        cell = by_path[path]
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


@functools.cache
def _t3_row_plan(
    edition: str,
) -> tuple[
    tuple[str, str, Callable[[Mapping[str, object]], tuple[object, ...]], tuple[str, ...]], ...
]:
    """For each Table 3 row: its name, its 总计 cell, a getter of its parts' values (one C
    call), every cell of the row."""
    row_names, _ = _t3_names(edition)
    plan = []
    for (row_field,), row_name in row_names.items():
        prefix = f"applications.{row_field}"
        parts = tuple(f"{prefix}.{c}" for c in ApplicantCounts.PARTS)
        every = tuple(f"{prefix}.{c}" for c in ApplicantCounts.COLUMNS)
        plan.append((row_name, f"{prefix}.total", operator.itemgetter(*parts), every))
    return tuple(plan)


@functools.cache
def _t3_rows_add_up(edition: str) -> CellTest:
    """A test that every Table 3 row's parts add up to its total."""
    parts = len(ApplicantCounts.PARTS)
    plan = _t3_row_plan(edition)
    return _equations(edition, ((every[:parts], (total,)) for _n, total, _g, every in plan))


@rule("T3-row", "error", "表3每一行：总计等于各类申请人数量之和")
def t3_row(ctx: Context, r: Rule) -> Iterable[Finding]:
    if _fast(ctx) and _t3_rows_add_up(ctx.report.edition)(ctx.cells):
        return ()  # every row adds up
    return _t3_row_findings(ctx, r)


def _t3_row_findings(ctx: Context, r: Rule) -> Iterator[Finding]:
    values, bad = ctx.values, ctx.bad_cells
    _, col_names = _t3(ctx)
    total_name = col_names[("total",)]
    for row_name, total_path, part_values, every in _t3_row_plan(ctx.report.edition):
        if bad and not ctx.numbers(*every):
            continue
        parts = part_values(values)
        expected = sum(parts)  # type: ignore[arg-type]  # numbers, checked above
        total = values[total_path]
        if total != expected:
            yield r.finding(
                f"“{row_name}”一行：{total_name}填报为 {total}，"
                f"但各类申请人数量之和为 {expected}（{signed_sum(parts)}）。",
                _t3_location(row_name, total_name, total_path, every),
                expected=expected,
                actual=total,
            )


@functools.cache
def _t3_column_plan(edition: str) -> tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...]:
    """For each Table 3 column: its name, its （七）总计 cell, its result cells, and the cells
    of the column's identity (新收 + 上年结转 = 办结 + 结转下年)."""
    _, col_names = _t3_names(edition)
    results = queries.result_rows(edition)
    plan = []
    for (col,), col_name in col_names.items():
        parts = tuple(f"applications.{n}.{col}" for n in results)
        identity = tuple(
            f"applications.{n}.{col}"
            for n in ("new_received", "carried_over", "total_handled", "carried_forward")
        )
        plan.append((col_name, f"applications.total_handled.{col}", parts, identity))
    return tuple(plan)


@functools.cache
def _t3_columns_add_up(edition: str) -> tuple[CellTest, CellTest]:
    """Tests of Table 3's columns: that every column's results add up to its （七）总计; and
    that every column balances (新收 + 上年结转 = 办结 + 结转下年)."""
    plan = _t3_column_plan(edition)
    results = _equations(edition, ((parts, (total,)) for _n, total, parts, _i in plan))
    identity = _equations(edition, ((i[:2], i[2:]) for _n, _t, _p, i in plan))
    return results, identity


@rule("T3-results", "error", "表3每一列：办理结果的总计等于各项办理结果之和")
def t3_results(ctx: Context, r: Rule) -> Iterable[Finding]:
    if _fast(ctx) and _t3_columns_add_up(ctx.report.edition)[0](ctx.cells):
        return ()  # every column adds up
    return _t3_results_findings(ctx, r)


def _t3_results_findings(ctx: Context, r: Rule) -> Iterator[Finding]:
    values, bad = ctx.values, ctx.bad_cells
    row_names, _ = _t3(ctx)
    total_row = row_names[("total_handled",)]
    for col_name, total_path, part_paths, _identity in _t3_column_plan(ctx.report.edition):
        involved = (*part_paths, total_path)
        if bad and not ctx.numbers(*involved):
            continue
        parts = [values[p] for p in part_paths]
        expected = sum(parts)  # type: ignore[arg-type]  # numbers, checked above
        actual = values[total_path]
        if actual != expected:
            nonzero = [str(v) for v in parts if v]
            yield r.finding(
                f"“{col_name}”一列：{total_row}填报为 {actual}，"
                f"但各项办理结果之和为 {expected}（{'+'.join(nonzero) or '0'}）。",
                _t3_location(total_row, col_name, total_path, involved),
                expected=expected,
                actual=actual,
            )


@rule("T3-identity", "error", "表3每一列：第一项加第二项之和，等于第三项加第四项之和")
def t3_identity(ctx: Context, r: Rule) -> Iterable[Finding]:
    if _fast(ctx) and _t3_columns_add_up(ctx.report.edition)[1](ctx.cells):
        return ()  # every column balances
    return _t3_identity_findings(ctx, r)


def _t3_identity_findings(ctx: Context, r: Rule) -> Iterator[Finding]:
    values, bad = ctx.values, ctx.bad_cells
    row_names, _ = _t3(ctx)
    received, carried = row_names[("new_received",)], row_names[("carried_over",)]
    handled, forward = row_names[("total_handled",)], row_names[("carried_forward",)]
    for col_name, _total, _parts, involved in _t3_column_plan(ctx.report.edition):
        if bad and not ctx.numbers(*involved):
            continue
        new, old, done, ahead = (values[p] for p in involved)
        left = new + old  # type: ignore[operator]  # numbers, checked above
        right = done + ahead  # type: ignore[operator]
        if left != right:
            yield r.finding(
                f"“{col_name}”一列不满足勾稽关系：{received}（{new}）"
                f"加{carried}（{old}）为 {left}，"
                f"而{handled}（{done}）加{forward}"
                f"（{ahead}）为 {right}。",
                _t3_location(None, col_name, involved[-1], involved),
                expected=left,
                actual=right,
            )


# ------------------------------------------------------------------ Table 4


@functools.cache
def _t4_sums(edition: str) -> tuple[CellTest, tuple[tuple[str, tuple[str, ...]], ...]]:
    """A test that every Table 4 group's parts add up to its total; and each group's field
    with its cells."""
    groups = tuple(
        (group, tuple(f"review_litigation.{group}.{c}" for c in CaseOutcomes.COLUMNS))
        for group in queries.review_group_fields()
    )
    sides = (
        (
            [f"review_litigation.{g}.{c}" for c in CaseOutcomes.PARTS],
            [f"review_litigation.{g}.total"],
        )
        for g, _ in groups
    )
    return _equations(edition, sides), groups


@rule("T4-sum", "error", "表4每一组：总计等于四种结果（维持、纠正、其他、未结）之和")
def t4_sum(ctx: Context, r: Rule) -> Iterable[Finding]:
    add_up, groups = _t4_sums(ctx.report.edition)
    if _fast(ctx) and add_up(ctx.cells):
        return ()  # every group adds up
    return _t4_sum_findings(ctx, r, groups)


def _t4_sum_findings(
    ctx: Context, r: Rule, groups: tuple[tuple[str, tuple[str, ...]], ...]
) -> Iterator[Finding]:
    rl = ctx.report.review_litigation
    table = layout().review_litigation
    for group, involved in groups:
        outcomes = rl.group(group)
        if ctx.bad_cells and not ctx.numbers(*involved):
            continue
        expected = sum(outcomes.parts)
        if outcomes.total == expected:
            continue
        columns = leaves_by_path(table, ctx.report.edition, "columns")
        total_leaf = columns[(group, "total")]
        group_name = total_leaf.nodes[-2].label
        part_names = "、".join(columns[(group, p)].label for p in outcomes.PARTS)
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
