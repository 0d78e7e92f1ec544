"""``hdgovreport build``: the official edition as HTML, PDF (and DOCX); many files as a batch."""

from __future__ import annotations

import argparse
from typing import Any

from hdgovreport.cli._batch import add_batch_options


def register(sub: Any) -> None:
    p = sub.add_parser(
        "build",
        help="生成正式版：HTML 网页、PDF、Word（DOCX）；可批量生成全区的报告",
        description=(
            "先校验，再生成正式版（GB/T 9704 版式）。报告有错误时拒绝生成（退出码 1），"
            "除非加 --allow-errors：此时每页都带“校验未通过”标记并列出未通过的规则。"
            "各文件先全部生成，再一起替换：生成失败或中途被中断时，原有的一组文件保持完整。\n\n"
            "批量生成：给出多个数据文件或文件夹（逐层查找 .yaml），用全部 CPU 核并行生成，"
            "文件名为“<机关名称><年份>年政府信息公开工作年度报告.<格式>”，每个机关一个子目录"
            "（--flat 则不分目录），最后列出每份报告的错误、警告、生成的文件和未生成的原因。"
            "退出码：0 全部生成，1 有报告未生成（有错误或重复），2 有文件无法读取。"
        ),
    )
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="文件或目录",
        help="报告数据文件（YAML）；多个文件或文件夹时批量生成",
    )
    p.add_argument(
        "--to",
        default="html,pdf",
        metavar="格式",
        help=(
            "逗号分隔的输出格式：html 网页、html-fragment 嵌入网站栏目的网页片段、"
            "pdf 版式文件（GB/T 9704）、docx Word 文档（默认 html,pdf）"
        ),
    )
    p.add_argument(
        "--graphic",
        default="",
        metavar="格式",
        help="批量生成时同时生成图解版，如 html,pdf,png（文件名带“（图解）”）",
    )
    p.add_argument("--out", metavar="目录", help="输出目录（默认与数据文件同一目录）")
    p.add_argument(
        "--previous",
        metavar="去年的文件或目录",
        help="上一年度的数据文件，用于年度衔接检查；批量生成时可给文件夹，按机关名称配对",
    )
    p.add_argument(
        "--allow-errors", action="store_true", help="报告有错误时仍然生成，并在每页标注“校验未通过”"
    )
    add_batch_options(p, what="文件")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from hdgovreport.api import build_file
    from hdgovreport.cli._batch import is_batch, run_batch
    from hdgovreport.cli._editions import run_edition
    from hdgovreport.render.build import parse_formats

    if is_batch(args) or args.graphic:
        return run_batch(args, args.to, args.graphic)
    (file,) = args.inputs
    return run_edition(
        "build",
        parse_formats,
        args.to,
        lambda formats: build_file(
            file, formats, args.out, previous=args.previous, allow_errors=args.allow_errors
        ),
        "注意：报告未通过校验，生成的文件每页都带有“校验未通过”标记，不得作为正式文本发布。",
    )
