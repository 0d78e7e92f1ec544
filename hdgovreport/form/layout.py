"""The official tables and wording, read from ``templates/official/``.

``tables.yaml`` is the one place where a table label is written; this module
turns it into typed, immutable descriptions that the model, the data file,
the checker, the readers and the renderers all share.  ``wording.yaml``
holds the title pattern, the six section headings and the standard
sentences.

A *matrix* table (Table 3, Table 4) is a tree of row nodes crossed with a tree
of column nodes; a *block* table (Table 2) is a stack of small sub-tables,
each with a title row, a header row and data rows.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any, Literal, cast

import attrs

from hdgovreport.resources import load_template_yaml

Edition = Literal["2021", "2019"]
EDITIONS: tuple[Edition, ...] = ("2021", "2019")
ValueType = Literal["count", "signed", "money", "yuan"]

_NUMBERING_PREFIX = re.compile(
    r"^(?:[一二三四五六七八九十百千零〇]+、|（[一二三四五六七八九十百千零〇]+）|\d+[.．、])"
)


def strip_numbering(label: str) -> str:
    """``（一）予以公开`` → ``予以公开``; ``1.属于国家秘密`` → ``属于国家秘密``."""
    return _NUMBERING_PREFIX.sub("", label, count=1)


@attrs.frozen
class Node:
    """A row or column of a table, possibly a group of further rows/columns."""

    label: str
    field: str | None = None
    key: str = ""
    type: ValueType = "count"
    qualify: bool = False
    editions: frozenset[str] | None = None
    children: tuple[Node, ...] = ()

    def in_edition(self, edition: str) -> bool:
        return self.editions is None or edition in self.editions

    def visible(self, edition: str) -> tuple[Node, ...]:
        return tuple(c for c in self.children if c.in_edition(edition))


@attrs.frozen
class Leaf:
    """A leaf row or column with everything above it."""

    nodes: tuple[Node, ...]  # from the outermost group down to the leaf

    @property
    def node(self) -> Node:
        return self.nodes[-1]

    @property
    def label(self) -> str:
        return self.node.label

    @property
    def path(self) -> tuple[str, ...]:
        """Model attribute names from the outermost group down (groups without one skipped)."""
        return tuple(n.field for n in self.nodes if n.field is not None)

    @property
    def name(self) -> str:
        """Qualified official name: ``（三）不予公开/1.属于国家秘密``, ``复议后起诉/总计``."""
        parts = [n.label for n in self.nodes[:-1] if n.qualify]
        return "/".join([*parts, self.node.label])

    @property
    def keys(self) -> tuple[str, ...]:
        """Data-file keys from the outermost group down."""
        return tuple(n.key for n in self.nodes)


def _leaves(nodes: tuple[Node, ...], edition: str, above: tuple[Node, ...] = ()) -> Iterator[Leaf]:
    for node in nodes:
        if not node.in_edition(edition):
            continue
        chain = (*above, node)
        if node.children:
            yield from _leaves(node.children, edition, chain)
        else:
            yield Leaf(chain)


@attrs.frozen(cache_hash=True)  # a cache key (leaves_by_path): the tree is hashed once
class MatrixTable:
    """Table 3 or Table 4: a tree of rows crossed with a tree of columns."""

    name: str
    field: str
    columns: tuple[Node, ...]
    rows: tuple[Node, ...] = ()
    corner_note: str | None = None
    widths: tuple[float, ...] = ()  # mm, one per grid column (row-label columns first)

    def column_leaves(self, edition: str) -> tuple[Leaf, ...]:
        return tuple(_leaves(self.columns, edition))

    def row_leaves(self, edition: str) -> tuple[Leaf, ...]:
        return tuple(_leaves(self.rows, edition))


@attrs.frozen
class Block:
    """One block of Table 2 (e.g. ``第二十条第（一）项``)."""

    title: str
    columns: tuple[Node, ...]
    rows: tuple[Node, ...]


@attrs.frozen
class BlockTable:
    """Table 2: blocks stacked in one table, one set of blocks per edition."""

    name: str
    field: str
    row_header: str
    blocks_by_edition: Mapping[str, tuple[Block, ...]]
    widths: tuple[float, ...] = ()  # mm: the label column, then three value columns

    def blocks(self, edition: str) -> tuple[Block, ...]:
        return self.blocks_by_edition[edition]


@attrs.frozen
class FeeLayout:
    """The information-processing-fee figures of section 6."""

    name: str
    field: str
    items: tuple[Node, ...]


@attrs.frozen
class Cell:
    """One value cell of an official table, as the checker and the data file see it."""

    path: str  # dotted model path, e.g. "applications.new_received.natural_person"
    table: str  # 表2 / 表3 / 表4 / 信息处理费
    row: str  # qualified row name ("" for Table 4's single row)
    column: str  # qualified column name ("" for a single-value row)
    type: ValueType


@attrs.frozen
class Wording:
    """Fixed wording from ``wording.yaml``."""

    title: str
    sections: Mapping[str, str]
    opening: str
    fee_sentence: str
    suggested_subsections: Mapping[str, tuple[str, ...]]
    unverified_title: str
    unverified_text: str

    def title_for(self, agency: str, year: int) -> str:
        return self.title.format(agency=agency, year=year)


@attrs.frozen
class Layout:
    """Everything in ``tables.yaml``."""

    proactive: BlockTable
    applications: MatrixTable
    review_litigation: MatrixTable
    fee: FeeLayout


@functools.cache
def cells(edition: str) -> tuple[Cell, ...]:
    """Every value cell of Tables 2–4 and the fee figures, in reading order."""
    tables = layout()
    out: list[Cell] = []
    t2 = tables.proactive
    for block in t2.blocks(edition):
        for row in block.rows:
            for col in block.columns:
                parts = [t2.field, row.field, col.field]
                out.append(
                    Cell(
                        path=".".join(p for p in parts if p),
                        table=t2.name,
                        row=row.label,
                        column=col.label,
                        type=col.type,
                    )
                )
    for table in (tables.applications, tables.review_litigation):
        rows = table.row_leaves(edition) or (None,)
        for row_leaf in rows:
            for col_leaf in table.column_leaves(edition):
                row_path = row_leaf.path if row_leaf else ()
                out.append(
                    Cell(
                        path=".".join((table.field, *row_path, *col_leaf.path)),
                        table=table.name,
                        row=row_leaf.name if row_leaf else "",
                        column=col_leaf.name,
                        type=col_leaf.node.type,
                    )
                )
    for item in tables.fee.items:
        out.append(
            Cell(
                path=f"other_matters.{tables.fee.field}.{item.field}",
                table=tables.fee.name,
                row=item.label,
                column="",
                type=item.type,
            )
        )
    return tuple(out)


def _node(raw: Mapping[str, Any]) -> Node:
    label = str(raw["label"])
    editions = raw.get("editions")
    return Node(
        label=label,
        field=raw.get("field"),
        key=str(raw.get("key") or strip_numbering(label)),
        type=cast(ValueType, raw.get("type", "count")),
        qualify=bool(raw.get("qualify", False)),
        editions=frozenset(str(e) for e in editions) if editions else None,
        children=tuple(_node(c) for c in raw.get("children") or ()),
    )


def _load_yaml(name: str) -> Any:
    return load_template_yaml("official", name)


@functools.cache
def layout() -> Layout:
    """The official table layouts (cached; read once per process)."""
    raw = _load_yaml("tables.yaml")
    t2 = raw["proactive"]
    blocks = {
        str(edition): tuple(
            Block(
                title=str(b["title"]),
                columns=tuple(_node(c) for c in b["columns"]),
                rows=tuple(_node(r) for r in b["rows"]),
            )
            for b in spec
        )
        for edition, spec in t2["editions"].items()
    }

    def matrix(spec: Mapping[str, Any]) -> MatrixTable:
        return MatrixTable(
            name=str(spec["name"]),
            field=str(spec["field"]),
            columns=tuple(_node(c) for c in spec["columns"]),
            rows=tuple(_node(r) for r in spec.get("rows") or ()),
            corner_note=spec.get("corner_note"),
            widths=tuple(float(w) for w in spec.get("widths") or ()),
        )

    fee = raw["fee"]
    return Layout(
        proactive=BlockTable(
            name=str(t2["name"]),
            field=str(t2["field"]),
            row_header=str(t2["row_header"]),
            blocks_by_edition=blocks,
            widths=tuple(float(w) for w in t2.get("widths") or ()),
        ),
        applications=matrix(raw["applications"]),
        review_litigation=matrix(raw["review_litigation"]),
        fee=FeeLayout(
            name=str(fee["name"]),
            field=str(fee["field"]),
            items=tuple(_node(i) for i in fee["items"]),
        ),
    )


@functools.cache
def wording() -> Wording:
    """The fixed official wording (cached)."""
    raw = _load_yaml("wording.yaml")
    return Wording(
        title=str(raw["title"]),
        sections={str(k): str(v) for k, v in raw["sections"].items()},
        opening=str(raw["opening"]),
        fee_sentence=str(raw["fee_sentence"]),
        unverified_title=str(raw["unverified"]["title"]),
        unverified_text=str(raw["unverified"]["text"]),
        suggested_subsections={
            str(k): tuple(str(t) for t in v) for k, v in raw["suggested_subsections"].items()
        },
    )


def section_order() -> tuple[str, ...]:
    """Model attributes of the six sections, in the order of Article 50."""
    return tuple(wording().sections)


@functools.cache
def section_heading(attr: str, *, numbered: bool = True) -> str:
    """``applications`` → ``三、收到和处理政府信息公开申请情况``."""
    from hdgovreport.form.numbering import level1

    text = wording().sections[attr]
    return level1(section_order().index(attr) + 1) + text if numbered else text


def row_label(table: MatrixTable, field: str) -> str:
    """The official label of the row (or row group) holding ``field``, in any edition."""
    stack = list(table.rows)
    while stack:
        node = stack.pop(0)
        if node.field == field:
            return node.label
        stack.extend(node.children)
    raise KeyError(field)


@functools.cache
def leaves_by_path(
    table: MatrixTable, edition: str, axis: Literal["rows", "columns"]
) -> dict[tuple[str, ...], Leaf]:
    """Leaf rows or columns of a matrix table keyed by their field path (cached: do not change it)."""
    leaves = table.row_leaves(edition) if axis == "rows" else table.column_leaves(edition)
    return {leaf.path: leaf for leaf in leaves}
