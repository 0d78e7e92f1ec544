"""Turn a report into the neutral document tree, with generated numbering.

Table layouts come from ``templates/official/tables.yaml``: header rows and
their spans are derived from the column tree, row-label spans from the row
tree, so every renderer draws the same official grid.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from hdgovreport.checks import CheckResult
from hdgovreport.document.sizing import size_table
from hdgovreport.document.tree import (
    Banner,
    Block,
    Cell,
    Document,
    Heading,
    Paragraph,
    Row,
    Section,
    Table,
    TableNote,
)
from hdgovreport.form.layout import (
    Edition,
    MatrixTable,
    Node,
    layout,
    section_heading,
    section_order,
    wording,
)
from hdgovreport.form.numbering import level1, level2, point
from hdgovreport.model import AnnualReport, Narrative, Point, value_at

#: Printed size of each table's text (5号 = 10.5 pt; Table 4's 15 columns: 9 pt).
TABLE_PT = {"proactive": 10.5, "applications": 10.5, "review_litigation": 9.0}


def format_value(value: object) -> str:
    """How a cell value is printed: integers as they are, money in plain decimal notation."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


# ---------------------------------------------------------------- tables


def _leaf_count(node: Node, edition: str) -> int:
    visible = node.visible(edition)
    return sum(_leaf_count(c, edition) for c in visible) if visible else 1


def _depth(nodes: tuple[Node, ...], edition: str) -> int:
    visible = [n for n in nodes if n.in_edition(edition)]
    return max((1 + _depth(n.children, edition) for n in visible), default=0)


def _column_header(table: MatrixTable, edition: str, corner: Cell | None) -> tuple[Row, ...]:
    height = _depth(table.columns, edition)
    rows: list[list[Cell]] = [[] for _ in range(height)]
    if corner is not None:
        rows[0].append(corner)
    start = corner.colspan if corner is not None else 0

    def place(nodes: tuple[Node, ...], level: int, column: int) -> int:
        for node in nodes:
            if not node.in_edition(edition):
                continue
            span = _leaf_count(node, edition)
            leaf = not node.visible(edition)
            rows[level].append(
                Cell(
                    text=node.label,
                    kind="column-header",
                    column=column,
                    colspan=span,
                    rowspan=height - level if leaf else 1,
                    scope="col" if span == 1 else "colgroup",
                )
            )
            if not leaf:
                place(node.children, level + 1, column)
            column += span
        return column

    place(table.columns, 0, start)
    return tuple(Row(tuple(r)) for r in rows)


def _matrix(report: AnnualReport, table: MatrixTable, caption: str, table_id: str) -> Table:
    edition = report.edition
    label_width = _depth(table.rows, edition)
    height = _depth(table.columns, edition)
    corner = None
    if label_width:
        corner = Cell(
            text=table.corner_note or "",
            kind="corner",
            column=0,
            colspan=label_width,
            rowspan=height,
        )
    head = _column_header(table, edition, corner)
    column_leaves = table.column_leaves(edition)
    body: list[Row] = []
    if not label_width:  # Table 4: one row of values
        body.append(
            Row(
                tuple(
                    _value_cell(report, ".".join((table.field, *leaf.path)), label_width + i)
                    for i, leaf in enumerate(column_leaves)
                )
            )
        )
    for leaf in table.row_leaves(edition):
        cells: list[Cell] = []
        depth = len(leaf.nodes)
        for level, node in enumerate(leaf.nodes):
            is_leaf = level == depth - 1
            if not is_leaf:
                if _first_leaf(node, edition) != leaf.node:
                    continue  # already placed with its rowspan on the group's first row
                cells.append(
                    Cell(
                        text=node.label,
                        kind="row-header",
                        column=level,
                        rowspan=_leaf_count(node, edition),
                        scope="rowgroup",
                    )
                )
            else:
                cells.append(
                    Cell(
                        text=node.label,
                        kind="row-header",
                        column=level,
                        colspan=label_width - level,
                        scope="row",
                    )
                )
        row_path = ".".join((table.field, *leaf.path))
        for i, col in enumerate(column_leaves):
            cells.append(_value_cell(report, f"{row_path}.{'.'.join(col.path)}", label_width + i))
        body.append(Row(tuple(cells)))
    return Table(
        id=table_id,
        name=table.name,
        caption=caption,
        widths_mm=table.widths,
        head=head,
        bodies=(tuple(body),),
    )


def _first_leaf(node: Node, edition: str) -> Node:
    visible = node.visible(edition)
    return _first_leaf(visible[0], edition) if visible else node


def _value_cell(report: AnnualReport, path: str, column: int) -> Cell:
    return Cell(text=format_value(value_at(report, path)), kind="value", column=column, field=path)


def _spread(columns: int, items: int) -> list[tuple[int, int]]:
    """(first column, span) of ``items`` cells sharing ``columns`` grid columns, leftmost widest.

    Table 2 has three value columns; a block with two (2019: （八）、（九）) spans 2 + 1,
    so every row covers the whole grid.
    """
    base, extra = divmod(columns, items)
    places = []
    start = 0
    for i in range(items):
        span = base + (1 if i < extra else 0)
        places.append((start, span))
        start += span
    return places


def _proactive(report: AnnualReport, caption: str) -> Table:
    t2 = layout().proactive
    width = len(t2.widths)
    groups: list[tuple[Row, ...]] = []
    for block in t2.blocks(report.edition):
        rows: list[Row] = [
            Row(
                (
                    Cell(
                        text=block.title,
                        kind="block-title",
                        column=0,
                        colspan=width,
                        scope="colgroup",
                    ),
                )
            )
        ]
        places = _spread(width - 1, len(block.columns))
        header = [Cell(text=t2.row_header, kind="column-header", column=0, scope="col")]
        for col, (start, span) in zip(block.columns, places, strict=True):
            header.append(
                Cell(
                    text=col.label,
                    kind="column-header",
                    column=1 + start,
                    colspan=span,
                    scope="col" if span == 1 else "colgroup",
                )
            )
        rows.append(Row(tuple(header)))
        for row in block.rows:
            cells = [Cell(text=row.label, kind="row-header", column=0, scope="row")]
            for col, (start, span) in zip(block.columns, places, strict=True):
                path = ".".join(p for p in (t2.field, row.field, col.field) if p)
                cells.append(
                    Cell(
                        text=format_value(value_at(report, path)),
                        kind="value",
                        column=1 + start,
                        colspan=span,
                        field=path,
                    )
                )
            rows.append(Row(tuple(cells)))
        groups.append(tuple(rows))
    # the first block's title and header rows head the table; the rest are body groups
    first = groups[0]
    return Table(
        id="table-proactive",
        name=t2.name,
        caption=caption,
        widths_mm=t2.widths,
        head=first[:2],
        bodies=(first[2:], *groups[1:]),
        repeat_head=False,  # the head belongs to the first block only
    )


# ---------------------------------------------------------------- narrative


def _narrative(attr: str, narrative: Narrative, section_no: int) -> list[Block]:
    blocks: list[Block] = [
        Paragraph(text=t, source=f"{attr}.intro.{i}") for i, t in enumerate(narrative.intro)
    ]
    for s, sub in enumerate(narrative.subsections, 1):
        blocks.append(Heading(level=2, number=level2(s), text=sub.title, id=f"s{section_no}-{s}"))
        n = 0
        for b, block in enumerate(sub.content):
            source = f"{attr}.subsections.{s - 1}.content.{b}"
            if isinstance(block, Point):
                n += 1
                blocks.append(
                    Paragraph(
                        text=block.text,
                        role="point",
                        number=point(n, sub.point_style),
                        source=source,
                    )
                )
            else:
                blocks.append(Paragraph(text=block.text, source=source))
    return blocks


def _table_section(attr: str, section: object, table: Table) -> list[Block]:
    intro = getattr(section, "intro", ())
    notes = getattr(section, "notes", ())
    return [
        *(
            Paragraph(text=t, role="table-intro", source=f"{attr}.intro.{i}")
            for i, t in enumerate(intro)
        ),
        table,
        *(
            Paragraph(text=t, role="table-note", source=f"{attr}.notes.{i}")
            for i, t in enumerate(notes)
        ),
    ]


def banner_for(result: CheckResult | None) -> Banner | None:
    """The ``校验未通过`` notice for a report whose check found errors, else ``None``."""
    if result is None or result.ok:
        return None
    w = wording()
    rules = result.failed_rules
    return Banner(
        title=w.unverified_title,
        text=w.unverified_text.format(rules="、".join(rules)),
        rules=rules,
        lead=_lead(),
        messages=tuple(dict.fromkeys(f.message for f in result.errors)),
    )


def _lead() -> str:
    """The fixed sentence of the notice, up to where it names the failed checks."""
    return wording().unverified_text.split("{rules}", 1)[0]


def _mark_errors(table: Table, result: CheckResult | None) -> Table:
    """Mark the value cells the check's errors are about and explain them under the table.

    The mark is no text in the cell (the figure stays as reported, for readers and
    screen readers): the cell points at its note, and each renderer draws the mark.
    The note starts with the notice's fixed wording, so a reader of the published
    report knows it for the build's own notice, not part of the report.
    """
    if result is None or result.ok:
        return table
    fields = {c.field for row in table.rows() for c in row.cells if c.field}
    messages: dict[str, list[str]] = {}
    for finding in result.errors:
        targets = [finding.location.field] if finding.location.field in fields else []
        targets = targets or [c for c in finding.location.cells if c in fields]
        for target in targets:
            messages.setdefault(target, [])
            if finding.message not in messages[target]:
                messages[target].append(finding.message)
    if not messages:
        return table
    note_id = f"{table.id}-errors"
    texts = list(dict.fromkeys(m for ms in messages.values() for m in ms))
    note = TableNote(id=note_id, text=f"{wording().unverified_title}　{_lead()}{''.join(texts)}")

    def mark(row: Row) -> Row:
        return Row(
            tuple(attrs.evolve(c, error=note_id) if c.field in messages else c for c in row.cells)
        )

    return attrs.evolve(
        table,
        head=tuple(mark(r) for r in table.head),
        bodies=tuple(tuple(mark(r) for r in body) for body in table.bodies),
        notes=(note,),
    )


def build_document(report: AnnualReport, result: CheckResult | None = None) -> Document:
    """The document tree of a report; ``result`` with errors adds the unverified banner."""
    tables = layout()
    sections: list[Section] = []
    for number, attr in enumerate(section_order(), 1):
        heading = Heading(
            level=1,
            number=level1(number),
            text=section_heading(attr, numbered=False),
            id=f"s{number}",
        )
        caption = heading.text
        blocks: list[Block]
        if attr == "proactive":
            table = size_table(_proactive(report, caption), TABLE_PT["proactive"])
            blocks = _table_section(attr, report.proactive, _mark_errors(table, result))
        elif attr == "applications":
            table = _matrix(report, tables.applications, caption, "table-applications")
            table = size_table(table, TABLE_PT[attr])
            blocks = _table_section(attr, report.applications, _mark_errors(table, result))
        elif attr == "review_litigation":
            table = _matrix(report, tables.review_litigation, caption, "table-review-litigation")
            table = size_table(table, TABLE_PT[attr])
            blocks = _table_section(attr, report.review_litigation, _mark_errors(table, result))
        else:
            blocks = _narrative(attr, getattr(report, attr), number)
        sections.append(Section(attr=attr, heading=heading, blocks=tuple(blocks)))
    edition: Edition = report.edition
    return Document(
        title=report.title,
        agency=report.meta.agency,
        year=report.meta.year,
        edition=edition,
        published=report.meta.published,
        opening=tuple(
            Paragraph(text=t, role="opening", source=f"opening.{i}")
            for i, t in enumerate(report.opening)
        ),
        sections=tuple(sections),
        banner=banner_for(result),
    )
