"""Read a report data file (YAML, Chinese keys) into the model.

Every problem names the file, the line and column, and the chain of keys leading to the
value, and says what was expected.  All problems of the file are collected in one pass —
format problems, bad values, and the table cross-checks on the cells that could be read —
and reported sorted by line, so a file never needs several rounds.  The reader never
executes YAML tags, refuses aliases and unknown tags, and bounds the file's size and work
(:mod:`hdgovreport.datafile.yamltext`).  The tables go through the one structuring path
shared by every input (:mod:`hdgovreport.datafile.yamltables`).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs

from hdgovreport.datafile import keys as K
from hdgovreport.datafile import yamltext as Y
from hdgovreport.datafile.yamltables import TableCells
from hdgovreport.datafile.yamltext import (
    MAX_FILE_BYTES,
    MAX_NODES,
    MappingNode,
    ScalarNode,
    SequenceNode,
    shown,
    tag_of,
)
from hdgovreport.errors import DataFileError, InvalidValueError, Problem
from hdgovreport.form.layout import Edition, ValueType, layout, section_order, wording
from hdgovreport.model import (
    POINT_STYLES,
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
from hdgovreport.model.settings import NO_SETTINGS, GraphicSettings

#: Problems listed at most (the first ones by line).
MAX_PROBLEMS = 100

_SEP = " › "

N = TypeVar("N")
NarrativeT = TypeVar("NarrativeT", bound=Narrative)


@attrs.frozen
class LoadedReport:
    """A report read from a file, with where each value came from (model path → source)."""

    report: AnnualReport
    sources: Mapping[str, Source]
    filename: str


class _Skip(Exception):
    """A value was wrong; the problem is recorded, the caller moves on."""


def _kinds() -> str:
    return "、".join(K.KIND_WORDS.values())


class Reader:
    """One pass over a data file's node tree, collecting every problem."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Problem] = []
        self.sources: dict[str, Source] = {}

    # ------------------------------------------------------------ problems

    def problem(self, node: Any, trail: Iterable[str], message: str) -> None:
        mark = getattr(node, "start_mark", None)
        self.problems.append(
            Problem(
                message=message,
                line=mark.line + 1 if mark is not None else None,
                column=mark.column + 1 if mark is not None else None,
                field=_SEP.join(shown(t) for t in trail),
            )
        )

    def fail(self, node: Any, trail: Iterable[str], message: str) -> Any:
        self.problem(node, trail, message)
        raise _Skip

    def note(self, path: str, node: Any) -> None:
        mark = node.start_mark
        self.sources[path] = Source(self.filename, line=mark.line + 1, column=mark.column + 1)

    def attempt(self, func: Callable[..., N], *args: Any) -> N | None:
        """``func(*args)``, or ``None`` when it hit a (recorded) problem."""
        try:
            return func(*args)
        except _Skip:
            return None

    @staticmethod
    def _vetted(node: Any) -> None:
        if node.refused:
            raise _Skip  # a foreign tag or an alias, reported when the tree was built

    # ------------------------------------------------------------ shapes

    def mapping(
        self,
        node: Any,
        trail: list[str],
        allowed: Mapping[str, str],
        *,
        what: str = "",
        entries: list[tuple[Any, Any]] | None = None,
    ) -> dict[str, tuple[Any, Any]] | None:
        """Keys of a mapping node resolved against ``allowed`` (normalised alias → key).

        ``None`` (the problem recorded) when the node is not a mapping.
        """
        if node.refused:
            return None
        if not isinstance(node, MappingNode):
            self.problem(
                node, trail, f"应为{what or '“键: 值”形式的映射'}，实际为{self.shape(node)}"
            )
            return None
        out: dict[str, tuple[Any, Any]] = {}
        canonical = sorted(set(allowed.values()), key=list(allowed.values()).index)
        for key_node, value_node in node.value if entries is None else entries:
            raw = key_node.value if hasattr(key_node, "value") else None
            if key_node.refused:
                continue
            if not isinstance(raw, str) or tag_of(key_node) == "merge":
                self.problem(key_node, trail, f"不支持的键 {shown(str(raw))}")
                continue
            name = allowed.get(K.norm_key(raw))
            if name is None:
                self.problem(key_node, trail, self._unknown_key(raw, allowed, canonical))
                continue
            if name in out:
                first = out[name][0].start_mark.line + 1
                self.problem(
                    key_node, [*trail, name], f"键“{shown(raw)}”重复出现（第一次在第 {first} 行）"
                )
                continue
            out[name] = (key_node, value_node)
        return out

    @staticmethod
    def _unknown_key(raw: str, allowed: Mapping[str, str], canonical: list[str]) -> str:
        for colon in ("：", ":"):
            head, sep, _tail = raw.partition(colon)
            if sep and K.norm_key(head) in allowed:
                return f"“{shown(raw)}”：{Y.COLON_ADVICE if colon == '：' else Y.SPACE_ADVICE}"
        close = difflib.get_close_matches(K.norm_key(raw), list(allowed), n=1, cutoff=0.5)
        hint = f"，是否应为“{allowed[close[0]]}”？" if close else ""
        listing = "、".join(canonical) if len(canonical) <= 12 else ""
        known = f"此处可用的键：{listing}" if listing else ""
        return f"未知的键“{shown(raw)}”{hint}{known}"

    def require(
        self,
        found: Mapping[str, tuple[Any, Any]] | None,
        key: str,
        parent: Any,
        trail: list[str],
        what: str,
    ) -> Any:
        if found is None:
            raise _Skip
        if key not in found:
            self.fail(parent, trail, f"缺少“{key}”（{what}）")
        return found[key][1]

    def sequence(self, node: Any, trail: list[str], what: str) -> list[Any]:

        self._vetted(node)
        if isinstance(node, ScalarNode) and tag_of(node) == "null":
            return []
        if not isinstance(node, SequenceNode):
            self.fail(node, trail, f"应为{what}列表（每项以“- ”开头），实际为{self.shape(node)}")
        return list(node.value)

    def scalar(self, node: Any, trail: list[str], what: str) -> tuple[str, str]:
        """(tag, raw text) of a scalar node."""

        self._vetted(node)
        if not isinstance(node, ScalarNode):
            self.fail(node, trail, f"应为{what}，实际为{self.shape(node)}")
        return tag_of(node), str(node.value)

    @staticmethod
    def shape(node: Any) -> str:

        if isinstance(node, MappingNode):
            return "映射（键: 值）"
        if isinstance(node, SequenceNode):
            return "列表"
        if isinstance(node, ScalarNode):
            if tag_of(node) == "null":
                return "空值"
            return f"“{shown(str(node.value))}”"
        return "未知内容"

    # ------------------------------------------------------------ values

    def number(self, node: Any, trail: list[str], path: str, kind: ValueType = "count") -> Any:
        """A number outside the tables (the year): the same parser as every table cell."""
        tag, raw = self.scalar(node, trail, "整数")
        value, problem = V.parse_number_text(kind, "" if tag == "null" else raw)
        if problem is not None:
            self.fail(node, trail, problem.message)
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

        if isinstance(node, ScalarNode) and tag_of(node) != "null":
            return (self.text(node, trail, f"{path}.0", "段落"),)
        out: list[str] = []
        for i, item in enumerate(self.sequence(node, trail, "段落")):
            text = self.attempt(self.text, item, [*trail, f"第{i + 1}段"], f"{path}.{i}", "段落")
            if text is not None:
                out.append(text)
        return tuple(out)

    def date(self, node: Any, trail: list[str], path: str) -> _dt.date | None:
        tag, raw = self.scalar(node, trail, "日期")
        if tag == "null":
            return None
        try:
            value = _dt.date.fromisoformat(raw.strip())
        except ValueError:
            self.fail(node, trail, f"应为日期，写成 2023-01-31 的形式，实际为“{shown(raw)}”")
        self.note(path, node)
        return value

    # ------------------------------------------------------------ the report

    def report(self, root: Any) -> AnnualReport | None:
        sections = section_order()
        headings = {attr: wording().sections[attr] for attr in sections}
        allowed = K.text_keys(*K.META_KEYS, *headings.values(), K.GRAPHIC)
        top = self.mapping(root, [], allowed, what="报告数据（以“机关名称:”等键开头的映射）")
        if top is None:
            return None

        meta = self.attempt(self.meta, top, root)
        edition: Edition = meta.edition if meta else self._edition_only(top)
        opening: tuple[str, ...] = ()
        if K.OPENING in top:
            opening = self.attempt(self.paragraphs, top[K.OPENING][1], [K.OPENING], "opening") or ()

        cells = TableCells(self, edition)
        parts: dict[str, Any] = {}
        narratives: dict[str, type[Narrative]] = {
            "overview": Overview,
            "problems": Problems,
            "other_matters": OtherMatters,
        }
        tables: dict[str, Callable[[Any, list[str]], None]] = {
            "proactive": cells.proactive,
            "applications": cells.applications,
            "review_litigation": cells.review_litigation,
        }
        for index, attr in enumerate(sections, 1):
            heading = headings[attr]
            if heading not in top:
                self.problem(root, [], f"缺少第{index}部分“{heading}”")
                if attr in tables:
                    cells.skip([c.path for c in _cells_of(attr, edition)])
                elif attr == "other_matters":
                    cells.skip([c.path for c in _cells_of("fee", edition)])
                continue
            key_node, node = top[heading]
            self.note(attr, key_node)
            if attr in tables:
                tables[attr](node, [heading])
            else:
                parts[attr] = self.attempt(
                    self.narrative, node, [heading], attr, narratives[attr], cells
                )

        settings: GraphicSettings | None = NO_SETTINGS
        if K.GRAPHIC in top:
            settings = self.attempt(self.graphic_settings, top[K.GRAPHIC][1], [K.GRAPHIC])

        structured = cells.structure()
        if self.problems or not structured.ok:
            self.problems.extend(cells.cross_check_problems(meta, structured))
            return None
        if meta is None or settings is None or any(parts.get(a) is None for a in narratives):
            return None
        other = parts["other_matters"]
        assert structured.fee is not None and isinstance(other, OtherMatters)
        assert structured.proactive is not None and structured.applications is not None
        assert structured.review_litigation is not None
        try:
            return AnnualReport(
                meta=meta,
                opening=opening,
                overview=parts["overview"],
                proactive=structured.proactive,
                applications=structured.applications,
                review_litigation=structured.review_litigation,
                problems=parts["problems"],
                other_matters=attrs.evolve(other, fee=structured.fee),
                graphic=settings,
            )
        except InvalidValueError as exc:  # cross-section consistency the reader did not catch
            self.problem(root, [], str(exc))
            return None

    def graphic_settings(self, node: Any, trail: list[str]) -> GraphicSettings:
        """The graphic edition's settings: ``{数据来源: …, 计算比率: [纠正率]}`` (both optional)."""
        if isinstance(node, ScalarNode) and tag_of(node) == "null":
            return NO_SETTINGS
        what = f"由“{K.SOURCE}”“{K.RATES}”组成的映射"
        found = self.mapping(node, trail, K.text_keys(K.SOURCE, K.RATES), what=what)
        if found is None:
            raise _Skip
        source = None
        if K.SOURCE in found and tag_of(found[K.SOURCE][1]) != "null":
            source_trail = [*trail, K.SOURCE]
            source = self.text(found[K.SOURCE][1], source_trail, "graphic.source", "报告名称")
        rates: list[str] = []
        if K.RATES in found:
            words = "、".join(K.RATE_FROM_WORD)
            rates_trail = [*trail, K.RATES]
            items = self.sequence(found[K.RATES][1], rates_trail, f"比率名称（如 [{words}]）的")
            for i, item in enumerate(items):
                item_trail = [*rates_trail, f"第{i + 1}项"]
                _tag, word = self.scalar(item, item_trail, "比率名称")
                rate = K.RATE_FROM_WORD.get(word.strip())
                if rate is None:
                    self.problem(item, item_trail, f"应为{words}之一，实际为“{shown(word)}”")
                else:
                    rates.append(rate)
        return GraphicSettings(source=source, rates=tuple(rates))

    def _edition_only(self, top: Mapping[str, tuple[Any, Any]]) -> Edition:
        """The edition when the metadata has problems, so the tables are still read right."""
        if K.EDITION in top:
            return K.EDITION_WORDS.get(str(getattr(top[K.EDITION][1], "value", "")).strip(), "2021")
        return "2021"

    def meta(self, top: Mapping[str, tuple[Any, Any]], root: Any) -> ReportMeta:
        edition: Edition = "2021"
        if K.EDITION in top:
            node = top[K.EDITION][1]
            _kind, raw = self.scalar(node, [K.EDITION], "格式版本")
            found = K.EDITION_WORDS.get(raw.strip())
            if found is None:
                self.fail(node, [K.EDITION], f"应为 2021 或 2019，实际为“{shown(raw)}”")
            assert found is not None
            edition = found
            self.note("meta.edition", node)
        agency = self.attempt(
            lambda: self.text(
                self.require(top, K.AGENCY, root, [], "机关全称"), [K.AGENCY], "meta.agency"
            )
        )
        year = self.attempt(self._year, top, root)
        kind = infer_kind(agency or "")
        if K.KIND in top:
            node = top[K.KIND][1]
            word = self.text(node, [K.KIND], "meta.kind")
            if word not in K.KIND_FROM_WORD:
                self.fail(node, [K.KIND], f"应为{_kinds()}之一，实际为“{shown(word)}”")
            kind = K.KIND_FROM_WORD[word]  # type: ignore[assignment]
        published = None
        if K.PUBLISHED in top:
            published = self.date(top[K.PUBLISHED][1], [K.PUBLISHED], "meta.published")
        optional: dict[str, str | None] = {}
        for key, field in ((K.WEBSITE, "website"), (K.CONTACT, "contact")):
            optional[field] = None
            if key in top and tag_of(top[key][1]) != "null":
                optional[field] = self.text(top[key][1], [key], f"meta.{field}")
        if agency is None or year is None:
            raise _Skip
        return ReportMeta(
            agency=agency,
            year=year,
            edition=edition,
            kind=kind,
            published=published,
            website=optional["website"],
            contact=optional["contact"],
        )

    def _year(self, top: Mapping[str, tuple[Any, Any]], root: Any) -> int:
        year_node = self.require(top, K.YEAR, root, [], "统计年份，如 2023")
        year: int = self.number(year_node, [K.YEAR], "meta.year")
        if not FIRST_YEAR <= year <= LAST_YEAR:
            self.fail(
                year_node, [K.YEAR], f"报告年度应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间，实际为 {year}"
            )
        return year

    # ------------------------------------------------------------ narrative

    def narrative(
        self,
        node: Any,
        trail: list[str],
        attr: str,
        cls: type[NarrativeT],
        cells: TableCells,
    ) -> NarrativeT:
        fee_layout = layout().fee
        allowed = K.text_keys(K.INTRO, K.SUBSECTIONS)
        if attr == "other_matters":
            allowed.update(K.text_keys(fee_layout.name))
        found = self.mapping(node, trail, allowed, what=f"由“{K.INTRO}”“{K.SUBSECTIONS}”组成的映射")
        if found is None:
            if attr == "other_matters":
                cells.skip([c.path for c in _cells_of("fee", cells.edition)])
            raise _Skip
        if attr == "other_matters":
            if fee_layout.name in found:
                cells.fee(found[fee_layout.name][1], [*trail, fee_layout.name])
            else:
                cells.no_fee(node, trail)
        intro: tuple[str, ...] = ()
        ok = True
        if K.INTRO in found:
            read = self.attempt(
                self.paragraphs, found[K.INTRO][1], [*trail, K.INTRO], f"{attr}.intro"
            )
            ok = read is not None
            intro = read or ()
        subsections: list[Subsection] = []
        if K.SUBSECTIONS in found:
            items = self.attempt(
                self.sequence, found[K.SUBSECTIONS][1], [*trail, K.SUBSECTIONS], "小节"
            )
            ok = ok and items is not None
            for i, item in enumerate(items or []):
                sub = self.attempt(
                    self.subsection,
                    item,
                    [*trail, K.SUBSECTIONS, f"第{i + 1}小节"],
                    f"{attr}.subsections.{i}",
                    attr == "overview",
                )
                ok = ok and sub is not None
                if sub is not None:
                    subsections.append(sub)
        if not ok:
            raise _Skip
        return cls(intro=intro, subsections=tuple(subsections))

    def subsection(
        self, node: Any, trail: list[str], path: str, highlights: bool = False
    ) -> Subsection:
        keys = (K.TITLE, K.CONTENT, K.POINT_STYLE, *((K.HIGHLIGHTS,) if highlights else ()))
        found = self.mapping(node, trail, K.text_keys(*keys), what="由“标题”“内容”组成的小节")
        title = self.attempt(
            lambda: self.text(
                self.require(found, K.TITLE, node, trail, "小节标题"),
                [*trail, K.TITLE],
                f"{path}.title",
                "标题",
            )
        )
        if found is None:
            raise _Skip
        ok = title is not None
        style = "一是"
        if K.POINT_STYLE in found:
            style_node = found[K.POINT_STYLE][1]
            read_style = self.attempt(
                self.text, style_node, [*trail, K.POINT_STYLE], f"{path}.point_style"
            )
            if read_style is not None and read_style not in POINT_STYLES:
                self.problem(
                    style_node,
                    [*trail, K.POINT_STYLE],
                    f"应为{'、'.join(POINT_STYLES)}之一，实际为“{shown(read_style)}”",
                )
                read_style = None
            ok = ok and read_style is not None
            style = read_style or style
        content: list[Block] = []
        if K.CONTENT in found:
            items = self.attempt(self.sequence, found[K.CONTENT][1], [*trail, K.CONTENT], "内容")
            ok = ok and items is not None
            for b, item in enumerate(items or []):
                block = self.attempt(
                    self.block, item, [*trail, K.CONTENT, f"第{b + 1}项"], f"{path}.content.{b}"
                )
                ok = ok and block is not None
                if block is not None:
                    content.append(block)
        curated: list[Highlight] = []
        if K.HIGHLIGHTS in found:
            items = self.attempt(
                self.sequence, found[K.HIGHLIGHTS][1], [*trail, K.HIGHLIGHTS], "亮点"
            )
            ok = ok and items is not None
            for h, item in enumerate(items or []):
                one = self.attempt(
                    self.highlight,
                    item,
                    [*trail, K.HIGHLIGHTS, f"第{h + 1}项"],
                    f"{path}.highlights.{h}",
                )
                ok = ok and one is not None
                if one is not None:
                    curated.append(one)
        if not ok or title is None:
            raise _Skip
        return Subsection(
            title=title,
            content=tuple(content),
            point_style=style,  # type: ignore[arg-type]
            highlights=tuple(curated),
        )

    def block(self, item: Any, trail: list[str], path: str) -> Block:
        """One item of a sub-section's content: ``要点: 文字`` or ``段落: 文字``."""
        block_keys = K.text_keys(K.POINT, K.PARAGRAPH)
        entry = self.mapping(
            item, trail, block_keys, what=f"“{K.POINT}: 文字”或“{K.PARAGRAPH}: 文字”"
        )
        if entry is None:
            raise _Skip
        if len(entry) != 1:
            self.fail(item, trail, f"每一项只能是一个“{K.POINT}”或一个“{K.PARAGRAPH}”")
        ((kind, (_k, text_node)),) = entry.items()
        text = self.text(text_node, [*trail, kind], path, kind)
        return Point(text) if kind == K.POINT else Paragraph(text)

    def highlight(self, node: Any, trail: list[str], path: str) -> Highlight:
        """One curated highlight: ``{数字: 22, 单位: 条, 说明: 收录惠企政策}``."""
        what = f"“{K.FIGURE}”“{K.UNIT}”“{K.LABEL}”组成的映射"
        found = self.mapping(node, trail, K.text_keys(K.FIGURE, K.UNIT, K.LABEL), what=what)
        figure_node = self.require(found, K.FIGURE, node, trail, "以阿拉伯数字开头，如 22")
        assert found is not None
        tag, raw = self.scalar(figure_node, [*trail, K.FIGURE], "数字")
        if tag not in ("int", "float", "str"):
            self.fail(
                figure_node, [*trail, K.FIGURE], f"应为数字，如 22 或 100余，实际为“{shown(raw)}”"
            )
        unit = ""
        if K.UNIT in found and tag_of(found[K.UNIT][1]) != "null":
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


def _cells_of(part: str, edition: str) -> list[Any]:
    """The cells of one table (``proactive``, ``applications``, ``review_litigation``, ``fee``)."""
    from hdgovreport.form.layout import cells

    prefix = f"other_matters.{layout().fee.field}." if part == "fee" else f"{part}."
    return [c for c in cells(edition) if c.path.startswith(prefix)]


# ---------------------------------------------------------------- the file


def _sorted(problems: list[Problem]) -> list[Problem]:
    """By line and column (problems without a line last); at most :data:`MAX_PROBLEMS`."""
    unique = list(dict.fromkeys(problems))
    unique.sort(key=lambda p: (p.line is None, p.line or 0, p.column or 0))
    if len(unique) > MAX_PROBLEMS:
        rest = len(unique) - MAX_PROBLEMS
        unique = [
            *unique[:MAX_PROBLEMS],
            Problem(f"问题过多，只列出前 {MAX_PROBLEMS} 个（另有 {rest} 个）"),
        ]
    return unique


def loads(text: str, filename: str = "<文本>") -> LoadedReport:
    """Read a data file's text. Raises :class:`DataFileError` on any problem."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise DataFileError(filename, [Problem(Y.too_big(size))])
    if "\x00" in text:
        raise DataFileError(filename, [Problem("含有 NUL 字符，不是文本数据")])
    return _parse(text, filename)


def _parse(text: str, filename: str) -> LoadedReport:
    text = Y.normalise_newlines(text)
    deep = Y.check_flow_depth(text)
    if deep is not None:
        raise DataFileError(filename, [deep])
    text, characters = Y.check_characters(text)
    text, colons = Y.mend_colons(text, K.is_key)
    mended = [*characters, *colons]
    try:
        root, aliases = Y.compose(text, filename)
    except DataFileError as exc:
        raise DataFileError(filename, _sorted([*mended, *exc.problems])) from None
    if root is None:
        raise DataFileError(
            filename, [Problem("文件是空的：请用 `hdgovreport new` 生成数据文件模板")]
        )
    reader = Reader(filename)
    reader.problems.extend([*mended, *aliases])
    report = None
    with contextlib.suppress(_Skip):
        report = reader.report(root)
    if report is None or reader.problems:
        raise DataFileError(filename, _sorted(reader.problems or [Problem("无法读取报告数据")]))
    return LoadedReport(report=report, sources=reader.sources, filename=filename)


def load(path: str | Path) -> LoadedReport:
    """Read a data file. Raises :class:`DataFileError` naming file, line and field.

    Anything but a regular file (a folder, a FIFO, a device) is refused before it is opened.
    """
    from hdgovreport.fileio import regular_file_problem

    filename = str(path)
    problem = regular_file_problem(path)
    if problem is not None:
        raise DataFileError(filename, [Problem(problem)])
    try:
        p = Path(path)
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataFileError(filename, [Problem(Y.too_big(size))])
        with p.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except PermissionError:
        raise DataFileError(filename, [Problem("没有读取此文件的权限")]) from None
    except OSError as exc:
        raise DataFileError(filename, [Problem(f"无法读取文件：{exc.strerror or exc}")]) from None
    if len(data) > MAX_FILE_BYTES:
        raise DataFileError(filename, [Problem(Y.too_big(len(data)))])
    return _parse(Y.decode(data, filename), filename)


def iter_problems(error: DataFileError) -> Iterator[str]:
    """Each problem rendered as ``file:line:column: field：message``."""
    for problem in error.problems:
        yield problem.render(error.filename)


__all__ = ["MAX_FILE_BYTES", "MAX_NODES", "MAX_PROBLEMS", "LoadedReport", "load", "loads"]
