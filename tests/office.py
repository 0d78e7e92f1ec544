"""Real software reading our DOCX back: LibreOffice converts it, poppler reads the PDF.

LibreOffice is the independent reader of the tests: if it lays the document
out with every heading, label and figure in place, the OOXML is sound.  It
runs with a throw-away profile, and with a fontconfig file that stands the
free Debian faces in for the official ones the DOCX names, each official face
by a *different* free face, so the PDF's font list shows whether LibreOffice
honoured each style's East Asian font slot.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import attrs

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdftohtml"))

#: Official face → the free face LibreOffice gets instead (Debian fonts-noto-cjk, fonts-arphic-ukai).
STAND_INS = {
    "方正小标宋简体": "Noto Serif CJK SC",
    "仿宋_GB2312": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
    "楷体_GB2312": "AR PL UKai CN",
}


def installed_families() -> set[str]:
    out = subprocess.run(
        ["fc-list", "--format", "%{family}\n"], capture_output=True, text=True, check=False
    ).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",")}


def _fontconfig(directory: Path) -> Path:
    aliases = "".join(
        f"<alias binding='same'><family>{official}</family>"
        f"<prefer><family>{free}</family></prefer></alias>"
        for official, free in STAND_INS.items()
    )
    path = directory / "fonts.conf"
    path.write_text(
        "<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
        "<include ignore_missing='yes'>/etc/fonts/fonts.conf</include>"
        f"{aliases}</fontconfig>",
        "utf-8",
    )
    return path


def to_pdf(files: list[Path], work: Path, *, stand_ins: bool = True) -> dict[Path, Path]:
    """Convert DOCX files to PDF in one LibreOffice run; returns docx → pdf.

    ``stand_ins=False`` leaves the machine's fontconfig alone: LibreOffice then
    picks its own substitutes, as on any PC without the official faces.
    """
    assert SOFFICE is not None
    out = work / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    profile = work / "lo-profile"
    env = dict(os.environ)
    if stand_ins:
        env["FONTCONFIG_FILE"] = str(_fontconfig(work))
    done = subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    result = {f: out / f"{f.stem}.pdf" for f in files}
    missing = [str(f) for f, pdf in result.items() if not pdf.is_file()]
    assert done.returncode == 0 and not missing, (done.returncode, done.stdout, done.stderr)
    return result


def raw_text(pdf: Path) -> str:
    """The PDF's text in content-stream order (LibreOffice writes table cells row by row)."""
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@attrs.frozen
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@attrs.frozen
class Page:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]


def pages(pdf: Path) -> list[Page]:
    """Every word of every page with its box, in points from the top-left corner."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    root = ElementTree.fromstring(xhtml)
    result = []
    for n, page in enumerate(root.iterfind(".//x:page", ns), 1):
        words = tuple(
            Word(
                w.text or "",
                float(w.get("xMin", 0)),
                float(w.get("yMin", 0)),
                float(w.get("xMax", 0)),
                float(w.get("yMax", 0)),
            )
            for w in page.iterfind("x:word", ns)
        )
        result.append(Page(n, float(page.get("width", 0)), float(page.get("height", 0)), words))
    return result


def fonts(pdf: Path) -> list[str]:
    """Names of the fonts embedded in the PDF, without the subset prefix (ABCDEF+)."""
    out = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    return [re.sub(r"^[A-Z]{6}\+", "", line.split()[0]) for line in out if line.strip()]


#: Debian's Noto CJK collections (fonts-noto-cjk): one CFF table shared by every member.
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")


def noto_members(pdf: Path) -> dict[str, set[str]]:
    """For each Noto CJK font embedded in ``pdf``: the collection members its glyphs came from.

    In a Noto CJK collection the JP, KR, SC, TC and HK members share one CFF table,
    whose internal name is the JP one, so every PDF names the font ``NotoSansCJKjp-…``
    whichever member was used. What tells the members apart is their ``cmap``: a
    character drawn in its Simplified Chinese form maps to a different glyph in the SC
    member than in the JP one. LibreOffice names each embedded glyph by its CID; a member
    is consistent when it maps every drawn character to exactly that CID. Returns
    PDF font name → {"sc", "jp", …}.
    """
    from fontTools.ttLib import TTCollection
    from pdfminer.cmapdb import CMapParser, FileUnicodeMap
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    drawn: dict[str, list[tuple[int, int]]] = {}
    with pdf.open("rb") as handle:
        document = PDFDocument(PDFParser(handle))
        for xref in document.xrefs:
            for objid in xref.get_objids():
                try:
                    font = resolve1(document.getobj(objid))
                except Exception:
                    continue
                if not isinstance(font, dict) or "ToUnicode" not in font:
                    continue
                name = str(getattr(font.get("BaseFont"), "name", ""))
                descriptor = resolve1(font.get("FontDescriptor"))
                if "CJK" not in name or not isinstance(descriptor, dict):
                    continue
                if "FontFile" not in descriptor:
                    continue
                program = resolve1(descriptor["FontFile"]).get_data()
                codes = re.findall(rb"dup (\d+) /cid(\d+) put", program)
                unicode_map = FileUnicodeMap()
                CMapParser(unicode_map, io.BytesIO(resolve1(font["ToUnicode"]).get_data())).run()
                pairs = drawn.setdefault(re.sub(r"^[A-Z]{6}\+", "", name), [])
                for code, cid in codes:
                    char = unicode_map.cid2unichr.get(int(code), "")
                    if len(char) == 1:
                        pairs.append((ord(char), int(cid)))
    members: dict[str, set[str]] = {}
    cmaps: dict[str, dict[str, dict[int, int]]] = {}  # collection → member language → cmap
    for name, pairs in drawn.items():
        family = "Serif" if "Serif" in name else "Sans"
        weight = "Bold" if "Bold" in name else "Regular"
        collection = f"Noto{family}CJK-{weight}.ttc"
        if collection not in cmaps:
            cmaps[collection] = {}
            if (NOTO_CJK / collection).is_file():
                for member in TTCollection(str(NOTO_CJK / collection), lazy=True).fonts:
                    ps = str(member["name"].getDebugName(6))
                    lang = re.search(r"CJK(\w\w)-", ps)
                    if lang and "Mono" not in ps:
                        cmaps[collection][lang.group(1)] = {
                            u: int(g[3:])
                            for u, g in member.getBestCmap().items()
                            if g.startswith("cid")
                        }
        members[name] = {
            lang
            for lang, cmap in cmaps[collection].items()
            if all(cmap.get(u) == cid for u, cid in pairs)
        }
    return members


def outline(pdf: Path, work: Path) -> list[tuple[str, list[str]]]:
    """The PDF's bookmarks: (top-level title, [titles nested under it])."""
    stem = work / "outline"
    subprocess.run(
        ["pdftohtml", "-xml", "-i", "-q", "-enc", "UTF-8", str(pdf), str(stem)],
        capture_output=True,
        check=True,
    )
    root = ElementTree.parse(f"{stem}.xml").getroot()
    top = root.find("outline")
    result: list[tuple[str, list[str]]] = []
    if top is None:
        return result
    for element in top:
        if element.tag == "item":
            result.append((element.text or "", []))
        elif element.tag == "outline" and result:
            result[-1][1].extend(i.text or "" for i in element.iter("item"))
    return result
