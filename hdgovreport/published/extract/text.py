"""Plain text as copied from a web page into a text file.

Two table shapes are recognised.  *One cell per line* (what the Haidian seed
shows): each cell on its own line after a tab, a label broken over lines
continuing without a tab (``商业`` / ``企业``), a line holding only a tab an
empty cell, a blank line ending a row.  *One row per line* (what a browser's
``innerText`` gives): cells separated by tabs.  Everything else is a
paragraph, one per line.

Tables written with ``|`` between cells (what many tools that turn a web page
into text give) are first brought to those shapes by :func:`unpipe`.
"""

from __future__ import annotations

import codecs
import re

import attrs

from hdgovreport.errors import UnreadableError
from hdgovreport.model.provenance import Source
from hdgovreport.published.extract.stream import (
    EMPTY_CELL,
    Block,
    CellText,
    Deadline,
    Extracted,
    TableBlock,
    TextBlock,
    is_page_number,
)

_SENTENCE_END = re.compile(r"[。；;！!？?]$")


def decode(data: bytes, filename: str) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableError(filename, "UTF-16 编码的文本有错误") from exc
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise UnreadableError(
                    filename, "不是文本文件，或编码既不是 UTF-8 也不是 GBK/GB18030"
                ) from exc
    if text:
        binary = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
        if "\x00" in text or binary > max(3, len(text) // 200):
            raise UnreadableError(filename, "不是文本文件（含有二进制数据）")
    return text


def _tabbed(line: str) -> bool:
    return "\t" in line


def _continuation(line: str) -> bool:
    """A short piece of a label broken over lines (``企业``, ``维持``)."""
    text = line.strip()
    return 0 < len(text) <= 15 and not _SENTENCE_END.search(text)


def read_text(data: bytes, filename: str, deadline: Deadline) -> Extracted:
    text = decode(data, filename)
    lines, piped = unpipe(text.splitlines())
    extracted = read_lines(lines, filename, deadline, "text")
    if piped:
        note = f"表格以“|”分隔各格（{piped} 行），已按表格读入"
        extracted = attrs.evolve(extracted, notes=(note, *extracted.notes))
    return extracted


#: A line of a table written with ``|`` between its cells: it starts or ends with one, or
#: holds two (``规章 | 0 | 0 | 0 |``, ``| 行政许可 | 0 |``, ``信息内容 |``, ``|||``).
_PIPED = re.compile(r"^\s*\||\|\s*$|\|.*\|")
#: A Markdown rule under a header row (``|---|:--:|``).
_RULE = re.compile(r"^[\s|:\-—]+$")
#: Fewer piped lines than this are text that happens to hold a ``|``.
_MIN_PIPED = 3


def unpipe(lines: list[str]) -> tuple[list[str], int]:
    """Tables with ``|`` between cells, rewritten as the tab shapes the reader knows, and
    how many lines were rewritten.

    Each run of piped lines (blank lines may come between) is one table.  Where at
    least a third of its lines hold two cells or more, it is *one row per line*: every
    ``|`` between cells becomes a tab; a ``|`` ending the line ends the row; one opening
    the line is the table's border when nearly every line opens with one (Markdown), and
    otherwise stands for an empty first cell (the column a merged label fills above).
    Otherwise it is *one cell per line* (``信息内容 |`` / ``本年制发件数 |`` / ``|||``): the
    ``|`` are dropped and each cell is a paragraph, the shape of a web table copied one
    cell per paragraph.  Such tools write a row's cells in order, an empty cell as a ``|``
    alone on its line, and end the row with one line of a ``|`` for each column a merged
    cell covers (``||``): a lone ``|`` becomes the empty-cell mark
    (:data:`~hdgovreport.published.extract.stream.EMPTY_CELL`), so the values after an
    empty cell keep their columns; a line of two or more is dropped.  Every line keeps its
    number and every cell its column.
    """
    piped = [bool(_PIPED.search(line)) for line in lines]
    if sum(piped) < _MIN_PIPED:
        return lines, 0
    out = list(lines)
    changed = 0
    i = 0
    while i < len(lines):
        if not piped[i]:
            i += 1
            continue
        j = i
        while j < len(lines) and (piped[j] or not lines[j].strip()):
            j += 1
        run = [k for k in range(i, j) if piped[k]]
        cells = [[c for c in lines[k].split("|") if c.strip()] for k in run]
        rows = sum(1 for c in cells if len(c) >= 2) * 3 >= len(run)
        bordered = sum(1 for k in run if lines[k].lstrip().startswith("|")) >= 0.8 * len(run)
        # cells written ``text |`` mark empty ones with a lone ``|``; a ``|`` between
        # paragraphs of cells (no cell text beside any bar) only draws the boundary
        empties = not rows and sum(1 for c in cells if c) >= 2
        for k in run:
            out[k] = _unpipe_line(lines[k], rows=rows, bordered=bordered)
            if empties and lines[k].strip() == "|":
                out[k] = lines[k].replace("|", EMPTY_CELL)
        changed += len(run)
        i = j
    return out, changed


def _unpipe_line(line: str, *, rows: bool, bordered: bool) -> str:
    """One piped line in the tab shape (every ``|`` replaced by one character)."""
    if _RULE.match(line):
        return " " * len(line)
    if not rows:
        return line.replace("|", " ")
    chars = list(line)
    bars = [k for k, ch in enumerate(chars) if ch == "|"]
    if line.rstrip().endswith("|"):
        chars[bars.pop()] = " "
    if bars and bordered and not line[: bars[0]].strip():
        chars[bars.pop(0)] = " "
    for k in bars:
        chars[k] = "\t"
    text = "".join(chars)
    # a row of one cell (a block title, ``第二十条第（一）项 |``) stays a row of the table
    return text if "\t" in text else text.rstrip() + "\t"


def _width(text: str) -> int:
    """Printed width of a line: digits, Latin letters and spaces one column, everything else
    (CJK, and punctuation, which a Chinese page prints full width even when it is copied out
    as ``,``) two."""
    return sum(1 if ch.isascii() and (ch.isalnum() or ch == " ") else 2 for ch in text)


#: The start of a new paragraph or heading, never the continuation of a wrapped line.
_NEW_PARAGRAPH = re.compile(
    r"^(?:[一二三四五六七八九十百零〇]+[、.．]|[（(][一二三四五六七八九十百零〇\d]+[）)]|\d{1,3}[、.．]"
    r"|第[一二三四五六七八九十]+部分)"
)
_NUMBERS = re.compile(r"^[\d.,，%+\-—－/／\s]+$")  # a table cell copied onto its own line
_WRAP_END = re.compile(r"[。！？；：:!?;]$")


def _wrap_width(lines: list[tuple[int, str]]) -> int | None:
    """The width text was hard-wrapped at (text copied from a PDF: every printed line a line),
    or ``None`` when the lines are paragraphs of their own.

    Wrapped text has many lines of nearly the same, greatest width."""
    widths = sorted(_width(t.strip()) for _n, t in lines if t.strip() and "\t" not in t)
    widths = [w for w in widths if w >= 20]
    if len(widths) < 5:
        return None
    top = widths[int(len(widths) * 0.9) - 1]
    near = sum(1 for w in widths if top - 4 <= w <= top + 2)
    # a printed page line holds 20 characters or more; shorter "widths" are lists of short items
    return top if top >= 40 and near >= 5 and near * 4 >= len(widths) else None


def _tabular(text: str) -> bool:
    """A line of table cells separated by spaces (``结果 结果 其他``, ``0 0 0 0``), not prose."""
    parts = text.split()
    if len(parts) < 3:
        return False
    short = sum(1 for p in parts if len(p) <= 4)
    return short * 2 > len(parts)


def unwrap(lines: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], int]:
    """Lines of hard-wrapped text joined back into paragraphs (and how many joins were made).

    A line as wide as the wrap width, not ending a sentence, continues on the next line unless
    that line starts a heading or a numbered point; table lines (tabs) are never joined."""
    width = _wrap_width(lines)
    if width is None:
        return lines, 0
    out: list[tuple[int, str]] = []
    last_line = ""  # the last printed line of out[-1]
    heading = False  # out[-1] is a heading line (a numbered line without a sentence in it)
    joins = 0
    for number, line in lines:
        text = line.strip()
        if (
            out
            and text
            and not heading
            and "\t" not in line
            and "\t" not in out[-1][1]
            and last_line
            and _width(last_line) >= width - 6
            and not _WRAP_END.search(last_line)
            and not _NEW_PARAGRAPH.match(text)
            and not is_page_number(text)
            and not _tabular(last_line)
            and not _tabular(text)
            and not _NUMBERS.match(text)
        ):
            out[-1] = (out[-1][0], out[-1][1].rstrip() + text)
            last_line = text
            joins += 1
            continue
        out.append((number, line))
        last_line = text
        heading = bool(_NEW_PARAGRAPH.match(text)) and not re.search(r"[，,。；;]", text)
    return out, joins


def read_lines(lines: list[str], filename: str, deadline: Deadline, fmt: str) -> Extracted:
    notes: list[str] = []
    kept: list[tuple[int, str]] = []
    pages = 0
    for number, line in enumerate(lines, 1):
        if line.strip() and is_page_number(line):
            pages += 1
            continue
        kept.append((number, line))
    if pages:
        notes.append(f"略去表格和正文中的页码 {pages} 处")
    if fmt == "text":
        kept, joins = unwrap(kept)
        if joins:
            notes.append(f"文本按版面折行（如从 PDF 复制），{joins} 处折行已接回所在段落")
    blocks: list[Block] = []
    tables = 0
    i = 0
    n = len(kept)
    while i < n:
        if i % 256 == 0:
            deadline.check()
        number, line = kept[i]
        if not line.strip():
            i += 1
            continue
        if not _tabbed(line):
            blocks.append(TextBlock(line, Source(filename, line=number)))
            i += 1
            continue
        j = i
        region: list[tuple[int, str]] = []
        while j < n:
            num, current = kept[j]
            if _tabbed(current) or not current.strip():
                region.append((num, current))
                j += 1
                continue
            after = next((kept[k][1] for k in range(j + 1, n) if kept[k][1].strip()), "")
            if _continuation(current) and _tabbed(after):
                region.append((num, current))
                j += 1
                continue
            break
        while region and not region[-1][1].strip() and "\t" not in region[-1][1]:
            region.pop()
        rows = _rows(region, filename)
        if any(_has_number(c.text) for row in rows for c in row):
            tables += 1
            blocks.append(TableBlock(tuple(rows), tables))
        else:  # tab-indented paragraphs, not a table
            for num, current in region:
                if current.strip():
                    blocks.append(TextBlock(current.replace("\t", " "), Source(filename, line=num)))
        i = j
    return Extracted(format=fmt, filename=filename, blocks=tuple(blocks), notes=tuple(notes))


def _has_number(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _rows(region: list[tuple[int, str]], filename: str) -> list[tuple[CellText, ...]]:
    tabbed = [line for _n, line in region if _tabbed(line)]
    per_line = sum(1 for line in tabbed if line.startswith("\t") and line.count("\t") == 1)
    if tabbed and per_line >= 0.8 * len(tabbed):
        return _cell_per_line(region, filename)
    return _row_per_line(region, filename)


def _cell_per_line(region: list[tuple[int, str]], filename: str) -> list[tuple[CellText, ...]]:
    rows: list[tuple[CellText, ...]] = []
    current: list[CellText] = []
    for number, line in region:
        if not line.strip() and "\t" not in line:
            if current:
                rows.append(tuple(current))
                current = []
            continue
        if "\t" in line:
            head, _tab, rest = line.partition("\t")
            text = (head + rest).strip(" \u3000\u00a0\t")
            current.append(CellText(text, Source(filename, line=number, column=len(head) + 2)))
        elif current:
            last = current[-1]
            current[-1] = CellText(last.text + line.strip(" \u3000\u00a0"), last.source)
        else:
            current.append(CellText(line.strip(), Source(filename, line=number)))
    if current:
        rows.append(tuple(current))
    return rows


def _row_per_line(region: list[tuple[int, str]], filename: str) -> list[tuple[CellText, ...]]:
    rows: list[tuple[CellText, ...]] = []
    for number, line in region:
        if not line.strip():
            continue
        cells = []
        offset = 0
        for part in line.split("\t"):
            cells.append(
                CellText(
                    part.strip(" \u3000\u00a0"), Source(filename, line=number, column=offset + 1)
                )
            )
            offset += len(part) + 1
        rows.append(tuple(cells))
    return rows
