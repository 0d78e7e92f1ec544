"""What the district commands share: batch options and the batch build."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from hdgovreport.cli import EXIT_INPUT, console


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
        metavar="进程数",
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
        with console.progress(len(args.inputs), "生成") as progress:
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
                progress=progress,
                width=getattr(args, "width", None),
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
