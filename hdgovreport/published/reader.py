"""Read any report file: our data file, or a published report in one of four shapes.

The entry points check the path (a regular file: a FIFO, device or socket is refused
before anything opens it), read at most the limit of the file's shape
(:mod:`hdgovreport.published.limits`), extract the stream of blocks and interpret it.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from hdgovreport.checks.findings import CheckResult, Finding
from hdgovreport.errors import UnreadableError
from hdgovreport.fileio import regular_file_problem
from hdgovreport.form import queries
from hdgovreport.form.layout import layout
from hdgovreport.model import AnnualReport, value_at
from hdgovreport.published.detect import FORMAT_NAMES, detect_format, sniff_format
from hdgovreport.published.extract import Deadline, Extracted, TableBlock, extract
from hdgovreport.published.interpret import PublishedReport, interpret
from hdgovreport.published.limits import MAX_BYTES, MAX_PARAGRAPH, TIME_LIMIT, too_large

__all__ = [
    "MAX_BYTES",
    "TIME_LIMIT",
    "merge_hint",
    "merge_hints",
    "read_any",
    "read_published",
    "read_published_bytes",
]


def _refuse_long_text(extracted: Extracted) -> None:
    """A paragraph or cell over the limit makes the file unreadable, naming where it is."""
    for block in extracted.blocks:
        texts = (
            [(c.text, c.source) for row in block.rows for c in row]
            if isinstance(block, TableBlock)
            else [(block.text, block.source)]
        )
        for text, source in texts:
            if len(text) > MAX_PARAGRAPH:
                where = str(source).removeprefix(source.file).strip() or "文件中"
                raise UnreadableError(
                    extracted.filename,
                    f"{where}的一段文字过长（{len(text)} 字，每段的上限为 {MAX_PARAGRAPH} 字）",
                )


def read_published_bytes(
    data: bytes,
    filename: str,
    fmt: str | None = None,
    *,
    time_limit: float = TIME_LIMIT,
) -> PublishedReport:
    """Read a published report from bytes; ``fmt`` is detected when not given."""
    fmt = fmt or detect_format(data, filename)
    if fmt == "data":
        raise UnreadableError(
            filename, "这是报告数据文件，请用 read_any 或 hdgovreport.read_report 读取"
        )
    limit = MAX_BYTES.get(fmt)
    if limit is None:
        raise UnreadableError(
            filename,
            "不是可以读入的报告格式（支持文本、网页、Word 的 .docx 和 PDF；不支持旧版 .doc）",
        )
    if len(data) > limit:
        raise UnreadableError(filename, too_large(fmt, len(data)))
    if not data.strip():
        raise UnreadableError(filename, "文件是空的")
    deadline = Deadline(filename, time_limit)
    try:
        extracted = extract(data, fmt, filename, deadline)
    except UnreadableError:
        raise
    except RecursionError as exc:
        raise UnreadableError(filename, "文件结构嵌套过深") from exc
    except MemoryError as exc:
        raise UnreadableError(filename, "读取时内存不足（文件过于复杂）") from exc
    except Exception as exc:  # a parsing library failing on a damaged or hostile file
        kind = FORMAT_NAMES.get(fmt, fmt)
        raise UnreadableError(
            filename, f"{kind}文件已损坏或结构异常（{type(exc).__name__}: {str(exc)[:100]}）"
        ) from exc
    deadline.check()
    _refuse_long_text(extracted)
    return interpret(extracted, deadline)


def _read_bytes(path: str | Path) -> bytes:
    """The file's bytes, at most the limit of its shape (told from its first bytes and name)."""
    problem = regular_file_problem(path)
    if problem is not None:
        raise UnreadableError(str(path), problem)
    target = Path(path)
    try:
        with target.open("rb") as handle:
            head = handle.read(65536)
            fmt = sniff_format(head, str(path))
            limit = MAX_BYTES.get(fmt, max(MAX_BYTES.values()))
            size = target.stat().st_size
            if size > limit:
                raise UnreadableError(str(path), too_large(fmt, size))
            data = head + handle.read(limit + 1 - len(head))
    except IsADirectoryError as exc:
        raise UnreadableError(str(path), "这是一个文件夹") from exc
    except FileNotFoundError as exc:
        raise UnreadableError(str(path), "文件不存在") from exc
    except PermissionError as exc:
        raise UnreadableError(str(path), "没有读取权限") from exc
    except OSError as exc:
        raise UnreadableError(str(path), f"无法打开文件：{exc.strerror or exc}") from exc
    if len(data) > limit:
        raise UnreadableError(str(path), too_large(fmt, len(data)))
    return data


def read_published(
    path: str | Path, fmt: str | None = None, *, time_limit: float = TIME_LIMIT
) -> PublishedReport:
    """Read a published report (text, HTML, DOCX or PDF) into the model, with provenance.

    Raises :class:`~hdgovreport.errors.UnreadableError` (with a Chinese reason)
    when the file is not a report that can be read.
    """
    data = _read_bytes(path)
    return read_published_bytes(data, str(path), fmt, time_limit=time_limit)


def read_any(path: str | Path, *, time_limit: float = TIME_LIMIT) -> PublishedReport:
    """Read a report file of any supported shape, our data file included.

    A data file raises :class:`~hdgovreport.errors.DataFileError` when invalid;
    a published file raises :class:`UnreadableError`.
    """
    from hdgovreport.datafile import is_workbook, load

    if is_workbook(path):  # the fill-in workbook is a data file: the suffix decides
        loaded = load(path)
        return PublishedReport(
            report=loaded.report, sources=loaded.sources, filename=loaded.filename, format="data"
        )
    data = _read_bytes(path)
    fmt = detect_format(data, str(path))
    if fmt == "data":
        loaded = load(path)
        return PublishedReport(
            report=loaded.report, sources=loaded.sources, filename=loaded.filename, format="data"
        )
    return read_published_bytes(data, str(path), fmt, time_limit=time_limit)


# ---------------------------------------------------------------- hints


def _column_labels(row_path: str, report: AnnualReport) -> dict[str, str]:
    if row_path.startswith(layout().applications.field + "."):
        return {
            str(leaf.node.field): leaf.node.label
            for leaf in queries.applicant_columns(report.edition)
        }
    return {str(c.field): c.label for c in queries.outcome_columns()}


def merge_hint(report: AnnualReport, row_path: str) -> str | None:
    """When merging two adjacent cells of a row (``1``, ``2`` → ``12``) would make its sum hold."""
    row = value_at(report, row_path)
    columns: tuple[str, ...] = getattr(row, "COLUMNS", ())
    if not columns:
        return None
    values = [getattr(row, c) for c in columns]
    if not all(isinstance(v, int) for v in values):
        return None
    parts, total = values[:-1], values[-1]
    labels = _column_labels(row_path, report)
    found = []
    for i in range(len(values) - 1):
        a, b = values[i], values[i + 1]
        if a == 0:
            continue
        merged = int(f"{a}{b}")
        last_pair = i + 1 == len(values) - 1
        holds = sum(parts) - a == merged if last_pair else sum(parts) - a - b + merged == total
        if holds:
            found.append(
                f"“{labels[columns[i]]}”的 {a} 和“{labels[columns[i + 1]]}”的 {b} "
                f"若原是一个数 {merged}，本行即相符"
            )
    if not found:
        return None
    return (
        "；".join(found)
        + "（可能是提取文字时一个单元格被拆成了两格，请对照原件核实；程序没有改动任何数字）"
    )


def merge_hints(result: CheckResult, report: AnnualReport) -> CheckResult:
    """Attach a merge hint to each row-sum error where merging two adjacent digits would fix it."""

    def hinted(finding: Finding) -> Finding:
        if finding.code not in ("T3-row", "T4-sum") or finding.hint:
            return finding
        row_path = finding.location.field.rpartition(".")[0]
        try:
            hint = merge_hint(report, row_path)
        except (AttributeError, StopIteration, ValueError):
            return finding
        return attrs.evolve(finding, hint=hint) if hint else finding

    return attrs.evolve(result, findings=tuple(hinted(f) for f in result.findings))
