"""What the district commands share: the progress line, batch options, and the batch build."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hdgovreport.cli import EXIT_INPUT


class ProgressLine:
    """A one-line progress bar on standard error, drawn only when it is a terminal.

    Carriage return and spaces only (no escape codes), so every console shows it; the
    shared console module replaces this when it lands.
    """

    def __init__(self, label: str, stream: Any = None) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.width = 24
        self.last = 0

    def __call__(self, done: int, total: int, path: str) -> None:
        total = max(total, 1)
        filled = self.width * min(done, total) // total
        bar = "#" * filled + "-" * (self.width - filled)
        name = Path(path).name[-30:]
        text = f"{self.label} [{bar}] {done}/{total} {name}"
        self._write(text)
        if done >= total:
            self._write("")

    def _write(self, text: str) -> None:
        from hdgovreport.district.outputs import width

        columns = width(text)
        pad = " " * max(0, self.last - columns)
        try:
            self.stream.write("\r" + text + pad + ("\r" if not text else ""))
            self.stream.flush()
        except (UnicodeEncodeError, OSError):
            return
        self.last = columns


def progress_for(label: str) -> Callable[[int, int, str], None] | None:
    """A progress line when standard error is a terminal, else nothing."""
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):
        tty = False
    return ProgressLine(label) if tty else None


def add_batch_options(p: Any, *, what: str) -> None:
    """Options of a batch build (``build`` and ``graphic`` with several files or a folder)."""
    p.add_argument(
        "--flat",
        action="store_true",
        help=f"批量生成时把{what}直接写在输出目录中（默认每个机关一个子目录）",
    )
    p.add_argument(
        "--roster", metavar="名册", help="单位名册（YAML）：核对缺报、重报、名册外的单位和逾期发布"
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="并行进程数（默认全部 CPU 核；0 为在本进程内处理）",
    )


def is_batch(args: argparse.Namespace) -> bool:
    """Several inputs, a folder, or a batch-only option: build as a batch."""
    inputs = args.inputs
    return (
        len(inputs) > 1
        or any(Path(i).is_dir() for i in inputs)
        or bool(args.flat or args.roster)
        or (args.previous is not None and Path(args.previous).is_dir())
    )


def run_batch(args: argparse.Namespace, official: str, graphic: str) -> int:
    """Build every data file of ``args.inputs``; print the summary; the exit code."""
    from hdgovreport.api import build_many

    if args.jobs is not None and args.jobs < 0:
        print("hdgovreport: --jobs 应为正整数（0：在本进程内处理）", file=sys.stderr)
        return EXIT_INPUT
    try:
        result = build_many(
            args.inputs,
            official,
            graphic=graphic,
            out=args.out,
            flat=args.flat,
            previous=[args.previous] if args.previous else None,
            roster=args.roster,
            allow_errors=args.allow_errors,
            workers=args.jobs,
            progress=progress_for("生成"),
        )
    except ValueError as exc:
        print(f"hdgovreport: 参数错误：{exc}", file=sys.stderr)
        return EXIT_INPUT
    if not result.reports:
        print("hdgovreport: 没有找到报告数据文件（.yaml）", file=sys.stderr)
        return EXIT_INPUT
    print(result.to_table())
    if args.allow_errors and any(r.errors and r.built for r in result.reports):
        print(
            "注意：有错误的报告也已生成，文件中带有“校验未通过”标记，不得作为正式文本发布。",
            file=sys.stderr,
        )
    return result.exit_code
