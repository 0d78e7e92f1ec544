"""The graphic edition's formats and image widths: what ``--to`` and ``--width`` accept.

Kept apart from :mod:`hdgovreport.graphic.render` so that the command line can
describe and check its options without loading the renderer (about 0.2 s).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from hdgovreport.render.build import parse_formats as _parse_formats

#: Width of the long image in pixels: twice the 750 CSS px design width.
PNG_WIDTH = 1500
#: Widths ``--width`` accepts, in pixels (1080: the width WeChat articles show).
MIN_WIDTH, MAX_WIDTH = 360, 3000

#: Output format → file suffix.
#: ``txt`` is the text version, written beside the PNG whenever the PNG is.
FORMATS: Mapping[str, str] = {
    "html": ".graphic.html",
    "pdf": ".graphic.pdf",
    "png": ".graphic.png",
    "txt": ".graphic.txt",
}
#: The formats ``--to`` names by default.
DEFAULT_FORMATS = ("html", "pdf", "png")


def check_width(width: int) -> int:
    """``width`` when the long image can be that wide, else ``ValueError`` (Chinese message)."""
    if isinstance(width, bool) or not isinstance(width, int) or not MIN_WIDTH <= width <= MAX_WIDTH:
        raise ValueError(
            f"长图宽度应为 {MIN_WIDTH} 至 {MAX_WIDTH} 之间的整数像素，实际为 {width!r}"
        )
    return width


def parse_formats(text: str | Iterable[str]) -> tuple[str, ...]:
    """``"html,pdf,png"`` → ``("html", "pdf", "png", "txt")``: the PNG brings its text along.

    Unknown names raise ``ValueError``.
    """
    names = _parse_formats(text, FORMATS)
    return (*names, "txt") if "png" in names and "txt" not in names else names
