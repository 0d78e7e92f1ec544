"""``hdgovreport audit``: read and check many reports in parallel; every finding, and a row per report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from hdgovreport.cli import EXIT_INPUT, console


def register(sub: Any) -> None:
    p = sub.add_parser(
        "audit",
        help="批量审核一批报告（文件夹或文件）：每份报告一行，列出每个问题，可写成工作簿和退改单",
        description=(
            "批量读入并校验报告：数据文件和已发布的报告（文本、网页、Word、PDF）都可以，"
            "文件夹会逐层查找。用全部 CPU 核并行处理；某个文件损坏或超时只记为“无法读取”，"
            "不影响其他文件。结果先列每份报告一行，再逐条列出问题（机关、文件、规则、级别、"
            "在文件中的位置、说明、应为、实为）。\n\n"
            "--format xlsx -o 审核结果.xlsx 写成工作簿（“汇总”和“问题清单”两张表，带筛选、冻结表头）；"
            "--format csv 带 UTF-8 BOM，Excel 可直接打开；--notes 目录 为每个有问题的单位写一份退改单"
            "（Word 和网页）。--previous 去年的文件夹 按机关名称配对，做年度衔接检查；"
            "--roster 名册 核对缺报、重报、名册外的单位和逾期发布。\n\n"
            "退出码：0 全部可读且没有错误，1 有报告（或名册核对）有错误，2 有文件无法读取。"
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="文件夹或文件", help="文件夹或报告文件，可以给多个")
    p.add_argument(
        "--format",
        choices=("table", "json", "csv", "xlsx"),
        default="table",
        metavar="格式",
        help="输出格式：table 表格（默认），json 供程序读取，csv 可用 Excel/WPS 打开（带 BOM），"
        "xlsx 工作簿（须同时用 -o 给出文件名）",
    )
    p.add_argument("-o", "--output", metavar="文件", help="写到文件（xlsx 必须给出）")
    p.add_argument(
        "--notes", metavar="目录", help="为每个有问题的单位写一份退改单（.docx 和 .html）"
    )
    p.add_argument(
        "--previous",
        metavar="去年的文件或目录",
        help="上一年度的报告，按机关名称配对，做年度衔接检查",
    )
    p.add_argument("--roster", metavar="名册", help="单位名册（YAML）")
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="进程数",
        help="并行进程数（默认全部 CPU 核；0 为在本进程内处理）",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from hdgovreport.api import audit
    from hdgovreport.district.audit import collect
    from hdgovreport.fileio import write_atomic

    files = collect(args.inputs)
    if not files:
        print("hdgovreport: 没有找到报告文件（.txt .html .docx .pdf .yaml）", file=sys.stderr)
        return EXIT_INPUT
    if args.jobs is not None and args.jobs < 0:
        print("hdgovreport: --jobs 应为正整数（0：在本进程内处理）", file=sys.stderr)
        return EXIT_INPUT
    if args.format == "xlsx" and not args.output:
        print(
            "hdgovreport: --format xlsx 须用 -o 指定工作簿文件，如 -o 审核结果.xlsx",
            file=sys.stderr,
        )
        return EXIT_INPUT
    with console.progress(len(files), "审核") as progress:
        result = audit(
            files,
            workers=args.jobs,
            progress=progress,
            previous=[args.previous] if args.previous else None,
            roster=args.roster,
        )
    data: bytes
    if args.format == "json":
        if not args.output:
            print(console.json_text(result.to_dict()))
            return _notes(args, result)
        data = (result.to_json() + "\n").encode("utf-8")
    elif args.format == "csv":
        text = result.to_csv()
        data = text.encode("utf-8")
    elif args.format == "xlsx":
        data = result.to_xlsx()
    else:
        data = (result.to_table() + "\n").encode("utf-8")
    if args.output:
        write_atomic(Path(args.output), data)
        print(f"已写入 {args.output}", file=sys.stderr)
        print(result.summary_line(), file=sys.stderr)
    else:
        _print(data.decode("utf-8"), bom=args.format == "csv")
    return _notes(args, result)


def _notes(args: argparse.Namespace, result: Any) -> int:
    """Write the return notes when asked; the exit code."""
    if args.notes:
        from hdgovreport.district.notes import write_notes

        written = write_notes(result, args.notes)
        print(f"已写入 {len(written) // 2} 份退改单：{args.notes}", file=sys.stderr)
    return int(result.exit_code)


def _print(text: str, *, bom: bool) -> None:
    """Write to standard output; CSV as UTF-8 bytes with its BOM unless it is a terminal."""
    if bom:
        if sys.stdout.isatty():
            text = text.removeprefix("\ufeff")
        else:
            buffer = getattr(sys.stdout, "buffer", None)
            if buffer is not None:
                sys.stdout.flush()
                buffer.write(text.encode("utf-8"))
                buffer.flush()
                return
    sys.stdout.write(text)
