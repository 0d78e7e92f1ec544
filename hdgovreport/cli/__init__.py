"""The ``hdgovreport`` command: a thin shell over the library.

Each sub-command lives in its own module with ``register(subparsers)``; the
module list is :data:`COMMANDS`.  Exit codes: 0 success (warnings allowed),
1 the report has errors, 2 the input cannot be read or the arguments are
wrong, 3 an internal error (set ``HDGOVREPORT_DEBUG=1`` for a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Sequence

from hdgovreport.errors import DataFileError, HdgovreportError

#: Sub-command modules, in the order ``--help`` lists them.
COMMANDS = ("check", "build", "graphic", "new", "import", "audit", "serve", "doctor")

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
        self.add_argument("-h", "--help", action="help", help="显示帮助并退出")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"{self.prog}: 参数错误：{_translate(message)}\n")


_ARGPARSE_MESSAGES = (
    (re.compile(r"the following arguments are required: (.*)"), r"缺少必需的参数：\1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"无法识别的参数：\1"),
    (
        re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)"),
        r"参数 \1 的取值 \2 无效，可选：\3",
    ),
    (re.compile(r"argument (\S+): expected one argument"), r"参数 \1 后面需要一个值"),
    (re.compile(r"argument (\S+): invalid \S+ value: (.*)"), r"参数 \1 的取值 \2 无效"),
    (re.compile(r"argument (\S+): (.*)"), r"参数 \1：\2"),
)


def _translate(message: str) -> str:
    """argparse's own (English) error messages, in Chinese."""
    for pattern, chinese in _ARGPARSE_MESSAGES:
        if pattern.fullmatch(message):
            return pattern.sub(chinese, message)
    return message


def build_parser() -> Parser:
    from hdgovreport import __version__

    parser = Parser(
        prog="hdgovreport",
        description="政府信息公开工作年度报告：填写数据文件，校验勾稽关系，生成正式版和图解版。",
        epilog="退出码：0 通过（可有警告）；1 报告有错误；2 输入无法读取或参数错误；3 内部错误。",
    )
    parser.add_argument(
        "--version", action="version", version=f"hdgovreport {__version__}", help="显示版本号"
    )
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=Parser)
    sub.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"hdgovreport.cli.cmd_{name}")
        module.register(sub)
    return parser


def print_data_error(error: DataFileError) -> None:
    for problem in error.problems:
        print(problem.render(error.filename), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
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
