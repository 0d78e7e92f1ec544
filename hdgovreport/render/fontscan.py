"""Find installed faces by reading the system font folders, on every platform.

No ``fc-list``: Windows and macOS have no fontconfig tools, and neither has a
minimal Linux.  The scan walks the system font folders (or the folders in
``HDGOV_FONT_DIRS``), opens each ``.ttf``/``.otf``/``.ttc``/``.otc`` with
fontTools *lazily* and reads only its small ``name`` and ``OS/2`` tables:
every family name in every language (方正小标宋简体 and FZXiaoBiaoSong-B05S,
仿宋 and FangSong, 霞鹜文楷 and LXGW WenKai), the weight, and whether the face
covers simplified Chinese.  The result is cached per process.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

#: Environment variable: folders to scan *instead of* the system's (``os.pathsep``-separated).
FONT_DIRS_ENV = "HDGOV_FONT_DIRS"
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
#: A folder tree deeper than this is not followed (a loop of links, a mistaken root).
MAX_DEPTH = 6
#: Files scanned at most (C:\Windows\Fonts holds a few hundred to a few thousand).
MAX_FILES = 20_000

#: Name IDs read: family, full name, PostScript name, typographic family.
_NAME_IDS = (1, 4, 6, 16)
#: OS/2 ulCodePageRange1 bit 18: Chinese Simplified (GB 2312).
_CP_GB2312 = 1 << 18
#: OS/2 ulUnicodeRange2 bit 59 − 32: CJK Unified Ideographs.
_UR_CJK = 1 << (59 - 32)


@attrs.frozen
class Face:
    """One installed face: where it is and what it is called, in every language."""

    family: str  # the English (or first) family name
    names: frozenset[str]  # every family, full and PostScript name, in every language
    path: str
    index: int  # face number inside a collection (.ttc), else 0
    weight: int  # OS/2 usWeightClass: 400 regular, 700 bold
    chinese: bool  # covers simplified Chinese (GB 2312 code page or CJK ideographs)

    def named(self, name: str) -> bool:
        return name.casefold() in {n.casefold() for n in self.names}


def system_font_dirs() -> tuple[Path, ...]:
    """The folders where this platform keeps fonts (system-wide and the user's own)."""
    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows")
        local = os.environ.get("LOCALAPPDATA")
        dirs = [windir / "Fonts"]
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")  # per-user installs
        return tuple(dirs)
    if sys.platform == "darwin":
        return (
            Path("/System/Library/Fonts"),
            Path("/System/Library/AssetsV2"),  # downloadable system faces (STFangsong …)
            Path("/Library/Fonts"),
            home / "Library" / "Fonts",
        )
    data = os.environ.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    return (
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        Path(data) / "fonts",
        home / ".fonts",
    )


def font_dirs() -> tuple[Path, ...]:
    """``HDGOV_FONT_DIRS`` when set (tests, portable installs), else the system folders."""
    configured = os.environ.get(FONT_DIRS_ENV)
    if configured is not None:
        return tuple(Path(p) for p in configured.split(os.pathsep) if p)
    return system_font_dirs()


def _files(dirs: Iterable[Path]) -> Iterator[Path]:
    seen: set[str] = set()
    count = 0
    for root in dirs:
        stack = [(root, 0)]
        while stack:
            folder, depth = stack.pop()
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                try:
                    if entry.is_dir():
                        if depth < MAX_DEPTH:
                            stack.append((Path(entry.path), depth + 1))
                        continue
                    if not entry.is_file() or not entry.name.lower().endswith(FONT_SUFFIXES):
                        continue
                    real = os.path.realpath(entry.path)
                except OSError:
                    continue
                if real in seen:
                    continue
                seen.add(real)
                count += 1
                if count > MAX_FILES:
                    return
                yield Path(entry.path)


def _decode(record: object) -> str:
    try:
        return str(record.toUnicode()).strip()  # type: ignore[attr-defined]
    except (UnicodeDecodeError, ValueError, AttributeError):
        return ""


def _read_face(font: object, path: Path, index: int) -> Face | None:
    try:
        name_table = font["name"]  # type: ignore[index]
    except Exception:  # a font without a readable name table is of no use to us
        return None
    names: dict[int, list[str]] = {i: [] for i in _NAME_IDS}
    english: dict[int, str] = {}
    for record in name_table.names:
        if record.nameID not in names:
            continue
        text = _decode(record)
        if not text:
            continue
        names[record.nameID].append(text)
        if (record.platformID, record.langID) in ((3, 0x409), (1, 0)):
            english.setdefault(record.nameID, text)
    family = english.get(16) or english.get(1) or next(iter(names[16] + names[1]), "")
    if not family:
        return None
    weight, chinese = 400, False
    try:
        os2 = font["OS/2"]  # type: ignore[index]
        weight = int(os2.usWeightClass)
        chinese = bool(getattr(os2, "ulCodePageRange1", 0) & _CP_GB2312) or bool(
            getattr(os2, "ulUnicodeRange2", 0) & _UR_CJK
        )
    except Exception:  # no OS/2 table: decide from the names below
        pass
    if not chinese:
        chinese = any(not n.isascii() for ns in names.values() for n in ns)
    return Face(
        family=family,
        names=frozenset(n for ns in names.values() for n in ns),
        path=str(path),
        index=index,
        weight=weight,
        chinese=chinese,
    )


def _faces_in(path: Path) -> list[Face]:
    from fontTools.ttLib import TTCollection, TTFont

    out: list[Face] = []
    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            collection = TTCollection(str(path), lazy=True)
            for index, font in enumerate(collection.fonts):
                face = _read_face(font, path, index)
                if face is not None:
                    out.append(face)
            collection.close()
        else:
            with TTFont(str(path), lazy=True) as font:
                face = _read_face(font, path, 0)
                if face is not None:
                    out.append(face)
    except Exception:  # a broken or foreign file in the folder: skip it, never fail the build
        return []
    return out


@functools.cache
def scan(dirs: tuple[Path, ...]) -> tuple[Face, ...]:
    """Every readable face in ``dirs`` (recursively), in a stable order; cached per process."""
    return tuple(face for path in _files(dirs) for face in _faces_in(path))


def installed_faces() -> tuple[Face, ...]:
    """Every face in :func:`font_dirs`."""
    return scan(font_dirs())
