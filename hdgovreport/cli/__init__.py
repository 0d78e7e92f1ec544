"""The ``hdgovreport`` command: a thin shell over the library.

Each sub-command lives in its own module with ``register(subparsers)``; the
module list is :data:`COMMANDS`.  Exit codes: 0 success (warnings allowed),
1 the report has errors, 2 the input cannot be read, an output cannot be written
or the arguments are wrong, 3 an internal error (set ``HDGOVREPORT_DEBUG=1`` for a
traceback).  Help and messages are in Chinese; the console never fails on its
encoding (:mod:`hdgovreport.cli.console`).
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import re
import sys
from collections.abc import Sequence

#: Sub-command modules, in the order ``--help`` lists them.
COMMANDS = ("check", "build", "graphic", "new", "import", "audit", "aggregate", "serve", "doctor")

EXIT_OK, EXIT_ERRORS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        return super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse with Chinese framing; argument errors exit 2."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"{self.prog}: 参数错误：{translate(message)}\n")


_INVALID_CHOICE = re.compile(r"argument (\S+): invalid choice: '?(.*?)'? \(choose from (.*)\)")

_ARGPARSE_MESSAGES = (
    (re.compile(r"the following arguments are required: (.*)"), r"缺少必需的参数：\1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"无法识别的参数：\1"),
    (re.compile(r"argument (\S+): expected one argument"), r"参数 \1 后面需要一个值"),
    (re.compile(r"argument (\S+): expected at least one argument"), r"参数 \1 后面至少需要一个值"),
    (re.compile(r"argument (\S+): invalid \S+ value: (.*)"), r"参数 \1 的取值 \2 无效"),
    (
        re.compile(r"argument (\S+): not allowed with argument (\S+)"),
        r"参数 \1 不能与 \2 同时使用",
    ),
    (re.compile(r"one of the arguments (.*) is required"), r"必须给出其中一个参数：\1"),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"), r"选项 \1 不明确，可能是：\2"),
    (re.compile(r"argument (\S+): ignored explicit argument (.*)"), r"参数 \1 不需要值（给了 \2）"),
    (re.compile(r"argument (\S+): (.*)"), r"参数 \1：\2"),
)


def translate(message: str) -> str:
    """argparse's own (English) error messages, in Chinese; near-miss commands get a suggestion."""
    choice = _INVALID_CHOICE.fullmatch(message)
    if choice is not None:
        argument, given = choice[1], choice[2]
        options = [o.strip(" '") for o in choice[3].split(",")]
        close = difflib.get_close_matches(given, options, n=1, cutoff=0.5)
        if argument == "命令":
            head = f"没有“{given}”这个命令"
            tail = f"您是不是要输入 {close[0]}？" if close else f"可用的命令：{'、'.join(options)}"
            return f"{head}；{tail}（hdgovreport -h 查看帮助）"
        hint = f"您是不是要输入 {close[0]}？" if close else ""
        return f"参数 {argument} 的取值“{given}”无效，可选：{'、'.join(options)}。{hint}"
    for pattern, chinese in _ARGPARSE_MESSAGES:
        if pattern.fullmatch(message):
            return pattern.sub(chinese, message)
    return message


def _version() -> str:
    from hdgovreport import __version__

    return f"hdgovreport {__version__}"


def build_parser() -> Parser:
    parser = Parser(
        prog="hdgovreport",
        description="政府信息公开工作年度报告：填写数据文件，校验勾稽关系，生成正式版和图解版。",
        epilog=(
            "退出码：0 通过（可有警告）；1 报告有错误；2 输入无法读取、输出无法写入或参数错误；"
            "3 内部错误。\n每个命令的说明：hdgovreport 命令 -h，例如 hdgovreport check -h"
        ),
    )
    parser.add_argument("--version", action="version", version=_version(), help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=Parser)
    sub.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"hdgovreport.cli.cmd_{name}")
        module.register(sub)
    return parser


def print_data_error(error: object) -> None:
    from hdgovreport.errors import DataFileError

    assert isinstance(error, DataFileError)
    for problem in error.problems:
        print(problem.render(error.filename), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    from hdgovreport.cli import console

    console.setup()
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] in (["--version"], ["-V"]):
        print(_version())  # answered before any sub-command (or the library) is imported
        return EXIT_OK
    parser = build_parser()
    args = parser.parse_args(args_list)
    from hdgovreport.errors import DataFileError, HdgovreportError

    try:
        code: int = args.handler(args)
        return code
    except DataFileError as exc:
        print_data_error(exc)
        return EXIT_INPUT
    except HdgovreportError as exc:
        print(f"hdgovreport: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("hdgovreport: 已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of our output went away (e.g. `| head`); nothing more to say
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except MemoryError:
        print("hdgovreport: 内存不足，无法完成；请关闭其他程序后重试", file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:
        if os.environ.get("HDGOVREPORT_DEBUG"):
            raise
        print(
            f"hdgovreport: 内部错误：{type(exc).__name__}: {exc}\n"
            "这是本软件的缺陷，请连同输入文件报告给开发者；设置环境变量 HDGOVREPORT_DEBUG=1 可显示详细信息。",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
