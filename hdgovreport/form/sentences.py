"""Sentences a report uses to quote its figures (section 6's fee sentence, totals in the text).

The checker (``NARR-figures``) and the published-report reader (the fee figures of
section 6) both find figures in sentences with these patterns; the wording comes from
the official form where it has one (``wording.yaml``'s fee sentence, the labels of
``tables.yaml``).
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Sequence
from typing import Any

from hdgovreport.form.layout import layout

# A figure quoted in a sentence: digits right before the unit, not "2万余条" or "90余场".
_N = r"(\d[\d,，]*(?:\.\d+)?)"


@functools.cache
def figure_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Sentences that quote a table figure: (pattern, model path of the figure)."""
    reconsideration = re.escape(layout().review_litigation.columns[0].label)
    return (
        (
            re.compile(
                r"(?:新收|收到)(?:各类)?(?:政府信息公开|信息公开|依申请公开)?申请(?:共计|共)?"
                + _N
                + r"(?:件|个|条)"
            ),
            "applications.new_received.total",
        ),
        (
            re.compile(
                r"(?:办结|答复)(?:各类)?(?:政府信息公开|信息公开|依申请公开)?申请(?:共计|共)?"
                + _N
                + r"(?:件|个|条)"
            ),
            "applications.total_handled.total",
        ),
        (
            re.compile(
                r"(?:政府信息公开)?"
                + reconsideration
                + r"(?:案件|申请)?(?:共计|共)?"
                + _N
                + r"(?:件|起)"
            ),
            "review_litigation.reconsideration.total",
        ),
        (
            re.compile(
                r"(?:涉及收费的申请|发出(?:信息处理费)?(?:收费|缴费)通知(?:书)?)(?:共计|共)?"
                + _N
                + r"(?:件|份|次)"
            ),
            "other_matters.fee.notices",
        ),
        (
            re.compile(r"(?:收费|缴费)?通知(?:收费|缴费)?金额(?:共计|共|为)?" + _N + r"元"),
            "other_matters.fee.notified_yuan",
        ),
        (
            re.compile(
                r"(?:收到|实际收取|实收)(?:缴费|信息处理费)?(?:金额)?(?:共计|共|为)?" + _N + r"元"
            ),
            "other_matters.fee.collected_yuan",
        ),
    )


def required_words(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Words one of which is in every match of ``pattern``, read from the pattern's parse:
    a text containing none of them cannot match, so it needs no scan.

    Empty when no such words are sure (the text must then be scanned): a pattern ignoring
    case, or one whose every part is optional or not a plain word.
    """
    if pattern.flags & re.IGNORECASE:
        return ()
    try:  # the parser of the re module (``sre_parse`` before Python 3.11)
        parser: Any = importlib.import_module("re._parser")
    except ImportError:  # pragma: no cover
        parser = importlib.import_module("sre_parse")
    try:
        parsed = parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # pragma: no cover  # a parser changed beyond recognition
        return ()
    return _words(list(parsed), parser)


def _words(items: Sequence[Any], parser: Any) -> tuple[str, ...]:
    """Words one of which every match of the sequence ``items`` contains, or ``()``.

    Every item of a sequence is matched, in order; so is a run of literal characters, a
    group's body, a repeat's body when it repeats at least once, and one of the
    alternatives of a branch (so the branch yields the leading run of each, if each
    starts with one).  Items not understood are passed over: a later one still counts.
    """
    c = parser  # the opcodes: c.LITERAL, c.BRANCH, c.SUBPATTERN, c.MAX_REPEAT, c.MIN_REPEAT
    run: list[str] = []
    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            break
        if op is c.BRANCH:
            leads = [_leading_run(alternative, c) for alternative in av[1]]
            if all(leads):
                return tuple(dict.fromkeys(leads))
        elif op is c.SUBPATTERN:
            _group, add_flags, _del_flags, body = av
            if not add_flags & re.IGNORECASE and (found := _words(list(body), c)):
                return found
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            least, _most, body = av
            if least >= 1 and (found := _words(list(body), c)):
                return found
    return ("".join(run),) if run else ()


def _leading_run(items: Sequence[Any], c: Any) -> str:
    """The literal characters a sequence starts with ("" if it starts otherwise)."""
    run = []
    for op, av in items:
        if op is not c.LITERAL:
            break
        run.append(chr(av))
    return "".join(run)


@functools.cache
def figure_sentences() -> tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...]:
    """:func:`figure_patterns` with the :func:`required_words` of each pattern."""
    return tuple((p, path, required_words(p)) for p, path in figure_patterns())


#: A section 6 that says no information-processing fee was charged at all.
NO_FEE = re.compile(
    r"(?:未|没有|无|不)(?:发生|出现|涉及)?(?:向申请人)?(?:收取|收缴|收费|发出收费通知)"
    r"[^。；]{0,12}(?:信息处理费|费用)"
    r"|(?:信息处理费|收费)[^。；]{0,20}(?:均为|为)(?:0|零|〇)"
)


__all__ = ["NO_FEE", "figure_patterns", "figure_sentences", "required_words"]
