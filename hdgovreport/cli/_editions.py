"""What ``build`` and ``graphic`` share: format parsing, the refusal, and the report of what was written."""

from __future__ import annotations

import sys
from collections.abc import Callable

from hdgovreport.cli import EXIT_ERRORS, EXIT_INPUT, EXIT_OK
from hdgovreport.errors import BuildRefused
from hdgovreport.render.build import BuildResult


def run_edition(
    command: str,
    parse: Callable[[str], tuple[str, ...]],
    formats: str,
    make: Callable[[tuple[str, ...]], BuildResult],
    unverified_notice: str,
) -> int:
    """Parse ``formats``, build, and print the outcome; returns the exit code."""
    try:
        names = parse(formats)
    except ValueError as exc:
        print(f"hdgovreport {command}: 参数错误：{exc}", file=sys.stderr)
        return EXIT_INPUT
    try:
        built = make(names)
    except BuildRefused as refused:
        print(refused.result.to_text())
        print(f"hdgovreport {command}: {refused}", file=sys.stderr)
        return EXIT_ERRORS
    if not built.result.ok:
        print(built.result.to_text())
        print(unverified_notice, file=sys.stderr)
    elif built.result.warnings:
        print(built.result.to_text())
    for fmt, path in built.outputs.items():
        print(f"已生成 {fmt}: {path}")
    return EXIT_OK
