"""``hdgovreport build``: the official edition as HTML, PDF (and DOCX)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "build",
        help="生成正式版：HTML 网页、PDF、Word（DOCX）",
        description=(
            "先校验，再生成正式版（GB/T 9704 版式）。报告有错误时拒绝生成（退出码 1），"
            "除非加 --allow-errors：此时每页都带“校验未通过”标记并列出未通过的规则。"
            "各文件先全部生成，再一起替换：生成失败或中途被中断时，原有的一组文件保持完整。"
        ),
    )
    p.add_argument("file", metavar="文件", help="报告数据文件（YAML）")
    p.add_argument(
        "--to",
        default="html,pdf",
        metavar="格式",
        help=(
            "逗号分隔的输出格式：html 网页、html-fragment 嵌入网站栏目的网页片段、"
            "pdf 版式文件（GB/T 9704）、docx Word 文档（默认 html,pdf）"
        ),
    )
    p.add_argument("--out", metavar="目录", help="输出目录（默认与数据文件同一目录）")
    p.add_argument("--previous", metavar="去年的文件", help="上一年度的数据文件，用于年度衔接检查")
    p.add_argument(
        "--allow-errors", action="store_true", help="报告有错误时仍然生成，并在每页标注“校验未通过”"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from hdgovreport.api import build_file
    from hdgovreport.cli._editions import run_edition
    from hdgovreport.render.build import parse_formats

    return run_edition(
        "build",
        parse_formats,
        args.to,
        lambda formats: build_file(
            args.file, formats, args.out, previous=args.previous, allow_errors=args.allow_errors
        ),
        "注意：报告未通过校验，生成的文件每页都带有“校验未通过”标记，不得作为正式文本发布。",
    )
