"""Read a report data file (YAML, Chinese keys) into the model.

Every problem names the file, the line and column, and the chain of keys
leading to the value, and says what was expected.  Problems are collected
(up to :data:`MAX_PROBLEMS`) so that one run shows them all.  The reader
never executes YAML tags, refuses aliases, and bounds the file size.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import attrs

from hdgovreport.datafile import keys as K
from hdgovreport.errors import DataFileError, InvalidValueError, Problem
from hdgovreport.form import queries
from hdgovreport.form.layout import (
    Edition,
    Node,
    layout,
    section_order,
    strip_numbering,
    wording,
)
from hdgovreport.model import (
    POINT_STYLES,
    AnnualReport,
    Applications,
    Block,
    FeeFigures,
    Highlight,
    Narrative,
    OtherMatters,
    Overview,
    Paragraph,
    Point,
    Problems,
    ReportMeta,
    ReviewLitigation,
    Subsection,
    infer_kind,
)
from hdgovreport.model import tables as T
from hdgovreport.model import values as V
from hdgovreport.model.provenance import Source
from hdgovreport.model.report import FIRST_YEAR, LAST_YEAR
from hdgovreport.model.settings import NO_SETTINGS, GraphicSettings

#: Largest data file accepted, in bytes (a full report is about 30 KB).
MAX_FILE_BYTES = 2 * 1024 * 1024
#: Problems reported before the reader gives up.
MAX_PROBLEMS = 50

_SEP = " › "
_INT = re.compile(r"[+-]?\d+")

N = TypeVar("N")
NarrativeT = TypeVar("NarrativeT", bound=Narrative)


@attrs.frozen
class LoadedReport:
    """A report read from a file, with where each value came from (model path → source)."""

    report: AnnualReport
    sources: Mapping[str, Source]
    filename: str


class _TooMany(Exception):
    pass


class _Skip(Exception):
    """A value was wrong; the problem is recorded, the caller moves on."""


def _norm(key: str) -> str:
    """Normalise a key for matching: no spaces, half-width brackets to full-width, no numbering."""
    key = unicodedata.normalize("NFKC", key).replace(" ", "").replace("\u3000", "")
    key = key.replace("(", "（").replace(")", "）")
    return strip_numbering(key)


def _aliases(node: Node) -> set[str]:
    return {_norm(node.key), _norm(node.label)}


def _kinds() -> str:
    return "、".join(K.KIND_WORDS.values())


class _Reader:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Problem] = []
        self.sources: dict[str, Source] = {}
        self._seen: set[int] = set()

    # ------------------------------------------------------------ problems

    def problem(self, node: Any, trail: Iterable[str], message: str) -> None:
        mark = getattr(node, "start_mark", None)
        self.problems.append(
            Problem(
                message=message,
                line=mark.line + 1 if mark is not None else None,
                column=mark.column + 1 if mark is not None else None,
                field=_SEP.join(trail),
            )
        )
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooMany

    def fail(self, node: Any, trail: Iterable[str], message: str) -> Any:
        self.problem(node, trail, message)
        raise _Skip

    def note(self, path: str, node: Any) -> None:
        mark = node.start_mark
        self.sources[path] = Source(self.filename, line=mark.line + 1, column=mark.column + 1)

    def visit(self, node: Any, trail: list[str]) -> None:
        if id(node) in self._seen:
            self.fail(node, trail, "不支持 YAML 锚点与别名（& 和 *），请把内容直接写出")
        self._seen.add(id(node))

    # ------------------------------------------------------------ shapes

    def mapping(
        self,
        node: Any,
        trail: list[str],
        allowed: Mapping[str, str],
        *,
        what: str = "",
    ) -> dict[str, tuple[Any, Any]]:
        """Keys of a mapping node resolved against ``allowed`` (normalised alias → canonical key)."""
        from ruamel.yaml.nodes import MappingNode

        self.visit(node, trail)
        if not isinstance(node, MappingNode):
            self.fail(node, trail, f"应为{what or '“键: 值”形式的映射'}，实际为{_shape(node)}")
        out: dict[str, tuple[Any, Any]] = {}
        canonical = sorted(set(allowed.values()), key=list(allowed.values()).index)
        for key_node, value_node in node.value:
            raw = key_node.value if hasattr(key_node, "value") else None
            if not isinstance(raw, str) or _tag(key_node) == "merge":
                self.problem(key_node, trail, f"不支持的键 {raw!r}")
                continue
            name = allowed.get(_norm(raw))
            if name is None:
                close = difflib.get_close_matches(_norm(raw), list(allowed), n=1, cutoff=0.5)
                hint = f"，是否应为“{allowed[close[0]]}”？" if close else ""
                listing = "、".join(canonical) if len(canonical) <= 12 else ""
                known = f"此处可用的键：{listing}" if listing else ""
                self.problem(key_node, trail, f"未知的键“{raw}”{hint}{known}")
                continue
            if name in out:
                self.problem(
                    key_node,
                    [*trail, name],
                    f"键“{raw}”重复出现（第一次在第 {out[name][0].start_mark.line + 1} 行）",
                )
                continue
            out[name] = (key_node, value_node)
        return out

    def require(
        self,
        found: Mapping[str, tuple[Any, Any]],
        key: str,
        parent: Any,
        trail: list[str],
        what: str,
    ) -> Any:
        if key not in found:
            self.fail(parent, trail, f"缺少“{key}”（{what}）")
        return found[key][1]

    def sequence(self, node: Any, trail: list[str], what: str) -> list[Any]:
        from ruamel.yaml.nodes import ScalarNode, SequenceNode

        self.visit(node, trail)
        if isinstance(node, ScalarNode) and _tag(node) == "null":
            return []
        if not isinstance(node, SequenceNode):
            self.fail(node, trail, f"应为{what}列表（每项以“- ”开头），实际为{_shape(node)}")
        return list(node.value)

    def scalar(self, node: Any, trail: list[str], what: str) -> tuple[str, str]:
        """(tag, raw text) of a scalar node."""
        from ruamel.yaml.nodes import ScalarNode

        self.visit(node, trail)
        if not isinstance(node, ScalarNode):
            self.fail(node, trail, f"应为{what}，实际为{_shape(node)}")
        return _tag(node), str(node.value)

    # ------------------------------------------------------------ values

    def count(self, node: Any, trail: list[str], path: str, kind: str = "count") -> int:
        tag, raw = self.scalar(node, trail, "整数")
        word = "非负整数" if kind == "count" else "整数"
        if tag == "null":
            self.fail(node, trail, f"不能为空，应为{word}（没有就填 0）")
        if tag != "int" or not _INT.fullmatch(raw.strip()):
            shown = f"文本“{raw}”" if tag == "str" else raw
            hint = "（请去掉引号）" if tag == "str" and _INT.fullmatch(raw.strip()) else ""
            self.fail(node, trail, f"应为{word}，实际为{shown}{hint}")
        value = int(raw)
        problem = V.problem_value("signed" if kind == "signed" else "count", value)
        if problem:
            self.fail(node, trail, problem)
        self.note(path, node)
        return value

    def amount(self, node: Any, trail: list[str], path: str, kind: str) -> Decimal:
        tag, raw = self.scalar(node, trail, "金额")
        unit = "万元" if kind == "money" else "元"
        if tag == "null":
            self.fail(node, trail, f"不能为空，应为以{unit}为单位的金额（没有就填 0）")
        value = V.parse_decimal(raw) if tag in ("int", "float", "str") else None
        if value is None:
            self.fail(node, trail, f"应为以{unit}为单位的金额（如 19656.3836），实际为“{raw}”")
        assert value is not None
        problem = V.problem_value("money" if kind == "money" else "yuan", value)
        if problem:
            self.fail(node, trail, problem)
        self.note(path, node)
        return value

    def text(self, node: Any, trail: list[str], path: str, what: str = "文本") -> str:
        tag, raw = self.scalar(node, trail, what)
        if tag == "null":
            self.fail(node, trail, f"{what}不能为空")
        value = V.clean_text(raw)
        problem = V.problem_text(value, what=what)
        if problem:
            self.fail(node, trail, problem)
        self.note(path, node)
        return value

    def paragraphs(self, node: Any, trail: list[str], path: str) -> tuple[str, ...]:
        out: list[str] = []
        if _is_scalar_text(node):
            return (self.text(node, trail, f"{path}.0", "段落"),)
        for i, item in enumerate(self.sequence(node, trail, "段落")):
            text = self.attempt(self.text, item, [*trail, f"第{i + 1}段"], f"{path}.{i}", "段落")
            if text is not None:
                out.append(text)
        return tuple(out)

    def attempt(self, func: Callable[..., N], *args: Any) -> N | None:
        """``func(*args)``, or ``None`` when it hit a (recorded) problem."""
        try:
            return func(*args)
        except _Skip:
            return None

    # ------------------------------------------------------------ the report

    def report(self, root: Any) -> AnnualReport | None:
        sections = section_order()
        headings = {attr: wording().sections[attr] for attr in sections}
        allowed = {_norm(k): k for k in K.META_KEYS}
        allowed.update({_norm(h): h for h in headings.values()})
        allowed[_norm(K.GRAPHIC)] = K.GRAPHIC
        top = self.mapping(root, [], allowed, what="报告数据（以“机关名称:”等键开头的映射）")

        meta = self.attempt(self.meta, top, root)
        edition: Edition = meta.edition if meta else "2021"
        opening: tuple[str, ...] = ()
        if K.OPENING in top:
            opening = self.attempt(self.paragraphs, top[K.OPENING][1], [K.OPENING], "opening") or ()

        parts: dict[str, Any] = {}
        readers: dict[str, Callable[[Any, list[str]], Any]] = {
            "overview": lambda n, t: self.narrative(n, t, "overview", Overview),
            "proactive": lambda n, t: self.proactive(n, t, edition),
            "applications": lambda n, t: self.applications(n, t, edition),
            "review_litigation": self.review_litigation,
            "problems": lambda n, t: self.narrative(n, t, "problems", Problems),
            "other_matters": lambda n, t: self.narrative(n, t, "other_matters", OtherMatters),
        }
        for attr in sections:
            heading = headings[attr]
            if heading not in top:
                self.problem(root, [], f"缺少第{sections.index(attr) + 1}部分“{heading}”")
                continue
            key_node, node = top[heading]
            self.note(attr, key_node)
            parts[attr] = self.attempt(readers[attr], node, [heading])

        settings: GraphicSettings | None = NO_SETTINGS
        if K.GRAPHIC in top:
            settings = self.attempt(self.graphic_settings, top[K.GRAPHIC][1], [K.GRAPHIC])

        if self.problems or meta is None or settings is None:
            return None
        if any(v is None for v in parts.values()):
            return None
        try:
            return AnnualReport(meta=meta, opening=opening, graphic=settings, **parts)
        except InvalidValueError as exc:  # cross-section consistency the reader did not catch
            self.problem(root, [], str(exc))
            return None

    def meta(self, top: Mapping[str, tuple[Any, Any]], root: Any) -> ReportMeta:
        edition: Edition = "2021"
        if K.EDITION in top:
            node = top[K.EDITION][1]
            _kind, raw = self.scalar(node, [K.EDITION], "格式版本")
            found = K.EDITION_WORDS.get(raw.strip())
            if found is None:
                self.fail(node, [K.EDITION], f"应为 2021 或 2019，实际为“{raw}”")
            assert found is not None
            edition = found
            self.note("meta.edition", node)
        agency = self.text(
            self.require(top, K.AGENCY, root, [], "机关全称"), [K.AGENCY], "meta.agency"
        )
        year_node = self.require(top, K.YEAR, root, [], "统计年份，如 2023")
        year = self.count(year_node, [K.YEAR], "meta.year")
        if not FIRST_YEAR <= year <= LAST_YEAR:
            self.fail(
                year_node, [K.YEAR], f"报告年度应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间，实际为 {year}"
            )
        kind = infer_kind(agency)
        if K.KIND in top:
            node = top[K.KIND][1]
            word = self.text(node, [K.KIND], "meta.kind")
            if word not in K.KIND_FROM_WORD:
                self.fail(node, [K.KIND], f"应为{_kinds()}之一，实际为“{word}”")
            kind = K.KIND_FROM_WORD[word]  # type: ignore[assignment]
        published = None
        if K.PUBLISHED in top:
            published = self.date(top[K.PUBLISHED][1], [K.PUBLISHED], "meta.published")
        optional: dict[str, str | None] = {}
        for key, field in ((K.WEBSITE, "website"), (K.CONTACT, "contact")):
            optional[field] = None
            if key in top and _tag(top[key][1]) != "null":
                optional[field] = self.text(top[key][1], [key], f"meta.{field}")
        return ReportMeta(
            agency=agency,
            year=year,
            edition=edition,
            kind=kind,
            published=published,
            website=optional["website"],
            contact=optional["contact"],
        )

    def date(self, node: Any, trail: list[str], path: str) -> _dt.date | None:
        tag, raw = self.scalar(node, trail, "日期")
        if tag == "null":
            return None
        try:
            value = _dt.date.fromisoformat(raw.strip())
        except ValueError:
            self.fail(node, trail, f"应为日期，写成 2023-01-31 的形式，实际为“{raw}”")
        self.note(path, node)
        return value

    def graphic_settings(self, node: Any, trail: list[str]) -> GraphicSettings:
        """The graphic edition's settings: ``{数据来源: …, 计算比率: [纠正率]}`` (both optional)."""
        if _tag(node) == "null":
            return NO_SETTINGS
        allowed = {_norm(k): k for k in (K.SOURCE, K.RATES)}
        found = self.mapping(node, trail, allowed, what=f"由“{K.SOURCE}”“{K.RATES}”组成的映射")
        source = None
        if K.SOURCE in found and _tag(found[K.SOURCE][1]) != "null":
            source_trail = [*trail, K.SOURCE]
            source = self.text(found[K.SOURCE][1], source_trail, "graphic.source", "报告名称")
        rates: list[str] = []
        if K.RATES in found and _tag(found[K.RATES][1]) != "null":
            words = "、".join(K.RATE_FROM_WORD)
            items = self.sequence(
                found[K.RATES][1], [*trail, K.RATES], f"比率名称的列表，如 [{words}]"
            )
            for i, item in enumerate(items):
                item_trail = [*trail, K.RATES, f"第{i + 1}项"]
                _kind, word = self.scalar(item, item_trail, "比率名称")
                rate = K.RATE_FROM_WORD.get(word.strip())
                if rate is None:
                    self.problem(item, item_trail, f"应为{words}之一，实际为“{word}”")
                else:
                    rates.append(rate)
        return GraphicSettings(source=source, rates=tuple(rates))

    # ------------------------------------------------------------ narrative

    def narrative(
        self, node: Any, trail: list[str], attr: str, cls: type[NarrativeT]
    ) -> NarrativeT:
        allowed = {_norm(k): k for k in (K.INTRO, K.SUBSECTIONS)}
        fee_layout = layout().fee
        if attr == "other_matters":
            allowed[_norm(fee_layout.name)] = fee_layout.name
        found = self.mapping(node, trail, allowed, what=f"由“{K.INTRO}”“{K.SUBSECTIONS}”组成的映射")
        intro: tuple[str, ...] = ()
        if K.INTRO in found:
            intro = self.paragraphs(found[K.INTRO][1], [*trail, K.INTRO], f"{attr}.intro")
        subsections: list[Subsection] = []
        if K.SUBSECTIONS in found:
            items = self.sequence(found[K.SUBSECTIONS][1], [*trail, K.SUBSECTIONS], "小节")
            for i, item in enumerate(items):
                sub = self.attempt(
                    self.subsection,
                    item,
                    [*trail, K.SUBSECTIONS, f"第{i + 1}小节"],
                    f"{attr}.subsections.{i}",
                    attr == "overview",
                )
                if sub is not None:
                    subsections.append(sub)
        extra: dict[str, Any] = {}
        if attr == "other_matters":
            fee_node = self.require(
                found, fee_layout.name, node, trail, "收费通知件数、通知金额、实收金额"
            )
            extra["fee"] = self.fee(fee_node, [*trail, fee_layout.name])
        return cls(intro=intro, subsections=tuple(subsections), **extra)

    def subsection(
        self, node: Any, trail: list[str], path: str, highlights: bool = False
    ) -> Subsection:
        keys = (K.TITLE, K.CONTENT, K.POINT_STYLE, *((K.HIGHLIGHTS,) if highlights else ()))
        allowed = {_norm(k): k for k in keys}
        found = self.mapping(node, trail, allowed, what="由“标题”“内容”组成的小节")
        title = self.text(
            self.require(found, K.TITLE, node, trail, "小节标题"),
            [*trail, K.TITLE],
            f"{path}.title",
            "标题",
        )
        style = "一是"
        if K.POINT_STYLE in found:
            style_node = found[K.POINT_STYLE][1]
            style = self.text(style_node, [*trail, K.POINT_STYLE], f"{path}.point_style")
            if style not in POINT_STYLES:
                self.fail(
                    style_node,
                    [*trail, K.POINT_STYLE],
                    f"应为{'、'.join(POINT_STYLES)}之一，实际为“{style}”",
                )
        content: list[Block] = []
        if K.CONTENT in found:
            items = self.sequence(found[K.CONTENT][1], [*trail, K.CONTENT], "内容")
            block_keys = {_norm(K.POINT): K.POINT, _norm(K.PARAGRAPH): K.PARAGRAPH}
            for b, item in enumerate(items):
                item_trail = [*trail, K.CONTENT, f"第{b + 1}项"]
                try:
                    entry = self.mapping(
                        item,
                        item_trail,
                        block_keys,
                        what=f"“{K.POINT}: 文字”或“{K.PARAGRAPH}: 文字”",
                    )
                    if len(entry) != 1:
                        self.fail(
                            item, item_trail, f"每一项只能是一个“{K.POINT}”或一个“{K.PARAGRAPH}”"
                        )
                    ((kind, (_k, text_node)),) = entry.items()
                    text = self.text(text_node, [*item_trail, kind], f"{path}.content.{b}", kind)
                    content.append(Point(text) if kind == K.POINT else Paragraph(text))
                except _Skip:
                    pass
        curated: list[Highlight] = []
        if K.HIGHLIGHTS in found:
            items = self.sequence(found[K.HIGHLIGHTS][1], [*trail, K.HIGHLIGHTS], "亮点")
            for h, item in enumerate(items):
                one = self.attempt(
                    self.highlight,
                    item,
                    [*trail, K.HIGHLIGHTS, f"第{h + 1}项"],
                    f"{path}.highlights.{h}",
                )
                if one is not None:
                    curated.append(one)
        return Subsection(
            title=title,
            content=tuple(content),
            point_style=style,  # type: ignore[arg-type]
            highlights=tuple(curated),
        )

    def highlight(self, node: Any, trail: list[str], path: str) -> Highlight:
        """One curated highlight: ``{数字: 22, 单位: 条, 说明: 收录惠企政策}``."""
        allowed = {_norm(k): k for k in (K.FIGURE, K.UNIT, K.LABEL)}
        what = f"“{K.FIGURE}”“{K.UNIT}”“{K.LABEL}”组成的映射"
        found = self.mapping(node, trail, allowed, what=what)
        figure_node = self.require(found, K.FIGURE, node, trail, "以阿拉伯数字开头，如 22")
        tag, raw = self.scalar(figure_node, [*trail, K.FIGURE], "数字")
        if tag not in ("int", "float", "str"):
            self.fail(figure_node, [*trail, K.FIGURE], f"应为数字，如 22 或 100余，实际为“{raw}”")
        unit = ""
        if K.UNIT in found and _tag(found[K.UNIT][1]) != "null":
            unit = self.text(found[K.UNIT][1], [*trail, K.UNIT], f"{path}.unit", "单位")
        label = self.text(
            self.require(found, K.LABEL, node, trail, "这个数字说的是什么"),
            [*trail, K.LABEL],
            f"{path}.label",
            "说明",
        )
        try:
            highlight = Highlight(figure=V.clean_text(raw), unit=unit, label=label)
        except InvalidValueError as exc:
            field = {"figure": K.FIGURE, "unit": K.UNIT}.get(exc.field, K.LABEL)
            target = found[field][1] if field in found else node
            self.fail(target, [*trail, field], exc.message)
        self.note(f"{path}.figure", figure_node)
        return highlight

    def fee(self, node: Any, trail: list[str]) -> FeeFigures:
        items = layout().fee.items
        allowed = {a: i.label for i in items for a in _aliases(i)}
        found = self.mapping(node, trail, allowed, what="信息处理费各项")
        values: dict[str, Any] = {}
        for item in items:
            assert item.field is not None
            value_node = self.require(found, item.label, node, trail, "没有就填 0")
            path = f"other_matters.fee.{item.field}"
            t = [*trail, item.label]
            values[item.field] = (
                self.count(value_node, t, path)
                if item.type == "count"
                else self.amount(value_node, t, path, item.type)
            )
        return FeeFigures(**values)

    # ------------------------------------------------------------ tables

    def _table_text(
        self, found: Mapping[str, tuple[Any, Any]], trail: list[str], attr: str
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, field in ((K.INTRO, "intro"), (K.NOTES, "notes")):
            if key in found:
                out[field] = self.paragraphs(found[key][1], [*trail, key], f"{attr}.{field}")
        return out

    def proactive(self, node: Any, trail: list[str], edition: Edition) -> Any:
        t2 = layout().proactive
        blocks = t2.blocks(edition)
        rows = [(block, row) for block in blocks for row in block.rows]
        allowed = {a: r.key for _b, r in rows for a in _aliases(r)}
        allowed.update({_norm(K.INTRO): K.INTRO, _norm(K.NOTES): K.NOTES})
        found = self.mapping(node, trail, allowed, what="表2各行")
        values: dict[str, Any] = {}
        for block, row in rows:
            assert row.field is not None
            row_trail = [*trail, row.key]
            try:
                row_node = self.require(found, row.key, node, trail, f"{block.title}的一行")
                path = f"proactive.{row.field}"
                if len(block.columns) == 1:
                    values[row.field] = self._value(
                        row_node, row_trail, path, block.columns[0].type
                    )
                    continue
                cols = {a: c.key for c in block.columns for a in _aliases(c)}
                row_found = self.mapping(row_node, row_trail, cols, what="各列数值")
                self.note(path, row_node)
                cells: dict[str, Any] = {}
                for col in block.columns:
                    assert col.field is not None
                    cell_node = self.require(row_found, col.key, row_node, row_trail, "没有就填 0")
                    cells[col.field] = self._value(
                        cell_node, [*row_trail, col.key], f"{path}.{col.field}", col.type
                    )
                values[row.field] = cells
            except _Skip:
                pass
        if self.problems:
            raise _Skip
        return T.proactive_from_values(
            edition, values, **self._table_text(found, trail, "proactive")
        )

    def _value(self, node: Any, trail: list[str], path: str, kind: str) -> Any:
        if kind in ("money", "yuan"):
            return self.amount(node, trail, path, kind)
        return self.count(node, trail, path, kind)

    def _row_counts(
        self,
        node: Any,
        trail: list[str],
        path: str,
        columns: Sequence[Node],
        parts: tuple[str, ...],
    ) -> dict[str, int] | None:
        """A row of Table 3 or a group of Table 4: every part required, the total optional."""
        allowed = {a: c.key for c in columns for a in _aliases(c)}
        found = self.mapping(node, trail, allowed, what="各列数值")
        self.note(path, node)
        out: dict[str, int] = {}
        ok = True
        for column in columns:
            assert column.field is not None
            field, key = column.field, column.key
            if key not in found:
                if field == "total":
                    continue  # computed from the parts
                self.problem(node, trail, f"缺少“{key}”列（没有就填 0）")
                ok = False
                continue
            try:
                out[field] = self.count(found[key][1], [*trail, key], f"{path}.{field}")
            except _Skip:
                ok = False
        if not ok:
            return None
        if "total" not in out:
            out["total"] = sum(out[p] for p in parts)
        return out

    def applications(self, node: Any, trail: list[str], edition: Edition) -> Applications:
        table = layout().applications
        columns = [leaf.node for leaf in table.column_leaves(edition)]
        rows: dict[str, Any] = {}
        total_row: dict[str, Any] = {}

        def walk(n: Any, nodes: tuple[Node, ...], t: list[str], extra: bool) -> None:
            visible = [c for c in nodes if c.in_edition(edition)]
            allowed = {a: c.key for c in visible for a in _aliases(c)}
            if extra:
                allowed.update({_norm(K.INTRO): K.INTRO, _norm(K.NOTES): K.NOTES})
            found = self.mapping(n, t, allowed, what="表3各行")
            for child in visible:
                child_trail = [*t, child.key]
                if child.key not in found:
                    if child.field == "total_handled":
                        total_row["node"] = n
                        continue  # computed from the result rows
                    self.problem(n, t, f"缺少“{child.key}”{'各项' if child.children else '一行'}")
                    continue
                child_node = found[child.key][1]
                try:
                    if child.children:
                        walk(child_node, child.children, child_trail, False)
                    else:
                        assert child.field is not None
                        counts = self._row_counts(
                            child_node,
                            child_trail,
                            f"applications.{child.field}",
                            columns,
                            T.ApplicantCounts.PARTS,
                        )
                        if counts is not None:
                            rows[child.field] = T.ApplicantCounts(**counts)
                except _Skip:
                    pass
            if extra:
                total_row["text"] = self._table_text(found, t, "applications")

        walk(node, table.rows, trail, True)
        if self.problems:
            raise _Skip
        if "total_handled" not in rows:
            result_names = queries.result_rows(edition)
            sums = {
                col: sum(rows[name].get(col) for name in result_names)
                for col in T.ApplicantCounts.PARTS
            }
            rows["total_handled"] = T.ApplicantCounts.of(**sums)
            self.note("applications.total_handled", total_row.get("node", node))
        return T.Applications(**rows, **total_row.get("text", {}))

    def review_litigation(self, node: Any, trail: list[str]) -> ReviewLitigation:
        table = layout().review_litigation
        groups = [n for top in table.columns for n in ([top] if top.field else top.children)]
        allowed = {a: g.key for g in groups for a in _aliases(g)}
        allowed.update({_norm(K.INTRO): K.INTRO, _norm(K.NOTES): K.NOTES})
        found = self.mapping(node, trail, allowed, what="表4各组")
        out: dict[str, Any] = {}
        for group in groups:
            assert group.field is not None
            t = [*trail, group.key]
            if group.key not in found:
                self.problem(node, trail, f"缺少“{group.key}”一组")
                continue
            try:
                counts = self._row_counts(
                    found[group.key][1],
                    t,
                    f"review_litigation.{group.field}",
                    group.children,
                    T.CaseOutcomes.PARTS,
                )
            except _Skip:
                continue
            if counts is not None:
                out[group.field] = T.CaseOutcomes(**counts)
        if self.problems:
            raise _Skip
        return T.ReviewLitigation(**out, **self._table_text(found, trail, "review_litigation"))


def _tag(node: Any) -> str:
    """The short YAML tag of a node: ``int``, ``str``, ``null``, ``merge``…"""
    tag = node.tag
    text = str(getattr(tag, "value", tag) or "")
    return text.rpartition(":")[2]


def _is_scalar_text(node: Any) -> bool:
    from ruamel.yaml.nodes import ScalarNode

    return isinstance(node, ScalarNode) and _tag(node) != "null"


def _shape(node: Any) -> str:
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    if isinstance(node, MappingNode):
        return "映射（键: 值）"
    if isinstance(node, SequenceNode):
        return "列表"
    if isinstance(node, ScalarNode):
        if _tag(node) == "null":
            return "空值"
        return f"“{node.value}”"
    return "未知内容"


# ---------------------------------------------------------------- text and YAML syntax

_YAML_MESSAGES: tuple[tuple[str, str], ...] = (
    ("found character '\\t'", "YAML 不能用 Tab 缩进或分隔，请改用空格"),
    ("could not find expected ':'", "缺少冒号“:”（键与值之间要有英文冒号和空格），或引号没有闭合"),
    (
        "mapping values are not allowed here",
        "此处不能出现“键: 值”：可能缩进不对，或文字中含有“: ”，请给文字加引号",
    ),
    ("expected ',' or ']'", "方括号 [ ] 列表没有正确结束"),
    ("expected ',' or '}'", "花括号 { } 没有正确结束"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合（文件是否被截断？）"),
    ("while scanning a quoted scalar", "引号没有闭合"),
    ("expected <block end>", "缩进不一致：同一层的键要对齐"),
    ("found undefined alias", "使用了未定义的别名（*）"),
    ("special characters are not allowed", "含有不允许的特殊字符"),
    ("while parsing a block collection", "列表格式不对：同一列表的各项要以“- ”开头并对齐"),
    ("did not find expected '-' indicator", "列表格式不对：同一列表的各项要以“- ”开头并对齐"),
    ("did not find expected key", "此处应为“键: 值”：可能缩进不对"),
    ("found unhashable key", "键不能是列表或映射"),
)


def _translate_yaml_error(problem: str) -> str:
    for needle, chinese in _YAML_MESSAGES:
        if needle in problem:
            return f"YAML 格式错误：{chinese}"
    return f"YAML 格式错误（{problem.strip()}）"


def _decode(data: bytes, filename: str) -> str:
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line = data[:offset].count(b"\n") + 1
        raise DataFileError(
            filename,
            [Problem("不是文本文件（含有 NUL 字节，可能是二进制文件或压缩包）", line=line)],
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        try:
            data.decode("gb18030")
            hint = "文件看起来是 GBK/GB18030 编码，请用 UTF-8 编码另存后再试"
        except UnicodeDecodeError:
            hint = "文件不是 UTF-8 编码的文本"
        raise DataFileError(
            filename, [Problem(f"{hint}（第一个无法解码的字节在此处）", line=line, column=column)]
        ) from None
    return text


def _check_characters(text: str, filename: str) -> None:
    problems: list[Problem] = []
    for lineno, line_text in enumerate(text.split("\n"), 1):
        for col, ch in enumerate(line_text, 1):
            if ch in "\t\r":
                continue
            if unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff":
                problems.append(
                    Problem(f"含有控制字符 U+{ord(ch):04X}，请删除", line=lineno, column=col)
                )
                break
        if len(problems) >= 10:
            break
    if problems:
        raise DataFileError(filename, problems)


#: Deepest nesting of [ ] and { } accepted (the data file needs 1; the YAML
#: parser slows down badly on thousands of open brackets).
MAX_FLOW_DEPTH = 32


def _check_flow_depth(text: str, filename: str) -> None:
    depth = 0
    for index, ch in enumerate(text):
        if ch in "[{":
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                line = text.count("\n", 0, index) + 1
                column = index - (text.rfind("\n", 0, index) + 1) + 1
                raise DataFileError(
                    filename,
                    [
                        Problem(
                            f"嵌套层次过深（方括号、花括号最多嵌套 {MAX_FLOW_DEPTH} 层）",
                            line=line,
                            column=column,
                        )
                    ],
                )
        elif ch in "]}" and depth:
            depth -= 1


def _compose(text: str, filename: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    try:
        return yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise DataFileError(
            filename,
            [
                Problem(
                    _translate_yaml_error(str(exc.problem or exc.context or "")),
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                )
            ],
        ) from None
    except YAMLError as exc:
        raise DataFileError(filename, [Problem(_translate_yaml_error(str(exc)))]) from None
    except RecursionError:
        raise DataFileError(filename, [Problem("嵌套层次过深，不是有效的报告数据文件")]) from None


def loads(text: str, filename: str = "<文本>") -> LoadedReport:
    """Read a data file's text. Raises :class:`DataFileError` on any problem."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise DataFileError(filename, [Problem(_too_big(size))])
    if "\x00" in text:
        raise DataFileError(filename, [Problem("含有 NUL 字符，不是文本数据")])
    return _parse(text, filename)


def _parse(text: str, filename: str) -> LoadedReport:
    text = text.removeprefix("\ufeff")
    _check_characters(text, filename)
    _check_flow_depth(text, filename)
    root = _compose(text, filename)
    if root is None:
        raise DataFileError(
            filename, [Problem("文件是空的：请用 `hdgovreport new` 生成数据文件模板")]
        )
    reader = _Reader(filename)
    report = None
    try:
        report = reader.report(root)
    except _TooMany:
        reader.problems.append(Problem(f"问题过多，只列出前 {MAX_PROBLEMS} 个"))
    except _Skip:
        pass
    if report is None or reader.problems:
        raise DataFileError(filename, reader.problems or [Problem("无法读取报告数据")])
    return LoadedReport(report=report, sources=reader.sources, filename=filename)


def _too_big(size: int) -> str:
    return f"文件过大（{size / 1024 / 1024:.1f} MB），数据文件上限为 {MAX_FILE_BYTES // 1024 // 1024} MB"


def load(path: str | Path) -> LoadedReport:
    """Read a data file. Raises :class:`DataFileError` naming file, line and field."""
    filename = str(path)
    try:
        p = Path(path)
        if p.is_dir():
            raise DataFileError(filename, [Problem("这是一个目录，不是数据文件")])
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataFileError(filename, [Problem(_too_big(size))])
        with p.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise DataFileError(filename, [Problem("文件不存在")]) from None
    except PermissionError:
        raise DataFileError(filename, [Problem("没有读取此文件的权限")]) from None
    except OSError as exc:
        raise DataFileError(filename, [Problem(f"无法读取文件：{exc.strerror or exc}")]) from None
    if len(data) > MAX_FILE_BYTES:
        raise DataFileError(filename, [Problem(_too_big(len(data)))])
    return _parse(_decode(data, filename), filename)


def iter_problems(error: DataFileError) -> Iterator[str]:
    """Each problem rendered as ``file:line:column: field：message``."""
    for problem in error.problems:
        yield problem.render(error.filename)
