"""Which installed face plays each typographic role of the official edition.

GB/T 9704 names proprietary faces (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312) that
almost every Chinese government PC has.  Each role has a preference list: the
official names first, then the macOS equivalents, then free faces from Debian
(``fonts-noto-cjk``, ``fonts-arphic-ukai``).  The first installed face wins.
The DOCX always *names* the official faces (Word and WPS on the agency's PC
pick them up); the PDF, the HTML and the graphic edition use the resolved ones.
"""

from __future__ import annotations

import ctypes.util
import functools
import shutil
import subprocess
from collections.abc import Mapping

import attrs

from hdgovreport.errors import FontError

#: Roles and their preference lists, in three tiers: the official (Windows)
#: names, the macOS equivalents, then free faces (Debian fonts-noto-cjk / fonts-arphic-ukai).
PREFERENCES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # 2号小标宋: the title
    "title": (
        ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "宋体", "SimSun"),
        ("STZhongsong", "华文中宋", "STSong", "Songti SC"),
        ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "AR PL UMing CN"),
    ),
    # 3号仿宋: body text
    "body": (
        ("仿宋_GB2312", "仿宋", "FangSong", "FangSong_GB2312"),
        ("STFangsong", "华文仿宋"),
        ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "AR PL UMing CN"),
    ),
    # 3号黑体: 一、 headings
    "heading1": (
        ("黑体", "SimHei"),
        ("STHeiti", "Heiti SC", "华文黑体"),
        ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei"),
    ),
    # 3号楷体: （一） headings
    "heading2": (
        ("楷体_GB2312", "楷体", "KaiTi", "KaiTi_GB2312"),
        ("STKaiti", "华文楷体", "Kaiti SC"),
        ("AR PL UKai CN", "AR PL KaitiM GB", "Noto Serif CJK SC"),
    ),
    # tables and page numbers: 宋体
    "table": (
        ("宋体", "SimSun"),
        ("STSong", "华文宋体", "Songti SC"),
        ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "AR PL UMing CN"),
    ),
}
TIERS = ("official", "macos", "free")

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

INSTALL_HINT = (
    "未找到可用的中文字体。请安装中文字体后重试：Debian/Ubuntu 运行 "
    "sudo apt install fonts-noto-cjk fonts-arphic-ukai；"
    "Windows 和 macOS 自带的中文字体（宋体、仿宋、黑体、楷体）也可以。"
)


@attrs.frozen
class FontChoice:
    """The face chosen for one role, and from which tier of its preference list."""

    role: str
    family: str
    tier: str  # official / macos / free / other

    @property
    def wanted(self) -> str:
        return OFFICIAL[self.role]


@attrs.frozen
class FontSet:
    """The faces chosen for every role, plus every installed CJK family as fallback."""

    choices: Mapping[str, FontChoice]
    cjk_families: tuple[str, ...]

    def family(self, role: str) -> str:
        return self.choices[role].family

    def css_stack(self, role: str) -> str:
        """A CSS font-family list: the chosen face, then other CJK faces only (never a Latin-only default)."""
        others = [f for f in self.cjk_families if f != self.family(role)]
        names = [self.family(role), *others[:3]]
        return ", ".join(f'"{n}"' for n in names)


def _chinese_families() -> frozenset[str]:
    """Installed families that cover simplified Chinese, according to fontconfig."""
    if shutil.which("fc-list") is None:
        return frozenset()
    try:
        out = subprocess.run(
            ["fc-list", "--format", "%{family}\n", ":lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(
        name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()
    )


@functools.cache
def installed() -> frozenset[str]:
    """Installed families covering simplified Chinese; cached per process."""
    return _chinese_families()


def resolve() -> FontSet:
    """Choose a face for every role. Raises :class:`FontError` when no CJK face is installed."""
    chinese = installed()
    if not chinese:
        raise FontError(INSTALL_HINT)
    choices: dict[str, FontChoice] = {}
    for role, tiers in PREFERENCES.items():
        found = next(
            (
                (name, tier)
                for tier, names in zip(TIERS, tiers, strict=True)
                for name in names
                if name in chinese
            ),
            None,
        )
        # no preferred face: any installed Chinese face, in a stable order
        family, tier = found or (sorted(chinese)[0], "other")
        choices[role] = FontChoice(role=role, family=family, tier=tier)
    ordered = [c.family for c in choices.values()]
    rest = sorted(
        f for f in chinese if f not in ordered and ("SC" in f or "CN" in f or not f.isascii())
    )
    return FontSet(choices=choices, cjk_families=tuple(dict.fromkeys([*ordered, *rest])))


def harfbuzz_subset_available() -> bool:
    """WeasyPrint subsets fonts with HarfBuzz when ``libharfbuzz-subset`` is present (fast)."""
    return ctypes.util.find_library("harfbuzz-subset") is not None


def report() -> list[str]:
    """Lines for ``hdgovreport doctor``: the face of each role and what is missing."""
    lines: list[str] = []
    names = {
        "title": "标题",
        "body": "正文",
        "heading1": "一级标题",
        "heading2": "二级标题",
        "table": "表格与页码",
    }
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
        lines.append(f"{names[role]}：{choice.family}　{status}")
    return lines
