"""Set body text on the GB/T 9704 grid: 28 characters a line, flush on both sides.

WeasyPrint does not justify Chinese (``text-align: justify`` leaves every CJK
line ragged), and 28 characters of 16 pt are wider than the 156 mm text
block, so the official grid compresses the pitch to 156 mm / 28 ≈ 15.79 pt
— as Word's document grid does.  This module breaks each paragraph into lines
itself and gives every character the spacing that puts it on the grid:

- a hanzi or full-width punctuation mark takes one cell;
- a run of Latin letters or digits keeps its natural width and takes whole
  cells, the rest split before and after it, so the characters after
  it are back on the grid (digits never spread apart);
- line-start and line-end rules (避头尾): a closing mark (，。、；：？！）”…)
  never starts a line and an opening mark (（《“) never ends one; a closing
  mark that would start the next line is pushed *in* (the line is set a
  little tighter: Word's hanging punctuation, kept inside the block), other
  breaks push a character *out*;
- a paragraph never ends with a line of one character (「率。」): the line
  before gives one up;
- every line but a paragraph's last is then spread or tightened by the same
  amount between each pair of characters so it ends exactly at the right
  edge; the last line stays on the grid, flush left.

Widths come from HarfBuzz shaping the paragraph with the very face the PDF
embeds (``uharfbuzz``), so they are the widths WeasyPrint (Pango, which is
HarfBuzz) will draw.  Nothing is inserted into the text: each line is a few
``<span>``\\ s with ``letter-spacing``, lines end in ``<br>``, and copied text
or the PDF's tags read exactly the paragraph.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import attrs

MM = 72 / 25.4
#: The GB/T 9704 text block width, in points.
BLOCK_WIDTH_PT = 156 * MM

#: Characters that never start a line (GB/T 15834 punctuation; half-width ones too).
NO_START = frozenset("，。、；：？！）》」』】〕〉〗〙〛”’…‥·%‰℃°,.;:?!)]}、")
#: Characters that never end a line.
NO_END = frozenset("（《「『【〔〈〖〘〚“‘([{")
#: Marks that come in inseparable pairs: 破折号 ——, 省略号 ……
PAIRED = frozenset("—…")
#: A closing mark pushed in may take the line this far past its cells (in cells).
MAX_PUSH_IN = 1.0

Advances = Callable[[str], Sequence[float]]


@attrs.frozen
class Run:
    """Characters set with one letter-spacing (points after each character)."""

    text: str
    spacing: float


@attrs.frozen
class Line:
    runs: tuple[Run, ...]
    cells: float  # grid cells the line's characters take (a pushed-in mark not counted)
    pushed_in: bool = False  # ends with a closing mark set inside the last cell
    last: bool = False  # the paragraph's last line (not spread)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


def cells_per_line(size_pt: float, width_pt: float = BLOCK_WIDTH_PT) -> int:
    """Characters a grid line holds: 28 for 16 pt in 156 mm (GB/T 9704)."""
    return max(1, round(width_pt / size_pt))


def is_wide(char: str) -> bool:
    """A full-width character: hanzi, kana, full-width punctuation and forms."""
    if char in NO_START or char in NO_END or char in PAIRED:
        return not char.isascii() and char not in "°%‰℃"
    return unicodedata.east_asian_width(char) in ("W", "F")


@attrs.frozen
class _Unit:
    """Characters that stay on one line, with their widths."""

    text: str
    widths: tuple[float, ...]
    wide: tuple[bool, ...]
    tail: int = 0  # trailing closing marks (may be pushed in)

    @property
    def width(self) -> float:
        return sum(self.widths)

    def cells(self, pitch: float) -> float:
        return _cells(self.widths, self.wide, pitch)

    def core_cells(self, pitch: float) -> float:
        n = len(self.text) - self.tail
        return _cells(self.widths[:n], self.wide[:n], pitch)


def _cells(widths: Sequence[float], wide: Sequence[bool], pitch: float) -> float:
    total = 0.0
    latin = 0.0
    for width, full in zip(widths, wide, strict=True):
        if full:
            total += _half_cells(latin, pitch) + 1
            latin = 0.0
        else:
            latin += width
    return total + _half_cells(latin, pitch)


def _half_cells(width: float, pitch: float) -> float:
    """Whole cells a Latin run takes (its natural width rounded up; a hair's tolerance)."""
    if width <= 0:
        return 0.0
    return float(math.ceil(width / pitch - 0.05))


def _atoms(text: str, widths: Sequence[float]) -> list[_Unit]:
    """Break opportunities: between wide characters; in Latin runs after spaces and slashes."""
    atoms: list[_Unit] = []
    i = 0
    while i < len(text):
        char = text[i]
        if is_wide(char) or char.isspace() or (char in NO_START and i and is_wide(text[i - 1])):
            j = i + 1  # (a half-width mark after a hanzi closes it: 网址:http…)
        else:
            j = i + 1
            while j < len(text) and not is_wide(text[j]) and not text[j].isspace():
                if text[j - 1] == "/" and text[j] != "/":
                    break  # a web address may break after its slashes
                j += 1
        atoms.append(_Unit(text[i:j], tuple(widths[i:j]), tuple(is_wide(c) for c in text[i:j])))
        i = j
    return atoms


def _glue(atoms: list[_Unit]) -> list[_Unit]:
    """Attach closing marks to what precedes them and opening marks to what follows."""
    units: list[_Unit] = []
    pending: _Unit | None = None  # opening marks waiting for their next unit
    for atom in atoms:
        if pending is not None:
            atom = _join(pending, atom, tail=atom.tail)
            pending = None
        if units and (
            atom.text[0] in NO_START
            or (atom.text[0] in PAIRED and units[-1].text[-1] == atom.text[0])
            or atom.text.isspace()
        ):
            closing = atom.text[0] in NO_START
            previous = units.pop()
            tail = previous.tail + len(atom.text) if closing else 0
            atom = _join(previous, atom, tail=tail)
        if atom.text[-1] in NO_END:
            pending = atom
            continue
        units.append(atom)
    if pending is not None:
        units.append(pending)
    return units


def _join(a: _Unit, b: _Unit, *, tail: int) -> _Unit:
    return _Unit(a.text + b.text, a.widths + b.widths, a.wide + b.wide, tail)


def _split(unit: _Unit) -> list[_Unit]:
    """A unit longer than a line (a very long address) falls apart into characters."""
    return [_Unit(c, (w,), (f,)) for c, w, f in zip(unit.text, unit.widths, unit.wide, strict=True)]


def break_lines(units: list[_Unit], capacity: Sequence[float], pitch: float) -> list[list[_Unit]]:
    """Greedy filling of each line's cells (``capacity[i]``; the last value repeats)."""
    lines: list[list[_Unit]] = []
    queue = list(units)
    current: list[_Unit] = []
    used = 0.0
    while queue:
        room = capacity[min(len(lines), len(capacity) - 1)]
        unit = queue[0]
        cells = unit.cells(pitch)
        if used + cells <= room + 1e-9:
            current.append(queue.pop(0))
            used += cells
            continue
        if (
            unit.tail
            and used + unit.core_cells(pitch) <= room + 1e-9
            and used + cells <= room + MAX_PUSH_IN + 1e-9
        ):
            current.append(queue.pop(0))  # push the closing mark in
            lines.append(current)
            current, used = [], 0.0
            continue
        if not current:
            if len(unit.text) == 1:  # nothing smaller: take it anyway
                lines.append([queue.pop(0)])
                continue
            queue[0:1] = _split(unit)
            continue
        lines.append(current)
        current, used = [], 0.0
    if current:
        lines.append(current)
    _no_lonely_last_line(lines)
    return lines


def _content(units: Sequence[_Unit]) -> int:
    return sum(1 for u in units for c in u.text if c not in NO_START and not c.isspace())


def _no_lonely_last_line(lines: list[list[_Unit]]) -> None:
    """A last line of one character (plus its closing marks) takes one more from above."""
    if len(lines) < 2 or _content(lines[-1]) >= 2 or len(lines[-2]) < 2:
        return
    lines[-1].insert(0, lines[-2].pop())


def _spacing(units: Sequence[_Unit], pitch: float) -> tuple[list[str], list[float], list[float]]:
    """Characters, their advances and grid letter-spacing (before any justification)."""
    chars: list[str] = []
    advances: list[float] = []
    spacing: list[float] = []
    latin: list[int] = []  # indexes of the current Latin run

    def close_latin() -> None:
        if not latin:
            return
        width = sum(advances[i] for i in latin)
        pad = (_half_cells(width, pitch) * pitch - width) / 2
        if latin[0] > 0:
            spacing[latin[0] - 1] += pad
        spacing[latin[-1]] += pad
        latin.clear()

    for unit in units:
        for char, width, full in zip(unit.text, unit.widths, unit.wide, strict=True):
            chars.append(char)
            advances.append(width)
            if full:
                close_latin()
                spacing.append(pitch - width)
            else:
                latin.append(len(chars) - 1)
                spacing.append(0.0)
    close_latin()
    return chars, advances, spacing


def set_lines(
    text: str,
    advances: Advances,
    *,
    size_pt: float,
    indent_cells: float = 0,
    width_pt: float = BLOCK_WIDTH_PT,
) -> list[Line]:
    """Break ``text`` into grid lines and give each the spacing that fills ``width_pt``."""
    if not text:
        return []
    per_line = cells_per_line(size_pt, width_pt)
    pitch = width_pt / per_line
    widths = list(advances(text))
    units = _glue(_atoms(text, widths))
    first = per_line - indent_cells
    groups = break_lines(units, (first, float(per_line)), pitch)
    out: list[Line] = []
    for number, group in enumerate(groups):
        last = number == len(groups) - 1
        chars, adv, spacing = _spacing(group, pitch)
        # trailing spaces neither take room nor get spread
        end = len(chars)
        while end > 1 and chars[end - 1].isspace():
            end -= 1
        target = width_pt - (indent_cells * pitch if number == 0 else 0.0)
        cells = sum(u.cells(pitch) for u in group)
        pushed = bool(group[-1].tail) and cells > (first if number == 0 else per_line) + 1e-9
        if pushed:
            cells -= group[-1].cells(pitch) - group[-1].core_cells(pitch)
        if (not last or pushed) and end > 1:
            natural = sum(adv[:end]) + sum(spacing[: end - 1])
            delta = (target - natural) / (end - 1)
            for i in range(end - 1):
                spacing[i] += delta
        if end:
            spacing[end - 1] = 0.0  # nothing after the line's last glyph
        runs: list[Run] = []
        for char, space in zip(chars, spacing, strict=True):
            space = round(space, 3)
            if runs and runs[-1].spacing == space:
                runs[-1] = Run(runs[-1].text + char, space)
            else:
                runs.append(Run(char, space))
        out.append(Line(tuple(runs), cells=cells, pushed_in=pushed, last=last))
    return out


# ------------------------------------------------------------------ measuring with HarfBuzz


@functools.cache
def _hb_font(path: str, index: int) -> object:
    import uharfbuzz as hb

    from hdgovreport.render.fonts import hb_face

    return hb.Font(hb_face(path, index))


def harfbuzz_advances(path: str, index: int, size_pt: float, lang: str = "zh-Hans") -> Advances:
    """Per-character advances (points) of text shaped by HarfBuzz with one face."""
    import uharfbuzz as hb

    font: Any = _hb_font(path, index)
    scale = font.face.upem

    def advances(text: str) -> list[float]:
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        buf.language = lang
        hb.shape(font, buf, {"kern": True})
        out = [0.0] * len(text)
        # clusters are indexes into the UTF-32 text: one per code point
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
            out[info.cluster] += pos.x_advance * size_pt / scale
        return out

    return advances
