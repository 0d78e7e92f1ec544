"""``hdgovreport audit``: read and check many reports in parallel, one row per report."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from hdgovreport.cli import EXIT_ERRORS, EXIT_INPUT, EXIT_OK, console


def register(sub: Any) -> None:
    p = sub.add_parser(
        "audit",
        help="批量校验一批报告（文件夹或文件），每份报告一行，最后是合计",
        description=(
            "批量读入并校验报告：数据文件和已发布的报告（文本、网页、Word、PDF）都可以，"
            "文件夹会逐层查找。用全部 CPU 核并行处理；某个文件损坏或超时只记为“无法读取”，"
            "不影响其他文件。退出码：0 全部可读且没有错误，1 有报告有错误，2 有文件无法读取。"
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="文件夹或文件", help="文件夹或报告文件，可以给多个")
    p.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        metavar="格式",
        help="输出格式：table 表格（默认），json 供程序读取，csv 可用 Excel/WPS 打开",
    )
    p.add_argument(
        "--jobs", type=int, default=None, metavar="进程数", help="并行进程数（默认全部 CPU 核）"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from hdgovreport.published.audit import audit, collect

    files = collect(args.inputs)
    if not files:
        print("hdgovreport: 没有找到报告文件（.txt .html .docx .pdf .yaml）", file=sys.stderr)
        return EXIT_INPUT
    if args.jobs is not None and args.jobs < 1:
        print("hdgovreport: --jobs 应为正整数", file=sys.stderr)
        return EXIT_INPUT
    with console.progress(len(files), "审核") as progress:
        result = audit(files, workers=args.jobs, progress=progress)
    if args.format == "json":
        print(
            result.to_json()
            if console.holds_everything(sys.stdout)
            else console.json_text(json.loads(result.to_json()))
        )
    elif args.format == "csv":
        sys.stdout.write(result.to_csv())
    else:
        print(result.to_table())
    if result.unreadable:
        return EXIT_INPUT
    return EXIT_ERRORS if result.with_errors else EXIT_OK
