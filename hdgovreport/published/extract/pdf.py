"""PDF files with a text layer, read with pdfium (the PDF engine of Chromium, via pypdfium2).

Every character comes with its position and its *printed* size: the font
size of the text state times the scale of the character's matrix (text
matrix and page transformation together), so a file that draws 16 pt text at
size 1 under a 16× matrix, or at size 259 under a 1/16 page scale (as WPS
exports do), reads the same as one that draws it at 16.  Lines are grouped
by baseline with tolerances from the printed size; the order of the text
objects in the file does not matter (one glyph per text object reads like
one run per line).

Table rules (:mod:`hdgovreport.published.extract.pdfrules`) give each
table's grid; the characters of a table are first joined into words (glyphs
that touch on one baseline; digits stay together even across a rule), and
each word goes to the cell that holds its centre — a wide number that crosses
a cell rule stays whole in its own cell, and the cell says so.  Characters
outside tables become lines, and lines become paragraphs by the page's
geometry: a paragraph starts with an indented line, after a short line, or
where the printed size changes; it continues across a page break.  Rotated
characters (a diagonal watermark), running headers repeated on every page and
page numbers are left out.  A PDF without text (a scan) is unreadable, and
says so.
"""

from __future__ import annotations

import ctypes
import itertools
import math
import re
import statistics
from collections import Counter
from collections.abc import Callable
from typing import Any

import attrs

from hdgovreport.errors import UnreadableError
from hdgovreport.model.provenance import Source
from hdgovreport.published.extract.pdfrules import Grid, cells, grids, has_v, segments
from hdgovreport.published.extract.stream import (
    Block,
    CellText,
    Deadline,
    Extracted,
    TableBlock,
    TextBlock,
    is_continuation_mark,
    is_page_number,
)
from hdgovreport.published.limits import MAX_CHARS, MAX_PAGES

_DIGITISH = frozenset("0123456789.,，．")
_NUMBERISH = re.compile(r"[-—–/无]|[+-]?[\d,，]+(?:[.．]\d+)?")


@attrs.frozen
class _Char:
    text: str
    x0: float  # left and right of the glyph's advance box (touching glyphs touch)
    x1: float
    y: float  # baseline, PDF units from the bottom
    size: float  # printed size in points


@attrs.frozen
class _Line:
    text: str
    x0: float
    x1: float
    y: float
    size: float
    page: int
    gapped: bool = False  # wide gaps between its characters: a row of a table without rules


def _clip_box(obj: Any, raw: Any) -> tuple[float, float, float, float] | None:
    """The bounding box of a page object's clip path, when it has a simple one."""
    clip = raw.FPDFPageObj_GetClipPath(obj)
    if not clip or raw.FPDFClipPath_CountPaths(clip) != 1:
        return None
    x, y = ctypes.c_float(), ctypes.c_float()
    xs: list[float] = []
    ys: list[float] = []
    for k in range(min(raw.FPDFClipPath_CountPathSegments(clip, 0), 64)):
        seg = raw.FPDFClipPath_GetPathSegment(clip, 0, k)
        raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        xs.append(x.value)
        ys.append(y.value)
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def _matrix_size(raw: Any, handle: Any, i: int) -> float:
    """The size character ``i`` is printed at by its text object: font size × the scale of
    its matrix (CTM and Tm); 0 when the matrix says nothing sensible.

    Producers disagree about where the scale goes (``/F1 16 Tf``, ``/F1 1 Tf`` under a 16×
    text matrix, ``/F1 259 Tf`` under a 1/16 page scale); the product is what the page shows.
    Both factors belong to the text object, so every character of one object shares it.
    """
    font_size = float(raw.FPDFText_GetFontSize(handle, i))
    matrix = raw.FS_MATRIX()
    scale = 0.0
    if raw.FPDFText_GetMatrix(handle, i, ctypes.byref(matrix)):
        scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
    size = font_size * scale
    return size if 1.0 <= size <= 300.0 else 0.0


def _printed_size(matrix_size: float, loose: Any) -> float:
    """The printed size: the matrix's, else the advance box's height, else 10."""
    if matrix_size:
        return matrix_size
    box_height = abs(loose.top - loose.bottom)
    return box_height / 1.1 if box_height > 0 else 10.0


Turn = Callable[[float, float], tuple[float, float]]


def turn_for(degrees: int) -> Turn:
    """Page coordinates → the upright frame of text printed at ``degrees`` (clockwise)."""
    theta = math.radians(degrees)
    cos, sin = round(math.cos(theta)), round(math.sin(theta))
    return lambda x, y: (x * cos - y * sin, x * sin + y * cos)


def _upright(
    turn: Turn, box: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """A box (left, right, bottom, top) in the upright frame."""
    corners = [turn(x, y) for x in box[:2] for y in box[2:]]
    xs = [c[0] for c in corners]
    ys = [c[1] for c in corners]
    return min(xs), max(xs), min(ys), max(ys)


def _direction(raw: Any, handle: Any, count: int) -> int:
    """The direction most of a page's text is printed in: 0, 90, 180 or 270 degrees.

    A landscape table on a page turned by ``/Rotate`` is drawn at 90°; a diagonal
    watermark is at some other angle and never wins.
    """
    votes: Counter[int] = Counter()
    for i in range(0, count, max(1, count // 400)):
        degrees = math.degrees(raw.FPDFText_GetCharAngle(handle, i)) % 360
        nearest = round(degrees / 90) * 90 % 360
        if abs((degrees - nearest + 180) % 360 - 180) < 1:
            votes[nearest] += 1
    return votes.most_common(1)[0][0] if votes else 0


def _chars(textpage: Any, raw: Any, deadline: Deadline) -> tuple[list[_Char], int]:
    """The visible characters of a page in the upright frame of its main text direction."""
    count = textpage.count_chars()
    if count <= 0:
        return [], 0
    text = textpage.get_text_range(0, count)
    out = []
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    ox, oy = ctypes.c_double(), ctypes.c_double()
    loose = raw.FS_RECTF()
    handle = textpage.raw
    direction = _direction(raw, handle, count)
    turn = turn_for(direction)
    # what belongs to a text object (its angle, size and clip) is asked once per object
    objects: dict[int, tuple[bool, float, tuple[float, float, float, float] | None]] = {}
    boxes = [ctypes.byref(v) for v in (left, right, bottom, top)]
    # the character's text object as a plain address (a dictionary key without a cast)
    object_address = ctypes.cast(
        raw.FPDFText_GetTextObject, ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
    )
    loose_ref, origin = ctypes.byref(loose), (ctypes.byref(ox), ctypes.byref(oy))
    for i in range(min(count, len(text))):
        if i % 4096 == 0:
            deadline.check()
        ch = text[i]
        if ch in "\r\n" or raw.FPDFText_IsGenerated(handle, i) == 1:
            continue
        key = object_address(handle, i)
        known = objects.get(key) if key is not None else None
        if known is None:
            obj = raw.FPDFText_GetTextObject(handle, i)
            degrees = math.degrees(raw.FPDFText_GetCharAngle(handle, i)) % 360
            against = abs((degrees - direction + 180) % 360 - 180) > 0.5
            known = (against, _matrix_size(raw, handle, i), _clip_box(obj, raw) if obj else None)
            if key is not None:
                objects[key] = known
        against, matrix_size, clip = known
        if against:
            continue  # turned against the page's text: a watermark or a stamp
        raw.FPDFText_GetCharBox(handle, i, *boxes)
        raw.FPDFText_GetLooseCharBox(handle, i, loose_ref)
        raw.FPDFText_GetCharOrigin(handle, i, *origin)
        size = _printed_size(matrix_size, loose)
        if clip is not None:
            cx, cy = (left.value + right.value) / 2, (bottom.value + top.value) / 2
            if not (clip[0] - 1 <= cx <= clip[2] + 1 and clip[1] - 1 <= cy <= clip[3] + 1):
                continue  # clipped away: not visible on the page
        tight: tuple[float, ...]
        advance: tuple[float, ...]
        if direction:
            tight = _upright(turn, (left.value, right.value, bottom.value, top.value))
            advance = _upright(turn, (loose.left, loose.right, loose.bottom, loose.top))
            baseline = turn(ox.value, oy.value)[1]
        else:
            tight = (left.value, right.value)
            advance = (min(loose.left, loose.right), max(loose.left, loose.right))
            baseline = oy.value
        x0, x1 = advance[0], advance[1]
        if not x1 > x0:  # no advance box: the glyph's own box
            x0 = tight[0]
            x1 = max(tight[1], x0 + (size * 0.25 if ch == " " else 0))
        out.append(_Char(ch, x0, x1, baseline, size))
    return out, direction


def _cjk(ch: str) -> bool:
    """A Chinese character or full-width punctuation (no space is ever meant between two)."""
    return ch >= "\u2e80" and not ("\uff10" <= ch <= "\uff5a")


def _group_lines(chars: list[_Char]) -> list[list[_Char]]:
    """Characters grouped by baseline (tolerance from their printed size), each left to right."""
    lines: list[list[_Char]] = []
    largest = 0.0  # the largest printed size on the current line
    for ch in sorted(chars, key=lambda c: (-c.y, c.x0)):
        if lines:
            last = lines[-1]
            tol = max(1.0, 0.35 * min(largest, ch.size * 2))
            if abs(last[0].y - ch.y) <= tol:
                last.append(ch)
                largest = max(largest, ch.size)
                continue
        lines.append([ch])
        largest = ch.size
    for group in lines:
        group.sort(key=lambda c: c.x0)
    return lines


def _lines(chars: list[_Char], page: int) -> list[_Line]:
    """Characters grouped into lines by baseline, left to right."""
    out = []
    for group in _group_lines(chars):
        text = ""
        pieces = [""]  # the line split at column-wide gaps
        for i, ch in enumerate(group):
            if i and ch.text != " " and not text.endswith(" "):
                prev = group[i - 1]
                gap = ch.x0 - prev.x1
                size = min(ch.size, prev.size)
                # a gap between two Chinese characters is letter spacing (justified or
                # distributed lines), not a space, unless it is as wide as a column gap
                wide = 2.5 * size if _cjk(ch.text) and _cjk(prev.text) else 1.0 * size
                if gap > wide:
                    text += " "
                if gap > 2.5 * size:
                    pieces.append("")
            text += ch.text
            pieces[-1] += ch.text
        if not text.strip():
            continue
        visible = [c for c in group if c.text.strip()]
        sizes = [c.size for c in visible]
        out.append(
            _Line(
                text=text.strip(),
                x0=visible[0].x0,
                x1=visible[-1].x1,
                y=statistics.median(c.y for c in visible),
                size=statistics.median(sizes),
                page=page,
                gapped=_row_like(pieces),
            )
        )
    return out


def _row_like(pieces: list[str]) -> bool:
    """Whether a line split at its wide gaps looks like a row of a table drawn without rules:
    two numbers or more, or four short pieces or more (a header).  A justified line of text
    with a stretched gap or two does not."""
    parts = [p.strip() for p in pieces if p.strip()]
    if len(parts) < 2:
        return False
    numbers = sum(1 for p in parts if _NUMBERISH.fullmatch(p))
    return numbers >= 2 or (len(parts) >= 4 and all(len(p) <= 12 for p in parts))


def _cell_text(chars: list[_Char]) -> str:
    """Text of a table cell: its lines top to bottom, joined without spaces (a wrapped label)."""
    return "".join(line.text.replace(" ", "") for line in _lines(chars, 0)).strip()


def read_pdf(data: bytes, filename: str, deadline: Deadline) -> Extracted:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise UnreadableError(filename, "PDF 文件有密码保护") from exc
        raise UnreadableError(filename, "PDF 文件已损坏或不是有效的 PDF") from exc
    try:
        return _read(document, raw, filename, deadline)
    finally:
        document.close()


def _read(document: Any, raw: Any, filename: str, deadline: Deadline) -> Extracted:
    pages = len(document)
    if pages == 0:
        raise UnreadableError(filename, "PDF 文件没有页面")
    if pages > MAX_PAGES:
        raise UnreadableError(filename, f"PDF 页数过多（{pages} 页，上限 {MAX_PAGES} 页）")
    items: list[tuple[int, float, Any]] = []  # (page, top y, line or table)
    total_chars = 0
    tables = 0
    for index in range(pages):
        deadline.check()
        page = document[index]
        textpage = page.get_textpage()
        chars, direction = _chars(textpage, raw, deadline)
        total_chars += len(chars)
        if total_chars > MAX_CHARS:
            raise UnreadableError(filename, f"PDF 中的文字过多（上限 {MAX_CHARS} 字）")
        horizontal, vertical = segments(
            page, raw, deadline, turn_for(direction) if direction else None
        )
        found = [g for g in grids(horizontal, vertical) if (len(g.xs) - 1) * (len(g.ys) - 1) >= 2]
        used: set[int] = set()
        for grid in found:
            x0, y0, x1, y1 = grid.bbox
            inside = [  # a wide number may cross the table's outer rule too
                i
                for i, c in enumerate(chars)
                if i not in used
                and x0 - c.size <= (c.x0 + c.x1) / 2 <= x1 + c.size
                and y0 <= c.y + 0.3 * c.size <= y1
            ]
            used.update(inside)
            cell_chars = [chars[i] for i in inside]
            overflow = _overflow(grid, chars, used)
            used.update(overflow)
            cell_chars += [attrs.evolve(chars[i], y=y0 + 1.0) for i in overflow]
            tables += 1
            rows = _table_rows(grid, cell_chars, filename, index + 1, tables)
            if rows:
                items.append((index, y1, TableBlock(tuple(rows), tables)))
        rest = [c for i, c in enumerate(chars) if i not in used]
        for line in _lines(rest, index + 1):
            items.append((index, line.y + line.size, line))
        page.close()
    if total_chars == 0:
        raise UnreadableError(
            filename, "PDF 中没有文字层（可能是扫描件或图片），需要先做文字识别（OCR）"
        )
    items.sort(key=lambda t: (t[0], -t[1]))
    items = _drop_running_lines(items, pages)
    return Extracted(format="pdf", filename=filename, blocks=tuple(_paragraphs(items, filename)))


def _overflow(grid: Grid, chars: list[_Char], used: set[int]) -> list[int]:
    """Characters just below a table that overflowed one of its last row's cells.

    A cell split by a page break (a tall merged label) can print its last characters
    under the table's bottom rule; they are a short line within one column, unlike a
    paragraph after the table.
    """
    bottom = grid.ys[-1]
    boxes = cells(grid)
    lines: dict[int, list[int]] = {}
    for i, c in enumerate(chars):
        if i in used:
            continue
        centre = c.y + 0.3 * c.size
        if bottom - 1.6 * c.size <= centre < bottom:
            lines.setdefault(round(c.y), []).append(i)
    out: list[int] = []
    for members in lines.values():
        xs = [(chars[i].x0 + chars[i].x1) / 2 for i in members]
        column = next(
            (
                k
                for k in range(len(grid.xs) - 1)
                if grid.xs[k] <= min(xs) and max(xs) <= grid.xs[k + 1]
            ),
            None,
        )
        if column is None:
            continue
        last = len(grid.ys) - 2
        box = next((b for b in boxes if b[0] <= last <= b[2] and b[1] <= column <= b[3]), None)
        if box is not None and box[0] < box[2]:  # only a cell merged over several rows
            out.extend(members)
    return out


def _words(grid: Grid, chars: list[_Char]) -> list[list[_Char]]:
    """A table's characters joined into words: glyphs that touch on one baseline.

    Glyphs on either side of a drawn vertical rule belong to different cells, except digits:
    a wide number whose glyphs cross a rule is still one number.
    """
    words: list[list[_Char]] = []
    for line in _group_lines(chars):
        for k, ch in enumerate(line):
            if k:
                prev = line[k - 1]
                gap = ch.x0 - prev.x1
                visible = bool(ch.text.strip() and prev.text.strip())
                if visible and gap < 0.2 * min(ch.size, prev.size):
                    mid_prev, mid = (prev.x0 + prev.x1) / 2, (ch.x0 + ch.x1) / 2
                    rule = next((x for x in grid.xs if mid_prev < x < mid), None)
                    crosses = rule is not None and has_v(grid, rule, ch.y, ch.y + 0.6 * ch.size)
                    digits = ch.text in _DIGITISH and prev.text in _DIGITISH
                    if not crosses or digits:
                        words[-1].append(ch)
                        continue
            words.append([ch])
    return words


def _table_rows(
    grid: Grid, chars: list[_Char], filename: str, page: int, number: int
) -> list[tuple[CellText, ...]]:
    boxes = cells(grid)
    content: dict[tuple[int, int, int, int], list[_Char]] = {b: [] for b in boxes}
    crossing: dict[tuple[int, int, int, int], list[str]] = {}
    for word in _words(grid, chars):
        x0, x1 = word[0].x0, word[-1].x1
        cx = (x0 + x1) / 2
        cy = word[0].y + 0.3 * word[0].size
        col = next((c for c in range(len(grid.xs) - 1) if grid.xs[c] <= cx <= grid.xs[c + 1]), None)
        row = next((r for r in range(len(grid.ys) - 1) if grid.ys[r + 1] <= cy <= grid.ys[r]), None)
        if row is None or col is None:
            continue
        box = next(b for b in boxes if b[0] <= row <= b[2] and b[1] <= col <= b[3])
        content[box].extend(word)
        left, right = grid.xs[box[1]], grid.xs[box[3] + 1]
        size = word[0].size
        if x0 < left - 0.1 * size or x1 > right + 0.1 * size:
            crossing.setdefault(box, []).append("".join(c.text for c in word))
    rows: dict[int, list[CellText]] = {}
    for box in boxes:
        r, c = box[0], box[1]
        detail = f"第{number}个表格第{r + 1}行第{c + 1}格"
        source = Source(filename, page=page, detail=detail)
        note = ""
        if crossing.get(box):
            shown = "、".join(f"“{w}”" for w in crossing[box])
            note = f"{shown}越过了单元格的表格线，按它的中心所在的格读入"
        rows.setdefault(r, []).append(
            CellText(_cell_text(content[box]), source, column=c, span=box[3] - c + 1, note=note)
        )
    return [tuple(cells_) for _r, cells_ in sorted(rows.items())]


def _drop_running_lines(items: list[tuple[int, float, Any]], pages: int) -> list[Any]:
    """Leave out page numbers, 续表 marks, and headers/footers repeated at the same place on most pages."""

    def key(line: _Line) -> tuple[str, int]:
        return re.sub(r"\d+", "#", line.text), round(line.y / 3)

    running: set[tuple[str, int]] = set()
    if pages >= 3:
        counts = Counter(
            (key(it[2]), it[0]) for it in items if isinstance(it[2], _Line) and len(it[2].text) < 80
        )
        per_key = Counter(k for k, _page in counts)
        running = {k for k, n in per_key.items() if n >= max(3, pages * 0.6)}
    out = []
    for it in items:
        obj = it[2]
        if isinstance(obj, _Line) and (
            is_page_number(obj.text) or is_continuation_mark(obj.text) or key(obj) in running
        ):
            continue
        out.append(it)
    return out


_HEADING_START = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_ENDS_SENTENCE = re.compile(r"[。！？；!?;]$")
_FIRST_PIECE = re.compile(r"^[（(《“‘〈【\[]*.[\x21-\x7e]*[，。、；：！？,.;:!?）)》”’〉】\]]*")


def _first_piece_width(line: _Line) -> float:
    """Estimated width of the text a line starts with that could not have been broken."""
    piece = _FIRST_PIECE.match(line.text)
    text = piece.group(0) if piece else line.text[:1]
    return sum((0.55 if ord(ch) < 0x2000 else 1.0) * line.size for ch in text)


def _right_margin(ends: list[float]) -> float:
    """Where full lines end: the rightmost end shared by two lines or more (a line overflowing
    the margin — a long run of digits that cannot break — is not the margin)."""
    ordered = sorted(ends, reverse=True)
    for i, end in enumerate(ordered[:-1]):
        if end - ordered[i + 1] <= 1.5:
            return end
    return ordered[0]


def _paragraphs(items: list[Any], filename: str) -> list[Block]:
    """Lines to paragraphs (continuing across page breaks); tables stay where they are."""
    lines = [it[2] for it in items if isinstance(it[2], _Line)]
    if lines:
        left = statistics.median(sorted(ln.x0 for ln in lines)[: max(1, len(lines) // 3)])
        right = _right_margin([ln.x1 for ln in lines])
    else:
        left = right = 0.0
    # the line pitch of each printed size (a page of small table notes or a banner does not set
    # the pitch of the body text)
    by_size: dict[float, list[float]] = {}
    for a, b in itertools.pairwise(lines):
        if a.page == b.page and abs(a.size - b.size) < 0.5 and 0 < a.y - b.y < 3 * a.size:
            by_size.setdefault(round(a.size * 2) / 2, []).append(a.y - b.y)
    pitches = {k: statistics.median(v) for k, v in by_size.items()}
    # first-line indents of two characters mark paragraphs (the official style): then a line
    # ending a little early is ragged CJK text, not the end of a paragraph
    indented_lines = sum(1 for ln in lines if 1.5 * ln.size <= ln.x0 - left <= 2.6 * ln.size)
    indent_mode = indented_lines >= 3 and indented_lines >= 0.15 * len(lines)
    slack = 3.0 if indent_mode else 1.0
    blocks: list[Block] = []
    current: list[_Line] = []

    def flush() -> None:
        if current:
            text = "".join(ln.text for ln in current)
            first = current[0]
            blocks.append(TextBlock(text, Source(filename, page=first.page), size=first.size))
            current.clear()

    for _page, _top, obj in items:
        if isinstance(obj, TableBlock):
            flush()
            blocks.append(obj)
            continue
        line: _Line = obj
        if current:
            prev = current[-1]
            size = max(prev.size, line.size)
            indented = line.x0 > left + 0.9 * line.size
            # short: the next line's first unbreakable piece (and a character more: CJK text is
            # not justified, lines end up to a character and a half early) would have fitted
            short = prev.x1 + _first_piece_width(line) < right - slack * size
            resized = abs(prev.size - line.size) > 0.8
            pitch = pitches.get(round(line.size * 2) / 2, 0.0)
            gap = prev.page == line.page and (
                prev.y - line.y > 2.2 * size or (pitch > 0 and prev.y - line.y > 1.3 * pitch)
            )
            heading = bool(_HEADING_START.match(line.text)) and bool(
                _ENDS_SENTENCE.search(prev.text)
            )
            centred = line.x0 > left + 3 * line.size
            table_row = line.gapped or prev.gapped
            if indented or short or resized or gap or centred or heading or table_row:
                flush()
        current.append(line)
    flush()
    return blocks
