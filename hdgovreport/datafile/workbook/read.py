"""Read the fill-in workbook back into the model, as strictly as the YAML data file.

Every problem names the sheet and cell (``表3!D12``) with the official row and column labels
and, where the intent is clear, the value meant: a number typed as text, full-width digits,
a thousands separator, a Chinese numeral, a formula, an error value (``#REF!``), a date where
a count belongs, a merged cell broken or added, a row or column inserted into a table.  All
problems come in one run.  Values go through the one structuring path of the model
(:func:`hdgovreport.model.structure.structure_tables`); this module only maps cells to paths.
Computed cells (the SUM formulas and markers) are never read.  A workbook saved by Excel,
WPS or LibreOffice (formulas cached or not) reads the same as the one we wrote.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

import attrs

from hdgovreport.datafile import keys as K
from hdgovreport.datafile.reader import MAX_PROBLEMS, LoadedReport
from hdgovreport.datafile.workbook import cells as C
from hdgovreport.datafile.workbook import layout as L
from hdgovreport.datafile.workbook import settings as graphic_settings
from hdgovreport.errors import DataFileError, InvalidValueError, Problem
from hdgovreport.form import queries
from hdgovreport.form.layout import EDITIONS, Edition, ValueType
from hdgovreport.form.numbering import parse_chinese_numeral
from hdgovreport.model import (
    POINT_STYLES,
    AgencyKind,
    AnnualReport,
    Block,
    Highlight,
    Narrative,
    OtherMatters,
    Overview,
    Paragraph,
    Point,
    Problems,
    ReportMeta,
    Subsection,
    infer_kind,
)
from hdgovreport.model import values as V
from hdgovreport.model.provenance import Source
from hdgovreport.model.report import FIRST_YEAR, LAST_YEAR
from hdgovreport.model.structure import structure_tables

NarrativeT = TypeVar("NarrativeT", bound=Narrative)

_NOT_HERE = "这里不是填写的位置，内容不会被读入（请移到黄色格子里，或删除）"
_SUBSECTION_NUMBER = re.compile(r"^（([一二三四五六七八九十百零〇两]+)）")


class _TooMany(Exception):
    pass


@attrs.frozen
class _Found:
    order: tuple[int, int, int]
    problem: Problem


def _row_col(coordinate: str) -> tuple[int, int]:
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    letters, row = coordinate_from_string(coordinate)
    return row, column_index_from_string(letters)


class _Reader:
    def __init__(self, sheets: dict[str, C.Sheet], filename: str) -> None:
        self.sheets = sheets
        self.filename = filename
        self.found: list[_Found] = []
        self.sources: dict[str, Source] = {}
        self._cached: dict[str, C.Sheet] | None = None
        self._data: bytes = b""
        self.sheet_order: dict[str, int] = {}
        self.overview_rows: list[dict[str, Any]] = []  # the sub-sections of 一、总体情况 as read

    # ------------------------------------------------------------ problems and sources

    def problem(self, sheet: str, coordinate: str, message: str) -> None:
        row, column = _row_col(coordinate) if coordinate else (0, 0)
        order = (self.sheet_order.get(sheet, 99), row, column)
        where = f"{sheet}!{coordinate}" if coordinate else sheet
        self.found.append(_Found(order, Problem(message, field=where)))
        if len(self.found) >= MAX_PROBLEMS:
            raise _TooMany

    def note(self, path: str, sheet: str, coordinate: str) -> None:
        self.sources[path] = Source(self.filename, detail=f"{sheet}!{coordinate}")

    def sheet(self, name: str) -> C.Sheet | None:
        if name in self.sheets:
            return self.sheets[name]
        import difflib

        close = difflib.get_close_matches(name, list(self.sheets), n=1, cutoff=0.5)
        hint = f"（有一个工作表叫“{close[0]}”，是否被改了名？）" if close else ""
        self.problem(name, "", f"缺少工作表“{name}”{hint}；请不要删除或改名工作表")
        return None

    def cached_value(self, sheet: str, coordinate: str) -> Any:
        """The value Excel / WPS / LibreOffice last computed for a formula cell (None if none)."""
        if self._cached is None:
            self._cached = C.read_sheets(self._data, self.filename, data_only=True)
        return self._cached[sheet][coordinate].value

    # ------------------------------------------------------------ cell values

    def text(self, ws: C.Sheet, coordinate: str, what: str) -> str | None:
        """A text cell: ``None`` when empty (or wrong, the problem said)."""
        text, problem = C.cell_text(ws[coordinate], what)
        if problem is not None:
            self.problem(ws.title, coordinate, problem)
        return text

    def checked_text(self, ws: C.Sheet, coordinate: str, what: str, path: str) -> str | None:
        text = self.text(ws, coordinate, what)
        if text is None:
            return None
        problem = V.problem_text(text, what=what)
        if problem is not None:
            if "换行" in problem:
                problem = f"{what}中不能换行（Alt+回车）：要分段请另起一行"
            self.problem(ws.title, coordinate, problem)
            return None
        self.note(path, ws.title, coordinate)
        return text

    def number(self, ws: C.Sheet, coordinate: str, kind: ValueType, where: str) -> Any:
        """A table cell's raw value for the structuring step, or ``BAD`` with the problem said."""
        value, problem = C.cell_number(
            ws[coordinate], kind, lambda: self.cached_value(ws.title, coordinate)
        )
        if problem is not None:
            self.problem(ws.title, coordinate, f"{where}：{problem}")
            return C.BAD
        return value

    # ------------------------------------------------------------ structure

    def expect_labels(self, ws: C.Sheet, labels: dict[str, str]) -> bool:
        """Every fixed label where the layout puts it; False when one moved (the first moved
        label is said, with how many there are: one inserted row moves all below it)."""
        moved = [
            (coordinate, expected)
            for coordinate, expected in sorted(labels.items(), key=lambda kv: _row_col(kv[0]))
            if not C.same_label(ws[coordinate].value, expected)
        ]
        if not moved:
            return True
        coordinate, expected = moved[0]
        actual = ws[coordinate].value
        shown = "空白" if actual is None else f"“{actual}”"
        more = f"（本表共 {len(moved)} 处标签不在原位）" if len(moved) > 1 else ""
        self.problem(
            ws.title,
            coordinate,
            f"此处应为“{expected}”，实际为{shown}{more}：表格的行或列被插入、删除或移动了，"
            "本表不读入（请恢复原样，或用 hdgovreport 重新生成工作簿后再填）",
        )
        return False

    # ------------------------------------------------------------ lists of rows

    def rows(
        self, ws: C.Sheet, first: int, levels: Sequence[str], extra: int = 0
    ) -> Iterator[tuple[int, str, str, list[Any]]]:
        """``(row, level, text, [further cells])`` of a row list; empty rows skipped."""
        level_names = "、".join(levels)
        for r in range(first, ws.max_row + 1):
            level = self.text(ws, f"A{r}", L.LEVEL)
            raw_text = ws[f"B{r}"].value
            more = [ws.cell(row=r, column=3 + i).value for i in range(extra)]
            if level is None and raw_text is None and all(v is None for v in more):
                continue
            if level is None:
                self.problem(ws.title, f"A{r}", f"请选择{L.LEVEL}（{level_names}之一）")
                continue
            if level not in levels:
                self.problem(ws.title, f"A{r}", f"{L.LEVEL}应为{level_names}之一，实际为“{level}”")
                continue
            text = self.text(ws, f"B{r}", K.CONTENT)
            if text is None:
                if raw_text is None:
                    self.problem(
                        ws.title, f"B{r}", f"{K.CONTENT}不能为空（不要的行请把{L.LEVEL}也清空）"
                    )
                continue
            problem = V.problem_text(text, what=level)
            if problem is not None:
                if "换行" in problem:
                    problem = f"{level}中不能换行（Alt+回车）：要分段请另起一行"
                self.problem(ws.title, f"B{r}", problem)
                continue
            yield r, level, text, more

    def narrative(self, attr: str, cls: type[NarrativeT]) -> NarrativeT | None:
        name = L.narrative_sheet_name(attr)
        ws = self.sheet(name)
        if ws is None:
            return None
        header = L.narrative_header_row(attr)
        if not self.expect_labels(
            ws, {f"A{header}": L.LEVEL, f"B{header}": K.CONTENT, f"C{header}": K.POINT_STYLE}
        ):
            return None
        self.note(attr, name, "A1")
        intro: list[str] = []
        subs: list[dict[str, Any]] = []
        for r, level, text, (style_raw,) in self.rows(ws, header + 1, L.NARRATIVE_LEVELS, 1):
            if level == K.SUBSECTIONS:
                style = self.point_style(ws, f"C{r}", style_raw)
                path = f"{attr}.subsections.{len(subs)}"
                self.note(path, name, f"A{r}")
                self.note(f"{path}.title", name, f"B{r}")
                subs.append({"title": text, "point_style": style, "content": []})
                continue
            if style_raw is not None:
                self.problem(name, f"C{r}", f"{K.POINT_STYLE}只在{K.SUBSECTIONS}行填写")
            if level == K.INTRO:
                if subs:
                    self.problem(
                        name,
                        f"A{r}",
                        f"{K.INTRO}应写在第一个{K.SUBSECTIONS}之前；"
                        f"{K.SUBSECTIONS}中不编号的段落，{L.LEVEL}请选“{K.PARAGRAPH}”",
                    )
                    continue
                self.note(f"{attr}.intro.{len(intro)}", name, f"B{r}")
                intro.append(text)
                continue
            if not subs:
                self.problem(
                    name,
                    f"A{r}",
                    f"{level}应写在{K.SUBSECTIONS}标题之后；"
                    f"第一个{K.SUBSECTIONS}之前的段落，{L.LEVEL}请选“{K.INTRO}”",
                )
                continue
            content: list[Block] = subs[-1]["content"]
            path = f"{attr}.subsections.{len(subs) - 1}.content.{len(content)}"
            self.note(path, name, f"B{r}")
            content.append(Point(text) if level == K.POINT else Paragraph(text))
        self._stray_columns(ws, header + 1, 3)
        if attr == "overview":
            self.overview_rows = subs
        try:
            return cls(
                intro=tuple(intro),
                subsections=tuple(
                    Subsection(
                        title=s["title"], content=tuple(s["content"]), point_style=s["point_style"]
                    )
                    for s in subs
                ),
            )
        except InvalidValueError as exc:
            self.problem(name, "A1", str(exc))
            return None

    def point_style(self, ws: C.Sheet, coordinate: str, raw: Any) -> str:
        if raw is None:
            return "一是"
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw == 1:
            return "1."  # Excel turns a typed ``1.`` into the number 1
        text = self.text(ws, coordinate, K.POINT_STYLE)
        if text in POINT_STYLES:
            return str(text)
        self.problem(
            ws.title,
            coordinate,
            f"{K.POINT_STYLE}应为{'、'.join(POINT_STYLES)}之一，实际为“{text}”",
        )
        return "一是"

    def _stray_columns(self, ws: C.Sheet, first_row: int, last_column: int) -> None:
        for cell in ws.filled(min_row=first_row, min_col=last_column + 1):
            self.problem(ws.title, cell.coordinate, _NOT_HERE)

    # ------------------------------------------------------------ the report

    def meta(self) -> tuple[ReportMeta | None, Edition | None, tuple[str, ...]]:
        ws = self.sheet(L.META_SHEET)
        if ws is None:
            return None, None, ()
        name = ws.title
        rows = {key: L.META_TOP + i for i, key in enumerate(L.META_ROWS)}
        labels = {f"A{r}": key for key, r in rows.items()}
        labels[f"A{L.OPENING_HEADER_ROW}"] = L.LEVEL
        labels[f"B{L.OPENING_HEADER_ROW}"] = K.CONTENT
        if not self.expect_labels(ws, labels):
            return None, None, ()
        at = {key: f"B{r}" for key, r in rows.items()}
        edition: Edition | None = "2021"
        raw = ws[at[K.EDITION]].value
        if raw is not None:
            word = self.text(ws, at[K.EDITION], K.EDITION)
            word = word[:-2] if word and word.endswith(".0") else word
            if word not in EDITIONS:
                self.problem(name, at[K.EDITION], f"应为 2021 或 2019，实际为“{word}”")
                edition = None
            else:
                edition = word
            self.note("meta.edition", name, at[K.EDITION])
        agency = self.checked_text(ws, at[K.AGENCY], "机关名称", "meta.agency")
        if agency is None and ws[at[K.AGENCY]].value is None:
            self.problem(name, at[K.AGENCY], "缺少机关名称（机关全称）")
        year = self.year(ws, at[K.YEAR])
        kind: AgencyKind = infer_kind(agency) if agency else "department"
        if ws[at[K.KIND]].value is not None:
            word = self.checked_text(ws, at[K.KIND], K.KIND, "meta.kind")
            if word is not None and word not in K.KIND_FROM_WORD:
                kinds = "、".join(K.KIND_WORDS.values())
                self.problem(name, at[K.KIND], f"应为{kinds}之一，实际为“{word}”")
            elif word is not None:
                kind = cast(AgencyKind, K.KIND_FROM_WORD[word])
        published = self.date(ws, at[K.PUBLISHED])
        website = self.checked_text(ws, at[K.WEBSITE], K.WEBSITE, "meta.website")
        contact = self.checked_text(ws, at[K.CONTACT], K.CONTACT, "meta.contact")
        opening: list[str] = []
        for r, _level, text, _more in self.rows(ws, L.OPENING_HEADER_ROW + 1, L.OPENING_LEVELS):
            self.note(f"opening.{len(opening)}", name, f"B{r}")
            opening.append(text)
        self._stray_columns(ws, L.OPENING_HEADER_ROW + 1, 3)
        if agency is None or year is None or edition is None:
            return None, edition, tuple(opening)
        try:
            meta = ReportMeta(
                agency=agency,
                year=year,
                edition=edition,
                kind=kind,
                published=published,
                website=website,
                contact=contact,
            )
        except InvalidValueError as exc:
            self.problem(name, at[K.AGENCY], str(exc))
            return None, edition, tuple(opening)
        return meta, edition, tuple(opening)

    def year(self, ws: C.Sheet, coordinate: str) -> int | None:
        value = self.number(ws, coordinate, "count", K.YEAR)
        if value is None:
            self.problem(ws.title, coordinate, f"缺少{K.YEAR}（统计年度，如 2023）")
            return None
        if value is C.BAD:
            return None
        if not isinstance(value, int):
            self.problem(ws.title, coordinate, f"{K.YEAR}应为整数年份，实际为 {value}")
            return None
        if not FIRST_YEAR <= value <= LAST_YEAR:
            self.problem(
                ws.title,
                coordinate,
                f"报告年度应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间，实际为 {value}",
            )
            return None
        self.note("meta.year", ws.title, coordinate)
        return value

    def date(self, ws: C.Sheet, coordinate: str) -> _dt.date | None:
        value = ws[coordinate].value
        if value is None:
            return None
        if isinstance(value, _dt.datetime):
            if value.time() != _dt.time():
                self.problem(ws.title, coordinate, "发布日期应为日期（年-月-日），不含时刻")
                return None
            value = value.date()
        elif isinstance(value, str):
            text = value.strip()
            try:
                value = _dt.date.fromisoformat(text)
            except ValueError:
                found = re.fullmatch(
                    r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?", text
                )
                hint = ""
                if found:
                    y, m, d = (int(g) for g in found.groups())
                    try:
                        hint = f"，应为 {_dt.date(y, m, d).isoformat()}"
                    except ValueError:
                        hint = ""
                self.problem(
                    ws.title, coordinate, f"发布日期应写成 2024-01-31 的形式，实际为“{text}”{hint}"
                )
                return None
        if not isinstance(value, _dt.date):
            self.problem(ws.title, coordinate, f"发布日期应为日期，如 2024-01-31，实际为 {value}")
            return None
        self.note("meta.published", ws.title, coordinate)
        return value

    def highlights(self, subs: list[dict[str, Any]]) -> None:
        ws = self.sheet(L.HIGHLIGHT_SHEET)
        if ws is None:
            return
        headings = (L.SUBSECTION_OF, K.FIGURE, K.UNIT, K.LABEL)
        if not self.expect_labels(ws, {f"{L.col(i + 1)}3": h for i, h in enumerate(headings)}):
            return
        overview = L.narrative_sheet_name("overview")
        for r in range(4, ws.max_row + 1):
            cells = [f"{L.col(c)}{r}" for c in range(1, 5)]
            texts = [self.text(ws, c, h) for c, h in zip(cells, headings, strict=True)]
            if all(t is None for t in texts):
                continue
            where, figure, unit, label = texts
            index = self.which_subsection(ws, cells[0], where, subs, overview)
            if index is None:
                continue
            if figure is None:
                self.problem(ws.title, cells[1], f"缺少{K.FIGURE}（以阿拉伯数字开头，如 22）")
                continue
            if label is None:
                self.problem(ws.title, cells[3], f"缺少{K.LABEL}（这个数字说的是什么）")
                continue
            try:
                one = Highlight(figure=figure, unit=unit or "", label=label)
            except InvalidValueError as exc:
                column = {"figure": 1, "unit": 2}.get(exc.field, 3)
                self.problem(ws.title, cells[column], exc.message)
                continue
            chosen = subs[index].setdefault("highlights", [])
            self.note(
                f"overview.subsections.{index}.highlights.{len(chosen)}.figure", ws.title, cells[1]
            )
            chosen.append(one)
        self._stray_columns(ws, 4, 4)

    def which_subsection(
        self,
        ws: C.Sheet,
        coordinate: str,
        where: str | None,
        subs: list[dict[str, Any]],
        overview: str,
    ) -> int | None:
        if where is None:
            self.problem(ws.title, coordinate, f"缺少{L.SUBSECTION_OF}（如“（一）”加小节标题）")
            return None
        numbered = _SUBSECTION_NUMBER.match(where)
        titles = [s["title"] for s in subs]
        if numbered:
            n = parse_chinese_numeral(numbered.group(1))
            rest = where[numbered.end() :].strip()
            if n is None or not 1 <= n <= len(subs):
                self.problem(
                    ws.title,
                    coordinate,
                    f"“{overview}”中没有第 {numbered.group(1)} 个小节（共 {len(subs)} 个）",
                )
                return None
            if rest and rest != titles[n - 1]:
                self.problem(
                    ws.title,
                    coordinate,
                    f"第 {numbered.group(1)} 个小节的标题是“{titles[n - 1]}”，与“{rest}”不一致",
                )
                return None
            return n - 1
        matches = [i for i, t in enumerate(titles) if t == where]
        if len(matches) == 1:
            return matches[0]
        reason = "有多个小节用这个标题" if matches else f"“{overview}”中没有这个标题的小节"
        self.problem(
            ws.title, coordinate, f"{L.SUBSECTION_OF}“{where}”：{reason}；请写成“（一）标题”的形式"
        )
        return None

    def tables(self, edition: Edition) -> tuple[dict[str, Any], dict[str, tuple[str, ...]], bool]:
        """Raw values by cell path, table texts, and whether every table sheet was readable."""
        values: dict[str, Any] = {}
        texts: dict[str, tuple[str, ...]] = {}
        ok = True
        kinds = queries.cells_by_path(edition)
        for sheet in L.table_sheets(edition):
            ws = self.sheet(sheet.name)
            if ws is None:
                ok = False
                continue
            header = sheet.text_header_row
            labels = dict(sheet.labels)
            labels.update({f"A{header}": L.LEVEL, f"B{header}": K.CONTENT})
            other = "2019" if edition == "2021" else "2021"
            if not self._fits(ws, edition, sheet.attr) and self._fits(ws, other, sheet.attr):
                ok = False
                if not any(f.problem.field == f"{L.META_SHEET}!B{L.META_TOP}" for f in self.found):
                    self.problem(
                        L.META_SHEET,
                        f"B{L.META_TOP}",
                        f"{K.EDITION}填写为 {edition}，但“{sheet.name}”是 {other} 版格式的表格："
                        f"请改回 {other}，或用 hdgovreport new --edition {edition} 生成新的工作簿",
                    )
                continue
            if not self.expect_labels(ws, labels):
                ok = False
                continue
            self.note(sheet.attr, sheet.name, "A1")
            self.broken_merges(ws, sheet)
            for path, coordinate in sheet.cells.items():
                cell = kinds[path]
                where = " › ".join(p for p in (cell.row, cell.column) if p)
                raw = self.number(ws, coordinate, cell.type, where)
                self.note(path, sheet.name, coordinate)
                values[path] = raw
            intro: list[str] = []
            notes: list[str] = []
            for r, level, text, _more in self.rows(ws, header + 1, L.TABLE_TEXT_LEVELS):
                target = intro if level == K.INTRO else notes
                field = "intro" if level == K.INTRO else "notes"
                self.note(f"{sheet.attr}.{field}.{len(target)}", sheet.name, f"B{r}")
                target.append(text)
            texts[f"{sheet.attr}.intro"] = tuple(intro)
            texts[f"{sheet.attr}.notes"] = tuple(notes)
            allowed = (
                set(sheet.cells.values()) | set(labels) | {h.coordinate for h in sheet.helpers}
            )
            allowed.add(f"A{header - 1}")  # the note above the paragraphs
            for c in ws.filled(min_row=L.TABLE_TOP, max_row=header - 1):
                if c.coordinate not in allowed:
                    self.problem(ws.title, c.coordinate, _NOT_HERE)
            self._stray_columns(ws, header + 1, sheet.width)
        return values, texts, ok

    def _fits(self, ws: C.Sheet, edition: str, attr: str) -> bool:
        sheet = next(s for s in L.table_sheets(cast(Edition, edition)) if s.attr == attr)
        return all(C.same_label(ws[c].value, text) for c, text in sheet.labels.items())

    def broken_merges(self, ws: C.Sheet, sheet: L.TableSheet) -> None:
        """A value cell spanning columns whose merge was undone: a value in a covered cell."""
        present = set(ws.merges)
        for path, merged in sheet.value_merges.items():
            if merged in present:
                continue
            from openpyxl.worksheet.cell_range import CellRange

            box = CellRange(merged)
            anchor = sheet.cells[path]
            for _row, column in list(box.cells)[1:]:
                coordinate = f"{L.col(column)}{box.min_row}"
                value = ws[coordinate].value
                if value is None:
                    continue
                shown = value if not isinstance(value, str) else f"“{value}”"
                self.problem(
                    ws.title,
                    coordinate,
                    f"合并单元格 {merged} 被拆分了：这一行只有一个数，应填在 {anchor}；"
                    f"{coordinate} 中的 {shown} 不会被读入（请移到 {anchor}，并重新合并 {merged}）",
                )

    def report(self) -> AnnualReport | None:
        meta, edition, opening = self.meta()
        overview = self.narrative("overview", Overview)
        subs = self.overview_rows
        if overview is not None:
            self.highlights(subs)
            if any(s.get("highlights") for s in subs):
                overview = self.narrative_from(overview, subs)
        problems = self.narrative("problems", Problems)
        values: dict[str, Any] = {}
        texts: dict[str, tuple[str, ...]] = {}
        tables_ok = False
        if edition is not None:
            values, texts, tables_ok = self.tables(edition)
            values.update(self.fee_values())
        other_matters = self.narrative("other_matters", OtherMatters)
        settings = graphic_settings.read_sheet(self)
        if edition is None or not tables_ok:
            return None
        bad = {p for p, v in values.items() if v is C.BAD}
        structured = structure_tables(
            edition, {p: v for p, v in values.items() if p not in bad}, texts=texts
        )
        for cp in structured.problems:
            if cp.path in bad:
                continue
            source = self.sources.get(cp.path)
            cell = queries.cell_at(cp.path, edition)
            where = " › ".join(p for p in (cell.row, cell.column) if p) if cell else cp.path
            sheet, _, coordinate = (source.detail if source else "!").partition("!")
            self.problem(sheet, coordinate, f"{where}：{cp.message}")
        if (
            self.found
            or meta is None
            or overview is None
            or problems is None
            or other_matters is None
        ):
            return None
        assert structured.proactive and structured.applications and structured.review_litigation
        assert structured.fee is not None
        try:
            return AnnualReport(
                meta=meta,
                opening=opening,
                overview=overview,
                proactive=structured.proactive,
                applications=structured.applications,
                review_litigation=structured.review_litigation,
                problems=problems,
                other_matters=attrs.evolve(other_matters, fee=structured.fee),
                graphic=settings,
            )
        except InvalidValueError as exc:
            self.problem(L.META_SHEET, f"B{L.META_TOP}", str(exc))
            return None

    @staticmethod
    def narrative_from(overview: Overview, subs: list[dict[str, Any]]) -> Overview:
        return attrs.evolve(
            overview,
            subsections=tuple(
                attrs.evolve(sub, highlights=tuple(s.get("highlights", ())))
                for sub, s in zip(overview.subsections, subs, strict=True)
            ),
        )

    def fee_values(self) -> dict[str, Any]:
        name = L.narrative_sheet_name("other_matters")
        ws = self.sheets.get(name)
        if ws is None:
            return {}  # said by the narrative reader
        rows = L.fee_rows()
        from hdgovreport.form.layout import layout

        labels = {f"A{L.FEE_TOP}": layout().fee.name}
        labels.update({f"A{r}": label for _p, label, r in rows})
        if not self.expect_labels(ws, labels):
            return {}
        out: dict[str, Any] = {}
        kinds = queries.cells_by_path("2021")
        for path, label, r in rows:
            coordinate = L.ref(r, L.FEE_VALUE_COLUMN)
            out[path] = self.number(ws, coordinate, kinds[path].type, label)
            self.note(path, name, coordinate)
        return out


def loads_workbook(data: bytes, filename: str = "<工作簿>") -> LoadedReport:
    """Read a fill-in workbook from bytes.  Raises :class:`DataFileError` naming sheet and cell."""
    if len(data) > C.MAX_WORKBOOK_BYTES:
        raise DataFileError(
            filename,
            [
                Problem(
                    f"文件过大（{len(data) / 1048576:.1f} MB），工作簿上限为 {C.MAX_WORKBOOK_BYTES // 1048576} MB"
                )
            ],
        )
    C.check_container(data, filename)
    reader = _Reader(C.read_sheets(data, filename), filename)
    reader._data = data
    reader.sheet_order = {name: i for i, name in enumerate(L.sheet_names("2021"))}
    report = None
    with contextlib.suppress(_TooMany):
        report = reader.report()
    problems = [f.problem for f in sorted(reader.found, key=lambda f: f.order)]
    if len(problems) >= MAX_PROBLEMS:
        problems.append(Problem(f"问题过多，只列出前 {MAX_PROBLEMS} 个"))
    if report is None or problems:
        raise DataFileError(filename, problems or [Problem("无法读取工作簿中的报告")])
    return LoadedReport(report=report, sources=reader.sources, filename=filename)


def load_workbook_file(path: str | Path) -> LoadedReport:
    """Read a fill-in workbook.  Raises :class:`DataFileError` naming sheet, cell and labels."""
    from hdgovreport.fileio import regular_file_problem

    filename = str(path)
    reason = regular_file_problem(path)
    if reason is not None:
        raise DataFileError(filename, [Problem(reason)])
    try:
        with open(path, "rb") as handle:
            data = handle.read(C.MAX_WORKBOOK_BYTES + 1)
    except OSError as exc:
        raise DataFileError(filename, [Problem(f"无法读取文件：{exc.strerror or exc}")]) from None
    return loads_workbook(data, filename)
