"""``hdgovreport graphic``: the graphic edition (图解版) as HTML, PDF and a PNG long image."""

from __future__ import annotations

import argparse
from typing import Any

from hdgovreport.cli._batch import add_batch_options


def _width(text: str) -> int:
    from hdgovreport.graphic.options import check_width

    try:
        return check_width(int(text.strip()))
    except ValueError as exc:
        message = (
            str(exc)
            if text.strip().lstrip("-").isdigit()
            else f"应为整数像素，如 1080，实际为“{text}”"
        )
        raise argparse.ArgumentTypeError(message) from None


def register(sub: Any) -> None:
    from hdgovreport.graphic.options import DEFAULT_FORMATS, PNG_WIDTH

    p = sub.add_parser(
        "graphic",
        help="生成图解版：HTML 网页、PDF、PNG 长图；可批量生成全区的图解",
        description=(
            "先校验，再从同一份数据按报告的顺序生成图解版：年度数据一览、工作概况、主动公开、依申请公开、"
            "复议诉讼、存在的问题及改进情况。PNG 为长图（默认 1500 像素宽，--width 1080 适合"
            "微信公众号文章），旁边同时写出同名的 .txt 文字版（图中全部数字，可作为图片的替代文字）。"
            "报告有错误时拒绝生成（退出码 1），除非加 --allow-errors：此时图解首尾都带“校验未通过”标记。"
            "各文件先全部生成，再一起替换：生成失败或中途被中断时，原有的一组文件保持完整。\n\n"
            "批量生成：给出多个数据文件或文件夹，并行生成，文件名为"
            "“<机关名称><年份>年政府信息公开工作年度报告（图解）.<格式>”，每个机关一个子目录"
            "（--flat 则不分目录），最后列出汇总表。退出码同 build。"
        ),
    )
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="文件或目录",
        help="报告数据文件（YAML）；多个文件或文件夹时批量生成",
    )
    p.add_argument(
        "--previous",
        metavar="去年的文件或目录",
        help="上一年度的数据文件：显示关键数据和申请量的同比变化，并做年度衔接检查；"
        "批量生成时可给文件夹，按机关名称配对",
    )
    p.add_argument(
        "--to",
        default=",".join(DEFAULT_FORMATS),
        metavar="格式",
        help=f"逗号分隔的输出格式：html 网页、pdf 版式文件、png 长图、txt 文字版（默认 "
        f"{','.join(DEFAULT_FORMATS)}；png 总是连同 txt 文字版一起生成）",
    )
    p.add_argument(
        "--width",
        type=_width,
        default=PNG_WIDTH,
        metavar="像素",
        help=f"PNG 长图的宽度（默认 {PNG_WIDTH}；微信公众号文章用 1080）",
    )
    p.add_argument(
        "--out",
        metavar="目录",
        help="输出目录（默认与数据文件同一目录）；单个文件时文件名为 <数据文件名>.graphic.<格式>",
    )
    p.add_argument(
        "--allow-errors", action="store_true", help="报告有错误时仍然生成，并标注“校验未通过”"
    )
    add_batch_options(p, what="文件")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from hdgovreport.api import graphic_file
    from hdgovreport.cli._batch import is_batch, run_batch
    from hdgovreport.cli._editions import run_edition
    from hdgovreport.graphic.options import parse_formats

    if is_batch(args):
        return run_batch(args, "", args.to)
    (file,) = args.inputs
    return run_edition(
        "graphic",
        parse_formats,
        args.to,
        lambda formats: graphic_file(
            file,
            formats,
            args.out,
            previous=args.previous,
            allow_errors=args.allow_errors,
            width=args.width,
        ),
        "注意：报告未通过校验，生成的图解首尾都带有“校验未通过”标记，不得作为正式材料发布。",
    )
