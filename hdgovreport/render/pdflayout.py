"""The PDF's own line setting, handed to the HTML template.

For each body paragraph and heading, :class:`GridLayout` measures the text
with the embedded face of its role (HarfBuzz) and sets it on the GB/T 9704
grid with :func:`hdgovreport.render.typeset.set_lines`: each block carries its
own ``letter-spacing``, a line adds a ``<span>`` only where a run differs from
it, and lines end in ``<br>``, so WeasyPrint only draws what was decided here.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

from markupsafe import Markup, escape

from hdgovreport.document import Document, Heading, Paragraph
from hdgovreport.render import typeset
from hdgovreport.render.embed import EmbeddedFonts, document_text, embed
from hdgovreport.render.fonts import FontSet

#: Paragraph role → (typographic role, size in points).  Print sizes of official.css.j2.
PARAGRAPH_SETTING: Mapping[str, tuple[str, float]] = {
    "opening": ("body", 16.0),
    "body": ("body", 16.0),
    "point": ("body", 16.0),
    "table-intro": ("body", 16.0),
    "table-note": ("body", 14.0),
}
#: Heading level → (typographic role, size).
HEADING_SETTING: Mapping[int, tuple[str, float]] = {1: ("heading1", 16.0), 2: ("heading2", 16.0)}
#: First-line indent of every set paragraph and heading, in grid cells (GB/T 9704: 空二字).
INDENT_CELLS = 2
#: A run within this of its block's letter-spacing is set with the block's (≤ 0.3 pt over a
#: line of 28: the last line of a paragraph, on the grid's 15.79 pt, under the full lines').
SPACING_TOLERANCE_PT = 0.01


class GridLayout:
    """Faces embedded for one document, and the line setter of its paragraphs."""

    def __init__(self, document: Document, fontset: FontSet) -> None:
        self.fonts: EmbeddedFonts = embed(fontset, document_text(document))
        self.fontset = fontset
        self.families: Mapping[str, str] = self.fonts.families
        self.font_faces: str = self.fonts.css
        self._advances: dict[tuple[str, float], typeset.Advances] = {}
        self._lines: dict[Heading | Paragraph, list[typeset.Line] | None] = {}
        #: URL → bytes of everything the PDF engine may load: the faces, the watermark
        self.resources: dict[str, bytes] = dict(self.fonts.data)

    def _setting(self, block: Heading | Paragraph) -> tuple[str, float] | None:
        if isinstance(block, Heading):
            return HEADING_SETTING.get(block.level)
        return PARAGRAPH_SETTING.get(block.role)

    def _measure(self, role: str, size: float) -> typeset.Advances | None:
        key = (role, size)
        if key not in self._advances:
            face = self.fontset.face(role)
            if face is None:
                return None
            self._advances[key] = typeset.harfbuzz_advances(face.path, face.index, size)
        return self._advances[key]

    def lines(self, block: Heading | Paragraph) -> list[typeset.Line] | None:
        if block not in self._lines:
            setting = self._setting(block)
            advances = self._measure(*setting) if setting is not None else None
            self._lines[block] = (
                None
                if setting is None or advances is None
                else typeset.set_lines(
                    block.full_text, advances, size_pt=setting[1], indent_cells=INDENT_CELLS
                )
            )
        return self._lines[block]

    def _base_spacing(self, lines: list[typeset.Line]) -> float:
        """The letter-spacing most characters of a block get: the block's own, in its style."""
        count: Counter[float] = Counter()
        for line in lines:
            for run in line.runs:
                count[run.spacing] += len(run.text)
        return count.most_common(1)[0][0] if count else 0.0

    def set_block(self, block: Heading | Paragraph) -> Markup:
        """The block's lines, ``<br>`` between them; a ``<span>`` only where a run's spacing
        differs from the block's own (Latin runs and the cells around them): a line of
        Chinese is one text box, which is what WeasyPrint's time goes by."""
        lines = self.lines(block)
        if lines is None:
            return escape(block.full_text)
        base = self._base_spacing(lines)
        out = []
        for line in lines:
            pieces: list[tuple[str, float | None]] = []  # text, spacing (None: the block's)
            for n, run in enumerate(line.runs):
                spacing = None if abs(run.spacing - base) <= SPACING_TOLERANCE_PT else run.spacing
                if pieces and (
                    pieces[-1][1] == spacing or (n == len(line.runs) - 1 and len(run.text) == 1)
                ):
                    # same spacing, or the line's last glyph (nothing follows it to space)
                    pieces[-1] = (pieces[-1][0] + run.text, pieces[-1][1])
                else:
                    pieces.append((run.text, spacing))
            out.append(
                Markup("").join(
                    escape(text)
                    if spacing is None
                    else Markup('<span style="letter-spacing:{}pt">{}</span>').format(
                        f"{spacing:.3f}", text
                    )
                    for text, spacing in pieces
                )
            )
        return Markup("<br>").join(out)

    def style(self, block: Heading | Paragraph) -> str:
        """The block's inline style: its first-line indent and its own letter-spacing."""
        setting = self._setting(block)
        if setting is None:
            return "text-indent: 2em"
        pitch = typeset.BLOCK_WIDTH_PT / typeset.cells_per_line(setting[1])
        lines = self.lines(block)
        spacing = self._base_spacing(lines) if lines else 0.0
        return f"text-indent: {INDENT_CELLS * pitch:.3f}pt; letter-spacing: {spacing:.3f}pt"

    def watermark(self, text: str) -> str:
        """``text`` drawn as glyph outlines (never text: not copied, not read out), as the URL
        of an SVG image the fetcher serves; the print CSS lays it under every page. Empty when
        there is no face to draw it with."""
        face = self.fontset.face("heading1")
        if face is None:
            return ""
        self.resources[WATERMARK_URL] = outline_svg(text, face.path, face.index, angle=-30)
        return WATERMARK_URL

    def fetch(self, url: str) -> bytes | None:
        """The bytes of one of this document's own resources (faces, the watermark)."""
        return self.resources.get(url)


#: The in-memory URL of the watermark image (answered by our fetcher only).
WATERMARK_URL = "hdgov-image:watermark"


def outline_svg(text: str, path: str, index: int, *, angle: float = 0) -> bytes:
    """An SVG document of ``text`` shaped by HarfBuzz, every glyph a ``<path>`` (no ``<text>``),
    turned by ``angle`` degrees (negative: counter-clockwise) about its centre."""
    import uharfbuzz as hb
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen

    from hdgovreport.render.fonts import hb_face

    font = hb.Font(hb_face(path, index))
    upem = font.face.upem
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font, buf, {})
    x = 0
    paths = []
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        pen = SVGPathPen(None)
        # font units, y up → SVG, y down; the baseline at 0.88 em
        font.draw_glyph_with_pen(
            info.codepoint, TransformPen(pen, (1, 0, 0, -1, x + pos.x_offset, 0.88 * upem))
        )
        commands = pen.getCommands()
        if commands:
            paths.append(commands)
        x += pos.x_advance
    turn = math.radians(angle)
    width = abs(x * math.cos(turn)) + abs(upem * math.sin(turn))
    height = abs(x * math.sin(turn)) + abs(upem * math.cos(turn))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}"'
        f' viewBox="{-width / 2:.0f} {-height / 2:.0f} {width:.0f} {height:.0f}">'
        f'<g transform="rotate({angle:g}) translate({-x / 2:.0f} {-upem / 2:.0f})">'
        f'<path fill="#c01c28" fill-opacity="0.14" d="{" ".join(paths)}"/></g></svg>'
    ).encode()
