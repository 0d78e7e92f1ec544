"""Files in and out: inputs are checked before they are opened; outputs are replaced whole.

Every output of one build is written to a temporary file beside its target first and
flushed to disk; only when all are complete are the targets replaced, each previous file
kept as a backup (a hard link) until the whole set is in place.  Any failure — a full disk,
a file open in Word on Windows, Ctrl-C — puts the previous files back, so a folder holds
either the complete previous set or the complete new one.  A journal beside the files
records a replacement in progress: should the process be killed in the middle, the next
build of the same files rolls it back first, and removes our stale temporaries.

Every failure is an :class:`~hdgovreport.errors.OutputError` naming the path and the
cause in Chinese (no permission, disk full, a folder in the way, a file open elsewhere).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import shutil
import stat
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from hdgovreport.errors import OutputError

#: Whether replacing a file can fail because another program holds it open (Windows).
WINDOWS = sys.platform == "win32"

_OURS = re.compile(r"^\.(?P<name>.+)\.hdgov-(?P<token>[0-9a-f]{16})\.(?P<kind>new|old)$")
_JOURNAL = re.compile(r"^\.hdgov-(?P<token>[0-9a-f]{16})\.journal$")
_LEGACY = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")  # write_atomic before the set writer


# ---------------------------------------------------------------- inputs


def regular_file_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot be read as an input file (missing, a folder, a FIFO, a device, a socket).

    ``None`` for a regular file (or a link to one).  Checked before any open, so a FIFO or a
    device never blocks a read; every input path (data files, workbooks, published reports,
    audit, batch builds) asks here.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "文件不存在"
    except PermissionError:
        return "没有读取权限"
    except OSError as exc:
        return f"无法访问（{exc.strerror or exc}）"
    if stat.S_ISREG(mode):
        return None
    return _not_a_file(mode)


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "这是一个文件夹，不是文件"
    if stat.S_ISFIFO(mode):
        return "这是一个命名管道（FIFO），不是普通文件"
    if stat.S_ISSOCK(mode):
        return "这是一个套接字，不是普通文件"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "这是一个设备，不是普通文件"
    return "不是普通文件"


# ---------------------------------------------------------------- outputs: checks


def output_problem(path: str | Path) -> str | None:
    """Why a file cannot be written at ``path`` (a folder or a device in the way); ``None`` if it can."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return cause(exc)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "这是一个文件夹，不能用文件替换；请给出文件名"
    return _not_a_file(mode) + "，不能写入"


def output_dir_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot be the output folder (it is a file…); ``None`` if it is or can be made."""
    target = Path(path)
    for candidate in (target, *target.parents):
        try:
            mode = os.stat(candidate).st_mode
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as exc:
            return cause(exc)
        if stat.S_ISDIR(mode):
            return None
        where = "" if candidate == target else f"（{candidate} 不是文件夹）"
        return f"输出目录应为文件夹，但这是一个文件{where}"
    return None


def cause(exc: OSError, *, replacing: bool = False) -> str:
    """The cause of a failed write, in Chinese."""
    code = exc.errno
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        if WINDOWS and (replacing or getattr(exc, "winerror", None) in (32, 33)):
            return "文件正被其他程序打开（如 Word、WPS 或 PDF 阅读器），请关闭该文件后重试"
        return "没有写入权限"
    if code == errno.ENOSPC:
        return "磁盘空间不足"
    if code == getattr(errno, "EDQUOT", -1):
        return "超出磁盘配额"
    if code == errno.EROFS:
        return "这是只读的位置（只读磁盘或光盘）"
    if code == errno.EISDIR or isinstance(exc, IsADirectoryError):
        return "这是一个文件夹，不能用文件替换"
    if code == errno.ENOTDIR or isinstance(exc, NotADirectoryError):
        return "路径中有一部分是文件而不是文件夹"
    if code == errno.ENAMETOOLONG:
        return "文件名或路径过长"
    if code == errno.EEXIST or isinstance(exc, FileExistsError):
        return "已有同名的文件"
    if code == errno.ENOENT:
        return "所在的文件夹不存在"
    return f"系统错误：{exc.strerror or exc}"


# ---------------------------------------------------------------- outputs: the set writer


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (the previous file stays whole on any failure)."""
    target = Path(path)
    replace_set({target: data})
    return target


def replace_set(files: Mapping[Path, bytes]) -> None:
    """Replace every file of ``files`` (all in one folder) with its new bytes, all or none.

    Raises :class:`OutputError` naming the path and the cause; then the previous files are
    all in place and no temporary file of ours is left.
    """
    if not files:
        return
    directories = {_parent(p) for p in files}
    if len(directories) != 1:
        raise ValueError("replace_set writes into one folder")
    (directory,) = directories
    problem = output_dir_problem(directory)
    if problem is not None:
        raise OutputError(str(directory), problem)
    for target in files:
        problem = output_problem(target)
        if problem is not None:
            raise OutputError(str(target), problem)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(str(directory), cause(exc)) from None
    recover(directory, [p.name for p in files])

    token = secrets.token_hex(8)
    fresh = {target: _temp(target, token, "new") for target in files}
    done: list[Path] = []
    backups: dict[Path, Path] = {}
    journal = directory / f".hdgov-{token}.journal"
    try:
        for target, data in files.items():
            _write_file(fresh[target], data, _mode_of(target), target)
        existed = [t.name for t in files if t.exists()]
        _write_journal(journal, [t.name for t in files], existed)
        for target in files:
            if target.name in existed:
                backups[target] = _backup(target, token)
            try:
                os.replace(fresh[target], target)
            except OSError as exc:
                raise OutputError(str(target), cause(exc, replacing=True)) from None
            done.append(target)
        _fsync_dir(directory)
    except BaseException:
        _roll_back(done, backups)
        for path in [*fresh.values(), *backups.values(), journal]:
            with contextlib.suppress(OSError):
                os.unlink(path)
        raise
    for path in [*backups.values(), journal]:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _parent(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _temp(target: Path, token: str, kind: str) -> Path:
    return _parent(target) / f".{target.name}.hdgov-{token}.{kind}"


def _mode_of(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        return 0o644


def _write_file(path: Path, data: bytes, mode: int, target: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(path, mode)
    except OSError as exc:
        raise OutputError(str(target), cause(exc)) from None


def _write_journal(journal: Path, targets: list[str], existed: list[str]) -> None:
    text = json.dumps({"targets": targets, "existed": existed}, ensure_ascii=False)
    _write_file(journal, text.encode("utf-8"), 0o644, journal)


def _backup(target: Path, token: str) -> Path:
    """Keep the previous file under a hidden name until the set is complete."""
    backup = _temp(target, token, "old")
    try:
        os.link(target, backup)
    except OSError:
        try:
            shutil.copy2(target, backup)
        except OSError as exc:
            raise OutputError(str(target), cause(exc, replacing=True)) from None
    return backup


def _roll_back(done: list[Path], backups: Mapping[Path, Path]) -> None:
    for target in reversed(done):
        with contextlib.suppress(OSError):
            if target in backups:
                _restore(backups[target], target)
            else:
                os.unlink(target)


def _restore(backup: Path, target: Path) -> None:
    """Put the previous file back (a rename between two links of one file does nothing)."""
    if target.exists() and os.path.samefile(backup, target):
        os.unlink(backup)
    else:
        os.replace(backup, target)


def _fsync_dir(directory: Path) -> None:
    if WINDOWS:
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def recover(directory: str | Path, names: Iterable[str]) -> None:
    """Before writing ``names`` in ``directory``: undo a replacement of them that was killed
    half-way (from its journal), and remove our stale temporary files of them.

    Only files of these names are touched, so builds of other files in the same folder
    (a batch build running in parallel) are left alone.
    """
    folder = Path(directory)
    wanted = set(names)
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        match = _JOURNAL.match(entry)
        if match is None:
            continue
        try:
            if (folder / entry).stat().st_size > 65_536:
                continue
            record = json.loads((folder / entry).read_text("utf-8"))
            targets = [str(t) for t in record["targets"]]
            existed = {str(t) for t in record["existed"]}
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if not wanted.intersection(targets):
            continue
        token = match["token"]
        for name in targets:
            target = folder / name
            old, new = _temp(target, token, "old"), _temp(target, token, "new")
            with contextlib.suppress(OSError):
                if old.exists():
                    _restore(old, target)
                elif name not in existed and not new.exists() and target.exists():
                    os.unlink(target)  # placed by the killed build, absent before it
            with contextlib.suppress(OSError):
                os.unlink(new)
        with contextlib.suppress(OSError):
            os.unlink(folder / entry)
    for entry in os.listdir(folder):
        match = _OURS.match(entry) or _LEGACY.match(entry)
        if match is None or match["name"] not in wanted:
            continue
        path = folder / entry
        with contextlib.suppress(OSError):
            if (
                match.re is _OURS
                and match["kind"] == "old"
                and not (folder / match["name"]).exists()
            ):
                os.replace(path, folder / match["name"])
            else:
                os.unlink(path)
