"""Find installed faces by reading the system font folders, on every platform.

No ``fc-list``: Windows and macOS have no fontconfig tools, and neither has a
minimal Linux.  The scan walks the system font folders (or the folders in
``HDGOV_FONT_DIRS``), opens each ``.ttf``/``.otf``/``.ttc``/``.otc`` with
fontTools *lazily* and reads only its small ``name`` and ``OS/2`` tables:
every family name in every language (方正小标宋简体 and FZXiaoBiaoSong-B05S,
仿宋 and FangSong, 霞鹜文楷 and LXGW WenKai), the weight, and whether the face
covers simplified Chinese.  The result is cached per process, and across
processes in a small JSON file in the user's cache folder, keyed by each font
file's path, size and modification time, so a build reads no font tables at
all when nothing was installed since the last one (``HDGOV_CACHE_DIR`` moves
the file; empty turns it off; an unwritable folder is simply not used).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

#: Environment variable: folders to scan *instead of* the system's (``os.pathsep``-separated).
FONT_DIRS_ENV = "HDGOV_FONT_DIRS"
#: Environment variable: the folder of the font cache; empty turns the cache off.
CACHE_DIR_ENV = "HDGOV_CACHE_DIR"
#: Bumped whenever what the cache holds changes.
CACHE_VERSION = 1
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
    """Every readable face in ``dirs`` (recursively), in a stable order; cached per process,
    and across processes by :class:`FontCache` for files unchanged since they were read."""
    cache = font_cache()
    out: list[Face] = []
    for path in _files(dirs):
        key = file_key(str(path))
        if key is None:
            continue
        faces = cache.faces(str(path), key)
        if faces is None:
            faces = _faces_in(path)
            cache.put_faces(str(path), key, faces)
        out.extend(faces)
    cache.save()
    return tuple(out)


# ---------------------------------------------------------------- the cache across processes


def cache_dir() -> Path | None:
    """Where the caches live: ``HDGOV_CACHE_DIR``, else the platform's user cache folder;
    ``None`` (no cache) when it is switched off or no home folder can be found."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured is not None:
        return Path(configured) if configured else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "hdgovreport" / "cache" if base else None
    try:
        if sys.platform == "darwin":
            return Path.home() / "Library" / "Caches" / "hdgovreport"
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hdgovreport"
    except (RuntimeError, KeyError):  # no home folder to be found
        return None


def file_key(path: str) -> str | None:
    """What identifies one version of a font file: its size and modification time."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return f"{info.st_size}:{info.st_mtime_ns}"


class FontCache:
    """Faces read from each font file, and measurements of faces, by file version."""

    FILE = "fonts.json"

    def __init__(self, path: Path | None, data: dict[str, dict[str, object]]) -> None:
        self.path = path
        self.files: dict[str, object] = data.get("files", {})
        self.measures: dict[str, object] = data.get("measures", {})
        self.changed = False

    @classmethod
    def load(cls) -> FontCache:
        folder = cache_dir()
        path = folder / cls.FILE if folder is not None else None
        data: dict[str, dict[str, object]] = {}
        if path is not None:
            try:
                raw = json.loads(path.read_text("utf-8"))
                if isinstance(raw, dict) and raw.get("version") == CACHE_VERSION:
                    data = {k: v for k, v in raw.items() if isinstance(v, dict)}
            except (OSError, ValueError):
                pass  # no cache yet, or a damaged one: read the fonts
        return cls(path, data)

    def faces(self, path: str, key: str) -> list[Face] | None:
        entry = self.files.get(path)
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        try:
            return [
                Face(
                    family=str(f[0]),
                    names=frozenset(str(n) for n in f[1]),
                    path=path,
                    index=int(f[2]),
                    weight=int(f[3]),
                    chinese=bool(f[4]),
                )
                for f in entry["faces"]
            ]
        except (KeyError, IndexError, TypeError, ValueError):
            return None

    def put_faces(self, path: str, key: str, faces: list[Face]) -> None:
        rows = [[f.family, sorted(f.names), f.index, f.weight, f.chinese] for f in faces]
        self.files[path] = {"key": key, "faces": rows}
        self.changed = True

    def measure(self, face: Face, name: str) -> object:
        """A measurement of ``face`` taken by an earlier process, if its file is unchanged."""
        entry = self.measures.get(f"{face.path}#{face.index}")
        if isinstance(entry, dict) and entry.get("key") == file_key(face.path):
            return entry.get(name)
        return None

    def put_measure(self, face: Face, name: str, value: object) -> None:
        slot = f"{face.path}#{face.index}"
        key = file_key(face.path)
        found = self.measures.get(slot)
        entry: dict[str, object] = {"key": key}
        if isinstance(found, dict) and found.get("key") == key:
            entry.update(found)
        entry[name] = value
        self.measures[slot] = entry
        self.changed = True
        self.save()

    def save(self) -> None:
        """Write the cache (atomically) if anything new was read; never fail for it."""
        if not self.changed or self.path is None:
            return
        self.changed = False
        data = {"version": CACHE_VERSION, "files": self.files, "measures": self.measures}
        temp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".fonts-", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, sort_keys=True)
            os.replace(temp, self.path)
            temp = None
        except OSError:
            pass  # a read-only home, a full disk: the cache is only a speed-up
        finally:
            if temp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temp)


@functools.cache
def font_cache() -> FontCache:
    """The cache, loaded once per process (measurements of faces use it)."""
    return FontCache.load()


def installed_faces() -> tuple[Face, ...]:
    """Every face in :func:`font_dirs`."""
    return scan(font_dirs())
