"""Atomic file writing: a failed build never leaves a half-written file.

Data goes to a temporary file in the target's directory, is flushed to disk,
then renamed over the target in one step; on any error the temporary file
is removed and the previous target is left untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; returns the path."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        mode = 0o644
        with contextlib.suppress(FileNotFoundError):
            mode = target.stat().st_mode & 0o777
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return target


def regular_file_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot be read as an input file (missing, a folder, a FIFO, a device, a socket).

    ``None`` for a regular file (or a link to one).  Checked before any open, so a FIFO or a
    device never blocks a read; every input path (data files, workbooks, published reports,
    audit, batch builds) asks here.
    """
    import stat

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
    if stat.S_ISDIR(mode):
        return "这是一个文件夹，不是文件"
    if stat.S_ISFIFO(mode):
        return "这是一个命名管道（FIFO），不是普通文件"
    if stat.S_ISSOCK(mode):
        return "这是一个套接字，不是普通文件"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "这是一个设备，不是普通文件"
    return "不是普通文件"
