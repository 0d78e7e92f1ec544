"""Which installed face plays each typographic role of the official edition.

GB/T 9704 names proprietary faces (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312) that
almost every Chinese government PC has.  Each role has a preference list in
three tiers: the official (Windows) names, the macOS equivalents, then free
faces (Debian ``fonts-noto-cjk``, ``fonts-lxgw-wenkai``, ``fonts-arphic-ukai``).
Faces are found by :mod:`hdgovreport.render.fontscan` (the system font
folders, read with fontTools; no ``fc-list``), matched by any of their names
in any language, and by weight where the role needs one: the title is a
*bold* Song (小标宋 is heavy; the regular weight reads as enlarged body text).

Where no tier has a face, the free candidates are *measured*: the body takes
the candidate covering most of GB 2312's 6,763 hanzi (a FangSong drawn for
traditional characters loses to a complete Song), the 楷体 heading the Kai
face whose ink and size are closest to the body's, so level 2 never looks
weaker than the text under it.  ``hdgovreport doctor`` says what was chosen
and why.

The DOCX always *names* the official faces (Word and WPS on the agency's PC
pick them up); the PDF embeds the resolved ones.
"""

from __future__ import annotations

import ctypes.util
import functools
import math
from collections.abc import Mapping, Sequence

import attrs

from hdgovreport.errors import FontError
from hdgovreport.render.fontscan import Face, font_cache, installed_faces


@attrs.frozen
class Want:
    """A face a role wants: a name (any language) and, optionally, a weight range."""

    name: str
    min_weight: int = 0
    max_weight: int = 1000
    ideal_weight: int = 400


def _w(name: str) -> Want:
    return Want(name)


def _bold(name: str) -> Want:
    return Want(name, min_weight=600, ideal_weight=700)


def _regular(name: str) -> Want:
    return Want(name, max_weight=500, ideal_weight=400)


_FREE_SONG = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "思源宋体")

#: Roles and their preference lists, in three tiers: official (Windows), macOS, free.
PREFERENCES: Mapping[str, tuple[tuple[Want, ...], tuple[Want, ...], tuple[Want, ...]]] = {
    # 2号小标宋: the title — a heavy Song, never a regular weight
    "title": (
        tuple(
            map(
                _w,
                ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05"),
            )
        ),
        (_w("STZhongsong"), _w("华文中宋"), _bold("Songti SC"), _bold("STSong")),
        (*map(_bold, _FREE_SONG), _bold("AR PL UMing CN")),
    ),
    # 3号仿宋: body text
    "body": (
        tuple(map(_w, ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"))),
        (_w("STFangsong"), _w("华文仿宋")),
        # free: measured (the best GB 2312 coverage; among equals the first listed, so a
        # FangSong covering as much as a Song wins). cwTeX 仿宋體 is drawn for traditional
        # characters: last, because the web page's font list is read in this order by the
        # reader's browser, which would take each glyph it has and the rest from the next
        # face — two faces mixed in one line
        (
            _w("Zhuque Fangsong (technical preview)"),
            *map(_regular, _FREE_SONG),
            _regular("AR PL UMing CN"),
            *map(_w, ("cwTeXFangSong", "cwTeX 仿宋體")),
        ),
    ),
    # 3号黑体: 一、 headings
    "heading1": (
        (_w("黑体"), _w("SimHei")),
        (_w("STHeiti"), _w("Heiti SC"), _w("华文黑体")),
        tuple(
            map(
                _regular,
                (
                    "Noto Sans CJK SC",
                    "Source Han Sans SC",
                    "Source Han Sans CN",
                    "WenQuanYi Zen Hei",
                ),
            )
        ),
    ),
    # 3号楷体: （一） headings
    "heading2": (
        tuple(map(_w, ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi"))),
        (_w("STKaiti"), _w("华文楷体"), _w("Kaiti SC")),
        (
            Want("LXGW WenKai", max_weight=700),
            _w("AR PL UKai CN"),
            _w("AR PL KaitiM GB"),
        ),
    ),
    # tables and page numbers: 宋体
    "table": (
        (_w("宋体"), _w("SimSun"), _w("NSimSun")),
        (_w("STSong"), _w("华文宋体"), _regular("Songti SC")),
        (*map(_regular, _FREE_SONG), _regular("AR PL UMing CN")),
    ),
}
TIERS = ("official", "macos", "free")

#: Roles whose free tier is measured, not taken in list order (see the module docstring).
MEASURED = ("body", "heading2")

#: The official faces the DOCX names, per role.
OFFICIAL: Mapping[str, str] = {
    "title": "方正小标宋简体",
    "body": "仿宋_GB2312",
    "heading1": "黑体",
    "heading2": "楷体_GB2312",
    "table": "宋体",
}
#: Latin letters and digits in the DOCX.
OFFICIAL_LATIN = "Times New Roman"

#: Role → its name in ``doctor``.
ROLE_NAMES: Mapping[str, str] = {
    "title": "标题",
    "body": "正文",
    "heading1": "一级标题",
    "heading2": "二级标题",
    "table": "表格与页码",
}

INSTALL_HINT = (
    "未找到可用的中文字体。请安装中文字体后重试：Debian/Ubuntu、麒麟、统信 UOS 运行 "
    "sudo apt install fonts-noto-cjk fonts-lxgw-wenkai；"
    "Windows 和 macOS 自带的中文字体（宋体、仿宋、黑体、楷体）也可以。"
)


@attrs.frozen
class FontChoice:
    """The face chosen for one role, and from which tier of its preference list."""

    role: str
    family: str
    tier: str  # official / macos / free / other
    face: Face | None = None
    note: str = ""  # why a measured face won, for doctor

    @property
    def wanted(self) -> str:
        return OFFICIAL[self.role]

    @property
    def weight(self) -> int:
        return self.face.weight if self.face is not None else 400


@attrs.frozen
class FontSet:
    """The faces chosen for every role, plus every installed CJK family as fallback."""

    choices: Mapping[str, FontChoice]
    cjk_families: tuple[str, ...]

    def family(self, role: str) -> str:
        return self.choices[role].family

    def face(self, role: str) -> Face | None:
        return self.choices[role].face

    def css_stack(self, role: str) -> str:
        """A CSS font-family list: the chosen face, then other CJK faces only (never a Latin-only default)."""
        others = [f for f in self.cjk_families if f != self.family(role)]
        names = [self.family(role), *others[:3]]
        return ", ".join(f'"{n}"' for n in names)


@functools.cache
def chinese_faces() -> tuple[Face, ...]:
    """Installed faces covering simplified Chinese (the scan, cached per process)."""
    return tuple(f for f in installed_faces() if f.chinese)


def bold_of(face: Face) -> Face | None:
    """The bold face (weight 600–800, nearest 700) of ``face``'s family, if one is installed."""
    bold = [
        f
        for f in chinese_faces()
        if f.family == face.family and 600 <= f.weight <= 800 and f != face
    ]
    return min(bold, key=lambda f: (abs(f.weight - 700), f.path, f.index), default=None)


def installed() -> frozenset[str]:
    """Every name (any language) of every installed Chinese face."""
    return frozenset(n for f in chinese_faces() for n in f.names)


def _matches(want: Want, faces: Sequence[Face]) -> list[Face]:
    found = [
        f for f in faces if f.named(want.name) and want.min_weight <= f.weight <= want.max_weight
    ]
    return sorted(found, key=lambda f: (abs(f.weight - want.ideal_weight), f.path, f.index))


def _best(want: Want, faces: Sequence[Face]) -> Face | None:
    found = _matches(want, faces)
    return found[0] if found else None


# ---------------------------------------------------------------- measuring free faces


@functools.cache
def gb2312_hanzi() -> str:
    """The 6,763 hanzi of GB 2312 (levels 1 and 2), in code order."""
    chars = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


@functools.cache
def hb_face(path: str, index: int) -> object:
    """A HarfBuzz face of an installed font (memory-mapped; cached per process)."""
    import uharfbuzz as hb

    return hb.Face(hb.Blob.from_file_path(path), index)


@functools.cache
def coverage(face: Face) -> float:
    """Share of GB 2312's hanzi the face has a glyph for (0–1); kept in the font cache."""
    cache = font_cache()
    known = cache.measure(face, "coverage")
    if isinstance(known, float):
        return known
    try:
        covered = hb_face(face.path, face.index).unicodes  # type: ignore[attr-defined]
    except Exception:
        return 0.0
    hanzi = gb2312_hanzi()
    share = sum(ord(c) in covered for c in hanzi) / len(hanzi)
    cache.put_measure(face, "coverage", share)
    return share


#: Frequent hanzi with simple and complex shapes: the sample for ink and size.
_SAMPLE = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"


@functools.cache
def _ink(face: Face) -> tuple[float, float]:
    """(mean ink area, mean glyph height) of the sample, in em² and em; kept in the font cache."""
    cache = font_cache()
    known = cache.measure(face, "ink")
    if isinstance(known, list) and len(known) == 2:
        return (float(known[0]), float(known[1]))
    measured = _measure_ink(face)
    cache.put_measure(face, "ink", list(measured))
    return measured


def _measure_ink(face: Face) -> tuple[float, float]:
    import uharfbuzz as hb
    from fontTools.pens.areaPen import AreaPen

    try:
        hbface = hb_face(face.path, face.index)
        font = hb.Font(hbface)
        em = float(hbface.upem)  # type: ignore[attr-defined]
    except Exception:
        return (0.0, 0.0)
    areas, heights = [], []
    for char in _SAMPLE[:60]:
        gid = font.get_nominal_glyph(ord(char))
        extents = font.get_glyph_extents(gid) if gid else None
        if not gid or extents is None or not extents.height:
            continue
        pen = AreaPen()
        font.draw_glyph_with_pen(gid, pen)
        areas.append(abs(pen.value) / em / em)
        heights.append(abs(extents.height) / em)
    if not areas:
        return (0.0, 0.0)
    return (sum(areas) / len(areas), sum(heights) / len(heights))


def balance(face: Face, reference: Face) -> float:
    """How far ``face`` looks from ``reference`` in darkness and size (0 = the same)."""
    ink, height = _ink(face)
    ref_ink, ref_height = _ink(reference)
    if min(ink, height, ref_ink, ref_height) <= 0:
        return math.inf
    return abs(math.log(ink / ref_ink)) + abs(math.log(height / ref_height))


def _measured(
    role: str, candidates: list[Face], chosen: Mapping[str, FontChoice]
) -> tuple[Face, str] | None:
    if not candidates:
        return None
    if role == "body":
        # order kept among equals: a FangSong covering as much as a Song wins
        ranked = sorted(candidates, key=lambda f: -round(coverage(f), 3))
        best = ranked[0]
        note = "；".join(f"{f.family} 覆盖 GB 2312 汉字 {coverage(f):.1%}" for f in ranked[:3])
        return best, note
    body = chosen.get("body")
    reference = body.face if body is not None else None
    if reference is None:
        return candidates[0], ""
    ranked = sorted(candidates, key=lambda f: (balance(f, reference), f.path, f.index))
    note = "；".join(
        f"{f.family}（{f.weight}）与正文字体的墨色、字面差 {balance(f, reference):.2f}"
        for f in ranked[:4]
    )
    return ranked[0], note


# ---------------------------------------------------------------- resolving


def _choose(role: str, faces: Sequence[Face], chosen: Mapping[str, FontChoice]) -> FontChoice:
    tiers = PREFERENCES[role]
    for tier, wants in zip(TIERS, tiers, strict=True):
        if tier == "free" and role in MEASURED:
            candidates: list[Face] = []
            for want in wants:
                candidates += [f for f in _matches(want, faces) if f not in candidates]
            measured = _measured(role, candidates, chosen)
            if measured is not None:
                face, note = measured
                return FontChoice(role, _family_name(face, wants), tier, face, note)
            continue
        for want in wants:
            best = _best(want, faces)
            if best is not None:
                return FontChoice(role, _family_name(best, (want,)), tier, best)
    # no preferred face: any installed Chinese face, in a stable order
    anyone = sorted(faces, key=lambda f: (f.family, f.path, f.index))[0]
    return FontChoice(role, anyone.family, "other", anyone)


def _family_name(face: Face, wants: Sequence[Want]) -> str:
    """The family name to show and to put in CSS: the name it was asked by when it has it."""
    for want in wants:
        if face.named(want.name):
            return face.family if want.name.isascii() and face.family.isascii() else want.name
    return face.family


@functools.cache
def _resolve(faces: tuple[Face, ...]) -> FontSet:
    if not faces:
        raise FontError(INSTALL_HINT)
    choices: dict[str, FontChoice] = {}
    for role in ("body", *[r for r in PREFERENCES if r != "body"]):
        choices[role] = _choose(role, faces, choices)
    ordered = {role: choices[role] for role in PREFERENCES}
    families = [c.family for c in ordered.values()]
    rest = sorted(
        {
            f.family
            for f in faces
            if f.family not in families
            and ("SC" in f.family or "CN" in f.family or not f.family.isascii())
        }
    )
    return FontSet(choices=ordered, cjk_families=tuple(dict.fromkeys([*families, *rest])))


def resolve() -> FontSet:
    """Choose a face for every role. Raises :class:`FontError` when no CJK face is installed."""
    return _resolve(chinese_faces())


def harfbuzz_subset_available() -> bool:
    """WeasyPrint subsets fonts with HarfBuzz when ``libharfbuzz-subset`` is present (fast)."""
    return ctypes.util.find_library("harfbuzz-subset") is not None


def report() -> list[str]:
    """Lines for ``hdgovreport doctor``: the face of each role and what is missing."""
    lines: list[str] = []
    try:
        fonts = resolve()
    except FontError as exc:
        return [f"字体：{exc}"]
    for role, choice in fonts.choices.items():
        status = {
            "official": "正式字体",
            "macos": f"macOS 替代字体（正式为 {choice.wanted}）",
            "free": f"开源替代字体（正式为 {choice.wanted}，未安装）",
            "other": f"其他中文字体（正式为 {choice.wanted}，未安装）",
        }[choice.tier]
        weight = "，粗体" if choice.weight >= 600 else ""
        where = f"　{choice.face.path}" if choice.face is not None else ""
        lines.append(f"{ROLE_NAMES[role]}：{choice.family}{weight}　{status}{where}")
        if choice.note:
            lines.append(f"　　比较：{choice.note}")
    return lines
