"""The table part of the data file: Tables 2–4 and the fee figures, read as raw values.

The YAML reader only finds each cell's raw text and where it was written (``file:line``);
:func:`hdgovreport.model.structure.structure_tables` — the one path from raw values to the
model, shared with every other input — coerces the values and computes the totals, and its
problems (by cell path) are mapped back to lines here.  So ``１２``, ``十二`` and ``1,520``
get the same message in a data file as in a workbook or a web form.

When the file has problems, the table cross-checks (表3、表4) still run on the cells that
were read, so one run shows the format problems and the arithmetic ones together.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from hdgovreport.datafile import keys as K
from hdgovreport.datafile.yamltext import MappingNode, ScalarNode, tag_of
from hdgovreport.errors import Problem
from hdgovreport.form import queries
from hdgovreport.form.layout import Edition, Node, layout
from hdgovreport.model.structure import StructuredTables, structure_tables
from hdgovreport.model.values import parse_number_text

if TYPE_CHECKING:
    from hdgovreport.datafile.reader import Reader

_DIGIT_GROUP = re.compile(r"\d{3}")


@attrs.define
class _Where:
    node: Any
    trail: list[str]
    missing: str = ""  # the message when the cell was not written


@attrs.define
class TableCells:
    """Raw cell values by path, where each was written, and the paths already reported."""

    reader: Reader
    edition: Edition
    values: dict[str, object] = attrs.field(factory=dict)
    where: dict[str, _Where] = attrs.field(factory=dict)
    reported: set[str] = attrs.field(factory=set)
    texts: dict[str, tuple[str, ...]] = attrs.field(factory=dict)
    bad: set[str] = attrs.field(factory=set)  # cells with a problem, after :meth:`structure`

    # ------------------------------------------------------------ one cell

    def cell(self, node: Any, trail: list[str], path: str, *, total: bool = False) -> None:
        """Take the raw text of the cell at ``path`` (or report a non-scalar there)."""

        self.where[path] = _Where(node, trail)
        if node.refused:
            self.reported.add(path)
            return
        if not isinstance(node, ScalarNode):
            self.reader.problem(node, trail, f"应为一个数，实际为{self.reader.shape(node)}")
            self.reported.add(path)
            return
        self.reader.note(path, node)
        if tag_of(node) == "null":
            if not total:  # an empty total is computed; any other empty cell is a problem
                self.values[path] = ""
            return
        text = str(node.value)
        cell = queries.cell_at(path, self.edition)
        if node.quoted and cell is not None and cell.type in ("count", "signed"):
            value, problem = parse_number_text(cell.type, text)
            if problem is None:  # a count in quotes is text (amounts may be quoted: exact decimals)
                self.reader.problem(
                    node, trail, f"应为数值，实际为文本“{text}”（请去掉引号，写成 {value}）"
                )
                self.reported.add(path)
                return
        self.values[path] = text

    def absent(self, path: str, node: Any, trail: list[str], message: str) -> None:
        """A cell that was not written: reported by the structuring step unless it is a total."""
        self.where[path] = _Where(node, trail, message)

    def skip(self, paths: Sequence[str]) -> None:
        """Cells whose row or group was already reported as missing or malformed."""
        self.reported.update(paths)

    # ------------------------------------------------------------ a row of cells

    def row(
        self,
        node: Any,
        trail: list[str],
        path: str,
        columns: Sequence[tuple[Node, str]],
    ) -> None:
        """A mapping of ``column key: value``; ``columns`` pairs each column with its cell path."""
        paths = [p for _c, p in columns]
        allowed = {a: c.key for c, _p in columns for a in K.aliases(c)}
        entries = self._digit_groups(node, trail)
        found = self.reader.mapping(node, trail, allowed, what="各列数值", entries=entries)
        if found is None:
            self.skip(paths)
            return
        self.reader.note(path, node)
        for column, cell_path in columns:
            if column.key in found:
                self.cell(
                    found[column.key][1],
                    [*trail, column.key],
                    cell_path,
                    total=column.field == "total",
                )
            else:
                self.absent(cell_path, node, trail, f"缺少“{column.key}”列（没有就填 0）")

    def _digit_groups(self, node: Any, trail: list[str]) -> list[tuple[Any, Any]] | None:
        """``{自然人: 1,520}`` in a flow mapping reads as ``自然人: 1`` and a key ``520``:
        say so at the value, and drop the stray keys."""

        if not isinstance(node, MappingNode):
            return None
        entries: list[tuple[Any, Any]] = []
        for key_node, value_node in node.value:
            stray = (
                isinstance(key_node, ScalarNode)
                and _DIGIT_GROUP.fullmatch(str(key_node.value))
                and tag_of(value_node) == "null"
                and entries
                and isinstance(entries[-1][1], ScalarNode)
                and re.fullmatch(r"\d{1,3}(?:,\d{3})*", str(entries[-1][1].value))
                and key_node.start_mark.line == entries[-1][1].start_mark.line
            )
            if stray:
                previous_value = entries[-1][1]
                joined = f"{previous_value.value},{key_node.value}"
                previous_value.value = joined  # the cell now reads as typed, e.g. "1,520"
                continue
            entries.append((key_node, value_node))
        return entries

    # ------------------------------------------------------------ the tables

    def proactive(self, node: Any, trail: list[str]) -> None:
        rows = queries.proactive_rows(self.edition)
        allowed = {a: r.row.key for r in rows for a in K.aliases(r.row)}
        allowed.update(K.text_keys(K.INTRO, K.NOTES))
        found = self.reader.mapping(node, trail, allowed, what="表2各行")
        if found is None:
            self.skip([r.path(c) for r in rows for c in r.columns])
            return
        for row in rows:
            row_trail = [*trail, row.row.key]
            cell_paths = [row.path(c) for c in row.columns]
            if row.row.key not in found:
                if row.single:
                    self.absent(cell_paths[0], node, trail, f"缺少“{row.row.key}”（没有就填 0）")
                else:
                    self.reader.problem(
                        node, trail, f"缺少“{row.row.key}”一行（{row.block.title}）"
                    )
                    self.skip(cell_paths)
                continue
            row_node = found[row.row.key][1]
            if row.single:
                self.cell(row_node, row_trail, cell_paths[0])
            else:
                self.row(
                    row_node,
                    row_trail,
                    f"proactive.{row.field}",
                    list(zip(row.columns, cell_paths, strict=True)),
                )
        self._texts(found, trail, "proactive")

    def applications(self, node: Any, trail: list[str]) -> None:
        table = layout().applications
        columns = [leaf.node for leaf in queries.applicant_columns(self.edition)]
        t3 = table.field

        def walk(n: Any, nodes: tuple[Node, ...], t: list[str], top: bool) -> None:
            visible = [c for c in nodes if c.in_edition(self.edition)]
            allowed = {a: c.key for c in visible for a in K.aliases(c)}
            if top:
                allowed.update(K.text_keys(K.INTRO, K.NOTES))
            found = self.reader.mapping(n, t, allowed, what="表3各行")
            for child in visible:
                leaves = [f for f in _leaf_fields(child, self.edition)]
                cell_paths = [f"{t3}.{f}.{c.field}" for f in leaves for c in columns]
                if found is None:
                    self.skip(cell_paths)
                    continue
                if child.key not in found:
                    if child.field == "total_handled":
                        self.reader.note(f"{t3}.total_handled", n)
                        for c in columns:
                            self.absent(f"{t3}.total_handled.{c.field}", n, t, "")
                        continue  # computed from the result rows
                    self.reader.problem(
                        n, t, f"缺少“{child.key}”{'各项' if child.children else '一行'}"
                    )
                    self.skip(cell_paths)
                    continue
                child_node = found[child.key][1]
                child_trail = [*t, child.key]
                if child.children:
                    walk(child_node, child.children, child_trail, False)
                else:
                    path = f"{t3}.{child.field}"
                    self.row(
                        child_node,
                        child_trail,
                        path,
                        [(c, f"{path}.{c.field}") for c in columns],
                    )
            if top and found is not None:
                self._texts(found, t, t3)

        walk(node, table.rows, trail, True)

    def review_litigation(self, node: Any, trail: list[str]) -> None:
        t4 = layout().review_litigation.field
        groups = queries.review_groups()
        outcomes = queries.outcome_columns()
        allowed = {a: g.key for g in groups for a in K.aliases(g)}
        allowed.update(K.text_keys(K.INTRO, K.NOTES))
        found = self.reader.mapping(node, trail, allowed, what="表4各组")
        for group in groups:
            path = f"{t4}.{group.field}"
            cell_paths = [f"{path}.{c.field}" for c in outcomes]
            if found is None:
                self.skip(cell_paths)
                continue
            if group.key not in found:
                self.reader.problem(node, trail, f"缺少“{group.key}”一组")
                self.skip(cell_paths)
                continue
            self.row(
                found[group.key][1],
                [*trail, group.key],
                path,
                list(zip(outcomes, cell_paths, strict=True)),
            )
        if found is not None:
            self._texts(found, trail, t4)

    def fee(self, node: Any, trail: list[str]) -> None:
        fee = layout().fee
        base = f"other_matters.{fee.field}"
        items = [(i, f"{base}.{i.field}") for i in fee.items]
        allowed = {a: i.label for i, _p in items for a in K.aliases(i)}
        found = self.reader.mapping(node, trail, allowed, what="信息处理费各项")
        if found is None:
            self.skip([p for _i, p in items])
            return
        self.reader.note(base, node)
        for item, path in items:
            if item.label in found:
                self.cell(found[item.label][1], [*trail, item.label], path)
            else:
                self.absent(path, node, trail, f"缺少“{item.label}”（没有就填 0）")

    def no_fee(self, node: Any, trail: list[str]) -> None:
        """Section 6 was read but has no fee block: one problem, not one per figure."""
        fee = layout().fee
        self.reader.problem(
            node, trail, f"缺少“{fee.name}”（{'、'.join(i.label for i in fee.items)}）"
        )
        self.skip([f"other_matters.{fee.field}.{i.field}" for i in fee.items])

    def _texts(self, found: Mapping[str, tuple[Any, Any]], trail: list[str], table: str) -> None:
        for key, field in ((K.INTRO, "intro"), (K.NOTES, "notes")):
            if key in found:
                paragraphs = self.reader.attempt(
                    self.reader.paragraphs, found[key][1], [*trail, key], f"{table}.{field}"
                )
                if paragraphs is not None:
                    self.texts[f"{table}.{field}"] = paragraphs

    # ------------------------------------------------------------ structuring

    def structure(self) -> StructuredTables:
        """The tables from the values read; every problem mapped back to its line."""
        values = {p: v for p, v in self.values.items() if p not in self.reported}
        structured = structure_tables(self.edition, values, texts=self.texts)
        self.bad = set(self.reported)
        for problem in structured.problems:
            self.bad.add(problem.path)
            if problem.path in self.reported:
                continue
            where = self.where.get(problem.path)
            if where is None:  # a paragraph of the table text (already checked by the reader)
                self.reader.problems.append(Problem(problem.message))
                continue
            message = where.missing or problem.message
            if not message:
                continue
            self.reader.problem(where.node, where.trail, message)
        for path in structured.computed:
            if path not in self.reader.sources and path in self.where:
                self.reader.note(path, self.where[path].node)
        return structured

    def cross_check_problems(self, meta: Any, structured: StructuredTables) -> list[Problem]:
        """Table 3 and Table 4 cross-checks on the cells that were read, as problems.

        Runs when the file has problems (so that they do not hide the arithmetic): cells
        that could not be read count as 0 and every finding that involves them, directly or
        through a computed total, is dropped.  ``structured`` is the result of
        :meth:`structure`, reused when every cell was read.
        """
        from hdgovreport.checks import RULES, CheckResult, Context
        from hdgovreport.model import AnnualReport, OtherMatters, ReportMeta

        tainted: set[str] = set()
        if not structured.ok or self.bad:
            good = {p: v for p, v in self.values.items() if p not in self.bad}
            structured = structure_tables(self.edition, good, texts=self.texts, missing="zero")
            if not structured.ok:
                return []
            tainted = _tainted(self.edition, self.bad | self._missing(good), structured.computed)
        if meta is None or meta.edition != self.edition:
            meta = ReportMeta(agency="（未能读取机关名称）", year=2022, edition=self.edition)
        assert structured.proactive is not None
        assert structured.applications is not None
        assert structured.review_litigation is not None
        assert structured.fee is not None
        report = AnnualReport(
            meta=meta,
            proactive=structured.proactive,
            applications=structured.applications,
            review_litigation=structured.review_litigation,
            other_matters=OtherMatters(fee=structured.fee),
        )
        ctx = Context(report=report)
        findings = [
            finding
            for rule in RULES
            if rule.code.split("-")[0] in ("T3", "T4")
            for finding in rule.run(ctx, rule)
        ]
        result = CheckResult(findings=tuple(findings), subject="").located(self.reader.sources)
        out: list[Problem] = []
        for finding in result.findings:
            if tainted.intersection(finding.location.cells):
                continue
            source = finding.location.source
            out.append(
                Problem(
                    finding.message,
                    line=source.line if source else None,
                    column=source.column if source else None,
                    field=finding.location.describe(),
                    code=finding.code,
                )
            )
        return out

    def _missing(self, good: Mapping[str, object]) -> set[str]:
        from hdgovreport.form.layout import cells

        return {c.path for c in cells(self.edition) if c.path not in good}


def _leaf_fields(node: Node, edition: str) -> list[str]:
    if not node.children:
        return [str(node.field)] if node.field else []
    return [f for c in node.visible(edition) for f in _leaf_fields(c, edition)]


def _tainted(edition: str, bad: set[str], computed: frozenset[str]) -> set[str]:
    """``bad`` and every computed total that adds up a bad cell (row totals, then （七）总计)."""
    tainted = set(bad)
    t3 = layout().applications.field
    parts = queries.applicant_parts()
    for row in queries.application_row_fields(edition):
        path = f"{t3}.{row}.total"
        if path in computed and any(f"{t3}.{row}.{p}" in tainted for p in parts):
            tainted.add(path)
    for column in (*parts, "total"):
        path = f"{t3}.total_handled.{column}"
        rows = queries.result_rows(edition)
        if path in computed and any(f"{t3}.{r}.{column}" in tainted for r in rows):
            tainted.add(path)
    t4 = layout().review_litigation.field
    for group in queries.review_group_fields():
        path = f"{t4}.{group}.total"
        if path in computed and any(
            f"{t4}.{group}.{p}" in tainted for p in queries.outcome_parts()
        ):
            tainted.add(path)
    return tainted


__all__ = ["TableCells"]
