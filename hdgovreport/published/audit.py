"""Audit many reports at once: read and check each in a worker process, one row per report.

Workers run on all cores.  A file that takes longer than the time limit has
its worker killed and replaced; a worker that dies (a crash in a PDF
library, memory exhausted) costs only its file; every failure becomes an
"unreadable" row with the reason, so one bad file never stops the batch.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

import attrs

from hdgovreport.published.detect import FORMAT_NAMES

#: File name endings an audit picks up inside a folder.
SUFFIXES = (".txt", ".text", ".htm", ".html", ".shtml", ".docx", ".pdf", ".yaml", ".yml", ".xlsx")
#: Memory one worker may use (bytes); a file needing more is unreadable.
WORKER_MEMORY = 2 * 1024 * 1024 * 1024


@attrs.frozen
class AuditRow:
    """The audit of one file."""

    file: str
    format: str | None = None
    agency: str | None = None
    year: int | None = None
    edition: str | None = None
    errors: int = 0
    warnings: int = 0
    notes: int = 0
    failed_rules: tuple[str, ...] = ()
    unreadable: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.unreadable is None and self.errors == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "agency": self.agency,
            "year": self.year,
            "edition": self.edition,
            "errors": self.errors,
            "warnings": self.warnings,
            "notes": self.notes,
            "failed_rules": list(self.failed_rules),
            "unreadable": self.unreadable,
        }


@attrs.frozen
class AuditResult:
    """Rows in the order the files were given, and the totals."""

    rows: tuple[AuditRow, ...]

    @property
    def unreadable(self) -> tuple[AuditRow, ...]:
        return tuple(r for r in self.rows if r.unreadable is not None)

    @property
    def with_errors(self) -> tuple[AuditRow, ...]:
        return tuple(r for r in self.rows if r.unreadable is None and r.errors)

    def total(self) -> dict[str, int]:
        read = [r for r in self.rows if r.unreadable is None]
        return {
            "files": len(self.rows),
            "read": len(read),
            "unreadable": len(self.rows) - len(read),
            "reports_with_errors": len(self.with_errors),
            "errors": sum(r.errors for r in read),
            "warnings": sum(r.warnings for r in read),
        }

    def to_dict(self) -> dict[str, Any]:
        return {"reports": [r.to_dict() for r in self.rows], "total": self.total()}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(_HEADERS)
        for r in self.rows:
            writer.writerow(_cells(r))
        t = self.total()
        writer.writerow(
            ["合计", "", f"{t['read']} 份可读", "", "", t["errors"], t["warnings"], "", ""]
        )
        return out.getvalue()

    def to_table(self) -> str:
        rows = [list(_HEADERS)] + [[str(c) for c in _cells(r)] for r in self.rows]
        widths = [max(_width(row[i]) for row in rows) for i in range(len(_HEADERS) - 1)]
        lines = []
        for row in rows:
            cells = [_pad(c, w) for c, w in zip(row[:-1], widths, strict=True)]
            lines.append("  ".join([*cells, row[-1]]).rstrip())
        t = self.total()
        lines.append(
            f"合计：{t['files']} 个文件，可读 {t['read']} 份，无法读取 {t['unreadable']} 份；"
            f"{t['reports_with_errors']} 份报告有错误，共 {t['errors']} 个错误、{t['warnings']} 个警告。"
        )
        return "\n".join(lines)


_HEADERS = (
    "文件",
    "格式",
    "机关",
    "年度",
    "版本",
    "错误",
    "警告",
    "未通过的规则",
    "无法读取的原因",
)


def _cells(r: AuditRow) -> list[Any]:
    return [
        r.file,
        FORMAT_NAMES.get(r.format or "", ""),
        r.agency or "",
        r.year or "",
        r.edition or "",
        "" if r.unreadable else r.errors,
        "" if r.unreadable else r.warnings,
        "、".join(r.failed_rules),
        r.unreadable or "",
    ]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


# ---------------------------------------------------------------- one file


def audit_one(path: str, time_limit: float = 30.0) -> AuditRow:
    """Read and check one file; never raises (a problem becomes an unreadable row)."""
    from hdgovreport.checks import check
    from hdgovreport.errors import DataFileError, HdgovreportError
    from hdgovreport.published.reader import read_any

    start = time.perf_counter()
    try:
        read = read_any(path, time_limit=time_limit)
        result = check(read.report)
        report = read.report
        return AuditRow(
            file=path,
            format=read.format,
            agency=report.meta.agency,
            year=report.meta.year,
            edition=report.edition,
            errors=len(result.errors),
            warnings=len(result.warnings),
            notes=sum(1 for n in read.notes if n.level == "notice"),
            failed_rules=result.failed_rules,
            seconds=time.perf_counter() - start,
        )
    except DataFileError as exc:
        first = exc.problems[0].render(exc.filename) if exc.problems else str(exc)
        reason = first.split(": ", 1)[-1] if ": " in first else first
        return _unreadable(path, f"数据文件有误：{reason}", start, "data")
    except HdgovreportError as exc:
        reason = getattr(exc, "reason", None) or str(exc)
        return _unreadable(path, str(reason), start)
    except MemoryError:
        return _unreadable(path, "读取时内存不足（文件过于复杂）", start)
    except RecursionError:
        return _unreadable(path, "文件结构嵌套过深", start)
    except Exception as exc:  # a bug or a library failure on a hostile file: say so, go on
        return _unreadable(path, f"读取失败（{type(exc).__name__}: {str(exc)[:120]}）", start)


def _unreadable(path: str, reason: str, start: float, fmt: str | None = None) -> AuditRow:
    if fmt is None:
        try:
            from hdgovreport.published.detect import detect_format

            with open(path, "rb") as handle:
                fmt = detect_format(handle.read(65536), path)
        except OSError:
            fmt = None
    return AuditRow(
        file=path,
        format=fmt if fmt in FORMAT_NAMES else None,
        unreadable=reason,
        seconds=time.perf_counter() - start,
    )


# ---------------------------------------------------------------- many files


def collect(inputs: Iterable[str | Path]) -> list[str]:
    """Files to audit: each given file, and report files found inside each given folder."""
    out: list[str] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if (
                    found.is_file()
                    and found.suffix.lower() in SUFFIXES
                    and not any(p.startswith(".") for p in found.relative_to(path).parts)
                ):
                    out.append(str(found))
        else:
            out.append(str(path))
    return list(dict.fromkeys(out))


def _worker(conn: Connection, time_limit: float) -> None:  # pragma: no cover - runs in a child
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))
    except (ImportError, ValueError, OSError):
        pass
    while True:
        try:
            path = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if path is None:
            return
        conn.send(audit_one(path, time_limit))


class _Slot:
    def __init__(self, ctx: Any, time_limit: float) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, time_limit), daemon=True)
        self.process.start()
        child.close()
        self.index: int | None = None
        self.started = 0.0

    def give(self, index: int, path: str) -> None:
        self.index = index
        self.started = time.monotonic()
        self.conn.send(path)

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except (BrokenPipeError, OSError):
                self.process.kill()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(1)
        self.conn.close()


def audit(
    files: Sequence[str],
    *,
    workers: int | None = None,
    time_limit: float = 30.0,
    progress: Callable[[int, int, str], None] | None = None,
) -> AuditResult:
    """Audit ``files`` in parallel (all cores by default); rows come back in the given order."""
    total = len(files)
    rows: list[AuditRow | None] = [None] * total
    if not files:
        return AuditResult(())
    count = max(1, min(workers or os.cpu_count() or 1, total))
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    ctx = multiprocessing.get_context(method)
    slots = [_Slot(ctx, time_limit) for _ in range(count)]
    queue = list(enumerate(files))
    queue.reverse()
    done = 0
    hard_limit = time_limit + 10.0
    try:
        for slot in slots:
            if queue:
                slot.give(*queue.pop())
        while done < total:
            busy = [s for s in slots if s.index is not None]
            ready = wait([s.conn for s in busy], timeout=0.5)
            now = time.monotonic()
            for slot in list(busy):
                assert slot.index is not None
                index, path = slot.index, files[slot.index]
                row: AuditRow | None = None
                replace = False
                if slot.conn in ready:
                    try:
                        row = slot.conn.recv()
                    except (EOFError, OSError):
                        row = _unreadable(
                            path, "读取时处理进程意外退出（文件可能已损坏）", time.perf_counter()
                        )
                        replace = True
                elif now - slot.started > hard_limit:
                    row = _unreadable(
                        path, f"读取超时（超过 {time_limit:g} 秒）", time.perf_counter()
                    )
                    replace = True
                if row is None:
                    continue
                rows[index] = row
                done += 1
                if progress is not None:
                    progress(done, total, path)
                slot.index = None
                if replace:
                    slot.stop(kill=True)
                    slots[slots.index(slot)] = slot = _Slot(ctx, time_limit)
                if queue:
                    slot.give(*queue.pop())
    finally:
        for slot in slots:
            slot.stop(kill=slot.index is not None)
    return AuditResult(tuple(r for r in rows if r is not None))
