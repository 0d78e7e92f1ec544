"""Questions every package asks of the official form, answered once from ``tables.yaml``.

The layout (:mod:`hdgovreport.form.layout`) is a faithful tree of the official tables;
these functions answer the questions the model, the data file, the workbook, the
checker, the readers and the editions keep asking of it — which rows add up to
（七）总计, which are Table 4's groups, what is the official name of a cell path —
so that no package derives them by hand.  All answers are cached and immutable.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import attrs

from hdgovreport.form.layout import Block, Cell, Leaf, Node, cells, layout, strip_numbering

_TRAILING_NOTE = re.compile(r"（[^（）]*）$")


def label_core(label: str) -> str:
    """A label without its numbering and its trailing parenthetical note or unit.

    ``（二）部分公开（区分处理的，只计这一情形，不计其他情形）`` → ``部分公开``;
    ``本年收费金额（单位：万元）`` → ``本年收费金额``; ``1.属于国家秘密`` → ``属于国家秘密``.
    """
    core = strip_numbering(label)
    stripped = _TRAILING_NOTE.sub("", core)
    return stripped or core


# ---------------------------------------------------------------- every cell


@functools.cache
@functools.cache
def cell_paths(edition: str) -> tuple[str, ...]:
    """Dotted model paths of every value cell (Tables 2–4 and the fee figures), in reading order."""
    return tuple(c.path for c in cells(edition))


@functools.cache
def cells_by_path(edition: str) -> Mapping[str, Cell]:
    """Every value cell of ``edition`` keyed by its model path."""
    return {c.path: c for c in cells(edition)}


def cell_at(path: str, edition: str | None = None) -> Cell | None:
    """The cell at a model path, in ``edition`` or (``None``) in whichever edition has it."""
    for ed in (edition,) if edition else ("2021", "2019"):
        found = cells_by_path(ed).get(path)
        if found is not None:
            return found
    return None


def cell_name(path: str, edition: str | None = None) -> str:
    """Official labels of a cell path for messages: ``表3 · 一、本年新收… · 自然人`` ("" if none)."""
    cell = cell_at(path, edition)
    if cell is None:
        return ""
    return " · ".join(p for p in (cell.table, cell.row, cell.column) if p)


# ---------------------------------------------------------------- Table 2


@attrs.frozen
class ProactiveRow:
    """One data row of Table 2 with its block and columns."""

    block: Block
    row: Node
    field: str  # the model attribute of the row (``proactive.<field>``)
    columns: tuple[Node, ...]

    @property
    def single(self) -> bool:
        """A row of one value (the value spans the three value columns)."""
        return len(self.columns) == 1

    def path(self, column: Node) -> str:
        """The model path of the row's cell in ``column``."""
        t2 = layout().proactive
        return ".".join(p for p in (t2.field, self.field, column.field) if p)


@functools.cache
def proactive_rows(edition: str) -> tuple[ProactiveRow, ...]:
    """The data rows of Table 2, block by block, in table order."""
    out = []
    for block in layout().proactive.blocks(edition):
        for row in block.rows:
            assert row.field is not None
            out.append(ProactiveRow(block=block, row=row, field=row.field, columns=block.columns))
    return tuple(out)


# ---------------------------------------------------------------- Table 3


@functools.cache
def applicant_columns(edition: str = "2021") -> tuple[Leaf, ...]:
    """Table 3's seven value columns (自然人 … 其他, 总计)."""
    return layout().applications.column_leaves(edition)


@functools.cache
def applicant_parts() -> tuple[str, ...]:
    """Field names of the six applicant columns that add up to 总计."""
    return tuple(leaf.path[-1] for leaf in applicant_columns() if leaf.path[-1] != "total")


@functools.cache
def application_rows(edition: str) -> tuple[Leaf, ...]:
    """Table 3's leaf rows in table order (一、… 二、… the result rows, （七）总计, 四、…)."""
    return layout().applications.row_leaves(edition)


@functools.cache
def application_row_fields(edition: str) -> tuple[str, ...]:
    """Field names of Table 3's rows, in table order."""
    return tuple(leaf.path[-1] for leaf in application_rows(edition))


def _results_group() -> Node:
    for node in layout().applications.rows:
        if any(c.field == "total_handled" for c in node.children):
            return node
    raise LookupError("tables.yaml: 表3 has no result group holding total_handled")


def results_group() -> Node:
    """The row group ``三、本年度办理结果``."""
    return _results_group()


@functools.cache
def result_categories(edition: str) -> tuple[Node, ...]:
    """The result categories （一）…（六） of ``edition`` (（七）总计 excluded)."""
    return tuple(c for c in _results_group().visible(edition) if c.field != "total_handled")


def category_fields(category: Node, edition: str) -> tuple[str, ...]:
    """Leaf row fields of one result category (the category itself when it is a leaf)."""
    if not category.visible(edition):
        assert category.field is not None
        return (category.field,)
    return tuple(f for c in category.visible(edition) for f in category_fields(c, edition))


@functools.cache
def result_rows(edition: str) -> tuple[str, ...]:
    """Field names of the leaf result rows that add up to （七）总计, in table order."""
    return tuple(f for c in result_categories(edition) for f in category_fields(c, edition))


@functools.cache
def edition_only_rows(edition: str) -> tuple[str, ...]:
    """Table 3 rows that exist in ``edition`` and not in the other one."""
    other = "2019" if edition == "2021" else "2021"
    theirs = set(application_row_fields(other))
    return tuple(f for f in application_row_fields(edition) if f not in theirs)


def row_leaf(field: str, edition: str) -> Leaf:
    """Table 3's leaf row holding ``field`` (KeyError when the edition has none)."""
    for leaf in application_rows(edition):
        if leaf.path[-1] == field:
            return leaf
    raise KeyError(field)


# ---------------------------------------------------------------- Table 4


@functools.cache
def review_groups() -> tuple[Node, ...]:
    """Table 4's three groups (行政复议, 未经复议直接起诉, 复议后起诉), in table order."""
    table = layout().review_litigation
    return tuple(n for top in table.columns for n in ([top] if top.field else top.children))


@functools.cache
def review_group_fields() -> tuple[str, ...]:
    """Field names of Table 4's groups."""
    return tuple(g.field for g in review_groups() if g.field)


@functools.cache
def outcome_columns() -> tuple[Node, ...]:
    """The five outcome columns of every Table 4 group (结果维持 … 总计)."""
    return review_groups()[0].children


@functools.cache
def outcome_parts() -> tuple[str, ...]:
    """Field names of the four outcome columns that add up to 总计."""
    return tuple(c.field for c in outcome_columns() if c.field and c.field != "total")


# ---------------------------------------------------------------- printed labels


@functools.cache
def header_labels() -> tuple[str, ...]:
    """Every label printed as a header in either edition: Table 2's block titles, its row header
    and column labels, the column labels of Tables 3 and 4 (groups too) and the corner notes."""
    t = layout()
    out: list[str] = [t.proactive.row_header]
    for edition in ("2021", "2019"):
        for block in t.proactive.blocks(edition):
            out.append(block.title)
            out.extend(c.label for c in block.columns)
    for table in (t.applications, t.review_litigation):
        stack = list(table.columns)
        while stack:
            node = stack.pop(0)
            out.append(node.label)
            stack.extend(node.children)
        if table.corner_note:
            out.append(table.corner_note)
    return tuple(dict.fromkeys(out))


@functools.cache
def table_labels(edition: str) -> tuple[str, ...]:
    """The labels of ``edition``'s Tables 2 and 3 that can tell the editions apart: Table 2's
    block titles, columns and rows, Table 3's rows and row groups."""
    t = layout()
    out: list[str] = []
    for block in t.proactive.blocks(edition):
        out.append(block.title)
        out.extend(n.label for n in (*block.columns, *block.rows))
    stack = list(t.applications.rows)
    while stack:
        node = stack.pop(0)
        if node.in_edition(edition):
            out.append(node.label)
            stack.extend(node.children)
    return tuple(dict.fromkeys(out))


__all__ = [
    "ProactiveRow",
    "applicant_columns",
    "applicant_parts",
    "application_row_fields",
    "application_rows",
    "category_fields",
    "cell_at",
    "cell_name",
    "cell_paths",
    "cells_by_path",
    "edition_only_rows",
    "header_labels",
    "label_core",
    "outcome_columns",
    "outcome_parts",
    "proactive_rows",
    "result_categories",
    "result_rows",
    "results_group",
    "review_group_fields",
    "review_groups",
    "row_leaf",
    "table_labels",
]
