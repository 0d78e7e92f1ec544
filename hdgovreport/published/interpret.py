"""Turn extracted blocks into the report model, remembering where every value came from.

The same interpretation serves every published shape (text, HTML, DOCX,
PDF): the readers only take a file apart into text blocks and table rows;
here the title gives the agency and year, the six section headings split the
report, the narrative becomes sub-sections, points and paragraphs, and the
three tables are located by their labels — never by position — so extra
rows, notes, split tables and reordered blocks do not break reading.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

import attrs

from hdgovreport.errors import InvalidValueError, UnreadableError
from hdgovreport.form import queries
from hdgovreport.form.layout import Edition, Node, layout, section_order, wording
from hdgovreport.form.numbering import chinese_numeral, point
from hdgovreport.model import (
    NO_FEES,
    AnnualReport,
    ApplicantCounts,
    CaseOutcomes,
    FeeFigures,
    OtherMatters,
    Overview,
    Paragraph,
    Point,
    PointStyle,
    Problems,
    ReportMeta,
    ReviewLitigation,
    Subsection,
)
from hdgovreport.model import tables as T
from hdgovreport.model import values as V
from hdgovreport.model.provenance import Source
from hdgovreport.published.blocks import (
    CellText,
    Extracted,
    TableBlock,
    TextBlock,
    clean_text,
    squeeze,
)
from hdgovreport.published.labels import NUMBERING, Matcher, normalise

NoteLevel = Literal["info", "notice"]


@attrs.frozen
class ReadNote:
    """Something the reader did or noticed: an inexact label, a blank read as 0, the edition found."""

    message: str
    source: Source | None = None
    level: NoteLevel = "notice"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"level": self.level, "message": self.message}
        if self.source is not None:
            out["source"] = self.source.to_dict()
        return out

    def __str__(self) -> str:
        return f"{self.source}  {self.message}" if self.source else self.message


@attrs.frozen
class PublishedReport:
    """A report read back from a published file, with provenance and reading notes."""

    report: AnnualReport
    sources: Mapping[str, Source]
    filename: str
    format: str  # text / html / docx / pdf / data
    edition_evidence: str = ""
    notes: tuple[ReadNote, ...] = ()

    def reading_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "edition": self.report.edition,
            "edition_evidence": self.edition_evidence,
            "notes": [n.to_dict() for n in self.notes],
        }


# ---------------------------------------------------------------- vocabulary from the layout

_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_BLANKS = frozenset({"", "-", "--", "—", "——", "－", "–", "/", "／", "无", "空", "\\"})
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－―‒~]+\s*\d{1,4}\s*[-—–－―‒~]+|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*[/／]\s*\d{1,4})$"
)
_FOOTER = re.compile(
    r"版权所有|ICP备|网站标识码|公网安备|主办单位|承办单位|网站地图|打印本页|关闭窗口|【打印】|【关闭】"
    r"|上一篇|下一篇|扫一扫|Copyright",
    re.IGNORECASE,
)


_CHROME = re.compile(
    r"^(?:发布(?:时间|日期)|来源|信息来源|浏览次数|点击数|字号|【字体)[:：]?.{0,80}(?:来源|浏览|点击|字号|作者|【)"
)


def is_page_number(text: str) -> bool:
    """``-3-``, ``— 5 —``, ``第 2 页 共 6 页``, ``2/6``: a page number, not report text."""
    return bool(_PAGE_NUMBER.match(unicodedata.normalize("NFKC", text).strip()))


@functools.cache
def _title_core() -> str:
    """The fixed part of the title after the year: ``政府信息公开工作年度报告``."""
    template = wording().title
    return template.split("{year}", 1)[1].lstrip("年")


@functools.cache
def _section_matcher() -> Matcher[str]:
    return Matcher(((h, attr) for attr, h in wording().sections.items()), cutoff=0.85)


def _edition_labels(edition: str) -> set[str]:
    out: set[str] = set()
    t2 = layout().proactive
    for block in t2.blocks(edition):
        out.add(block.title)
        out.update(n.label for n in (*block.columns, *block.rows))
    stack = list(layout().applications.rows)
    while stack:
        node = stack.pop()
        if node.in_edition(edition):
            out.add(node.label)
            stack.extend(node.children)
    return {normalise(x) for x in out}


@functools.cache
def _edition_markers() -> dict[str, frozenset[str]]:
    """Normalised labels printed in one edition only (evidence for which edition a report uses)."""
    a, b = _edition_labels("2021"), _edition_labels("2019")
    # a marker must not read like a column header (（六）3.其他 vs the column 其他)
    columns = {
        normalise(leaf.label)
        for table in (layout().applications, layout().review_litigation)
        for leaf in table.column_leaves("2021")
    }
    return {"2021": frozenset(a - b - columns), "2019": frozenset(b - a - columns)}


@functools.cache
def _marker_labels() -> dict[str, str]:
    """Normalised edition marker → the official label, for messages."""
    out: dict[str, str] = {}
    t2 = layout().proactive
    for edition in ("2021", "2019"):
        for block in t2.blocks(edition):
            for label in (block.title, *(n.label for n in (*block.columns, *block.rows))):
                out.setdefault(normalise(label), label)
        for leaf in layout().applications.row_leaves(edition):
            out.setdefault(normalise(leaf.label), leaf.label)
    return out


@attrs.frozen
class _RowTarget:
    """What a Table 3 row label stands for: a leaf row, a group, or both (（六）其他处理)."""

    field: str | None  # leaf field
    group: str | None  # group label
    name: str  # qualified official name, for messages


@functools.cache
def _t3_matcher() -> Matcher[_RowTarget]:
    table = layout().applications
    entries: list[tuple[str, _RowTarget]] = []
    seen: dict[str, _RowTarget] = {}

    def visit(nodes: tuple[Node, ...], above: str) -> None:
        for node in nodes:
            name = f"{above}/{node.label}" if above else node.label
            key = normalise(node.label)
            if node.children:
                prev = seen.get(key)
                target = _RowTarget(prev.field if prev else None, node.label, node.label)
                seen[key] = target
                visit(node.children, node.label if node.qualify else "")
            else:
                prev = seen.get(key)
                target = _RowTarget(node.field, prev.group if prev else None, name)
                seen[key] = target

    visit(table.rows, "")
    for key, target in seen.items():
        entries.append((key, target))
    return Matcher(entries)


@attrs.frozen
class _T2Target:
    field: str
    label: str


@functools.cache
def _t2_matcher(edition: str) -> Matcher[_T2Target]:
    entries = []
    for block in layout().proactive.blocks(edition):
        for row in block.rows:
            entries.append((row.label, _T2Target(str(row.field), row.label)))
    return Matcher(entries)


@functools.cache
def _t4_groups() -> tuple[Node, ...]:
    t4 = layout().review_litigation
    return tuple(n for top in t4.columns for n in ([top] if top.field else top.children))


@functools.cache
def _t4_group_matcher() -> Matcher[str]:
    return Matcher((g.label, str(g.field)) for g in _t4_groups())


@functools.cache
def _t4_outcome_matcher() -> Matcher[str]:
    return Matcher((c.label, str(c.field)) for c in _t4_groups()[0].children)


@functools.cache
def _header_labels() -> frozenset[str]:
    """Normalised labels of column headers, block titles and corner notes of all three tables."""
    out: set[str] = set()
    t2 = layout().proactive
    out.add(t2.row_header)
    for edition in ("2021", "2019"):
        for block in t2.blocks(edition):
            out.add(block.title)
            out.update(c.label for c in block.columns)
    for table in (layout().applications, layout().review_litigation):
        stack = list(table.columns)
        while stack:
            node = stack.pop()
            out.add(node.label)
            stack.extend(node.children)
        if table.corner_note:
            out.add(table.corner_note)
    return frozenset(normalise(x) for x in out)


def _is_header_text(text: str) -> bool:
    return normalise(text) in _header_labels()


# ---------------------------------------------------------------- cell values


def parse_number(text: str) -> Decimal | None:
    """A published number (``1,448``, ``１９６５６.３８３６``), or ``None`` when the text is not one."""
    t = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace("，", "")
    t = t.replace(" ", "")
    if not _NUMBER.match(t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None


def is_blank(text: str) -> bool:
    return squeeze(text) in _BLANKS


def _split_numbers(text: str) -> list[str] | None:
    """``"0 0 0"`` → three numbers (a text extractor ran cells together); else ``None``."""
    parts = unicodedata.normalize("NFKC", text).split()
    if len(parts) > 1 and all(parse_number(p) is not None for p in parts):
        return parts
    return None


def is_value(text: str) -> bool:
    return parse_number(text) is not None or _split_numbers(text) is not None


@attrs.frozen
class _Value:
    number: Decimal | None  # None: a blank cell
    cell: CellText
    raw: str


@attrs.frozen
class _Row:
    """A published table row split into its label cells and its value cells."""

    labels: tuple[CellText, ...]
    values: tuple[_Value, ...]
    cells: tuple[CellText, ...]
    region: str | None  # the section it was printed in
    split: bool = False  # some cell held several numbers


def _split_row(cells: Sequence[CellText], region: str | None) -> _Row:
    last_label = -1
    for i, cell in enumerate(cells):
        if not is_blank(cell.text) and not is_value(cell.text):
            last_label = i
    labels = tuple(c for c in cells[: last_label + 1] if not is_blank(c.text))
    values: list[_Value] = []
    split = False
    for cell in cells[last_label + 1 :]:
        many = _split_numbers(cell.text)
        if many is not None:
            split = True
            values.extend(_Value(parse_number(p), cell, p) for p in many)
        elif is_blank(cell.text):
            values.append(_Value(None, cell, cell.text.strip()))
        else:
            values.append(_Value(parse_number(cell.text), cell, cell.text.strip()))
    # a trailing run of blank cells after a label-only row is layout, not values
    if values and all(v.number is None for v in values) and not labels:
        values = []
    return _Row(labels, tuple(values), tuple(cells), region, split)


def _any_row_label(label: str, fuzzy: bool = True) -> bool:
    return bool(
        _t3_matcher().match(label, fuzzy=fuzzy)
        or _t2_matcher("2021").match(label, fuzzy=fuzzy)
        or _t2_matcher("2019").match(label, fuzzy=fuzzy)
        or _t4_group_matcher().match(label, fuzzy=fuzzy)
    )


def _text_row(text: str, source: Source) -> tuple[CellText, ...] | None:
    """A line of text that is really a table row (``（一）予以公开 288 13 2 1 0 5 309``).

    Text extractors print table rows as lines with the cells separated by spaces;
    header lines are several column labels separated by spaces.
    """
    parts = text.replace("\t", " ").split()
    if len(parts) < 2:
        return None
    numbered = [i for i, p in enumerate(parts) if parse_number(p) is not None]
    if not numbered:
        headers = [p for p in parts if _is_header_text(p)]
        if len(headers) >= 2 and len(headers) * 2 >= len(parts):
            return tuple(CellText(p, source) for p in parts)
        return None
    first = numbered[0]
    if any(parse_number(p) is None for p in parts[first:]):
        return None
    values = [CellText(p, source) for p in parts[first:]]
    if first == 0:
        return tuple(values) if len(values) >= 4 else None
    label = "".join(parts[:first])
    for fuzzy in (False, True):
        if _any_row_label(label, fuzzy):
            return (CellText(label, source), *values)
        for split in range(1, first):  # group labels before the row's own label
            head, tail = "".join(parts[:split]), "".join(parts[split:first])
            if _any_row_label(tail, fuzzy):
                return (CellText(head, source), CellText(tail, source), *values)
    return None


# ---------------------------------------------------------------- the interpreter


@attrs.frozen
class _Section:
    attr: str
    heading: TextBlock | None
    blocks: tuple[TextBlock | TableBlock, ...]


class _Interpreter:
    def __init__(self, extracted: Extracted) -> None:
        self.x = extracted
        self.filename = extracted.filename
        self.notes: list[ReadNote] = [ReadNote(n, None, "info") for n in extracted.notes]
        self.sources: dict[str, Source] = {}

    def note(self, message: str, source: Source | None = None, level: NoteLevel = "notice") -> None:
        self.notes.append(ReadNote(message, source, level))

    def unreadable(self, reason: str) -> UnreadableError:
        return UnreadableError(self.filename, reason)

    # ------------------------------------------------------------ front matter

    def blocks(self) -> list[TextBlock | TableBlock]:
        out: list[TextBlock | TableBlock] = []
        w = wording()
        banner_title = squeeze(w.unverified_title)
        banner_text = squeeze(w.unverified_text.split("{rules}", 1)[0])
        dropped_pages = 0
        for block in self.x.blocks:
            if isinstance(block, TableBlock):
                if any(c.text.strip() for row in block.rows for c in row):
                    out.append(block)
                continue
            text = clean_text(block.text)
            if not text:
                continue
            if is_page_number(text):
                dropped_pages += 1
                continue
            sq = squeeze(text)
            if _CHROME.search(sq):
                self.note(f"略去网页上的发布信息“{text[:40]}”", block.source, "info")
                continue
            if sq.startswith(banner_title):
                sq = sq[len(banner_title) :]
            if not sq or (banner_text and sq.startswith(banner_text)):
                continue  # our own "unverified" banner and watermark
            out.append(attrs.evolve(block, text=text))
        if dropped_pages:
            self.note(f"略去页码 {dropped_pages} 处", level="info")
        return out

    def title(self, blocks: list[TextBlock | TableBlock]) -> tuple[str, int, int]:
        """(agency, year, index of the first block after the title)."""
        core = squeeze(_title_core())
        window = blocks[:120]
        for width in (1, 2, 3):
            for i in range(len(window) - width + 1):
                parts = window[i : i + width]
                if not all(isinstance(b, TextBlock) and len(squeeze(b.text)) <= 60 for b in parts):
                    continue
                joined = "".join(squeeze(b.text) for b in parts if isinstance(b, TextBlock))
                if core[:4] not in joined:
                    continue
                found = self._parse_title(joined, core)
                if found is None:
                    continue
                first = parts[0]
                assert isinstance(first, TextBlock)
                self.sources["meta.agency"] = first.source
                self.sources["meta.year"] = first.source
                if width > 1:
                    self.note("标题分在多行，已合并", first.source, "info")
                return found[0], found[1], i + width
        for candidate in (self.x.title, self._file_stem()):
            if candidate:
                found = self._parse_title(squeeze(candidate), core)
                if found is not None:
                    self.note(f"正文中未找到报告标题，机关名称和年度取自“{candidate}”")
                    return found[0], found[1], 0
        raise self.unreadable(f"未找到报告标题（应形如“{wording().title_for('某某机关', 2023)}”）")

    def _file_stem(self) -> str:
        name = self.filename.replace("\\", "/").rsplit("/", 1)[-1]
        return name.rsplit(".", 1)[0]

    @staticmethod
    def _parse_title(text: str, core: str) -> tuple[str, int] | None:
        text = re.sub(r"[《》<>]", "", text)
        text = re.split(r"[_|｜—–-]{1,2}(?=[^_|｜]*$)", text)[0] if core in text else text
        position = text.find(core)
        if position < 0:
            short = core.replace("工作", "")
            position = text.find(short)
            if position < 0:
                return None
        head = text[:position]
        m = re.search(r"((?:19|20)\d{2})年度?$", head)
        if m is None:
            m2 = re.search(r"((?:19|20)\d{2})年度?", text[position:])
            if m2 is None:
                return None
            agency, year = head, int(m2.group(1))
        else:
            agency, year = head[: m.start()], int(m.group(1))
        agency = re.sub(r"^关于", "", agency).strip("：: ")
        if not agency or len(agency) > 40 or re.search(r"[，。；：,;:]", agency):
            return None
        if not 2008 <= year <= 2100:
            return None
        return agency, year

    # ------------------------------------------------------------ sections

    def heading(self, block: TextBlock) -> tuple[str, bool, str] | None:
        """(section attribute, exact?, printed numbering) when the block is a level-1 heading."""
        sq = squeeze(block.text)
        if len(sq) > 40:
            return None
        m = NUMBERING.match(sq)
        printed = m.group(0) if m else ""
        core = sq[len(printed) :].rstrip("：:。")
        if not core:
            return None
        found = _section_matcher().match(core)
        if found is None:
            return None
        if printed.startswith(("（", "(")) and not found.exact:
            return None
        return found.value, found.exact, printed

    def sections(self, blocks: list[TextBlock | TableBlock]) -> tuple[list[Any], list[_Section]]:
        order = section_order()
        opening: list[TextBlock | TableBlock] = []
        current = -1
        parts: dict[int, tuple[TextBlock | None, list[TextBlock | TableBlock]]] = {}
        for block in blocks:
            if isinstance(block, TextBlock):
                if _FOOTER.search(block.text) and current >= 0:
                    self.note("正文之后的网站页脚等内容未读入", block.source, "info")
                    break
                found = self.heading(block)
                if found is not None:
                    attr, exact, printed = found
                    index = order.index(attr)
                    if index == current:
                        continue  # a caption or a repeated heading
                    if index > current:
                        expected = f"{chinese_numeral(index + 1)}、"
                        if printed != expected:
                            shown = f"“{printed}”" if printed else "没有编号"
                            self.note(
                                f"第{chinese_numeral(index + 1)}部分标题编号{shown}，应为“{expected}”",
                                block.source,
                            )
                        if not exact:
                            self.note(
                                f"部分标题“{block.text}”与“{wording().sections[attr]}”不完全一致，按近似匹配读入",
                                block.source,
                            )
                        for skipped in range(current + 1, index):
                            if skipped not in parts:
                                parts[skipped] = (None, [])
                        parts[index] = (block, [])
                        current = index
                        continue
            if current < 0:
                opening.append(block)
            else:
                parts[current][1].append(block)
        out: list[_Section] = []
        for index, attr in enumerate(order):
            if index not in parts:
                parts[index] = (None, [])
            heading, content = parts[index]
            if heading is None:
                self.note(
                    f"未找到第{chinese_numeral(index + 1)}部分“{wording().sections[attr]}”的标题"
                )
            else:
                self.sources[attr] = heading.source
            out.append(_Section(attr, heading, tuple(content)))
        return opening, out

    # ------------------------------------------------------------ the whole report

    def run(self) -> PublishedReport:
        blocks = self.blocks()
        if not blocks:
            raise self.unreadable("文件中没有文字")
        agency, year, start = self.title(blocks)
        opening_blocks, sections = self.sections(blocks[start:])
        if all(s.heading is None for s in sections):
            raise self.unreadable(
                "未找到报告的任何一个部分标题（如“一、”部分），不像是政府信息公开工作年度报告"
            )
        by_attr = {s.attr: s for s in sections}

        opening: list[str] = []
        for block in opening_blocks:
            if isinstance(block, TextBlock):
                self.sources[f"opening.{len(opening)}"] = block.source
                opening.append(block.text)

        rows, texts = self.table_rows(sections)
        edition, evidence = self.edition(rows, year)
        proactive = self.proactive(rows, edition, texts["proactive"])
        applications = self.applications(rows, edition, texts["applications"])
        review = self.review_litigation(rows, texts["review_litigation"])
        overview = self.narrative(by_attr["overview"], Overview)
        problems = self.narrative(by_attr["problems"], Problems)
        other = self.narrative(by_attr["other_matters"], OtherMatters)
        other = attrs.evolve(other, fee=self.fees(other))
        try:
            meta = ReportMeta(
                agency=agency,
                year=year,
                edition=edition,
                published=self.x.published,
                website=self.website(opening, other),
            )
            report = AnnualReport(
                meta=meta,
                opening=tuple(opening),
                overview=overview,
                proactive=proactive,
                applications=applications,
                review_litigation=review,
                problems=problems,
                other_matters=other,
            )
        except InvalidValueError as exc:
            raise self.unreadable(f"读出的内容不构成有效的报告：{exc}") from exc
        return PublishedReport(
            report=report,
            sources=dict(self.sources),
            filename=self.filename,
            format=self.x.format,
            edition_evidence=evidence,
            notes=tuple(self.notes),
        )

    # ------------------------------------------------------------ narrative

    def narrative(self, section: _Section, cls: type[Any]) -> Any:
        attr = section.attr
        intro: list[str] = []
        subs: list[dict[str, Any]] = []
        blocks = [b for b in section.blocks if isinstance(b, TextBlock)]
        if any(isinstance(b, TableBlock) for b in section.blocks):
            self.note(f"第{chinese_numeral(section_order().index(attr) + 1)}部分中的表格未读入")
        for i, block in enumerate(blocks):
            text = block.text
            following = blocks[i + 1].text if i + 1 < len(blocks) else ""
            kind, number, body, prefix = self._classify(block, subs, following)
            if kind == "heading":
                expected = len(subs) + 1
                right = f"（{chinese_numeral(expected)}）"
                if number is not None and number != expected:
                    self.note(
                        f"小节编号“{prefix}”与顺序不符：这是第{expected}个小节，应为“{right}”",
                        block.source,
                    )
                elif prefix and prefix != right:
                    self.note(f"小节编号写作“{prefix}”，应为“{right}”", block.source)
                path = f"{attr}.subsections.{len(subs)}"
                self.sources[f"{path}.title"] = block.source
                self.sources[path] = block.source
                subs.append({"title": body, "content": [], "style": None, "n": 0})
            elif not subs:
                self.sources[f"{attr}.intro.{len(intro)}"] = block.source
                intro.append(text)
            else:
                sub = subs[-1]
                self.sources[
                    f"{attr}.subsections.{len(subs) - 1}.content.{len(sub['content'])}"
                ] = block.source
                if kind == "point":
                    sub["content"].append(Point(body))
                else:
                    sub["content"].append(Paragraph(text))
        subsections = []
        for sub in subs:
            title = sub["title"] or "（无标题）"
            subsections.append(
                Subsection(
                    title=title, content=tuple(sub["content"]), point_style=sub["style"] or "一是"
                )
            )
        return cls(intro=tuple(intro), subsections=tuple(subsections))

    _POINT_PREFIX = re.compile(
        r"^(?:(?P<cn>[一二三四五六七八九十]+)是|(?P<dot>\d+)[.．、](?!\d)|[（(](?P<par>\d+)[）)])"
    )
    _SUB_PREFIX = re.compile(r"^[（(](?P<cn>[一二三四五六七八九十]+|\d+)[）)][、.．]?")

    def _classify(
        self, block: TextBlock, subs: list[dict[str, Any]], following: str
    ) -> tuple[str, int | None, str, str]:
        """("heading" | "point" | "paragraph", number, text without its number, printed number)."""
        text = block.text
        sub = subs[-1] if subs else None
        m = self._SUB_PREFIX.match(text)
        if block.hint == "h2" or m:
            number = _numeral(m.group("cn")) if m else None
            body = clean_text(text[m.end() :]) if m else text
            arabic = bool(m and m.group("cn").isdigit())
            prefix = m.group(0) if m else ""
            if block.hint == "h2":
                return "heading", number, body, prefix
            is_next_point = (
                arabic and sub is not None and sub["style"] == "（1）" and number == sub["n"] + 1
            )
            heading_like = len(body) <= 40 and not re.search(r"[。；;]", body[:-1] if body else "")
            next_heading = not arabic or (number == len(subs) + 1 and heading_like)
            if not is_next_point and next_heading and body:
                return "heading", number, body, prefix
        if sub is None:
            return "paragraph", None, text, ""
        p = self._POINT_PREFIX.match(text)
        if p is None:
            return "paragraph", None, text, ""
        if p.group("cn"):
            style: PointStyle = "一是"
            n = _numeral(p.group("cn"))
        elif p.group("dot"):
            style, n = "1.", int(p.group("dot"))
        else:
            style, n = "（1）", int(p.group("par"))
        body = text[p.end() :]
        if not clean_text(body):
            return "paragraph", None, text, ""
        if sub["style"] is None:
            if n != 1:
                return "paragraph", None, text, ""
            if style == "一是" and "二是" in body and not self._POINT_PREFIX.match(following):
                return "paragraph", None, text, ""  # 一是……二是……三是 in one paragraph
            sub["style"] = style
        elif style != sub["style"]:
            return "paragraph", None, text, ""
        expected = sub["n"] + 1
        if n != expected:
            if style != "一是":
                return "paragraph", None, text, ""
            self.note(
                f"要点编号“{text[: p.end()]}”与顺序不符，应为“{point(expected, style)}”",
                block.source,
            )
        if text[: p.end()] != point(n, style):
            self.note(
                f"要点编号写作“{text[: p.end()]}”，应为“{point(n, style)}”", block.source, "info"
            )
        sub["n"] = expected
        return "point", n, clean_text(body), text[: p.end()]

    _URL = re.compile(
        r"(?:网址|网站|网页)[^。；;\s]{0,20}?[:：]?\s*((?:https?://)?(?:www\.)?[A-Za-z0-9.-]+\.(?:gov\.cn|cn|com|org|net)(?:/[\x21-\x7e]*)?)"
    )

    def website(self, opening: list[str], other: OtherMatters) -> str | None:
        """The agency's website, when section 6 (or the opening) names it (``网站网址:http://…``)."""
        for text in [
            *other.intro,
            *(b.text for s in other.subsections for b in s.content),
            *opening,
        ]:
            m = self._URL.search(text)
            if m:
                url = m.group(1).rstrip(".,，。)）")
                return url
        return None

    # ------------------------------------------------------------ fees (section 6)

    def fees(self, other: OtherMatters) -> FeeFigures:
        from hdgovreport.checks.narrative import figure_patterns

        texts: list[tuple[str, str]] = [
            (f"other_matters.intro.{i}", t) for i, t in enumerate(other.intro)
        ]
        for s, sub in enumerate(other.subsections):
            for b, block in enumerate(sub.content):
                texts.append((f"other_matters.subsections.{s}.content.{b}", block.text))
        found: dict[str, Decimal] = {}
        for pattern, path in figure_patterns():
            if not path.startswith("other_matters.fee."):
                continue
            for where, text in texts:
                m = pattern.search(text)
                if m is None:
                    continue
                value = parse_number(m.group(1))
                if value is not None:
                    found[path.rsplit(".", 1)[1]] = value
                    if where in self.sources:
                        self.sources[path] = self.sources[where]
                    break
        if not found:
            self.note("第六部分未找到信息处理费的收费通知件数和金额，按 0 读入")
            return NO_FEES
        fee_items = layout().fee.items
        missing = [i.label for i in fee_items if str(i.field) not in found]
        if missing:
            self.note(f"第六部分未写明{'、'.join(missing)}，按 0 读入")
        notices = found.get("notices", Decimal(0))
        try:
            return FeeFigures(
                notices=int(notices) if notices == notices.to_integral_value() else -1,
                notified_yuan=found.get("notified_yuan", Decimal(0)),
                collected_yuan=found.get("collected_yuan", Decimal(0)),
            )
        except InvalidValueError as exc:
            self.note(f"第六部分的信息处理费数字无法读入（{exc.message}），按 0 读入")
            return NO_FEES

    # ------------------------------------------------------------ tables

    def table_rows(
        self, sections: list[_Section]
    ) -> tuple[list[_Row], dict[str, dict[str, list[str]]]]:
        """Every table row in reading order, and the intro/note paragraphs of the table sections."""
        rows: list[_Row] = []
        texts: dict[str, dict[str, list[str]]] = {}
        table_attrs = ("proactive", "applications", "review_litigation")
        for section in sections:
            attr = section.attr
            in_table_section = attr in table_attrs
            intro: list[str] = []
            notes: list[str] = []
            seen_table = False
            pending: TextBlock | None = None
            caption = squeeze(wording().sections[attr])
            for block in section.blocks:
                if isinstance(block, TableBlock):
                    seen_table = True
                    for cells in block.rows:
                        rows.append(_split_row(cells, attr))
                    continue
                if not in_table_section:
                    continue
                row = _text_row(block.text, block.source)
                if row is None and pending is not None:  # a label wrapped onto this line
                    row = _text_row(pending.text + block.text, pending.source)
                    if row is not None:
                        pending = None
                if row is not None:
                    if pending is not None:
                        rows.append(_split_row((CellText(pending.text, pending.source),), attr))
                        pending = None
                    seen_table = True
                    rows.append(_split_row(row, attr))
                    continue
                if block.hint == "caption" or squeeze(block.text) == caption:
                    continue
                if (
                    seen_table
                    and len(block.text) <= 60
                    and not re.search(r"[。；;]$", block.text)
                    and pending is None
                ):
                    pending = block  # maybe the first part of a wrapped row label
                    continue
                if pending is not None:
                    self._text_block(
                        attr, pending, notes if seen_table else intro, seen_table, rows
                    )
                    pending = None
                self._text_block(attr, block, notes if seen_table else intro, seen_table, rows)
                if _is_header_text(block.text) or self._is_row_label(block.text):
                    seen_table = True
            if pending is not None:
                self._text_block(attr, pending, notes, seen_table, rows)
            if in_table_section:
                texts[attr] = {"intro": intro, "notes": notes}
        return rows, texts

    def _text_block(
        self, attr: str, block: TextBlock, target: list[str], after: bool, rows: list[_Row]
    ) -> None:
        """A line in a table section: a label printed alone (a row), or an intro/note paragraph."""
        if _is_header_text(block.text) or self._is_row_label(block.text):
            rows.append(_split_row((CellText(block.text, block.source),), attr))
            return
        kind = "notes" if after else "intro"
        self.sources[f"{attr}.{kind}.{len(target)}"] = block.source
        target.append(block.text)

    @staticmethod
    def _is_row_label(text: str) -> bool:
        return bool(
            _t3_matcher().exact(text)
            or _t2_matcher("2021").exact(text)
            or _t2_matcher("2019").exact(text)
            or _t4_group_matcher().exact(text)
        )

    def edition(self, rows: list[_Row], year: int) -> tuple[Edition, str]:
        markers = _edition_markers()
        found: dict[str, list[str]] = {"2021": [], "2019": []}
        for row in rows:
            for cell in row.labels:
                key = normalise(cell.text)
                for name, keys in markers.items():
                    if key in keys and _marker_labels()[key] not in found[name]:
                        found[name].append(_marker_labels()[key])
        a, b = len(found["2021"]), len(found["2019"])
        edition: Edition
        if a != b:
            edition = "2021" if a > b else "2019"
            basis = found[edition]
            shown = "、".join(f"“{x}”" for x in basis[:3]) + ("等" if len(basis) > 3 else "")
            other = "2019" if edition == "2021" else "2021"
            against = (
                f"；另有{len(found[other])}个{_edition_name(other)}特有的标签"
                if found[other]
                else ""
            )
            evidence = (
                f"表格中有{len(basis)}个{_edition_name(edition)}特有的标签（{shown}）{against}"
            )
        else:
            edition = "2019" if year <= 2020 else "2021"
            evidence = f"表格标签不能区分格式版本，按报告年度 {year} 年判断"
        message = f"按{_edition_name(edition)}格式读入：{evidence}"
        self.note(message, level="info")
        return edition, message

    def _label_rows(
        self, rows: list[_Row], match: Any, *, prefer: str
    ) -> dict[str, tuple[_Row, CellText, bool, str]]:
        """Rows whose label matches: target → (row, label cell, exact?, printed label)."""
        out: dict[str, tuple[_Row, CellText, bool, str]] = {}
        pending: list[CellText] = []
        for i, row in enumerate(rows):
            if not row.labels:
                pending = []
                continue
            header_hits = sum(1 for c in row.labels if _is_header_text(c.text))
            if header_hits >= 2 or (not row.values and header_hits == len(row.labels)):
                pending = []
                continue
            leaf = row.labels[-1]
            candidates = [(leaf.text, leaf)]
            if pending:
                candidates.insert(0, ("".join(c.text for c in pending) + leaf.text, pending[0]))
            nxt = rows[i + 1] if i + 1 < len(rows) else None
            if (
                row.values
                and nxt is not None
                and nxt.labels
                and all(v.number is None for v in nxt.values)
            ):
                candidates.append((leaf.text + nxt.labels[-1].text, leaf))
            hit = None
            for exact_only in (True, False):
                for printed, cell in candidates:
                    if not exact_only and row.region != prefer and row.region is not None:
                        continue
                    target = match(printed, exact_only)
                    if target is not None:
                        hit = (target, cell, printed)
                        break
                if hit:
                    break
            if hit is None:
                pending = [*pending, leaf] if not row.values else []
                continue
            pending = []
            (key, exact), cell, printed = hit
            if key is None:
                continue
            if key in out:
                continue
            if printed != leaf.text:
                self.note(f"行标签“{printed}”分在两行（或跨页断开），已合并", cell.source, "info")
            out[key] = (row, cell, exact, printed)
        return out

    def _values(
        self, row: _Row, count: int, what: str, *, blank_total_ok: bool = False
    ) -> tuple[list[_Value | None], list[str]]:
        """``count`` values of a row (missing ones ``None``), with remarks."""
        values: list[_Value | None] = list(row.values)
        remarks: list[str] = []
        if row.split:
            remarks.append("几个数挤在同一格中，已分开")
        if len(values) > count:
            extra = values[count:]
            if all(v is not None and v.number is None for v in extra):
                values = values[:count]
            else:
                shown = "、".join(v.raw for v in extra if v is not None)
                remarks.append(f"多出 {len(extra)} 个数（{shown}），未读入")
                values = values[:count]
        if len(values) < count:
            remarks.append(f"只有 {len(values)} 个数（应有 {count} 个），缺少的按 0 读入")
            values.extend([None] * (count - len(values)))
        return values, remarks

    def _number(self, value: _Value | None, kind: str, path: str, label: str) -> Any:
        if value is None:
            return Decimal(0) if kind in ("money", "yuan") else 0
        self.sources[path] = value.cell.source
        if value.number is None:
            if value.raw not in ("",):
                self.note(f"{label}填写为“{value.raw}”，按 0 读入", value.cell.source)
            return Decimal(0) if kind in ("money", "yuan") else 0
        number = value.number
        if kind in ("money", "yuan"):
            problem = V.problem_value(kind, number)  # type: ignore[arg-type]
            if problem:
                self.note(f"{label}：{problem}，按 0 读入", value.cell.source)
                return Decimal(0)
            return number
        if number != number.to_integral_value():
            self.note(f"{label}应为整数，实际为“{value.raw}”，按 0 读入", value.cell.source)
            return 0
        integer = int(number)
        problem = V.problem_value("signed" if kind == "signed" else "count", integer)
        if problem:
            self.note(f"{label}：{problem}，按 0 读入", value.cell.source)
            return 0
        return integer

    def _label_note(
        self, table: str, printed: str, official: str, exact: bool, cell: CellText
    ) -> None:
        if not exact:
            self.note(f"{table}的行标签“{printed}”按“{official}”读入（近似匹配）", cell.source)

    # ------------------------------------------------------------ Table 2

    def proactive(self, rows: list[_Row], edition: Edition, texts: dict[str, list[str]]) -> Any:
        t2 = layout().proactive
        matcher = _t2_matcher(edition)

        def match(printed: str, exact_only: bool) -> tuple[str, bool] | None:
            m = matcher.match(printed, fuzzy=not exact_only)
            return (m.value.field, m.exact) if m else None

        found = self._label_rows(rows, match, prefer="proactive")
        values: dict[str, Any] = {}
        missing: list[str] = []
        for block in t2.blocks(edition):
            for row in block.rows:
                field = str(row.field)
                hit = found.get(field)
                path = f"{t2.field}.{field}"
                if hit is None:
                    missing.append(row.label)
                    cells: list[_Value | None] = [None] * len(block.columns)
                else:
                    published, cell, exact, printed = hit
                    self.sources[path] = cell.source
                    self._label_note(t2.name, printed, row.label, exact, cell)
                    cells, remarks = self._values(published, len(block.columns), row.label)
                    for remark in remarks:
                        self.note(f"{t2.name}“{row.label}”一行{remark}", cell.source)
                if len(block.columns) == 1 and block.columns[0].field is None:
                    values[field] = self._number(
                        cells[0], block.columns[0].type, path, f"{t2.name}“{row.label}”"
                    )
                else:
                    values[field] = {
                        str(col.field): self._number(
                            v, col.type, f"{path}.{col.field}", f"{t2.name}“{row.label}”{col.label}"
                        )
                        for col, v in zip(block.columns, cells, strict=True)
                    }
        self._missing(t2.name, missing, sum(len(b.rows) for b in t2.blocks(edition)))
        return T.proactive_from_values(edition, values, intro=texts["intro"], notes=texts["notes"])

    def _missing(self, table: str, missing: list[str], total: int) -> None:
        if not missing:
            return
        if len(missing) * 2 > total:
            raise self.unreadable(
                f"未找到{table}：{len(missing)} 行（共 {total} 行）的标签都没有找到，如“{missing[0]}”"
            )
        shown = "、".join(f"“{m}”" for m in missing)
        self.note(f"{table}中未找到{shown}一行，按 0 读入")

    # ------------------------------------------------------------ Table 3

    def applications(self, rows: list[_Row], edition: Edition, texts: dict[str, list[str]]) -> Any:
        table = layout().applications
        matcher = _t3_matcher()

        def match(printed: str, exact_only: bool) -> tuple[str | None, bool] | None:
            m = matcher.match(printed, fuzzy=not exact_only)
            if m is None:
                return None
            target = m.value
            return (target.field or None, m.exact)

        found = self._label_rows(rows, match, prefer="applications")
        # a group label printed alone (（六）其他处理 in 2021) reaches here as the 2019 leaf row
        columns = table.column_leaves(edition)
        parts = T.ApplicantCounts.PARTS
        leaves = table.row_leaves(edition)
        fields_2019 = {lf.node.field for lf in table.row_leaves("2019")}
        fields_2021 = {lf.node.field for lf in table.row_leaves("2021")}
        single_leaf = next(
            lf for lf in table.row_leaves("2019") if lf.node.field not in fields_2021
        )
        split_leaves = [lf for lf in table.row_leaves("2021") if lf.node.field not in fields_2019]
        single = str(single_leaf.node.field)
        split_fields = [str(lf.node.field) for lf in split_leaves]
        read: dict[str, tuple[list[_Value | None], CellText]] = {}
        synthesized: set[str] = set()
        for leaf in (*table.row_leaves("2021"), single_leaf):
            field = str(leaf.node.field)
            hit = found.get(field)
            if hit is None:
                continue
            published, cell, exact, printed = hit
            self._label_note(table.name, printed, leaf.name, exact, cell)
            cells, remarks = self._values(published, len(columns), leaf.name)
            for remark in remarks:
                self.note(f"{table.name}“{leaf.name}”一行{remark}", cell.source)
            read[field] = (cells, cell)

        # （六）其他处理: one row or three, whatever the edition says
        if edition == "2021":
            if single in read and not any(f in read for f in split_fields):
                cells, cell = read.pop(single)
                self.note(
                    f"{table.name}“{single_leaf.name}”只印了一行（2019 试行版的样式）：按 2021 版读入，"
                    f"数字记在“{split_leaves[-1].name}”，其余两行按 0 读入",
                    cell.source,
                )
                read[split_fields[-1]] = (cells, cell)
                zero = [_Value(Decimal(0), cell, "0")] * len(columns)
                for f in split_fields[:-1]:
                    read[f] = (list(zero), cell)
                    synthesized.add(f)
        elif single not in read and any(f in read for f in split_fields):
            sums: list[_Value | None] = []
            first_cell = next(read[f][1] for f in split_fields if f in read)
            for c in range(len(columns)):
                total = Decimal(0)
                for f in split_fields:
                    value = read[f][0][c] if f in read else None
                    if value is not None and value.number is not None:
                        total += value.number
                sums.append(_Value(total, first_cell, str(total)))
            self.note(
                f"{table.name}“{single_leaf.name}”分三行印出，按 2019 试行版的一行读入（三行相加）",
                first_cell.source,
            )
            read[single] = (sums, first_cell)
        for f in split_fields if edition == "2019" else [single]:
            read.pop(f, None)

        as_printed = {f: v for f, v in read.items() if f not in synthesized}
        total_blank = bool(as_printed) and all(
            cells[-1] is None or cells[-1].number is None for cells, _c in as_printed.values()
        )
        if total_blank:
            self.note(f"{table.name}的“{columns[-1].name}”列整列为空，按各列之和读入")
        counts: dict[str, ApplicantCounts] = {}
        missing: list[str] = []
        for leaf in leaves:
            field = str(leaf.node.field)
            path = f"{table.field}.{field}"
            if field not in read:
                if field == "total_handled":
                    continue
                missing.append(leaf.name)
                counts[field] = T.ZERO_COUNTS
                continue
            cells, cell = read[field]
            self.sources[path] = cell.source
            numbers = {
                str(col.node.field): self._number(
                    v, "count", f"{path}.{col.node.field}", f"{table.name}“{leaf.name}”{col.name}"
                )
                for col, v in zip(columns, cells, strict=True)
            }
            if total_blank:
                numbers.pop("total")
                counts[field] = T.ApplicantCounts.of(**numbers)
            else:
                counts[field] = T.ApplicantCounts(**numbers)
        self._missing(table.name, missing, len(leaves))
        if "total_handled" not in counts:
            result_names = queries.result_rows(edition)
            sums2 = {c: sum(counts[n].get(c) for n in result_names) for c in parts}
            counts["total_handled"] = T.ApplicantCounts.of(**sums2)
            self.note(f"{table.name}中未找到“（七）”总计一行，按各项办理结果之和读入")
        return T.Applications(**counts, intro=tuple(texts["intro"]), notes=tuple(texts["notes"]))

    # ------------------------------------------------------------ Table 4

    def review_litigation(self, rows: list[_Row], texts: dict[str, list[str]]) -> ReviewLitigation:
        t4 = layout().review_litigation
        groups = _t4_groups()
        outcomes = groups[0].children
        group_m, outcome_m = _t4_group_matcher(), _t4_outcome_matcher()
        width = len(groups) * len(outcomes)
        # the printed order of the groups and outcomes, from the header rows
        header_at = None
        group_order: list[str] = []
        outcome_order: list[str] = []
        for i, row in enumerate(rows):
            hits = [group_m.exact(c.text) for c in row.labels]
            names = [h.value for h in hits if h is not None]
            if len(names) >= 2 and not row.values:
                header_at = i if header_at is None else header_at
                for n in names:
                    if n not in group_order:
                        group_order.append(n)
            if header_at is not None and not row.values and len(outcome_order) < len(outcomes):
                for c in row.labels:
                    o = outcome_m.exact(c.text)
                    if o is not None and o.value not in outcome_order:
                        outcome_order.append(o.value)
            if header_at is not None and row.values and len(names) == 0:
                break
        values: list[_Value | None] = []
        first_source: Source | None = None
        if header_at is not None:
            for row in rows[header_at + 1 :]:
                if row.labels and not (
                    len(row.labels) <= 1 and all(is_blank(c.text) for c in row.labels)
                ):
                    if values:
                        break
                    continue
                if not row.values:
                    continue
                values.extend(row.values)
                first_source = first_source or row.values[0].cell.source
                if len(values) >= width:
                    break
        group_fields = [str(g.field) for g in groups]
        outcome_fields = [str(o.field) for o in outcomes]
        printed_groups = [g for g in group_order if g in group_fields]
        if len(printed_groups) == len(group_fields) and printed_groups != group_fields:
            self.note(f"{t4.name}各组的顺序与格式不同，按表头的顺序读入")
            group_fields = printed_groups
        if len(outcome_order) == len(outcome_fields) and outcome_order != outcome_fields:
            self.note(f"{t4.name}各列的顺序与格式不同，按表头的顺序读入")
            outcome_fields = outcome_order
        out: dict[str, CaseOutcomes] = {}
        if len(values) >= width - len(groups):  # one wide row
            cells, remarks = self._values(
                _Row((), tuple(v for v in values if v is not None), (), None), width, t4.name
            )
            for remark in remarks:
                self.note(f"{t4.name}数据行{remark}", first_source)
            k = 0
            for g in group_fields:
                nums: dict[str, int] = {}
                for outcome in outcome_fields:
                    nums[outcome] = self._number(
                        cells[k],
                        "count",
                        f"{t4.field}.{g}.{outcome}",
                        f"{t4.name}{_group_label(g)}{_outcome_label(outcome)}",
                    )
                    k += 1
                out[g] = CaseOutcomes(**nums)
        else:  # one row per group

            def match(printed: str, exact_only: bool) -> tuple[str, bool] | None:
                m = group_m.match(printed, fuzzy=not exact_only)
                return (m.value, m.exact) if m else None

            found = self._label_rows(rows, match, prefer="review_litigation")
            found = {k: v for k, v in found.items() if v[0].values}
            if len(found) * 2 < len(groups):
                raise self.unreadable(f"未找到{t4.name}的数据行")
            for g in [str(x.field) for x in groups]:
                hit = found.get(g)
                nums = {}
                if hit is None:
                    self.note(f"{t4.name}中未找到“{_group_label(g)}”一组，按 0 读入")
                    out[g] = CaseOutcomes.of()
                    continue
                published, cell, exact, printed = hit
                self.sources[f"{t4.field}.{g}"] = cell.source
                self._label_note(t4.name, printed, _group_label(g), exact, cell)
                cells, remarks = self._values(published, len(outcomes), _group_label(g))
                for remark in remarks:
                    self.note(f"{t4.name}“{_group_label(g)}”一行{remark}", cell.source)
                for outcome, v in zip(outcome_fields, cells, strict=True):
                    nums[outcome] = self._number(
                        v,
                        "count",
                        f"{t4.field}.{g}.{outcome}",
                        f"{t4.name}{_group_label(g)}{_outcome_label(outcome)}",
                    )
                out[g] = CaseOutcomes(**nums)
        return ReviewLitigation(**out, intro=tuple(texts["intro"]), notes=tuple(texts["notes"]))


def _group_label(field: str) -> str:
    return next(g.label for g in _t4_groups() if g.field == field)


def _outcome_label(field: str) -> str:
    return next(o.label for o in _t4_groups()[0].children if o.field == field)


def _edition_name(edition: str) -> str:
    return "2021 版" if edition == "2021" else "2019 试行版"


def _numeral(text: str) -> int:
    if text.isdigit():
        return int(text)
    for n in range(1, 100):
        if chinese_numeral(n) == text:
            return n
    return 0


def interpret(extracted: Extracted) -> PublishedReport:
    """The report in ``extracted``; raises :class:`UnreadableError` when it cannot be found."""
    return _Interpreter(extracted).run()


__all__ = [
    "PublishedReport",
    "ReadNote",
    "interpret",
    "is_page_number",
    "parse_number",
]
