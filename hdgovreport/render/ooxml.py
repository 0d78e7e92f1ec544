"""Raw WordprocessingML (OOXML) that python-docx has no API for, in one place.

The DOCX renderer (:mod:`hdgovreport.render.docx`) drives python-docx; what
python-docx cannot express — the East Asian font slot, ``firstLineChars``,
outline levels, merged table cells, repeated header rows, PAGE fields, the
bare package it starts from, fixed ZIP entry dates — is written here.

Word refuses a file whose property elements are out of schema order, so
every child is inserted at its place in the ECMA-376 sequence (the tuples
below), never simply appended.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any, Literal
from xml.sax.saxutils import quoteattr

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn

# ------------------------------------------------------------ schema order


def _sequence(names: str) -> tuple[str, ...]:
    return tuple(names.split())


#: CT_PPr (paragraph properties), ECMA-376 Part 1 §17.3.1.26.
PPR_ORDER = _sequence(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
)
#: CT_RPr (run properties), §17.3.2.28.
RPR_ORDER = _sequence(
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
    "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
)
#: CT_Style, §17.7.4.17.
STYLE_ORDER = _sequence(
    "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden "
    "unhideWhenUsed qFormat locked personal personalCompose personalReply rsid "
    "pPr rPr tblPr trPr tcPr tblStylePr"
)
#: CT_TblPr, §17.4.60.
TBLPR_ORDER = _sequence(
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription"
)
#: CT_TcPr, §17.4.70.
TCPR_ORDER = _sequence(
    "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark"
)

_ORDERS = {
    "pPr": PPR_ORDER,
    "rPr": RPR_ORDER,
    "style": STYLE_ORDER,
    "tblPr": TBLPR_ORDER,
    "tcPr": TCPR_ORDER,
}

Element = Any  # lxml elements (python-docx ships no type information)


def _local(element: Element) -> str:
    tag: str = element.tag
    return tag.rsplit("}", 1)[-1]


def child(parent: Element, name: str) -> Element:
    """The ``w:<name>`` child of ``parent``, created at its schema position if missing."""
    found = parent.find(qn(f"w:{name}"))
    if found is not None:
        return found
    element = OxmlElement(f"w:{name}")
    order = _ORDERS[_local(parent)]
    rank = order.index(name)
    for sibling in parent:
        local = _local(sibling)
        if local in order and order.index(local) > rank:
            sibling.addprevious(element)
            return element
    parent.append(element)
    return element


def _set(element: Element, **attributes: str | int) -> Element:
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


# ------------------------------------------------------------ fonts, language, paragraphs


def set_fonts(properties_owner: Element, east_asia: str, latin: str) -> None:
    """Set all four font slots of ``w:rPr`` under a style or docDefaults element.

    ``w:eastAsia`` names the Chinese face, ``ascii``/``hAnsi``/``cs`` the Latin one;
    ``w:hint="eastAsia"`` makes characters both scripts share (“”、—) use the Chinese face.
    Theme-font attributes, which would override the names, are removed.
    """
    rpr = _rpr(properties_owner)
    fonts = child(rpr, "rFonts")
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    _set(fonts, ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin, hint="eastAsia")


def set_size(properties_owner: Element, points: float) -> None:
    """Font size for both the East Asian/Latin (``w:sz``) and complex-script (``w:szCs``) slots."""
    rpr = _rpr(properties_owner)
    half_points = round(points * 2)
    _set(child(rpr, "sz"), val=half_points)
    _set(child(rpr, "szCs"), val=half_points)


def set_language(properties_owner: Element, east_asian: str, latin: str) -> None:
    """Language of East Asian text (``zh-CN``) and of Latin runs (digits, web addresses).

    Latin runs keep a Western language, as in documents Word makes in China:
    under Chinese line-breaking rules LibreOffice would break ``190`` as ``19`` / ``0``.
    """
    _set(child(_rpr(properties_owner), "lang"), val=latin, eastAsia=east_asian)


def set_tracking(properties_owner: Element, twentieths: int) -> None:
    """Character spacing (``w:rPr/w:spacing``, 加宽/紧缩), in twentieths of a point."""
    _set(child(_rpr(properties_owner), "spacing"), val=twentieths)


def set_color(properties_owner: Element, rgb: str) -> None:
    _set(child(_rpr(properties_owner), "color"), val=rgb)


def _rpr(owner: Element) -> Element:
    if _local(owner) == "rPr":
        return owner
    if _local(owner) == "style":
        return child(owner, "rPr")
    raise ValueError(f"no w:rPr under {owner.tag}")


def _ppr(owner: Element) -> Element:
    if _local(owner) == "pPr":
        return owner
    if _local(owner) == "style":
        return child(owner, "pPr")
    raise ValueError(f"no w:pPr under {owner.tag}")


def set_indent(
    properties_owner: Element,
    *,
    first_line_chars: float,
    font_points: float,
    left_twips: int = 0,
    right_twips: int = 0,
) -> None:
    """First-line indent in characters (``firstLineChars``), with its twips equivalent."""
    ind = child(_ppr(properties_owner), "ind")
    for key in list(ind.attrib):
        del ind.attrib[key]
    _set(
        ind,
        left=left_twips,
        right=right_twips,
        firstLineChars=round(first_line_chars * 100),
        firstLine=round(first_line_chars * font_points * 20),
    )


def set_spacing(
    properties_owner: Element,
    *,
    line_twips: int,
    rule: Literal["exact", "auto"],
    before_twips: int = 0,
    after_twips: int = 0,
) -> None:
    """Line pitch (exact, in twips; or ``auto`` in 240ths of a line) and space before/after."""
    spacing = child(_ppr(properties_owner), "spacing")
    for key in list(spacing.attrib):
        del spacing.attrib[key]
    _set(
        spacing,
        before=before_twips,
        after=after_twips,
        line=line_twips,
        lineRule=rule,
    )


def set_outline_level(properties_owner: Element, level: int) -> None:
    """Outline level (0 = level 1): the navigation pane and PDF bookmarks list the paragraph."""
    _set(child(_ppr(properties_owner), "outlineLvl"), val=level)


def mark_default(style: Element) -> None:
    """Make a style the default of its type (``w:default="1"``): Normal for paragraphs."""
    style.set(qn("w:default"), "1")


def set_widow_control(properties_owner: Element) -> None:
    """No paragraph leaves a single line at a page's foot or head (``w:widowControl``)."""
    child(_ppr(properties_owner), "widowControl")


def set_doc_grid(
    sect_pr: Element, *, grid_type: str, line_pitch_twips: int, char_space: int
) -> None:
    """The section's document grid (``w:docGrid``): ``lines`` or ``linesAndChars``.

    ``char_space`` is what each character's pitch adds to the default size, in
    4096ths of a point (negative: 28 characters of 16 pt in 156 mm).
    """
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    _set(grid, type=grid_type, linePitch=line_pitch_twips, charSpace=char_space)


def mark_cell(tc: Element, rgb: str, fill: str) -> None:
    """A figure that fails a check: a red frame and a light red tint (no text added)."""
    tcpr = tc.find(qn("w:tcPr"))
    borders = child(tcpr, "tcBorders")
    for side in ("top", "left", "bottom", "right"):
        borders.append(_set(OxmlElement(f"w:{side}"), val="single", sz=12, space=0, color=rgb))
    _set(child(tcpr, "shd"), val="clear", color="auto", fill=fill)


def set_keep_next(properties_owner: Element) -> None:
    child(_ppr(properties_owner), "keepNext")


def set_no_hanging_punctuation(properties_owner: Element) -> None:
    """Punctuation at a line end stays inside the text block (``w:overflowPunct="0"``)."""
    _set(child(_ppr(properties_owner), "overflowPunct"), val=0)


def set_no_snap_to_grid(properties_owner: Element) -> None:
    """Small table text keeps its own line height even when a document grid is set."""
    _set(child(_ppr(properties_owner), "snapToGrid"), val=0)


def set_box(properties_owner: Element, rgb: str, eighths: int) -> None:
    """A single-line border around the paragraph (``w:pBdr``)."""
    border = child(_ppr(properties_owner), "pBdr")
    for side in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{side}")
        _set(element, val="single", sz=eighths, space=1, color=rgb)
        border.append(element)


def text_paragraph(style_id: str, text: str) -> Element:
    """``<w:p>`` with one style and one unformatted run (line breaks become ``w:br``)."""
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    p.append(ppr)
    _set(child(ppr, "pStyle"), val=style_id)
    if text:
        run = OxmlElement("w:r")
        for i, line in enumerate(text.split("\n")):
            if i:
                run.append(OxmlElement("w:br"))
            t = OxmlElement("w:t")
            t.text = line
            if line != line.strip() or "  " in line:
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.append(t)
        p.append(run)
    return p


def page_field(p: Element, before: str, after: str) -> None:
    """Append ``before`` PAGE ``after`` to a paragraph: a page-number field between two texts."""

    def run(*children: Element) -> None:
        r = OxmlElement("w:r")
        for c in children:
            r.append(c)
        p.append(r)

    def text(value: str) -> Element:
        t = OxmlElement("w:t")
        t.text = value
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return t

    def fld(kind: str) -> Element:
        return _set(OxmlElement("w:fldChar"), fldCharType=kind)

    instr = OxmlElement("w:instrText")
    instr.text = " PAGE "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run(text(before))
    run(fld("begin"))
    run(instr)
    run(fld("separate"))
    run(text("1"))
    run(fld("end"))
    run(text(after))


# ------------------------------------------------------------ tables


def set_table_style_borders(
    style: Element, *, eighths: int, cell_margins_twips: tuple[int, int, int, int]
) -> None:
    """Single black borders on every edge and cell margins (top, left, bottom, right) of a table style."""
    tblpr = child(style, "tblPr")
    borders = child(tblpr, "tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(
            _set(OxmlElement(f"w:{side}"), val="single", sz=eighths, space=0, color="000000")
        )
    margins = child(tblpr, "tblCellMar")
    for side, value in zip(("top", "left", "bottom", "right"), cell_margins_twips, strict=True):
        margins.append(_set(OxmlElement(f"w:{side}"), w=value, type="dxa"))


def table(widths_twips: Sequence[int], *, style_id: str, caption: str) -> Element:
    """An empty ``<w:tbl>``: fixed layout, centred, exactly the given column widths."""
    tbl = OxmlElement("w:tbl")
    tblpr = OxmlElement("w:tblPr")
    tbl.append(tblpr)
    _set(child(tblpr, "tblStyle"), val=style_id)
    _set(child(tblpr, "tblW"), w=sum(widths_twips), type="dxa")
    _set(child(tblpr, "jc"), val="center")
    _set(child(tblpr, "tblInd"), w=0, type="dxa")
    _set(child(tblpr, "tblLayout"), type="fixed")
    _set(
        child(tblpr, "tblLook"),
        val="0000",
        firstRow=0,
        lastRow=0,
        firstColumn=0,
        lastColumn=0,
        noHBand=1,
        noVBand=1,
    )
    _set(child(tblpr, "tblCaption"), val=caption)
    grid = OxmlElement("w:tblGrid")
    for width in widths_twips:
        grid.append(_set(OxmlElement("w:gridCol"), w=width))
    tbl.append(grid)
    return tbl


def table_row(tbl: Element, *, header: bool) -> Element:
    """Append a ``<w:tr>`` that never splits across pages; ``header`` repeats it on each page."""
    tr = OxmlElement("w:tr")
    trpr = OxmlElement("w:trPr")
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))
    tr.append(trpr)
    tbl.append(tr)
    return tr


VMerge = Literal["restart", "continue"]


def table_cell(
    tr: Element,
    *,
    width_twips: int,
    grid_span: int,
    vmerge: VMerge | None,
    paragraphs: Iterable[Element],
) -> Element:
    """Append a ``<w:tc>`` spanning ``grid_span`` grid columns; ``vmerge`` joins it vertically."""
    tc = OxmlElement("w:tc")
    tcpr = OxmlElement("w:tcPr")
    tc.append(tcpr)
    _set(child(tcpr, "tcW"), w=width_twips, type="dxa")
    if grid_span > 1:
        _set(child(tcpr, "gridSpan"), val=grid_span)
    if vmerge == "restart":
        _set(child(tcpr, "vMerge"), val="restart")
    elif vmerge == "continue":
        child(tcpr, "vMerge")  # no w:val: continues the merge above
    _set(child(tcpr, "vAlign"), val="center")
    for p in paragraphs:
        tc.append(p)
    tr.append(tc)
    return tc


# ------------------------------------------------------------ package

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"


def base_package(
    *,
    lang: str,
    latin_lang: str,
    fonts: Sequence[str],
    application: str,
    compatibility_mode: int = 15,
) -> bytes:
    """A minimal, valid .docx for python-docx to open: an empty body and nothing else.

    Unlike python-docx's own template it carries no theme fonts, no sample styles, no
    thumbnail and no foreign application name; styles are added by the renderer.
    ``fonts`` go into the font table with the GB2312 character set, so Word and WPS
    substitute a Chinese face when one is missing.
    """
    font_table = "".join(_font_entry(name) for name in fonts)
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{_CT}.document.main+xml"/>'
            f'<Override PartName="/word/styles.xml" ContentType="{_CT}.styles+xml"/>'
            f'<Override PartName="/word/settings.xml" ContentType="{_CT}.settings+xml"/>'
            f'<Override PartName="/word/fontTable.xml" ContentType="{_CT}.fontTable+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PKG_RELS}">'
            f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_R}/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>"
        ),
        "word/_rels/document.xml.rels": (
            f'<Relationships xmlns="{_PKG_RELS}">'
            f'<Relationship Id="rId1" Type="{_R}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId2" Type="{_R}/settings" Target="settings.xml"/>'
            f'<Relationship Id="rId3" Type="{_R}/fontTable" Target="fontTable.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": (
            f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body><w:sectPr/></w:body></w:document>'
        ),
        "word/styles.xml": f'<w:styles xmlns:w="{_W}"><w:docDefaults/></w:styles>',
        "word/settings.xml": (
            f'<w:settings xmlns:w="{_W}">'
            '<w:zoom w:percent="100"/>'
            '<w:defaultTabStop w:val="420"/>'
            # different footers on odd and even pages (page number right / left)
            "<w:evenAndOddHeaders/>"
            '<w:characterSpacingControl w:val="doNotCompress"/>'
            "<w:compat>"
            '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"'
            f' w:val="{compatibility_mode}"/>'
            "</w:compat>"
            f"<w:themeFontLang w:val={quoteattr(latin_lang)} w:eastAsia={quoteattr(lang)}/>"
            '<w:decimalSymbol w:val="."/>'
            '<w:listSeparator w:val=","/>'
            "</w:settings>"
        ),
        "word/fontTable.xml": f'<w:fonts xmlns:w="{_W}">{font_table}</w:fonts>',
        "docProps/core.xml": (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
        ),
        "docProps/app.xml": (
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>{_escape(application)}</Application>"
            "</Properties>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for name, xml in parts.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), _HEAD + xml)
    return out.getvalue()


#: What the font table says of each official face, so Word, WPS and LibreOffice
#: substitute a Chinese face of the same kind where it is missing: the other
#: names it goes by, PANOSE (serif/sans, weight), family and pitch.
FONT_TRAITS: dict[str, tuple[str, str, str, str]] = {
    # name: (alternate names, panose-1, family, pitch)
    "方正小标宋简体": (
        "方正小标宋_GBK,FZXiaoBiaoSong-B05S",
        "02000000000000000000",
        "script",
        "variable",
    ),
    "仿宋_GB2312": ("仿宋,FangSong,FangSong_GB2312", "02010609030101010101", "modern", "fixed"),
    "黑体": ("SimHei", "02010609060101010101", "modern", "fixed"),
    "楷体_GB2312": ("楷体,KaiTi,KaiTi_GB2312", "02010609030101010101", "modern", "fixed"),
    "宋体": ("SimSun", "02010600030101010101", "auto", "variable"),
    "Times New Roman": ("", "02020603050405020304", "roman", "variable"),
}


def _font_entry(name: str) -> str:
    alt, panose, family, pitch = FONT_TRAITS.get(name, ("", "", "auto", "variable"))
    parts = [f"<w:font w:name={quoteattr(name)}>"]
    if alt:
        parts.append(f"<w:altName w:val={quoteattr(alt)}/>")
    if panose:
        parts.append(f"<w:panose1 w:val='{panose}'/>")
    parts.append("<w:charset w:val='86'/>" if not name.isascii() else "<w:charset w:val='00'/>")
    parts.append(f"<w:family w:val='{family}'/><w:pitch w:val='{pitch}'/>")
    parts.append("</w:font>")
    return "".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def doc_defaults(styles: Element) -> Element:
    """The ``w:docDefaults/w:rPrDefault/w:rPr`` element of a styles part, created if missing."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = parse_xml(f'<w:docDefaults xmlns:w="{_W}"/>')
        styles.insert(0, defaults)
    holder = defaults.find(qn("w:rPrDefault"))
    if holder is None:
        holder = OxmlElement("w:rPrDefault")
        defaults.insert(0, holder)
    rpr = holder.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        holder.append(rpr)
    return rpr


def fixed_zip(data: bytes, when: _dt.date) -> bytes:
    """Re-pack a ZIP with every entry dated ``when`` (00:00), DOS attributes and a fixed order.

    ``[Content_Types].xml`` comes first, the other entries keep python-docx's order
    (a walk of the part graph, itself deterministic). Two renderings of the same
    document are then byte-identical, whatever the clock or the platform.
    """
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = source.namelist()
        order = sorted(names, key=lambda n: n != "[Content_Types].xml")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for name in order:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                target.writestr(info, source.read(name))
    return out.getvalue()
