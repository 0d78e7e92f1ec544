"""All exceptions raised by hdgovreport.

Every user-facing error carries a Chinese message that says what is wrong
and what was expected; errors about a file also carry where (file, line,
column) and which field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from hdgovreport.checks.findings import CheckResult


class HdgovreportError(Exception):
    """Base class of every error this library raises on purpose."""


class InvalidValueError(HdgovreportError, ValueError):
    """A value that the model cannot hold (negative count, wrong type, …).

    ``field`` is the dotted field path (``applications.new_received.total``),
    ``where`` its official labels in Chinese, ``message`` what is wrong.
    """

    def __init__(self, field: str, message: str, where: str = "") -> None:
        self.field = field
        self.where = where
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        place = f"{self.field}（{self.where}）" if self.where else self.field
        return f"{place}：{self.message}" if place else self.message


@attrs.frozen
class Problem:
    """One problem found while reading a data file."""

    message: str
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    field: str = ""  # the data-file keys leading to the value, joined by " › "
    code: str = ""  # the rule code when the problem is a table cross-check (``T4-sum``)

    def render(self, filename: str) -> str:
        where = filename
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f"{self.field}：" if self.field else ""
        rule = f"（校验规则 {self.code}）" if self.code else ""
        return _one_line(f"{where}: {field}{self.message}{rule}")


def _one_line(text: str) -> str:
    """Line breaks and other invisible characters quoted from the user's file, spelled out
    (``\u2028``), so every problem stays one ``file:line:col`` line."""
    import re

    return re.sub(
        "[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]",
        lambda m: f"\\u{ord(m[0]):04X}" if m[0] != "\t" else " ",
        text,
    )


class DataFileError(HdgovreportError):
    """A data file that cannot be read or does not describe a valid report."""

    def __init__(self, filename: str, problems: Sequence[Problem]) -> None:
        self.filename = filename
        self.problems = tuple(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(p.render(self.filename) for p in self.problems)


class BuildError(InvalidValueError):
    """An invalid value given to a builder; ``field`` is the model path."""


class BuildRefused(HdgovreportError):
    """The report has checker errors and ``allow_errors`` was not given."""

    def __init__(self, result: CheckResult) -> None:
        self.result = result
        rules = "、".join(result.failed_rules)
        super().__init__(
            f"报告未通过校验（{rules}），未生成文件；确需生成带“校验未通过”标记的文件，请加 --allow-errors"
        )


class UnreadableError(HdgovreportError):
    """A published file that cannot be read as a report; ``reason`` says why, in Chinese."""

    def __init__(self, filename: str, reason: str) -> None:
        self.filename = filename
        self.reason = reason
        super().__init__(f"{filename}: 无法读取：{reason}")


class OutputError(HdgovreportError, OSError):
    """A file that could not be written: ``path`` and the ``reason`` in Chinese.

    The user's situation (no permission, disk full, a folder in the way, a file open in
    Word), never a defect; the previous files are left as they were.
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: 无法写入：{reason}")

    def __str__(self) -> str:
        return f"{self.path}: 无法写入：{self.reason}"


class FontError(HdgovreportError):
    """No usable CJK font is installed."""


class RenderError(HdgovreportError):
    """An edition could not be rendered."""


class AggregateError(HdgovreportError):
    """Reports that cannot be summed together; ``problems`` say which and why, in Chinese."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("无法汇总：" + "；".join(self.problems))


class WorkerError(HdgovreportError):
    """The worker processes of a batch (audit, batch build) could not be started."""
