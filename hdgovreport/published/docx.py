"""Word files (.docx), ours and those written with Word or WPS.

A .docx is a zip of XML parts.  Both layers are untrusted: the archive is
checked before anything is inflated (number of members, sizes, compression
ratio — a zip bomb is refused), and the XML is parsed by lxml with no DTD,
no entity resolution and no network (a document that declares a DTD or
entities is refused).  The body is read in order: paragraphs, tables (a
vertically merged cell once, in its first row; a table inside a cell makes
the outer table a layout table, read as a container), and the contents of
text boxes.  Tracked deletions and field codes are not text.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from hdgovreport.errors import UnreadableError
from hdgovreport.model.provenance import Source
from hdgovreport.published.blocks import (
    Block,
    CellText,
    Deadline,
    Extracted,
    Hint,
    TableBlock,
    TextBlock,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_w = f"{{{W}}}"

#: Most members a .docx may have.
MAX_MEMBERS = 5000
#: Largest XML part read, uncompressed (bytes).
MAX_PART = 64 * 1024 * 1024
#: Highest compression ratio accepted for a large part (a zip bomb compresses far better).
MAX_RATIO = 200
#: Deepest XML nesting walked.
MAX_DEPTH = 200


def _part(archive: zipfile.ZipFile, name: str, filename: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART:
        raise UnreadableError(
            filename, f"Word 文件中的 {name} 过大（{info.file_size // 1048576} MB）"
        )
    if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise UnreadableError(filename, "Word 文件的压缩比异常（疑似“压缩炸弹”），拒绝读取")
    try:
        with archive.open(info) as handle:
            data = handle.read(MAX_PART + 1)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise UnreadableError(filename, f"Word 文件已损坏（{name} 无法解压）") from exc
    if len(data) > MAX_PART:
        raise UnreadableError(filename, "Word 文件的压缩比异常（疑似“压缩炸弹”），拒绝读取")
    return data


def _xml(data: bytes, filename: str) -> Any:
    import lxml.etree

    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data:
        raise UnreadableError(
            filename, "Word 文件的 XML 中声明了 DTD 或实体，拒绝读取（可能是恶意文件）"
        )
    parser = lxml.etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        return lxml.etree.fromstring(data, parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise UnreadableError(filename, f"Word 文件的 XML 有错误（{exc}）") from exc


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _format_number(n: int, fmt: str) -> str:
    from hdgovreport.form.numbering import chinese_numeral

    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "chineseLegalSimplified",
    ):
        return chinese_numeral(n) if n >= 1 else str(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else str(n)
    if fmt in ("lowerLetter", "upperLetter") and 1 <= n <= 26:
        letter = chr(ord("a") + n - 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class _Numbering:
    """Word's automatic numbering (``w:numPr``): the number Word prints before a paragraph."""

    def __init__(self, root: Any | None) -> None:
        self.levels: dict[
            str, dict[int, tuple[int, str, str]]
        ] = {}  # numId → ilvl → (start, fmt, text)
        self.counters: dict[str, list[int]] = {}
        if root is None:
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for element in root.findall(_w + "abstractNum"):
            levels = {}
            for lvl in element.findall(_w + "lvl"):
                start = lvl.find(_w + "start")
                fmt = lvl.find(_w + "numFmt")
                text = lvl.find(_w + "lvlText")
                try:
                    ilvl = int(lvl.get(_w + "ilvl") or 0)
                    first = int(start.get(_w + "val") or 1) if start is not None else 1
                except ValueError:
                    continue
                levels[ilvl] = (
                    first,
                    (fmt.get(_w + "val") or "decimal") if fmt is not None else "decimal",
                    (text.get(_w + "val") or "") if text is not None else "",
                )
            abstract[element.get(_w + "abstractNumId") or ""] = levels
        for num in root.findall(_w + "num"):
            ref = num.find(_w + "abstractNumId")
            if ref is not None:
                self.levels[num.get(_w + "numId") or ""] = abstract.get(
                    ref.get(_w + "val") or "", {}
                )

    def prefix(self, p: Any) -> str:
        numpr = p.find(f"{_w}pPr/{_w}numPr")
        if numpr is None:
            return ""
        num = numpr.find(_w + "numId")
        lvl = numpr.find(_w + "ilvl")
        num_id = (num.get(_w + "val") or "") if num is not None else ""
        try:
            ilvl = int(lvl.get(_w + "val") or 0) if lvl is not None else 0
        except ValueError:
            return ""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels or not 0 <= ilvl < 9:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        _start, fmt, text = levels[ilvl]
        if fmt in ("bullet", "none"):
            return ""  # a bullet is decoration, not a number

        def value(level: int) -> str:
            first, level_fmt, _t = levels.get(level, (1, "decimal", ""))
            return _format_number(first - 1 + max(counters[level], 1), level_fmt)

        return re.sub(r"%([1-9])", lambda m: value(int(m.group(1)) - 1), text)


class _Body:
    def __init__(
        self, filename: str, deadline: Deadline, numbering: _Numbering | None = None
    ) -> None:
        self.filename = filename
        self.deadline = deadline
        self.numbering = numbering or _Numbering(None)
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0
        self.steps = 0

    def tick(self) -> None:
        self.steps += 1
        if self.steps % 1024 == 0:
            self.deadline.check()

    def container(self, element: Any, depth: int = 0) -> None:
        """Paragraphs and tables of a body, cell, text box or content control, in order."""
        if depth > MAX_DEPTH:
            raise UnreadableError(self.filename, "Word 文件的结构嵌套过深")
        for child in element:
            self.tick()
            tag = child.tag
            if tag == _w + "p":
                self.paragraph(child, depth)
            elif tag == _w + "tbl":
                self.table(child, depth)
            elif tag in (_w + "sdt", _w + "customXml", _w + "ins", _w + "smartTag"):
                content = child.find(_w + "sdtContent")
                self.container(content if content is not None else child, depth + 1)

    def paragraph(self, p: Any, depth: int) -> None:
        for box in _text_boxes(p):
            self.container(box, depth + 1)
        text = _run_text(p)
        if not text.strip():
            return
        text = self.numbering.prefix(p) + text
        self.paragraphs += 1
        style = p.find(f"{_w}pPr/{_w}pStyle")
        name = (style.get(_w + "val") or "") if style is not None else ""
        hint: Hint = ""
        if re.fullmatch(r"(?i)heading ?2|2", name):
            hint = "h2"
        detail = f"第{self.paragraphs}段"
        self.blocks.append(TextBlock(text, Source(self.filename, detail=detail), hint))

    def table(self, tbl: Any, depth: int) -> None:
        rows = tbl.findall(_w + "tr")
        if tbl.find(f".//{_w}tbl") is not None:  # a layout table: its cells are containers
            for tr in rows:
                for tc in tr.findall(_w + "tc"):
                    self.container(tc, depth + 1)
            return
        self.tables += 1
        number = self.tables
        out: list[tuple[CellText, ...]] = []
        for r, tr in enumerate(rows, 1):
            cells = []
            column = 0
            for tc in tr.findall(_w + "tc"):
                self.tick()
                props = tc.find(_w + "tcPr")
                span = 1
                merged = False
                if props is not None:
                    grid = props.find(_w + "gridSpan")
                    if grid is not None:
                        try:
                            span = max(1, int(grid.get(_w + "val") or 1))
                        except ValueError:
                            span = 1
                    vmerge = props.find(_w + "vMerge")
                    merged = (
                        vmerge is not None and (vmerge.get(_w + "val") or "continue") == "continue"
                    )
                column += span
                if merged:
                    continue  # the rest of a vertically merged cell: read once, in its first row
                text = "".join(_run_text(p) for p in tc.iter(_w + "p"))
                detail = f"第{number}个表格第{r}行第{column - span + 1}格"
                cells.append(CellText(text.strip(), Source(self.filename, detail=detail)))
            if cells:
                out.append(tuple(cells))
        if out:
            self.blocks.append(TableBlock(tuple(out), number))


def _text_boxes(p: Any) -> list[Any]:
    """Text-box contents anchored in a paragraph (the DrawingML choice, not its VML fallback)."""
    boxes = []
    for box in p.iter(_w + "txbxContent"):
        ancestor = box.getparent()
        fallback = False
        while ancestor is not None and ancestor is not p:
            if ancestor.tag == f"{{{MC}}}Fallback":
                fallback = True
                break
            ancestor = ancestor.getparent()
        if not fallback:
            boxes.append(box)
    return boxes


def _run_text(p: Any) -> str:
    """A paragraph's own text (not its text boxes; no deleted text or field codes)."""
    parts: list[str] = []
    for element in p.iter(_w + "t", _w + "tab", _w + "br", _w + "cr", _w + "noBreakHyphen"):
        ancestor = element.getparent()
        inside_box = False
        while ancestor is not None and ancestor is not p:
            if ancestor.tag in (_w + "txbxContent", _w + "del"):
                inside_box = True
                break
            ancestor = ancestor.getparent()
        if inside_box:
            continue
        tag = element.tag
        if tag == _w + "t":
            parts.append(element.text or "")
        elif tag == _w + "tab":
            parts.append("\t")
        elif tag == _w + "noBreakHyphen":
            parts.append("-")
        # a line break inside a paragraph is layout (a title over two lines): nothing
    return "".join(parts)


def read_docx(data: bytes, filename: str, deadline: Deadline) -> Extracted:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableError(filename, "Word 文件已损坏（不是有效的 zip 压缩包）") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise UnreadableError(filename, f"Word 文件中的部件过多（{len(infos)} 个）")
        if sum(i.file_size for i in infos) > 16 * MAX_PART:
            raise UnreadableError(filename, "Word 文件解压后过大（疑似“压缩炸弹”），拒绝读取")
        document = _part(archive, "word/document.xml", filename)
        if document is None:
            raise UnreadableError(filename, "不是 Word 文件（缺少 word/document.xml）")
        core = _part(archive, "docProps/core.xml", filename)
        numbering_xml = _part(archive, "word/numbering.xml", filename)
    root = _xml(document, filename)
    deadline.check()
    body = root.find(_w + "body")
    if body is None:
        raise UnreadableError(filename, "Word 文件没有正文")
    numbering = _Numbering(_xml(numbering_xml, filename) if numbering_xml is not None else None)
    reader = _Body(filename, deadline, numbering)
    reader.container(body)
    title = None
    if core is not None:
        try:
            props = _xml(core, filename)
            found = props.find("{http://purl.org/dc/elements/1.1/}title")
            title = (found.text or "").strip() or None if found is not None else None
        except UnreadableError:
            title = None
    return Extracted(format="docx", filename=filename, blocks=tuple(reader.blocks), title=title)
