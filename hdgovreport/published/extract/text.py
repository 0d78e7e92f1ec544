"""Plain text as copied from a web page into a text file.

Two table shapes are recognised.  *One cell per line* (what the Haidian seed
shows): each cell on its own line after a tab, a label broken over lines
continuing without a tab (``商业`` / ``企业``), a line holding only a tab an
empty cell, a blank line ending a row.  *One row per line* (what a browser's
``innerText`` gives): cells separated by tabs.  Everything else is a
paragraph, one per line.
"""

from __future__ import annotations

import codecs
import re

from hdgovreport.errors import UnreadableError
from hdgovreport.model.provenance import Source
from hdgovreport.published.extract.stream import (
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
    return read_lines(text.splitlines(), filename, deadline, "text")


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
