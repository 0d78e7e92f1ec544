"""Word files (.docx), ours and those written with Word or WPS.

A .docx is a zip of XML parts.  Both layers are untrusted: the archive is
checked before anything is inflated (number of members, sizes, compression
ratio — a zip bomb is refused; the bytes actually inflated are counted, so a
forged size does not help), and the XML is parsed by lxml with no DTD, no
entity resolution and no network (a part that declares a DTD or entities is
refused, whatever its encoding).  ``word/document.xml`` is parsed
incrementally, one paragraph or table of the body at a time, so memory stays
bounded by the largest single paragraph or table.  The body is read in order:
paragraphs, tables (a vertically merged cell once, in its first row; a table
inside a cell makes the outer table a layout table, read as a container), and
the contents of text boxes.  Tracked deletions and field codes are not text.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any

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
from hdgovreport.published.limits import (
    MAX_ELEMENTS,
    MAX_MEMBERS,
    MAX_PART,
    MAX_RATIO,
    MAX_UNPACKED,
    MAX_XML_DEPTH,
    size_text,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_w = f"{{{W}}}"
_DTD_REFUSED = "Word 文件的 XML 中声明了 DTD 或实体，拒绝读取（可能是恶意文件）"


class _Bounded(io.RawIOBase):
    """A member of the archive, inflated at most ``MAX_PART`` bytes (whatever its header says)."""

    def __init__(self, handle: IO[bytes], name: str, filename: str) -> None:
        self.handle = handle
        self.name = name
        self.filename = filename
        self.total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self.handle.read(len(buffer))
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            raise UnreadableError(
                self.filename, f"Word 文件已损坏（{self.name} 无法解压）"
            ) from exc
        self.total += len(data)
        if self.total > MAX_PART:
            raise UnreadableError(self.filename, _too_large(self.name, self.total))
        buffer[: len(data)] = data
        return len(data)


def _too_large(name: str, size: int) -> str:
    return (
        f"Word 文件中的 {name} 过大（解压后超过 {size_text(size) if size <= MAX_PART else size_text(MAX_PART)}，"
        f"上限 {size_text(MAX_PART)}）"
    )


def _info(archive: zipfile.ZipFile, name: str, filename: str) -> zipfile.ZipInfo | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART:
        raise UnreadableError(
            filename,
            f"Word 文件中的 {name} 过大（{info.file_size / 1048576:.0f} MB，上限 {size_text(MAX_PART)}）",
        )
    if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise UnreadableError(filename, "Word 文件的压缩比异常（疑似“压缩炸弹”），拒绝读取")
    return info


def _open(archive: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str) -> IO[bytes]:
    try:
        handle = archive.open(info)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise UnreadableError(filename, f"Word 文件已损坏（{info.filename} 无法解压）") from exc
    return io.BufferedReader(_Bounded(handle, info.filename, filename), 1 << 16)


def _part(archive: zipfile.ZipFile, name: str, filename: str) -> bytes | None:
    """A small part, whole (bounded like every part)."""
    info = _info(archive, name, filename)
    if info is None:
        return None
    with _open(archive, info, filename) as handle:
        return handle.read()


def _declared_encoding(head: bytes) -> str:
    """The encoding of an XML part from its BOM or declaration (UTF-8 when neither says)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(b"<\x00\x00\x00") or head.startswith(b"\x00\x00\x00<"):
        return "utf-32-le" if head[0] == 0x3C else "utf-32-be"
    if head.startswith(b"<\x00"):
        return "utf-16-le"
    if head.startswith(b"\x00<"):
        return "utf-16-be"
    m = re.match(rb"<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)", head)
    return m.group(1).decode("ascii") if m else "utf-8"


def _refuse_dtd(head: bytes, filename: str) -> None:
    """Refuse a DOCTYPE or ENTITY in the prolog, decoded first (UTF-16 hides the ASCII bytes)."""
    try:
        text = head.decode(_declared_encoding(head), errors="replace")
    except LookupError:
        text = head.decode("latin-1")
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        raise UnreadableError(filename, _DTD_REFUSED)


def _parser() -> Any:
    import lxml.etree

    return lxml.etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _xml(data: bytes, filename: str) -> Any:
    """A small part as a tree (DTDs refused)."""
    import lxml.etree

    _refuse_dtd(data[:8192], filename)
    try:
        root = lxml.etree.fromstring(data, parser=_parser())
    except lxml.etree.XMLSyntaxError as exc:
        raise UnreadableError(filename, f"Word 文件的 XML 有错误（{exc}）") from exc
    if root.getroottree().docinfo.internalDTD is not None:
        raise UnreadableError(filename, _DTD_REFUSED)
    return root


def _body_children(handle: IO[bytes], filename: str, deadline: Deadline) -> Iterator[Any]:
    """The children of ``w:body`` one at a time, each freed after use (bounded depth and size)."""
    import lxml.etree

    context = lxml.etree.iterparse(
        handle,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    depth = 0
    elements = 0
    seen_body = False
    checked = False
    try:
        for event, element in context:
            if not checked:
                checked = True
                if element.getroottree().docinfo.internalDTD is not None:
                    raise UnreadableError(filename, _DTD_REFUSED)
            if event == "start":
                depth += 1
                elements += 1
                if depth > MAX_XML_DEPTH:
                    raise UnreadableError(filename, "Word 文件的结构嵌套过深")
                if elements > MAX_ELEMENTS:
                    raise UnreadableError(
                        filename,
                        f"Word 文件中的一个段落或表格过于复杂（超过 {MAX_ELEMENTS} 个元素）",
                    )
                if depth == 2 and element.tag == _w + "body":
                    seen_body = True
                continue
            depth -= 1
            if depth == 2 and seen_body:
                elements = 0
                deadline.check()
                yield element
                element.clear()
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
    except lxml.etree.XMLSyntaxError as exc:
        raise UnreadableError(filename, f"Word 文件的 XML 有错误（{exc}）") from exc
    if not seen_body:
        raise UnreadableError(filename, "Word 文件没有正文")


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
        """Paragraphs and tables of a cell, text box or content control, in order."""
        if depth > MAX_XML_DEPTH:
            raise UnreadableError(self.filename, "Word 文件的结构嵌套过深")
        for child in element:
            self.child(child, depth)

    def child(self, child: Any, depth: int) -> None:
        """One element of a container: a paragraph, a table, or a container around them."""
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
            before = tr.find(f"{_w}trPr/{_w}gridBefore")
            column = _int(before.get(_w + "val") if before is not None else None, 0)
            for tc in tr.findall(_w + "tc"):
                self.tick()
                props = tc.find(_w + "tcPr")
                span = 1
                merged = False
                if props is not None:
                    grid = props.find(_w + "gridSpan")
                    if grid is not None:
                        span = max(1, _int(grid.get(_w + "val"), 1))
                    vmerge = props.find(_w + "vMerge")
                    merged = (
                        vmerge is not None and (vmerge.get(_w + "val") or "continue") == "continue"
                    )
                column += span
                if merged:
                    continue  # the rest of a vertically merged cell: read once, in its first row
                text = "".join(_run_text(p) for p in tc.iter(_w + "p"))
                detail = f"第{number}个表格第{r}行第{column - span + 1}格"
                source = Source(self.filename, detail=detail)
                cells.append(CellText(text.strip(), source, column=column - span, span=span))
            if cells:
                out.append(tuple(cells))
        if out:
            self.blocks.append(TableBlock(tuple(out), number))


def _int(value: str | None, default: int) -> int:
    """A small non-negative integer attribute (bounded: a hostile file cannot blow it up)."""
    try:
        return min(max(int(value or default), 0), 1000)
    except ValueError:
        return default


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
            raise UnreadableError(
                filename, f"Word 文件中的部件过多（{len(infos)} 个，上限 {MAX_MEMBERS} 个）"
            )
        if sum(i.file_size for i in infos) > MAX_UNPACKED:
            raise UnreadableError(
                filename,
                f"Word 文件解压后过大（上限 {size_text(MAX_UNPACKED)}，疑似“压缩炸弹”），拒绝读取",
            )
        info = _info(archive, "word/document.xml", filename)
        if info is None:
            raise UnreadableError(filename, "不是 Word 文件（缺少 word/document.xml）")
        core = _part(archive, "docProps/core.xml", filename)
        numbering_xml = _part(archive, "word/numbering.xml", filename)
        numbering = _Numbering(_xml(numbering_xml, filename) if numbering_xml is not None else None)
        with _open(archive, info, filename) as head_handle:
            _refuse_dtd(head_handle.read(8192), filename)
        reader = _Body(filename, deadline, numbering)
        with _open(archive, info, filename) as handle:
            for child in _body_children(handle, filename, deadline):
                reader.child(child, 0)
    title = None
    if core is not None:
        try:
            props = _xml(core, filename)
            found = props.find("{http://purl.org/dc/elements/1.1/}title")
            title = (found.text or "").strip() or None if found is not None else None
        except UnreadableError:
            title = None
    return Extracted(format="docx", filename=filename, blocks=tuple(reader.blocks), title=title)
