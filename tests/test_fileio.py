"""Outputs are replaced as a whole set; every write failure is a Chinese message with the path."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from hdgovreport import fileio
from hdgovreport.errors import OutputError
from hdgovreport.fileio import recover, replace_set, write_atomic

OLD = {"r.html": b"<p>old</p>", "r.pdf": b"%PDF-old", "r.docx": b"PK-old"}
NEW = {"r.html": b"<p>new</p>", "r.pdf": b"%PDF-new", "r.docx": b"PK-new"}


def _set(folder: Path, files: dict[str, bytes]) -> dict[Path, bytes]:
    return {folder / name: data for name, data in files.items()}


def _state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_set_replaces_the_previous_set(tmp_path: Path) -> None:
    replace_set(_set(tmp_path, OLD))
    assert _state(tmp_path) == OLD
    replace_set(_set(tmp_path, NEW))
    assert _state(tmp_path) == NEW  # and nothing else: no temporary, no backup, no journal


class _Fault:
    """Make the ``n``-th call of the patched OS functions fail with ``exc``."""

    def __init__(self, n: int, exc: BaseException) -> None:
        self.n, self.exc, self.calls = n, exc, 0

    def wrap(self, func: Any) -> Any:
        def patched(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.calls == self.n:
                raise self.exc
            return func(*args, **kwargs)

        return patched


def _faulty(monkeypatch: pytest.MonkeyPatch, fault: _Fault) -> None:
    for name in ("replace", "link", "fsync", "open"):
        monkeypatch.setattr(fileio.os, name, fault.wrap(getattr(os, name)))


@pytest.mark.parametrize(
    "exc",
    [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()],
    ids=["disk-full", "ctrl-c"],
)
def test_a_failure_at_any_step_leaves_the_complete_previous_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    replace_set(_set(tmp_path, OLD))
    counting = _Fault(0, exc)
    with monkeypatch.context() as patch:
        _faulty(patch, counting)
        replace_set(_set(tmp_path, OLD))
    assert counting.calls > 12  # every write, flush, backup and rename is a failure point
    for step in range(1, counting.calls + 1):
        with monkeypatch.context() as patch:
            _faulty(patch, _Fault(step, exc))
            try:
                replace_set(_set(tmp_path, NEW))
            except (OutputError, KeyboardInterrupt) as raised:
                if isinstance(raised, OutputError):
                    assert raised.reason == "磁盘空间不足"
                    assert raised.path.startswith(str(tmp_path))
                assert _state(tmp_path) == OLD, f"failure at step {step}"
                continue
        # a failure that does not matter (a hard link falls back to a copy): the new set, whole
        assert _state(tmp_path) == NEW, f"failure at step {step}"
        replace_set(_set(tmp_path, OLD))


def test_a_new_set_where_there_was_none_is_undone_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "keep.txt").write_bytes(b"x")
    fault = _Fault(3, OSError(errno.ENOSPC, "full"))
    monkeypatch.setattr(fileio.os, "replace", fault.wrap(os.replace))
    with pytest.raises(OutputError):
        replace_set(_set(tmp_path, NEW))
    assert _state(tmp_path) == {"keep.txt": b"x"}


def test_file_open_in_word_on_windows_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replace_set(_set(tmp_path, OLD))
    monkeypatch.setattr(fileio, "WINDOWS", True)
    busy = PermissionError(errno.EACCES, "Access is denied")
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        if Path(dst).name == "r.docx":
            raise busy
        real(src, dst)

    monkeypatch.setattr(fileio.os, "replace", replace)
    with pytest.raises(OutputError) as info:
        replace_set(_set(tmp_path, NEW))
    assert info.value.path == str(tmp_path / "r.docx")
    assert "文件正被其他程序打开" in str(info.value)
    monkeypatch.undo()
    assert _state(tmp_path) == OLD  # html and pdf, already replaced, were put back


def test_permission_denied_on_linux(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*_args: Any, **_kwargs: Any) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(fileio.os, "open", denied)
    with pytest.raises(OutputError) as info:
        write_atomic(tmp_path / "a.yaml", b"x")
    assert str(info.value) == f"{tmp_path / 'a.yaml'}: 无法写入：没有写入权限"


def test_a_folder_where_a_file_goes_and_a_file_where_the_folder_goes(tmp_path: Path) -> None:
    (tmp_path / "r.html").mkdir()
    with pytest.raises(OutputError, match="这是一个文件夹，不能用文件替换"):
        replace_set(_set(tmp_path, NEW))
    assert not (tmp_path / "r.pdf").exists()
    plain = tmp_path / "plain"
    plain.write_bytes(b"")
    with pytest.raises(OutputError, match="输出目录应为文件夹"):
        write_atomic(plain / "x.yaml", b"x")
    with pytest.raises(OutputError, match="plain 不是文件夹"):
        write_atomic(plain / "sub" / "x.yaml", b"x")


def test_a_fifo_is_not_replaced(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    os.mkfifo(tmp_path / "a.yaml")
    with pytest.raises(OutputError, match="命名管道"):
        write_atomic(tmp_path / "a.yaml", b"x")


KILL = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from hdgovreport import fileio
    calls = []
    real = os.replace
    def replace(src, dst):
        calls.append(dst)
        if len(calls) == int(sys.argv[2]):
            os._exit(9)  # killed: no clean-up runs
        real(src, dst)
    fileio.os.replace = replace
    folder = Path(sys.argv[1])
    fileio.replace_set({folder / n: b"new " + n.encode() for n in ("r.html", "r.pdf", "r.docx")})
    """
)


@pytest.mark.parametrize("killed_at", [1, 2, 3])
def test_a_build_killed_while_replacing_is_rolled_back_by_the_next(
    tmp_path: Path, killed_at: int
) -> None:
    replace_set(_set(tmp_path, OLD))
    (tmp_path / "other.html").write_bytes(b"another agency")
    out = subprocess.run(
        [sys.executable, "-c", KILL, str(tmp_path), str(killed_at)], capture_output=True
    )
    assert out.returncode == 9, out.stderr
    assert any(p.name.endswith(".journal") for p in tmp_path.iterdir())
    assert _state(tmp_path) != {**OLD, "other.html": b"another agency"}  # a mixed set
    recover(tmp_path, ["r.pdf"])  # what the next build of these files does first
    assert _state(tmp_path) == {**OLD, "other.html": b"another agency"}


def test_stale_temporaries_of_other_files_are_left_alone(tmp_path: Path) -> None:
    ours = tmp_path / ".r.html.hdgov-0123456789abcdef.new"
    legacy = tmp_path / ".r.pdf.k3j4h5g6.tmp"
    theirs = tmp_path / ".b.html.hdgov-0123456789abcdef.new"  # a parallel build of b
    for path in (ours, legacy, theirs):
        path.write_bytes(b"half")
    replace_set(_set(tmp_path, NEW))
    assert _state(tmp_path) == {**NEW, theirs.name: b"half"}
