"""Table labels that never break inside a word, and figures that always fit.

Every header and label cell is cut into words (``templates/official/words.yaml``;
numbering prefixes and punctuation by rule), so renderers may break it only
between words: ``（三）`` / ``不予公开``, ``结果`` / ``维持``.  A row group in a
column too narrow for a word is set vertically, one character a line, its
numbering prefix kept whole (``三、`` / 本 / 年 / 度 …).

Column widths start from ``tables.yaml`` and are then sized from the labels:
every column is at least as wide as its longest word and its longest figure
(at the table's size), taking the room from the columns whose labels can wrap.
Figures too long for their column even then (nine digits in Table 4's 15
columns) get a smaller size for the whole table's values, never a broken number.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Sequence

import attrs

from hdgovreport.document.tree import Cell, Row, Table

#: Points per millimetre.
MM = 72 / 25.4
#: Cell padding and rule, left + right, in points (PDF 1.5 pt a side, DOCX 2 pt a side).
CELL_PAD_PT = 4.5
#: Advance of a digit or Latin letter, in em (Song/FangSong digits are 0.5–0.56 em).
LATIN_EM = 0.56
#: The smallest size a table's figures are set in, in points.
MIN_VALUE_PT = 5.0
#: A label core this short stays on one line where the columns leave room (不予公开).
SHORT_LABEL = 4
#: Table 3's value columns may grow to this width for long figures (mm).
MAX_VALUE_MM = 15.0

_PREFIX = re.compile(
    r"^(?:[一二三四五六七八九十百千零〇]+、|（[一二三四五六七八九十百千零〇]+）|\d+[.．、])"
)
_CLOSING = frozenset("，。、；：？！）》」』】”’%")
_OPENING = frozenset("（《「『【“‘")


@functools.cache
def vocabulary() -> tuple[str, ...]:
    """The words of the official labels, longest first."""
    from hdgovreport.resources import load_template_yaml

    raw = load_template_yaml("official", "words.yaml")
    return tuple(sorted({str(w) for w in raw["words"]}, key=lambda w: (-len(w), w)))


@functools.cache
def words(label: str) -> tuple[str, ...]:
    """``（三）不予公开`` → ``("（三）", "不予", "公开")``: the pieces a label may break between."""
    out: list[str] = []
    rest = label
    prefix = _PREFIX.match(rest)
    if prefix:
        out.append(prefix.group(0))
        rest = rest[prefix.end() :]
    vocab = vocabulary()
    i = 0
    pieces: list[str] = []
    while i < len(rest):
        word = next((w for w in vocab if rest.startswith(w, i)), None)
        if word is None:
            j = i + 1
            if rest[i].isascii() and not rest[i].isspace():
                while j < len(rest) and rest[j].isascii() and not rest[j].isspace():
                    j += 1
            word = rest[i:j]
        pieces.append(word)
        i += len(word)
    # punctuation sticks to its neighbour: closing marks to the word before, opening to the next
    glued: list[str] = []
    pending = ""
    for piece in pieces:
        piece = pending + piece
        pending = ""
        if piece[-1] in _OPENING:
            pending = piece
            continue
        if glued and piece[0] in _CLOSING:
            glued[-1] += piece
            continue
        glued.append(piece)
    if pending:
        glued.append(pending)
    if out and glued and glued[0][0] in _CLOSING:
        out[-1] += glued.pop(0)
    return (*out, *glued)


def text_em(text: str) -> float:
    """Width of ``text`` in em: a full-width character 1, anything else :data:`LATIN_EM`."""
    return sum(
        1.0 if unicodedata.east_asian_width(c) in ("W", "F", "A") else LATIN_EM for c in text
    )


def pack(pieces: Sequence[str], capacity_em: float) -> tuple[str, ...]:
    """Lines of whole pieces, each at most ``capacity_em`` wide where a piece allows."""
    lines: list[str] = []
    current = ""
    for piece in pieces:
        if current and text_em(current + piece) > capacity_em + 0.01:
            lines.append(current)
            current = ""
        current += piece
    if current:
        lines.append(current)
    return tuple(lines)


def _capacity_em(width_mm: float, size_pt: float) -> float:
    return (width_mm * MM - CELL_PAD_PT) / size_pt


def _min_width_mm(pieces: Sequence[str], size_pt: float) -> float:
    widest = max((text_em(p) for p in pieces), default=0.0)
    return (widest * size_pt + CELL_PAD_PT + 0.5) / MM  # half a point to spare


def size_table(table: Table, size_pt: float) -> Table:
    """The table with widths sized from its labels and figures, and each label's lines."""
    widths = list(table.widths_mm)
    total = sum(widths)
    cells = [c for row in table.rows() for c in row.cells]
    vertical = {
        id(c)
        for c in cells
        if c.kind == "row-header"
        and c.rowspan > 2
        and c.colspan == 1
        and _capacity_em(widths[c.column], size_pt) < 3
    }

    def pieces(cell: Cell) -> tuple[str, ...]:
        if cell.kind == "value":
            return (cell.text,)
        if id(cell) in vertical:
            head = words(cell.text)
            prefix = head[0] if _PREFIX.match(cell.text) else ""
            return (prefix, *cell.text[len(prefix) :]) if prefix else tuple(cell.text)
        return words(cell.text)

    value_cols = sorted({c.column for c in cells if c.kind == "value" and c.colspan == 1})
    label_cols = [i for i in range(len(widths)) if i not in value_cols]
    longest = max((text_em(c.text) for c in cells if c.kind == "value"), default=0.0)
    # floor: no column narrower than its longest word; desired: short labels whole, figures
    # at the table's size (up to MAX_VALUE_MM), and never narrower than tables.yaml says
    floor = [0.0] * len(widths)
    desired = list(widths)
    for cell in cells:
        if cell.colspan != 1:
            continue
        i = cell.column
        if cell.kind == "value":
            if label_cols:
                need = min(_min_width_mm((cell.text,), size_pt), MAX_VALUE_MM)
                desired[i] = max(desired[i], need)
            continue
        hard = _min_width_mm(pieces(cell), size_pt)
        floor[i] = max(floor[i], hard)
        desired[i] = max(desired[i], hard)
        if i in label_cols and id(cell) not in vertical:
            # a short label keeps its words together after its number: （三）/ 不予公开
            core = cell.text[len(m.group(0)) :] if (m := _PREFIX.match(cell.text)) else cell.text
            if len(core) <= SHORT_LABEL:
                floor[i] = max(floor[i], _min_width_mm((core,), size_pt))
                desired[i] = max(desired[i], floor[i])
    widths = list(desired)
    # too wide: the label columns give first (they can wrap), then the figures (smaller size)
    for group in (label_cols, value_cols):
        excess = sum(widths) - total
        if excess <= 1e-6:
            break
        slack = {i: widths[i] - floor[i] for i in group if widths[i] - floor[i] > 1e-6}
        room = sum(slack.values())
        if room <= 0:
            continue
        take = min(excess, room)
        for i, gap in slack.items():
            widths[i] -= take * gap / room
    widths = [round(w, 2) for w in widths]
    widths[-1] = round(total - sum(widths[:-1]), 2)
    # the figures' size: the table's, or smaller when the longest figure needs it
    narrowest = min((widths[i] for i in value_cols), default=0.0)
    value_size = size_pt
    if longest and narrowest:
        fit = (narrowest * MM - CELL_PAD_PT) / (longest)
        value_size = max(MIN_VALUE_PT, min(size_pt, math.floor(fit * 4) / 4))

    def laid(cell: Cell) -> Cell:
        if cell.kind == "value":
            return cell
        own = pieces(cell)
        width = sum(widths[cell.column : cell.column + cell.colspan])
        lines = own if id(cell) in vertical else pack(own, _capacity_em(width, size_pt))
        return attrs.evolve(cell, words=own, lines=lines)

    def rows(source: Sequence[Row]) -> tuple[Row, ...]:
        return tuple(Row(tuple(laid(c) for c in row.cells)) for row in source)

    return attrs.evolve(
        table,
        widths_mm=tuple(widths),
        head=rows(table.head),
        bodies=tuple(rows(body) for body in table.bodies),
        text_size_pt=size_pt,
        value_size_pt=value_size,
    )
