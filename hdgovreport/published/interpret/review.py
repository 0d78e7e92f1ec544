"""Table 4 from its printed rows: one wide row of 15 values under its headers, or a row per group.

The printed order of the groups and outcomes is taken from the header rows, so a
table that prints them in another order is still read right (and says so).
"""

from __future__ import annotations

from collections.abc import Sequence

from hdgovreport.form import queries
from hdgovreport.form.layout import layout
from hdgovreport.model.provenance import Source
from hdgovreport.published.interpret.cells import is_blank
from hdgovreport.published.interpret.result import Trail
from hdgovreport.published.interpret.rows import Row, Value
from hdgovreport.published.interpret.values import (
    TableMissing,
    align,
    label_note,
    label_rows,
    take,
)
from hdgovreport.published.interpret.vocabulary import (
    group_label,
    outcome_label,
    t4_group_matcher,
    t4_outcome_matcher,
)

Values = dict[str, object]


def _has_figures(row: Row) -> bool:
    """Whether a row prints a figure (or something in a figure's place), not only blanks."""
    return any(not is_blank(v.value.raw) for v in row.values)


def _printed_order(rows: Sequence[Row]) -> tuple[int | None, list[str], list[str]]:
    """(index of the first header row, groups in printed order, outcomes in printed order)."""
    group_m, outcome_m = t4_group_matcher(), t4_outcome_matcher()
    outcomes = queries.outcome_columns()
    header_at = None
    group_order: list[str] = []
    outcome_order: list[str] = []
    # a run of label-only rows: the header cells, in reading order (a cell a row when copied)
    run_start = 0
    run: list[str] = []
    for i, row in enumerate(rows):
        names = [h.value for h in (group_m.exact(c.text) for c in row.labels) if h is not None]
        # a header row may end in empty cells (a wide header's other columns, written out
        # as empty cells by tools that turn tables into text): it has no figures
        figures = _has_figures(row)
        if figures:
            run_start, run = i + 1, []
        else:
            run += names
        found: list[str] = []
        if not figures and header_at is None and len(run) >= 2:
            header_at, found = run_start, run
        elif not figures and header_at is not None:
            found = names
        for n in found:
            if n not in group_order:
                group_order.append(n)
        if header_at is not None and not figures and len(outcome_order) < len(outcomes):
            for c in row.labels:
                o = outcome_m.exact(c.text)
                if o is not None and o.value not in outcome_order:
                    outcome_order.append(o.value)
        if header_at is not None and figures and not names:
            break
    return header_at, group_order, outcome_order


def review_litigation(rows: Sequence[Row], filename: str) -> tuple[Values, Trail]:
    """Table 4's cells by path."""
    trail = Trail()
    t4 = layout().review_litigation
    groups = queries.review_group_fields()
    outcomes = [str(o.field) for o in queries.outcome_columns()]
    width = len(groups) * len(outcomes)
    header_at, group_order, outcome_order = _printed_order(rows)
    wide: list[Value] = []
    first_source: Source | None = None
    if header_at is not None:
        for row in rows[header_at + 1 :]:
            if row.labels and not (
                len(row.labels) <= 1 and all(is_blank(c.text) for c in row.labels)
            ):
                if wide:
                    break
                continue
            if not row.values:
                continue
            wide.extend(row.values)
            first_source = first_source or row.values[0].cell.source
            if len(wide) >= width:
                break
    group_fields = list(groups)
    outcome_fields = list(outcomes)
    printed_groups = [g for g in group_order if g in group_fields]
    if len(printed_groups) == len(group_fields) and printed_groups != group_fields:
        trail.note(f"{t4.name}各组的顺序与格式不同，按表头的顺序读入")
        group_fields = printed_groups
    if len(outcome_order) == len(outcome_fields) and outcome_order != outcome_fields:
        trail.note(f"{t4.name}各列的顺序与格式不同，按表头的顺序读入")
        outcome_fields = outcome_order
    values: Values = {}
    if len(wide) >= width - len(groups):  # one wide row
        cells, remarks = align(Row((), tuple(wide), None), width)
        for remark in remarks:
            trail.note(f"{t4.name}数据行{remark}", first_source)
        k = 0
        for g in group_fields:
            for outcome in outcome_fields:
                path = f"{t4.field}.{g}.{outcome}"
                what = f"{t4.name}{group_label(g)}{outcome_label(outcome)}"
                values[path] = take(cells[k], "count", path, what, trail)
                k += 1
        return values, trail

    group_m = t4_group_matcher()

    def match(printed: str, exact_only: bool) -> tuple[str | None, bool] | None:
        m = group_m.match(printed, fuzzy=not exact_only)
        return (m.value, m.exact) if m else None

    found = label_rows(rows, match, prefer=t4.field, trail=trail)
    found = {k: v for k, v in found.items() if v[0].values}
    if len(found) * 2 < len(groups):
        raise TableMissing(filename, f"未找到{t4.name}的数据行")
    for g in groups:
        hit = found.get(g)
        if hit is None:
            trail.note(f"{t4.name}中未找到“{group_label(g)}”一组，按 0 读入")
            for outcome in outcomes:
                values[f"{t4.field}.{g}.{outcome}"] = 0
            continue
        published, cell, exact, printed = hit
        trail.sources[f"{t4.field}.{g}"] = cell.source
        label_note(trail, t4.name, printed, group_label(g), exact, cell)
        cells, remarks = align(published, len(outcomes))
        for remark in remarks:
            trail.note(f"{t4.name}“{group_label(g)}”一行{remark}", cell.source)
        for outcome, value in zip(outcome_fields, cells, strict=True):
            path = f"{t4.field}.{g}.{outcome}"
            what = f"{t4.name}{group_label(g)}{outcome_label(outcome)}"
            values[path] = take(value, "count", path, what, trail)
    return values, trail


__all__ = ["review_litigation"]
