"""The jobs a worker runs: read one report file, render and write one report's editions.

Each job never raises: a problem comes back as a value with a Chinese reason, so one
bad file never stops a batch.  The same functions run in-process when a caller asks
for no worker processes (``workers=0``).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from hdgovreport.checks.findings import CheckResult
from hdgovreport.model import AnnualReport

if TYPE_CHECKING:
    from hdgovreport.published import PublishedReport

#: Seconds one published file may take to read in an audit.
READ_TIME_LIMIT = 30.0


@attrs.frozen
class ReadOutcome:
    """One file read: the report and its sources, or why it could not be read."""

    file: str
    read: PublishedReport | None = None
    unreadable: str | None = None
    format: str | None = None
    input_error: bool = False  # a data file with problems (as opposed to an unreadable file)
    seconds: float = 0.0


def read_task(path: str, time_limit: float = READ_TIME_LIMIT) -> ReadOutcome:
    """Read one report file of any shape; never raises."""
    from hdgovreport.errors import DataFileError, HdgovreportError
    from hdgovreport.fileio import regular_file_problem
    from hdgovreport.published.reader import read_any

    start = time.perf_counter()

    def failed(reason: str, fmt: str | None = None, input_error: bool = False) -> ReadOutcome:
        return ReadOutcome(
            file=path,
            unreadable=reason,
            format=fmt if fmt is not None else _format_of(path),
            input_error=input_error,
            seconds=time.perf_counter() - start,
        )

    problem = regular_file_problem(path)
    if problem is not None:
        return ReadOutcome(file=path, unreadable=problem)
    try:
        read = read_any(path, time_limit=time_limit)
    except DataFileError as exc:
        return failed(data_error_reason(exc), "data", input_error=True)
    except HdgovreportError as exc:
        return failed(str(getattr(exc, "reason", None) or exc))
    except MemoryError:
        return failed("读取时内存不足（文件过于复杂）")
    except RecursionError:
        return failed("文件结构嵌套过深")
    except Exception as exc:  # a library failing on a hostile file: say so, go on
        return failed(f"读取失败（{type(exc).__name__}: {str(exc)[:120]}）")
    return ReadOutcome(
        file=path, read=read, format=read.format, seconds=time.perf_counter() - start
    )


def data_error_reason(exc: object) -> str:
    """A data file's problems in one line: the first one, and how many more."""
    from hdgovreport.errors import DataFileError

    assert isinstance(exc, DataFileError)
    if not exc.problems:
        return f"数据文件有误：{exc}"
    first = exc.problems[0].render(exc.filename)
    first = first.split(": ", 1)[-1] if first.startswith(exc.filename) else first
    where = exc.problems[0].line
    more = f"（另有 {len(exc.problems) - 1} 处问题）" if len(exc.problems) > 1 else ""
    line = f"第 {where} 行 " if where else ""
    return f"数据文件有误：{line}{first}{more}"


def _format_of(path: str) -> str | None:
    """The shape of a file that failed to read (only a regular file is ever opened)."""
    from hdgovreport.fileio import regular_file_problem
    from hdgovreport.published.detect import FORMAT_NAMES, detect_format

    if regular_file_problem(path) is not None:
        return None
    try:
        with open(path, "rb") as handle:
            fmt = detect_format(handle.read(65536), path)
    except OSError:
        return None
    return fmt if fmt in FORMAT_NAMES else None


@attrs.frozen
class RenderJob:
    """What one worker renders and writes for one report (already checked by the caller)."""

    file: str
    report: AnnualReport
    result: CheckResult
    previous: AnnualReport | None
    official: tuple[str, ...]
    graphic: tuple[str, ...]
    out_dir: str
    stem: str
    width: int = 1500


@attrs.frozen
class RenderOutcome:
    """The files written for one report, or why nothing was written."""

    file: str
    outputs: tuple[str, ...] = ()
    failed: str | None = None
    seconds: float = 0.0


#: Suffix of each graphic-edition output when named after the report.
GRAPHIC_SUFFIXES: Mapping[str, str] = {
    "html": "（图解）.html",
    "pdf": "（图解）.pdf",
    "png": "（图解）.png",
    "txt": "（图解）.txt",
}


def render_task(job: RenderJob) -> RenderOutcome:
    """Render every asked format of ``job`` in memory, then write them; never raises."""
    from hdgovreport.errors import HdgovreportError

    start = time.perf_counter()
    try:
        data, suffixes = _render(job)
        from hdgovreport.render.build import write_outputs

        written = write_outputs(data, job.out_dir, job.stem, suffixes)
    except HdgovreportError as exc:
        return RenderOutcome(file=job.file, failed=f"生成失败：{exc}")
    except OSError as exc:
        where = exc.filename or job.out_dir
        reason = exc.strerror or str(exc)
        if isinstance(exc, PermissionError):
            reason = "没有写入权限，或文件正被其他程序打开"
        return RenderOutcome(file=job.file, failed=f"无法写入 {where}：{reason}")
    except MemoryError:
        return RenderOutcome(file=job.file, failed="生成失败：内存不足")
    except Exception as exc:  # a renderer bug: name it, keep the batch going
        return RenderOutcome(
            file=job.file, failed=f"生成失败（内部错误 {type(exc).__name__}: {str(exc)[:120]}）"
        )
    return RenderOutcome(
        file=job.file,
        outputs=tuple(str(p) for p in written.values()),
        seconds=time.perf_counter() - start,
    )


def _render(job: RenderJob) -> tuple[dict[str, bytes], dict[str, str]]:
    data: dict[str, bytes] = {}
    suffixes: dict[str, str] = {}
    if job.official:
        from hdgovreport.render.build import FORMATS
        from hdgovreport.render.build import render as official

        rendered, _ = official(job.report, job.official, allow_errors=True, result=job.result)
        for fmt, payload in rendered.items():
            data[fmt] = payload
            suffixes[fmt] = FORMATS[fmt][0]
    if job.graphic:
        from hdgovreport.graphic.render import render as graphic

        rendered, _ = graphic(
            job.report,
            job.graphic,
            previous=job.previous,
            allow_errors=True,
            result=job.result,
            width=job.width,
        )
        for fmt, payload in rendered.items():
            data[f"graphic-{fmt}"] = payload
            suffixes[f"graphic-{fmt}"] = GRAPHIC_SUFFIXES[fmt]
    return data, suffixes


def warm_build() -> None:
    """Load the renderers, the templates and the fonts once, before the first report."""
    import hdgovreport.graphic.render
    import hdgovreport.render.build
    import hdgovreport.render.docx
    import hdgovreport.render.pdf  # noqa: F401
    from hdgovreport.errors import HdgovreportError
    from hdgovreport.render import fonts

    with contextlib.suppress(HdgovreportError):
        fonts.resolve()  # a missing font is said by the first render that needs one


def out_path(out_dir: str | Path, stem: str, suffix: str) -> Path:
    return Path(out_dir) / f"{stem}{suffix}"
