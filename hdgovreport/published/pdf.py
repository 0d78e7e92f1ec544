"""PDF files with a text layer, read with pdfium (the PDF engine of Chromium, via pypdfium2).

Every character comes with its position.  Table borders (the path objects
of the page) give each table's grid: a merged cell is a set of grid cells
with no border between them, so ``colspan``/``rowspan`` and vertically
merged labels (``三 、本 年 度办 理 结果``) come out as one cell with all its
characters.  Characters outside tables become lines, and lines become
paragraphs by the page's geometry: a paragraph starts with an indented line,
after a short line, or where the font size changes; it continues across a
page break.  Rotated characters (a diagonal watermark), running headers
repeated on every page and page numbers are left out.  A PDF without text
(a scan) is unreadable, and says so.
"""

from __future__ import annotations

import ctypes
import itertools
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from typing import Any

import attrs

from hdgovreport.errors import UnreadableError
from hdgovreport.model.provenance import Source
from hdgovreport.published.blocks import Block, CellText, Deadline, Extracted, TableBlock, TextBlock
from hdgovreport.published.interpret import is_page_number

#: Most pages read from one PDF.
MAX_PAGES = 300
#: Most characters read from one PDF.
MAX_CHARS = 2_000_000
#: Most path segments examined on one page (table borders).
MAX_SEGMENTS = 50_000


@attrs.frozen
class _Char:
    text: str
    x0: float
    x1: float
    y: float  # baseline, PDF units from the bottom
    size: float


@attrs.frozen
class _Line:
    text: str
    x0: float
    x1: float
    y: float
    size: float
    page: int
    gapped: bool = False  # wide gaps between its characters: a row of a table without rules


@attrs.define
class _Grid:
    """One table on a page: the x and y of its rules, and which rules are drawn where."""

    xs: list[float]
    ys: list[float]  # top to bottom (descending PDF y)
    h: list[tuple[float, float, float]]  # (y, x0, x1)
    v: list[tuple[float, float, float]]  # (x, y0, y1)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[-1], self.xs[-1], self.ys[0]


def _cluster(values: Iterable[float], tolerance: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _segments(page: Any, raw: Any, deadline: Deadline) -> tuple[list[Any], list[Any]]:
    """Horizontal and vertical rules on a page: ``(y, x0, x1)`` and ``(x, y0, y1)``."""
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    x = ctypes.c_float()
    y = ctypes.c_float()
    count = 0
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    for obj in page.get_objects(max_depth=4):
        if obj.type != raw.FPDF_PAGEOBJ_PATH:
            continue
        raw.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke))
        filled_only = not stroke.value
        matrix = obj.get_matrix()
        a, b, c, d, e, f = matrix.get()
        n = raw.FPDFPath_CountSegments(obj.raw)
        count += max(n, 0)
        if count > MAX_SEGMENTS:
            break
        subpaths: list[list[tuple[float, float]]] = []
        closed: list[bool] = []
        for k in range(max(n, 0)):
            seg = raw.FPDFPath_GetPathSegment(obj.raw, k)
            raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
            point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            if raw.FPDFPathSegment_GetType(seg) == raw.FPDF_SEGMENT_MOVETO or not subpaths:
                subpaths.append([point])
                closed.append(False)
            else:
                subpaths[-1].append(point)
            if raw.FPDFPathSegment_GetClose(seg):
                closed[-1] = True
        for pts, is_closed in zip(subpaths, closed, strict=True):
            xs_ = [p[0] for p in pts]
            ys_ = [p[1] for p in pts]
            if filled_only and max(xs_) - min(xs_) > 3 and max(ys_) - min(ys_) > 3:
                continue  # a filled area (background, shading), not a rule
            edges = list(itertools.pairwise(pts))
            if is_closed or filled_only:
                edges.append((pts[-1], pts[0]))
            for (x0, y0), (x1, y1) in edges:
                if abs(y0 - y1) < 0.5 and abs(x1 - x0) > 2:
                    horizontal.append((y0, min(x0, x1), max(x0, x1)))
                elif abs(x0 - x1) < 0.5 and abs(y1 - y0) > 2:
                    vertical.append((x0, min(y0, y1), max(y0, y1)))
        if count % 4096 == 0:
            deadline.check()
    return horizontal, vertical


def _grids(horizontal: list[Any], vertical: list[Any]) -> list[_Grid]:
    """Group rules into tables (rules that touch), each with its clustered grid lines."""
    tol = 2.0
    items: list[tuple[str, tuple[float, float, float]]] = [("h", s) for s in horizontal]
    items += [("v", s) for s in vertical]
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hs = [i for i, (k, _s) in enumerate(items) if k == "h"]
    vs = [i for i, (k, _s) in enumerate(items) if k == "v"]
    for i in hs:
        hy, hx0, hx1 = items[i][1]
        for j in vs:
            vx, vy0, vy1 = items[j][1]
            if hx0 - tol <= vx <= hx1 + tol and vy0 - tol <= hy <= vy1 + tol:
                parent[find(i)] = find(j)
    # pieces of one rule (drawn cell by cell) belong together
    for indexes in (hs, vs):
        ordered = sorted(indexes, key=lambda i: (round(items[i][1][0]), items[i][1][1]))
        for i, j in itertools.pairwise(ordered):
            a, b = items[i][1], items[j][1]
            if abs(a[0] - b[0]) <= tol and b[1] <= a[2] + tol and a[1] <= b[2] + tol:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(find(i), []).append(i)
    grids: list[_Grid] = []
    loose: list[tuple[str, tuple[float, float, float]]] = []
    for members in groups.values():
        h = [items[i][1] for i in members if items[i][0] == "h"]
        v = [items[i][1] for i in members if items[i][0] == "v"]
        if len(h) < 1 or len(v) < 2:
            loose.extend(items[i] for i in members)
            continue
        grids.append(_Grid([], [], h, v))
    # a rule touching no crossing rule (the bottom of a wide merged cell) still belongs to its table
    for kind, seg in loose:
        for grid in grids:
            xs = [s[0] for s in grid.v]
            ys = [s[0] for s in grid.h]
            if kind == "h":
                inside = (
                    min(ys) - tol <= seg[0] <= max(ys) + tol
                    and min(xs) - tol <= seg[1] <= max(xs) + tol
                )
            else:
                inside = (
                    min(xs) - tol <= seg[0] <= max(xs) + tol
                    and min(ys) - tol <= seg[1] <= max(ys) + tol
                )
            if inside:
                (grid.h if kind == "h" else grid.v).append(seg)
                break
    out = []
    for grid in grids:
        # a row continued on the next page has no rule below it (or above it): close it
        x0, x1 = min(s[1] for s in grid.h), max(s[2] for s in grid.h)
        low, high = min(s[1] for s in grid.v), max(s[2] for s in grid.v)
        if low < min(s[0] for s in grid.h) - tol:
            grid.h.append((low, x0, x1))
        if high > max(s[0] for s in grid.h) + tol:
            grid.h.append((high, x0, x1))
        grid.xs = _cluster([s[0] for s in grid.v], tol)
        grid.ys = sorted(_cluster([s[0] for s in grid.h], tol), reverse=True)
        if len(grid.xs) >= 2 and len(grid.ys) >= 2:
            out.append(grid)
    return out


def _covered(segments: list[tuple[float, float, float]], at: float, lo: float, hi: float) -> bool:
    """Whether rules at ``at`` cover most of ``lo``..``hi``."""
    spans = sorted(
        (max(a, lo), min(b, hi)) for p, a, b in segments if abs(p - at) <= 2 and b > lo and a < hi
    )
    covered = 0.0
    end = lo
    for a, b in spans:
        if b <= end:
            continue
        covered += b - max(a, end)
        end = b
    return covered >= 0.6 * (hi - lo)


def _has_h(grid: _Grid, y: float, x0: float, x1: float) -> bool:
    return _covered(grid.h, y, x0, x1)


def _has_v(grid: _Grid, x: float, y0: float, y1: float) -> bool:
    return _covered(grid.v, x, y0, y1)


def _cells(grid: _Grid) -> list[tuple[int, int, int, int]]:
    """Merged cells as (first row, first column, last row, last column), in reading order."""
    rows, cols = len(grid.ys) - 1, len(grid.xs) - 1
    parent = {(r, c): (r, c) for r in range(rows) for c in range(cols)}

    def find(p: tuple[int, int]) -> tuple[int, int]:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for r in range(rows):
        top, bottom = grid.ys[r], grid.ys[r + 1]
        for c in range(cols):
            left, right = grid.xs[c], grid.xs[c + 1]
            if c + 1 < cols and not _has_v(grid, right, bottom, top):
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < rows and not _has_h(grid, bottom, left, right):
                parent[find((r + 1, c))] = find((r, c))
    spans: dict[tuple[int, int], list[int]] = {}
    for r in range(rows):
        for c in range(cols):
            root = find((r, c))
            box = spans.setdefault(root, [r, c, r, c])
            box[0], box[1] = min(box[0], r), min(box[1], c)
            box[2], box[3] = max(box[2], r), max(box[3], c)
    return sorted((b[0], b[1], b[2], b[3]) for b in spans.values())


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


def _chars(textpage: Any, raw: Any, deadline: Deadline) -> list[_Char]:
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    out = []
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    ox, oy = ctypes.c_double(), ctypes.c_double()
    handle = textpage.raw
    clips: dict[int | None, tuple[float, float, float, float] | None] = {}
    for i in range(min(count, len(text))):
        if i % 4096 == 0:
            deadline.check()
        ch = text[i]
        if ch in "\r\n" or raw.FPDFText_IsGenerated(handle, i) == 1:
            continue
        if abs(raw.FPDFText_GetCharAngle(handle, i)) > 0.01:
            continue  # rotated: a watermark or a stamp, not report text
        raw.FPDFText_GetCharBox(
            handle,
            i,
            ctypes.byref(left),
            ctypes.byref(right),
            ctypes.byref(bottom),
            ctypes.byref(top),
        )
        raw.FPDFText_GetCharOrigin(handle, i, ctypes.byref(ox), ctypes.byref(oy))
        size = float(raw.FPDFText_GetFontSize(handle, i))
        obj = raw.FPDFText_GetTextObject(handle, i)
        key = ctypes.cast(obj, ctypes.c_void_p).value if obj else None
        if key not in clips:
            clips[key] = _clip_box(obj, raw) if obj else None
        clip = clips[key]
        if clip is not None:
            cx, cy = (left.value + right.value) / 2, (bottom.value + top.value) / 2
            if not (clip[0] - 1 <= cx <= clip[2] + 1 and clip[1] - 1 <= cy <= clip[3] + 1):
                continue  # clipped away: not visible on the page
        x0 = left.value
        x1 = max(right.value, x0 + (size * 0.25 if ch == " " else 0))
        out.append(_Char(ch, x0, x1, oy.value, size))
    return out


def _lines(chars: list[_Char], page: int) -> list[_Line]:
    """Characters grouped into lines by baseline, left to right."""
    lines: list[list[_Char]] = []
    for ch in sorted(chars, key=lambda c: (-c.y, c.x0)):
        if lines:
            last = lines[-1]
            tol = max(1.5, 0.35 * max(c.size for c in last))
            if abs(last[0].y - ch.y) <= tol:
                last.append(ch)
                continue
        lines.append([ch])
    out = []
    for group in lines:
        group.sort(key=lambda c: c.x0)
        text = ""
        gapped = False
        for i, ch in enumerate(group):
            if i and ch.text != " " and not text.endswith(" "):
                gap = ch.x0 - group[i - 1].x1
                if gap > 1.2 * ch.size:
                    text += " "
                    gapped = gapped or gap > 2.5 * ch.size
            text += ch.text
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
                gapped=gapped,
            )
        )
    return out


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
        chars = _chars(textpage, raw, deadline)
        total_chars += len(chars)
        if total_chars > MAX_CHARS:
            raise UnreadableError(filename, f"PDF 中的文字过多（上限 {MAX_CHARS} 字）")
        horizontal, vertical = _segments(page, raw, deadline)
        grids = [g for g in _grids(horizontal, vertical) if (len(g.xs) - 1) * (len(g.ys) - 1) >= 2]
        used: set[int] = set()
        for grid in grids:
            x0, y0, x1, y1 = grid.bbox
            inside = [
                i
                for i, c in enumerate(chars)
                if x0 <= (c.x0 + c.x1) / 2 <= x1 and y0 <= c.y + 0.3 * c.size <= y1
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


def _overflow(grid: _Grid, chars: list[_Char], used: set[int]) -> list[int]:
    """Characters just below a table that overflowed one of its last row's cells.

    A cell split by a page break (a tall merged label) can print its last characters
    under the table's bottom rule; they are a short line within one column, unlike a
    paragraph after the table.
    """
    bottom = grid.ys[-1]
    boxes = _cells(grid)
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


def _table_rows(
    grid: _Grid, chars: list[_Char], filename: str, page: int, number: int
) -> list[tuple[CellText, ...]]:
    boxes = _cells(grid)
    content: dict[tuple[int, int, int, int], list[_Char]] = {b: [] for b in boxes}
    for ch in chars:
        cx = (ch.x0 + ch.x1) / 2
        cy = ch.y + 0.3 * ch.size
        col = next((c for c in range(len(grid.xs) - 1) if grid.xs[c] <= cx <= grid.xs[c + 1]), None)
        row = next((r for r in range(len(grid.ys) - 1) if grid.ys[r + 1] <= cy <= grid.ys[r]), None)
        if row is None or col is None:
            continue
        box = next(b for b in boxes if b[0] <= row <= b[2] and b[1] <= col <= b[3])
        content[box].append(ch)
    rows: dict[int, list[CellText]] = {}
    for box in boxes:
        r, c = box[0], box[1]
        detail = f"第{number}个表格第{r + 1}行第{c + 1}格"
        source = Source(filename, page=page, detail=detail)
        rows.setdefault(r, []).append(CellText(_cell_text(content[box]), source))
    return [tuple(cells) for _r, cells in sorted(rows.items())]


def _drop_running_lines(items: list[tuple[int, float, Any]], pages: int) -> list[Any]:
    """Leave out page numbers, and headers/footers repeated at the same place on most pages."""

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
        if isinstance(obj, _Line) and (is_page_number(obj.text) or key(obj) in running):
            continue
        out.append(it)
    return out


_HEADING_START = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_ENDS_SENTENCE = re.compile(r"[。！？；：:!?;]$")
_FIRST_PIECE = re.compile(r"^.[\x21-\x7e]*[，。、；：！？,.;:!?）)》”’]*")


def _first_piece_width(line: _Line) -> float:
    """Estimated width of the text a line starts with that could not have been broken."""
    piece = _FIRST_PIECE.match(line.text)
    text = piece.group(0) if piece else line.text[:1]
    return sum((0.55 if ord(ch) < 0x2000 else 1.0) * line.size for ch in text)


def _paragraphs(items: list[Any], filename: str) -> list[Block]:
    """Lines to paragraphs (continuing across page breaks); tables stay where they are."""
    lines = [it[2] for it in items if isinstance(it[2], _Line)]
    if lines:
        left = statistics.median(sorted(ln.x0 for ln in lines)[: max(1, len(lines) // 3)])
        right = max(ln.x1 for ln in lines)
    else:
        left = right = 0.0
    pitches = [
        a.y - b.y
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and abs(a.size - b.size) < 0.5 and 0 < a.y - b.y < 3 * a.size
    ]
    pitch = statistics.median(pitches) if pitches else 0.0
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
            blocks.append(TextBlock(text, Source(filename, page=first.page)))
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
