"""The PDF's own line setting, handed to the HTML template.

For each body paragraph and heading, :class:`GridLayout` measures the text
with the embedded face of its role (HarfBuzz) and sets it on the GB/T 9704
grid with :func:`hdgovreport.render.typeset.set_lines`: each line becomes a
few ``<span style="letter-spacing:…">`` and lines end in ``<br>``, so
WeasyPrint only draws what was decided here.
"""

from __future__ import annotations

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


class GridLayout:
    """Faces embedded for one document, and the line setter of its paragraphs."""

    def __init__(self, document: Document, fontset: FontSet) -> None:
        self.fonts: EmbeddedFonts = embed(fontset, document_text(document))
        self.fontset = fontset
        self.families: Mapping[str, str] = self.fonts.families
        self.font_faces: str = self.fonts.css
        self._advances: dict[tuple[str, float], typeset.Advances] = {}

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
        setting = self._setting(block)
        if setting is None:
            return None
        advances = self._measure(*setting)
        if advances is None:
            return None
        return typeset.set_lines(
            block.full_text, advances, size_pt=setting[1], indent_cells=INDENT_CELLS
        )

    def set_block(self, block: Heading | Paragraph) -> Markup:
        lines = self.lines(block)
        if lines is None:
            return escape(block.full_text)
        out = []
        for line in lines:
            parts = []
            for run in line.runs:
                if run.spacing:
                    parts.append(
                        Markup('<span style="letter-spacing:{}pt">{}</span>').format(
                            f"{run.spacing:.3f}", run.text
                        )
                    )
                else:
                    parts.append(escape(run.text))
            out.append(Markup("").join(parts))
        return Markup("<br>").join(out)

    def indent(self, block: Heading | Paragraph) -> str:
        setting = self._setting(block)
        if setting is None:
            return "2em"
        pitch = typeset.BLOCK_WIDTH_PT / typeset.cells_per_line(setting[1])
        return f"{INDENT_CELLS * pitch:.3f}pt"

    def watermark(self, text: str) -> Markup:
        """``text`` as glyph outlines in an inline SVG: drawn, so never copied or read as text."""
        face = self.fontset.face("heading1")
        if face is None:
            return Markup("")
        return outline_svg(text, face.path, face.index)


def outline_svg(text: str, path: str, index: int) -> Markup:
    """An ``<svg>`` of ``text`` shaped by HarfBuzz, every glyph a ``<path>`` (no ``<text>``)."""
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
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}"><path fill="#c01c28" fill-opacity="0.14" d="{}"/></svg>'
    ).format(x, upem, " ".join(paths))
