"""Where everything sits in the fill-in workbook, for one format edition.

The writer draws from this and the reader reads by it, so the two cannot disagree.  The
official tables are the grids of the neutral document tree (built from
``templates/official/tables.yaml`` by :mod:`hdgovreport.document.build`), placed cell for cell;
beside and below them sit the computed check cells (SUM formulas and a ``不符`` marker), which
are never read back.  Narrative sheets are lists of rows: a level column (导语 / 小节 / 要点 /
段落 / 说明) and the text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import attrs

from hdgovreport.datafile import keys as K
from hdgovreport.document.tree import Table
from hdgovreport.form import queries
from hdgovreport.form.layout import Edition, layout, row_label, section_heading

#: Sheet names that are not official labels (the table sheets are named 表2/表3/表4 by the layout).
META_SHEET = "基本信息"
HIGHLIGHT_SHEET = K.HIGHLIGHTS
SETTINGS_SHEET = K.GRAPHIC  # the graphic edition's settings (workbook/settings.py)
GUIDE_SHEET = "说明"
#: Column headings of the row lists.
LEVEL = "层级"
SUBSECTION_OF = "所属小节"
#: What the check cells show when a reported total differs from the sum of its parts.
MISMATCH = "不符"
SUM_HEADING = "各项之和（自动计算）"
CHECK_HEADING = "核对"

#: Rows above every table: the title (row 1) and a one-line hint (row 2).
TABLE_TOP = 3
#: Extra empty yellow rows offered below the rows of text for the officer to type into (on the
#: text sheets the list's columns are unlocked all the way down, so typing further works too).
SPARE_ROWS = 12
SPARE_TABLE_TEXT_ROWS = 4


def col(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def ref(row: int, column: int) -> str:
    return f"{col(column)}{row}"


@attrs.frozen
class Helper:
    """A computed cell: a formula the officer never types and the reader never reads."""

    coordinate: str
    formula: str
    label: bool = False  # a label beside the computed cells (text, not a formula)


_REFERENCE = re.compile(r"\b([A-Z]{1,3})([0-9]+)\b")


def _absolute(formula: str) -> str:
    """``J6<>K6`` → ``$J$6<>$K$6``."""
    return _REFERENCE.sub(r"$\1$\2", formula)


@attrs.frozen
class Mismatch:
    """Cells that turn red together while ``condition`` holds (a reported total ≠ its sum).

    The condition's references are absolute, so it means the same for every cell it colours.
    """

    ranges: str
    condition: str = attrs.field(converter=_absolute)


@attrs.frozen
class TableSheet:
    """A sheet holding one official table, its check cells and its paragraphs."""

    attr: str  # proactive / applications / review_litigation
    name: str  # 表2 / 表3 / 表4
    title: str  # the section heading, ``三、收到和处理政府信息公开申请情况``
    table: Table
    width: int  # grid columns of the official table
    cells: Mapping[str, str]  # model path → coordinate of its value cell
    labels: Mapping[str, str]  # coordinate → official label expected there
    merges: tuple[str, ...]  # every merged range of the official grid
    helpers: tuple[Helper, ...] = ()
    mismatches: tuple[Mismatch, ...] = ()
    helper_columns: int = 0  # check columns to the right of the grid
    last_row: int = 0  # the last row of the grid and its check rows

    @property
    def grid_bottom(self) -> int:
        return TABLE_TOP + len(self.table.rows()) - 1

    @property
    def text_header_row(self) -> int:
        """The heading row of the paragraphs before (导语) and after (说明) the table."""
        return self.last_row + 3

    @property
    def value_merges(self) -> Mapping[str, str]:
        """Value cells spanning several grid columns (Table 2): path → merged range."""
        out = {}
        by_anchor = {m.split(":")[0]: m for m in self.merges}
        for path, coordinate in self.cells.items():
            if coordinate in by_anchor:
                out[path] = by_anchor[coordinate]
        return out


def _grid_table(edition: Edition, attr: str) -> Table:
    from hdgovreport.datafile.template import blank_report
    from hdgovreport.document.build import build_document

    report = blank_report("某机关", 2020 if edition == "2019" else 2021, edition)
    return build_document(report).table(getattr(layout(), attr).name)


def _place(table: Table) -> tuple[dict[str, str], dict[str, str], tuple[str, ...]]:
    cells: dict[str, str] = {}
    labels: dict[str, str] = {}
    merges: list[str] = []
    for r, row in enumerate(table.rows()):
        for grid_cell in row.cells:
            excel_row, excel_col = TABLE_TOP + r, 1 + grid_cell.column
            coordinate = ref(excel_row, excel_col)
            if grid_cell.kind == "value":
                assert grid_cell.field is not None
                cells[grid_cell.field] = coordinate
            else:
                labels[coordinate] = grid_cell.text
            if grid_cell.colspan > 1 or grid_cell.rowspan > 1:
                end = ref(excel_row + grid_cell.rowspan - 1, excel_col + grid_cell.colspan - 1)
                merges.append(f"{coordinate}:{end}")
    return cells, labels, tuple(merges)


def _not_equal(a: str, b: str) -> str:
    """True when the reported total ``a`` is filled in and differs from the sum ``b``."""
    return f"AND(ISNUMBER({a}),{a}<>{b})"


def _marker(a: str, b: str) -> str:
    return f'IF({_not_equal(a, b)},"{MISMATCH}","")'


def _row_of(coordinate: str) -> int:
    return int("".join(ch for ch in coordinate if ch.isdigit()))


def _column_of(coordinate: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string("".join(ch for ch in coordinate if ch.isalpha()))


def _sum(coordinates: list[str]) -> str:
    """``SUM(D6:I6)`` for a contiguous run of one row or column, else ``D6+E6+…``."""
    rows = [_row_of(c) for c in coordinates]
    columns = [_column_of(c) for c in coordinates]
    contiguous_row = len(set(rows)) == 1 and columns == list(range(columns[0], columns[-1] + 1))
    contiguous_col = len(set(columns)) == 1 and rows == list(range(rows[0], rows[-1] + 1))
    if contiguous_row or contiguous_col:
        return f"SUM({coordinates[0]}:{coordinates[-1]})"
    return "+".join(coordinates)


def _applications(edition: Edition, sheet: TableSheet) -> TableSheet:
    """Table 3: each row's sum beside its 总计; below, （七）总计 and the column identity."""
    t3 = layout().applications.field
    parts = queries.applicant_parts()
    sum_col, mark_col = sheet.width + 1, sheet.width + 2
    helpers: list[Helper] = [
        Helper(ref(TABLE_TOP, sum_col), SUM_HEADING, label=True),
        Helper(ref(TABLE_TOP, mark_col), CHECK_HEADING, label=True),
    ]
    mismatches: list[Mismatch] = []
    cells = sheet.cells
    for row in queries.application_row_fields(edition):
        total = cells[f"{t3}.{row}.total"]
        r = _row_of(total)
        computed = ref(r, sum_col)
        helpers.append(Helper(computed, _sum([cells[f"{t3}.{row}.{p}"] for p in parts])))
        helpers.append(Helper(ref(r, mark_col), _marker(total, computed)))
        mismatches.append(Mismatch(f"{total}:{ref(r, mark_col)}", _not_equal(total, computed)))
    columns = (*parts, "total")
    first = sheet.grid_bottom + 2
    results_label = row_label(layout().applications, "total_handled")
    check_rows = (
        (first, f"{results_label}：各项办理结果之和（自动计算）"),
        (first + 1, "第一项加第二项之和（自动计算）"),
        (first + 2, "第三项加第四项之和（自动计算）"),
    )
    for r, text in check_rows:
        helpers.append(Helper(ref(r, 1), text, label=True))
    differs: dict[int, list[str]] = {first: [], first + 2: []}
    for column in columns:
        c = _column_of(cells[f"{t3}.new_received.{column}"])
        reported = cells[f"{t3}.total_handled.{column}"]
        handled = ref(first, c)
        helpers.append(
            Helper(
                handled, _sum([cells[f"{t3}.{r}.{column}"] for r in queries.result_rows(edition)])
            )
        )
        mismatches.append(Mismatch(f"{reported} {handled}", _not_equal(reported, handled)))
        differs[first].append(_not_equal(reported, handled))
        one_two, three_four = ref(first + 1, c), ref(first + 2, c)
        new, carried = cells[f"{t3}.new_received.{column}"], cells[f"{t3}.carried_over.{column}"]
        forward = cells[f"{t3}.carried_forward.{column}"]
        helpers.append(Helper(one_two, f"{new}+{carried}"))
        helpers.append(
            Helper(three_four, f"IF(ISNUMBER({reported}),{reported},{handled})+{forward}")
        )
        mismatches.append(Mismatch(f"{one_two}:{three_four}", f"{one_two}<>{three_four}"))
        differs[first + 2].append(f"{one_two}<>{three_four}")
    for r, conditions in differs.items():
        helpers.append(Helper(ref(r, mark_col), f'IF(OR({",".join(conditions)}),"{MISMATCH}","")'))
    label_merges = tuple(f"{ref(r, 1)}:{ref(r, sheet.width - len(columns))}" for r, _ in check_rows)
    return attrs.evolve(
        sheet,
        helpers=tuple(helpers),
        mismatches=tuple(mismatches),
        helper_columns=2,
        last_row=first + 2,
        merges=(
            *sheet.merges,
            f"{ref(TABLE_TOP, sum_col)}:{ref(TABLE_TOP + 2, sum_col)}",
            f"{ref(TABLE_TOP, mark_col)}:{ref(TABLE_TOP + 2, mark_col)}",
            *label_merges,
        ),
    )


def _review(sheet: TableSheet) -> TableSheet:
    """Table 4: under each group's 总计, the sum of its four outcomes and a ``不符`` marker."""
    t4 = layout().review_litigation.field
    helpers: list[Helper] = []
    mismatches: list[Mismatch] = []
    merges: list[str] = []
    sum_row, mark_row = sheet.grid_bottom + 1, sheet.grid_bottom + 2
    for group in queries.review_group_fields():
        part_cells = [sheet.cells[f"{t4}.{group}.{p}"] for p in queries.outcome_parts()]
        total = sheet.cells[f"{t4}.{group}.total"]
        c = _column_of(total)
        first, last = _column_of(part_cells[0]), _column_of(part_cells[-1])
        for r, text in ((sum_row, SUM_HEADING), (mark_row, CHECK_HEADING)):
            helpers.append(Helper(ref(r, first), text, label=True))
            merges.append(f"{ref(r, first)}:{ref(r, last)}")
        computed, mark = ref(sum_row, c), ref(mark_row, c)
        helpers.append(Helper(computed, _sum(part_cells)))
        helpers.append(Helper(mark, _marker(total, computed)))
        mismatches.append(Mismatch(f"{total} {computed} {mark}", _not_equal(total, computed)))
    return attrs.evolve(
        sheet,
        helpers=tuple(helpers),
        mismatches=tuple(mismatches),
        last_row=mark_row,
        merges=sheet.merges + tuple(merges),
    )


@functools.cache
def table_sheets(edition: Edition) -> tuple[TableSheet, ...]:
    """表2, 表3, 表4 of ``edition``, in report order."""
    out = []
    for attr in ("proactive", "applications", "review_litigation"):
        table = _grid_table(edition, attr)
        cells, labels, merges = _place(table)
        sheet = TableSheet(
            attr=attr,
            name=table.name,
            title=section_heading(attr),
            table=table,
            width=table.columns,
            cells=cells,
            labels=labels,
            merges=merges,
            last_row=TABLE_TOP + len(table.rows()) - 1,
        )
        if attr == "applications":
            sheet = _applications(edition, sheet)
        elif attr == "review_litigation":
            sheet = _review(sheet)
        out.append(sheet)
    return tuple(out)


# ---------------------------------------------------------------- the other sheets

#: 基本信息: the metadata rows (key in column A, value in column B), from row 3.
META_ROWS = (K.EDITION, K.AGENCY, K.KIND, K.YEAR, K.PUBLISHED, K.WEBSITE, K.CONTACT)
META_TOP = 3
#: 基本信息: the opening paragraphs (开头) start below a note and a heading row.
OPENING_NOTE_ROW = META_TOP + len(META_ROWS) + 1
OPENING_HEADER_ROW = OPENING_NOTE_ROW + 1

#: Narrative sheets (一、五、六): the heading row of the row list.
NARRATIVE_HEADER_ROW = 3
#: 六、其他需要报告的事项: the fee figures first (a heading row, then one row per figure).
FEE_TOP = 3


#: The column of the fee figures (their labels span the columns before it).
FEE_VALUE_COLUMN = 3


def fee_rows() -> tuple[tuple[str, str, int], ...]:
    """(model path, label, row) of each fee figure on the section-6 sheet (value in column C)."""
    fee = layout().fee
    return tuple(
        (f"other_matters.{fee.field}.{item.field}", item.label, FEE_TOP + 1 + i)
        for i, item in enumerate(fee.items)
    )


def narrative_header_row(attr: str) -> int:
    """The heading row of a narrative sheet's row list."""
    if attr == "other_matters":
        return FEE_TOP + len(layout().fee.items) + 2
    return NARRATIVE_HEADER_ROW


def narrative_sheet_name(attr: str) -> str:
    return section_heading(attr)


#: The sheets in report order (table sheets by their layout names).
def sheet_names(edition: Edition) -> tuple[str, ...]:
    tables = {s.attr: s.name for s in table_sheets(edition)}
    return (
        META_SHEET,
        narrative_sheet_name("overview"),
        tables["proactive"],
        tables["applications"],
        tables["review_litigation"],
        narrative_sheet_name("problems"),
        narrative_sheet_name("other_matters"),
        HIGHLIGHT_SHEET,
        SETTINGS_SHEET,
        GUIDE_SHEET,
    )


#: Levels a row may have: in a narrative section, around a table, in the opening.
NARRATIVE_LEVELS = (K.INTRO, K.SUBSECTIONS, K.POINT, K.PARAGRAPH)
TABLE_TEXT_LEVELS = (K.INTRO, K.NOTES)
OPENING_LEVELS = (K.PARAGRAPH,)
