"""The one data file a ``serve`` session edits, and its backup: the only files it writes.

A save writes the bytes :func:`hdgovreport.datafile.dump` writes (YAML, or the workbook for
``.xlsx``), atomically, after
copying the version it replaces to ``<name>.bak`` beside it (also atomically).  Every
version is named by a *revision*, the SHA-256 of the file's bytes (``""`` while the file
does not exist).  A save names the revision it was edited from; if the file on disk is
no longer that one — changed by someone else, or by another program, maybe while the
server was stopped — the save is refused with :class:`Conflict` until the user says to
overwrite it.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import attrs

from hdgovreport.datafile import WORKBOOK_SUFFIXES, load, max_bytes
from hdgovreport.datafile import encode as encode_file
from hdgovreport.errors import DataFileError, Problem
from hdgovreport.fileio import regular_file_problem, write_atomic
from hdgovreport.model import AnnualReport

#: Suffix of the backup kept beside the data file (``report.yaml`` → ``report.yaml.bak``):
#: not a data-file suffix, so ``hdgovreport audit 文件夹/`` does not take it for a report.
BACKUP_SUFFIX = ".bak"
#: Suffixes of the data files a session can edit.
SUFFIXES = (".yaml", ".yml", *WORKBOOK_SUFFIXES)


class Conflict(Exception):
    """The file on disk is not the version the edit started from."""

    def __init__(self, revision: str) -> None:
        self.revision = revision
        super().__init__(revision)


def revision_of(data: bytes | None) -> str:
    """The revision of a file's bytes (``""`` for a file that does not exist)."""
    return "" if data is None else hashlib.sha256(data).hexdigest()


def encode(report: AnnualReport, path: str | Path = "report.yaml") -> bytes:
    """The bytes a save writes to ``path``: the data file our writer writes for its suffix."""
    return encode_file(report, path)


@attrs.frozen
class Saved:
    """What a save did: the new revision, and the backup it wrote (if any)."""

    revision: str
    backup: Path | None
    changed: bool


class DataFileStore:
    """The data file a session serves, opened once; every later write goes through :meth:`save`."""

    def __init__(self, path: str | Path, *, new_report: AnnualReport) -> None:
        """Open ``path``; a file that does not exist yet starts as ``new_report`` (unsaved).

        Raises :class:`DataFileError` when the file cannot be read or is not a valid report.
        """
        self.display = str(path)
        self.path = Path(path).resolve()
        self.backup = self.path.with_name(self.path.name + BACKUP_SUFFIX)
        self._lock = threading.Lock()
        if self.path.suffix.lower() not in SUFFIXES:
            raise DataFileError(
                self.display,
                [
                    Problem(
                        f"只能编辑数据文件（{'、'.join(SUFFIXES)}）；已发布的报告请先用 hdgovreport import 转成数据文件"
                    )
                ],
            )
        data = self.read()
        if data is None:
            if not self.path.parent.is_dir():
                raise DataFileError(self.display, [Problem("所在的文件夹不存在")])
            self.report = new_report
        else:
            self.report = load(self.display).report
        self.revision = revision_of(data)

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def read(self) -> bytes | None:
        """The file's bytes now, ``None`` if it does not exist; never blocks on a FIFO."""
        if not self.path.exists() and not self.path.is_symlink():
            return None
        problem = regular_file_problem(self.path)
        if problem is not None:
            raise DataFileError(self.display, [Problem(problem)])
        with self.path.open("rb") as fh:
            limit = max_bytes(self.path)
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise DataFileError(self.display, [Problem("文件过大，不是数据文件")])
        return data

    def reload(self) -> None:
        """Take the file on disk as it is now (kept as it was when the file is gone).

        Raises :class:`DataFileError` (and keeps the last version read) when it is not a
        valid report any more.
        """
        with self._lock:
            data = self.read()
            if data is None:
                self.revision = ""
                return
            self.report = load(self.display).report
            self.revision = revision_of(data)

    def current_revision(self) -> str:
        return revision_of(self.read())

    def save(self, report: AnnualReport, base: str, *, force: bool = False) -> Saved:
        """Write ``report`` over the file, keeping the version it replaces as the backup.

        Raises :class:`Conflict` when the file is not at revision ``base`` (unless ``force``).
        """
        data = encode(report, self.path)
        with self._lock:
            current = self.read()
            if revision_of(current) != base and not force:
                raise Conflict(revision_of(current))
            changed = current != data
            backup = None
            if changed:
                if current is not None:
                    backup = write_atomic(self.backup, current)
                write_atomic(self.path, data)
            self.report = report
            self.revision = revision_of(data)
            return Saved(revision=self.revision, backup=backup, changed=changed)


__all__ = [
    "BACKUP_SUFFIX",
    "SUFFIXES",
    "Conflict",
    "DataFileStore",
    "Saved",
    "encode",
    "revision_of",
]
