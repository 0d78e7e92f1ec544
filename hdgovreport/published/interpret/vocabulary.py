"""The labels a published report is read by, all taken from the official form.

Every label comes from :mod:`hdgovreport.form` (``tables.yaml``/``wording.yaml``
through ``layout`` and ``queries``); this module only builds the matchers the
interpreter asks: which section a heading names, which table row a label
names, which labels only one edition prints, what reads like a column header.
"""

from __future__ import annotations

import functools

import attrs

from hdgovreport.form import queries
from hdgovreport.form.layout import Node, layout, wording
from hdgovreport.published.interpret.labels import Matcher, normalise


@functools.cache
def title_core() -> str:
    """The fixed part of the title after the year: ``政府信息公开工作年度报告``."""
    template = wording().title
    return template.split("{year}", 1)[1].lstrip("年")


@functools.cache
def section_matcher() -> Matcher[str]:
    return Matcher(((h, attr) for attr, h in wording().sections.items()), cutoff=0.85)


@functools.cache
def edition_markers() -> dict[str, frozenset[str]]:
    """Normalised labels printed in one edition only (evidence for which edition a report uses)."""
    a = {normalise(x) for x in queries.table_labels("2021")}
    b = {normalise(x) for x in queries.table_labels("2019")}
    # a marker must not read like a column header (（六）3.其他 vs the column 其他)
    columns = {
        normalise(leaf.label)
        for table in (layout().applications, layout().review_litigation)
        for leaf in table.column_leaves("2021")
    }
    return {"2021": frozenset(a - b - columns), "2019": frozenset(b - a - columns)}


@functools.cache
def marker_labels() -> dict[str, str]:
    """Normalised edition marker → the official label, for messages."""
    out: dict[str, str] = {}
    for edition in ("2021", "2019"):
        for label in queries.table_labels(edition):
            out.setdefault(normalise(label), label)
    return out


@attrs.frozen
class RowTarget:
    """What a Table 3 row label stands for: a leaf row, a group, or both (（六）其他处理)."""

    field: str | None  # leaf field
    group: str | None  # group label
    name: str  # qualified official name, for messages


@functools.cache
def t3_matcher() -> Matcher[RowTarget]:
    seen: dict[str, RowTarget] = {}

    def visit(nodes: tuple[Node, ...], above: str) -> None:
        for node in nodes:
            name = f"{above}/{node.label}" if above else node.label
            key = normalise(node.label)
            prev = seen.get(key)
            if node.children:
                seen[key] = RowTarget(prev.field if prev else None, node.label, node.label)
                visit(node.children, node.label if node.qualify else "")
            else:
                seen[key] = RowTarget(node.field, prev.group if prev else None, name)

    visit(layout().applications.rows, "")
    return Matcher(seen.items())


@attrs.frozen
class T2Target:
    field: str
    label: str


@functools.cache
def t2_matcher(edition: str) -> Matcher[T2Target]:
    return Matcher(
        (row.row.label, T2Target(row.field, row.row.label))
        for row in queries.proactive_rows(edition)
    )


@functools.cache
def t4_group_matcher() -> Matcher[str]:
    return Matcher((g.label, str(g.field)) for g in queries.review_groups())


@functools.cache
def t4_outcome_matcher() -> Matcher[str]:
    return Matcher((c.label, str(c.field)) for c in queries.outcome_columns())


def group_label(field: str) -> str:
    """Table 4's group label for a group field."""
    return next(g.label for g in queries.review_groups() if g.field == field)


def outcome_label(field: str) -> str:
    """Table 4's outcome label for an outcome field."""
    return next(o.label for o in queries.outcome_columns() if o.field == field)


@functools.cache
def _header_keys() -> frozenset[str]:
    return frozenset(normalise(x) for x in queries.header_labels())


@functools.cache
def longest_label() -> int:
    """The length of the longest printed label of the form (no longer text is a label)."""
    labels = [
        *queries.header_labels(),
        *queries.table_labels("2021"),
        *queries.table_labels("2019"),
    ]
    return max(len(x) for x in labels)


def _too_long(text: str) -> bool:
    return len(text) > 2 * longest_label()


def is_header_text(text: str) -> bool:
    """Whether ``text`` is a column header, block title or corner note of a table."""
    return not _too_long(text) and normalise(text) in _header_keys()


def any_row_label(label: str, fuzzy: bool = True) -> bool:
    """Whether ``label`` names a row of any table (either edition)."""
    if _too_long(label):
        return False
    return bool(
        t3_matcher().match(label, fuzzy=fuzzy)
        or t2_matcher("2021").match(label, fuzzy=fuzzy)
        or t2_matcher("2019").match(label, fuzzy=fuzzy)
        or t4_group_matcher().match(label, fuzzy=fuzzy)
    )


def is_row_label(text: str) -> bool:
    """Whether ``text`` is exactly (up to spacing and numbering style) a row label."""
    return any_row_label(text, fuzzy=False)


__all__ = [
    "RowTarget",
    "T2Target",
    "any_row_label",
    "edition_markers",
    "group_label",
    "is_header_text",
    "is_row_label",
    "marker_labels",
    "outcome_label",
    "section_matcher",
    "t2_matcher",
    "t3_matcher",
    "t4_group_matcher",
    "t4_outcome_matcher",
    "title_core",
]
