"""HTML pages as government sites publish them (and our own HTML page).

The page is parsed by lxml's HTML parser with the network off and entities
left alone.  Scripts, styles, forms and navigation elements are skipped.
Block elements (``p``, ``div``, ``h1``–``h6``, ``li``…) and ``<br>`` end a text
block; a ``<table>`` with no table inside it is a data table (cells wrapped
in ``<p>``/``<span>``, ``&nbsp;``, ``colspan``/``rowspan`` are all fine: each
cell is read once, in its first row); a table that holds other tables is a
layout table, read as a container.  Everything before the report title and
after the report's end is left to the interpreter, which ignores it.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from hdgovreport.errors import UnreadableError
from hdgovreport.model.provenance import Source
from hdgovreport.published.extract.stream import (
    Block,
    CellText,
    Deadline,
    Extracted,
    Hint,
    TableBlock,
    TextBlock,
)
from hdgovreport.published.limits import MAX_CELLS, MAX_HTML_DEPTH

_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "nav",
        "form",
        "select",
        "option",
        "button",
        "textarea",
        "iframe",
        "object",
        "embed",
        "svg",
        "canvas",
        "video",
        "audio",
        "map",
    }
)
_BLOCK = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "address",
        "center",
        "figure",
        "figcaption",
        "hr",
        "body",
        "html",
        "tr",
        "td",
        "th",
        "caption",
        "tbody",
        "thead",
        "tfoot",
        "table",
    }
)
_DATE = re.compile(r"((?:19|20)\d{2})[-/年.](\d{1,2})[-/月.](\d{1,2})")
_DATE_META = ("dcterms.created", "pubdate", "publishdate", "firstpublishedtime", "publishtime")


def _tag(element: Any) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


class _Walker:
    def __init__(self, filename: str, deadline: Deadline, ours: bool) -> None:
        self.filename = filename
        self.deadline = deadline
        self.ours = ours
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.buffer_line: int | None = None
        self.buffer_hint: Hint = ""
        self.tables = 0
        self.cells = 0
        self.steps = 0

    def flush(self) -> None:
        text = "".join(self.buffer)
        if text.strip():
            self.blocks.append(
                TextBlock(text, Source(self.filename, line=self.buffer_line), self.buffer_hint)
            )
        self.buffer = []
        self.buffer_line = None
        self.buffer_hint = ""

    def add(self, text: str | None, line: int | None) -> None:
        if not text:
            return
        text = re.sub(r"[\r\n\t ]+", " ", text)
        if not self.buffer and not text.strip():
            return
        if self.buffer_line is None and text.strip():
            self.buffer_line = line
        self.buffer.append(text)

    def hint_for(self, element: Any) -> Hint:
        if not self.ours:
            return ""
        tag = _tag(element)
        if tag == "h1":
            return "title"
        if tag == "h2":
            return "h1"
        if tag == "h3":
            return "h2"
        return ""

    def walk(self, element: Any, depth: int = 0) -> None:
        self.steps += 1
        if self.steps % 2048 == 0:
            self.deadline.check()
        if depth > MAX_HTML_DEPTH:
            raise UnreadableError(self.filename, "网页的元素嵌套过深")
        tag = _tag(element)
        if not tag or tag in _SKIP:
            self.add(element.tail, getattr(element, "sourceline", None))
            return
        if tag == "table" and element.find(".//table") is None:
            self.flush()
            self.table(element)
            self.add(element.tail, element.sourceline)
            return
        if tag == "br":
            self.flush()
            self.add(element.tail, element.sourceline)
            return
        block = tag in _BLOCK
        if block:
            self.flush()
            self.buffer_hint = self.hint_for(element)
        self.add(element.text, element.sourceline)
        for child in element:
            self.walk(child, depth + 1)
        if block:
            self.flush()
        self.add(element.tail, element.sourceline)

    def table(self, table: Any) -> None:
        self.tables += 1
        rows: list[tuple[CellText, ...]] = []
        number = self.tables
        occupied: dict[int, int] = {}  # grid column → rows a rowspan above still covers
        for r, tr in enumerate(_rows(table), 1):
            cells = []
            column = 0
            for c, td in enumerate(e for e in tr if _tag(e) in ("td", "th")):
                self.cells += 1
                if self.cells > MAX_CELLS:
                    raise UnreadableError(
                        self.filename, f"网页中的表格单元格过多（上限 {MAX_CELLS}）"
                    )
                while occupied.get(column, 0) > 0:
                    column += 1
                span = _span(td, "colspan")
                down = _span(td, "rowspan")
                if down > 1:
                    for k in range(column, column + span):
                        occupied[k] = down
                text = _cell_text(td)
                detail = f"第{number}个表格第{r}行第{c + 1}格"
                source = Source(self.filename, line=td.sourceline, detail=detail)
                cells.append(CellText(text, source, column=column, span=span))
                column += span
            for k in list(occupied):
                occupied[k] -= 1
            if cells:
                rows.append(tuple(cells))
        if rows:
            self.blocks.append(TableBlock(tuple(rows), number))


def _span(cell: Any, name: str) -> int:
    """A ``colspan``/``rowspan`` as published (bounded: a hostile page cannot blow it up)."""
    try:
        return min(max(int(str(cell.get(name) or "1").strip() or "1"), 1), 1000)
    except ValueError:
        return 1


def _rows(table: Any) -> list[Any]:
    """The table's own rows (thead, tbody, tfoot, or directly), in document order."""
    out = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            out.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            out.extend(e for e in child if _tag(e) == "tr")
    return out


def _cell_text(cell: Any) -> str:
    parts: list[str] = []

    def visit(element: Any) -> None:
        tag = _tag(element)
        if tag in _SKIP:
            if element.tail:
                parts.append(element.tail)
            return
        if element.text:
            parts.append(element.text)
        for child in element:
            visit(child)
        if element is not cell and element.tail:
            parts.append(element.tail)

    visit(cell)
    text = "".join(parts)
    # a label broken over lines inside a cell (<br>, <p>) is one label; spaces are layout
    return re.sub(r"[\r\n\t]+", "", text).strip(" \u3000\u00a0")


def read_html(data: bytes, filename: str, deadline: Deadline) -> Extracted:
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=False,
        recover=True,
    )
    source: bytes | str = data
    if not re.search(rb"charset\s*=", data[:4096], re.IGNORECASE):
        try:
            # no declared charset (our CMS fragment, many editors' files): UTF-8 when it
            # decodes as UTF-8 — lxml alone would take the bytes as Latin-1
            source = re.sub(r"^\s*<\?xml[^>]*>", "", data.decode("utf-8-sig"))
        except UnicodeDecodeError:  # no declared charset and not UTF-8: GBK, as Chinese sites use
            source = data.decode("gb18030", errors="replace")
            source = re.sub(r"^\s*<\?xml[^>]*>", "", source)
    try:
        root = lxml.html.document_fromstring(source, parser=parser)
    except (lxml.etree.ParserError, ValueError, lxml.etree.XMLSyntaxError) as exc:
        raise UnreadableError(filename, f"网页无法解析（{exc}）") from exc
    if root is None:
        raise UnreadableError(filename, "网页是空的")
    deadline.check()
    generator = root.xpath("string(//meta[@name='generator']/@content)")
    ours = str(generator).startswith("hdgovreport")
    title = " ".join(str(root.xpath("string(//title)")).split()) or None
    published = _published(root)
    body = root.find("body")
    start = body if body is not None else root
    article = start.xpath(".//article[contains(concat(' ', @class, ' '), ' hdgov-report ')]")
    walker = _Walker(filename, deadline, ours)
    walker.walk(article[0] if isinstance(article, list) and article else start)
    walker.flush()
    return Extracted(
        format="html",
        filename=filename,
        blocks=tuple(walker.blocks),
        title=title,
        published=published,
    )


def _published(root: Any) -> _dt.date | None:
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").lower()
        if name in _DATE_META:
            m = _DATE.search(meta.get("content") or "")
            if m:
                try:
                    return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    return None
    return None
