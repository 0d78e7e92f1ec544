"""Table rules of a PDF page: the path objects that draw a table's borders, as grids.

Rules are collected from stroked paths and thin filled rectangles (Word draws
borders as filled rectangles), in page coordinates (every object's matrix
applied).  Rules that touch form one table; the x and y of its rules are its
grid, and a merged cell is a set of grid cells with no rule between them.
"""

from __future__ import annotations

import bisect
import ctypes
import itertools
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from hdgovreport.published.extract.stream import Deadline
from hdgovreport.published.limits import MAX_SEGMENTS


@attrs.define
class Grid:
    """One table on a page: the x and y of its rules, and which rules are drawn where."""

    xs: list[float]
    ys: list[float]  # top to bottom (descending PDF y)
    h: list[tuple[float, float, float]]  # (y, x0, x1)
    v: list[tuple[float, float, float]]  # (x, y0, y1)
    _index: dict[str, dict[int, list[tuple[float, float, float]]]] = attrs.Factory(dict)
    _cells: list[tuple[int, int, int, int]] | None = None

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[-1], self.xs[-1], self.ys[0]

    def near(self, kind: str, at: float) -> list[tuple[float, float, float]]:
        """The rules of ``kind`` (``h``/``v``) within 2 points of ``at`` (indexed once)."""
        if kind not in self._index:
            buckets: dict[int, list[tuple[float, float, float]]] = {}
            for seg in self.h if kind == "h" else self.v:
                buckets.setdefault(int(seg[0] // 4), []).append(seg)
            self._index[kind] = buckets
        buckets = self._index[kind]
        key = int(at // 4)
        return [
            seg
            for k in (key - 1, key, key + 1)
            for seg in buckets.get(k, ())
            if abs(seg[0] - at) <= 2
        ]


def cluster(values: Iterable[float], tolerance: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _invisible(obj: Any, raw: Any, filled_only: bool) -> bool:
    """A path painted in white or fully transparent: drawn, but not a visible rule.

    Templates hide the rule between two cells they show as one by drawing it in white.
    """
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    getter = raw.FPDFPageObj_GetFillColor if filled_only else raw.FPDFPageObj_GetStrokeColor
    if not getter(obj.raw, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return False
    return a.value == 0 or min(r.value, g.value, b.value) >= 245


def segments(
    page: Any,
    raw: Any,
    deadline: Deadline,
    turn: Callable[[float, float], tuple[float, float]] | None = None,
) -> tuple[list[Any], list[Any]]:
    """Horizontal and vertical rules on a page: ``(y, x0, x1)`` and ``(x, y0, y1)``.

    Rules painted in white (or transparent) are left out: they are not seen.  ``turn`` takes
    page coordinates to the upright frame of the page's text (a page printed sideways).
    """
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    x = ctypes.c_float()
    y = ctypes.c_float()
    point_refs = (ctypes.byref(x), ctypes.byref(y))
    count = 0
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    mode_refs = (ctypes.byref(fill), ctypes.byref(stroke))
    moveto = raw.FPDF_SEGMENT_MOVETO
    get_segment, get_point = raw.FPDFPath_GetPathSegment, raw.FPDFPathSegment_GetPoint
    get_type, get_close = raw.FPDFPathSegment_GetType, raw.FPDFPathSegment_GetClose
    for obj in page.get_objects(max_depth=4):
        if obj.type != raw.FPDF_PAGEOBJ_PATH:
            continue
        raw.FPDFPath_GetDrawMode(obj.raw, *mode_refs)
        filled_only = not stroke.value
        if _invisible(obj, raw, filled_only):
            continue
        matrix = obj.get_matrix()
        a, b, c, d, e, f = matrix.get()
        n = raw.FPDFPath_CountSegments(obj.raw)
        count += max(n, 0)
        if count > MAX_SEGMENTS:
            break
        subpaths: list[list[tuple[float, float]]] = []
        closed: list[bool] = []
        handle = obj.raw
        for k in range(max(n, 0)):
            seg = get_segment(handle, k)
            get_point(seg, *point_refs)
            px, py = x.value, y.value
            point = (a * px + c * py + e, b * px + d * py + f)
            if turn is not None:
                point = turn(*point)
            if not subpaths or get_type(seg) == moveto:
                subpaths.append([point])
                closed.append(False)
            else:
                subpaths[-1].append(point)
            if get_close(seg):
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


def grids(horizontal: list[Any], vertical: list[Any]) -> list[Grid]:
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
    by_x = sorted(vs, key=lambda j: items[j][1][0])
    xs_sorted = [items[j][1][0] for j in by_x]
    for i in hs:
        hy, hx0, hx1 = items[i][1]
        # only the verticals whose x lies along this horizontal
        for j in by_x[
            bisect.bisect_left(xs_sorted, hx0 - tol) : bisect.bisect_right(xs_sorted, hx1 + tol)
        ]:
            _vx, vy0, vy1 = items[j][1]
            if vy0 - tol <= hy <= vy1 + tol:
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
    grids: list[Grid] = []
    loose: list[tuple[str, tuple[float, float, float]]] = []
    for members in groups.values():
        h = [items[i][1] for i in members if items[i][0] == "h"]
        v = [items[i][1] for i in members if items[i][0] == "v"]
        if len(h) < 1 or len(v) < 2:
            loose.extend(items[i] for i in members)
            continue
        grids.append(Grid([], [], h, v))
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
        grid.xs = cluster([s[0] for s in grid.v], tol)
        grid.ys = sorted(cluster([s[0] for s in grid.h], tol), reverse=True)
        if len(grid.xs) >= 2 and len(grid.ys) >= 2:
            out.append(grid)
    return out


def covered(segments: list[tuple[float, float, float]], at: float, lo: float, hi: float) -> bool:
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


def has_h(grid: Grid, y: float, x0: float, x1: float) -> bool:
    return covered(grid.near("h", y), y, x0, x1)


def has_v(grid: Grid, x: float, y0: float, y1: float) -> bool:
    return covered(grid.near("v", x), x, y0, y1)


def cells(grid: Grid) -> list[tuple[int, int, int, int]]:
    """Merged cells as (first row, first column, last row, last column), in reading order."""
    if grid._cells is None:
        grid._cells = _cells(grid)
    return grid._cells


def _cells(grid: Grid) -> list[tuple[int, int, int, int]]:
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
            if c + 1 < cols and not has_v(grid, right, bottom, top):
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < rows and not has_h(grid, bottom, left, right):
                parent[find((r + 1, c))] = find((r, c))
    spans: dict[tuple[int, int], list[int]] = {}
    for r in range(rows):
        for c in range(cols):
            root = find((r, c))
            box = spans.setdefault(root, [r, c, r, c])
            box[0], box[1] = min(box[0], r), min(box[1], c)
            box[2], box[3] = max(box[2], r), max(box[3], c)
    return sorted((b[0], b[1], b[2], b[3]) for b in spans.values())
