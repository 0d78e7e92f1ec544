"""What the page needs to draw the form: the official tables' grids and the form's words.

The tables are the grids of the document tree the official edition builds
(:func:`hdgovreport.document.build_document`): the same labels from
``templates/official/tables.yaml``, the same row and column spans, and the model path
of every value cell, where the page puts an input.  Nothing about the tables is
written in the page's script; numbering (``（一）``, ``一是``) comes from
:mod:`hdgovreport.form.numbering`.
"""

from __future__ import annotations

import functools
from typing import Any

from hdgovreport.datafile import keys as K
from hdgovreport.datafile.template import blank_report
from hdgovreport.document import build_document
from hdgovreport.document.tree import Cell, Row, Table
from hdgovreport.form import queries
from hdgovreport.form.layout import EDITIONS, Edition, cells, layout, section_heading, wording
from hdgovreport.form.numbering import level2, point
from hdgovreport.model import POINT_STYLES
from hdgovreport.serve.form import NARRATIVES, total_paths

#: How many sub-sections and points the page can number (more are numbered on demand).
NUMBERED = 100


def _cell(cell: Cell) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": cell.kind, "column": cell.column}
    if cell.colspan > 1:
        out["colspan"] = cell.colspan
    if cell.rowspan > 1:
        out["rowspan"] = cell.rowspan
    if cell.scope:
        out["scope"] = cell.scope
    if cell.field is not None:
        out["field"] = cell.field
    else:
        out["text"] = cell.text
    return out


def _rows(rows: tuple[Row, ...]) -> list[list[dict[str, Any]]]:
    return [[_cell(c) for c in row.cells] for row in rows]


def _table(table: Table, attr: str) -> dict[str, Any]:
    return {
        "id": table.id,
        "section": attr,
        "name": table.name,
        "caption": table.caption,
        "widths": list(table.widths_mm),
        "head": _rows(table.head),
        "bodies": [_rows(body) for body in table.bodies],
    }


@functools.cache
def layout_json(edition: Edition) -> dict[str, Any]:
    """Everything the page draws for ``edition``, as JSON-ready data."""
    if edition not in EDITIONS:
        raise ValueError(edition)
    document = build_document(blank_report("x", 2022, edition))
    tables = [
        _table(block, section.attr)
        for section in document.sections
        for block in section.blocks
        if isinstance(block, Table)
    ]
    fee = layout().fee
    w = wording()
    return {
        "edition": edition,
        "editions": list(EDITIONS),
        "sections": [
            {
                "attr": attr,
                "heading": section_heading(attr),
                "kind": "narrative" if attr in NARRATIVES else "table",
            }
            for attr in w.sections
        ],
        "tables": tables,
        "fee": {
            "name": fee.name,
            "items": [
                {"path": f"other_matters.{fee.field}.{i.field}", "label": i.label, "type": i.type}
                for i in fee.items
            ],
        },
        "types": {c.path: c.type for c in cells(edition)},
        "names": {path: queries.cell_name(path, edition) for path in queries.cell_paths(edition)},
        "totals": sorted(total_paths(edition)),
        "point_styles": list(POINT_STYLES),
        "numbering": {
            "subsection": [level2(n) for n in range(1, NUMBERED + 1)],
            "point": {s: [point(n, s) for n in range(1, NUMBERED + 1)] for s in POINT_STYLES},
        },
        "suggested": {k: list(v) for k, v in w.suggested_subsections.items()},
        "unverified": w.unverified_title,
        "words": {
            "edition": K.EDITION,
            "agency": K.AGENCY,
            "kind": K.KIND,
            "year": K.YEAR,
            "published": K.PUBLISHED,
            "website": K.WEBSITE,
            "contact": K.CONTACT,
            "opening": K.OPENING,
            "intro": K.INTRO,
            "notes": K.NOTES,
            "subsections": K.SUBSECTIONS,
            "title": K.TITLE,
            "point": K.POINT,
            "paragraph": K.PARAGRAPH,
            "point_style": K.POINT_STYLE,
            "highlights": K.HIGHLIGHTS,
            "figure": K.FIGURE,
            "unit": K.UNIT,
            "label": K.LABEL,
            "kinds": list(K.KIND_WORDS.values()),
        },
    }


__all__ = ["layout_json"]
