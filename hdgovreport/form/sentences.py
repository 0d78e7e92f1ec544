"""Sentences a report uses to quote its figures (section 6's fee sentence, totals in the text).

The checker (``NARR-figures``) and the published-report reader (the fee figures of
section 6) both find figures in sentences with these patterns; the wording comes from
the official form where it has one (``wording.yaml``'s fee sentence, the labels of
``tables.yaml``).
"""

from __future__ import annotations

import functools
import re

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


@functools.cache
def any_figure() -> re.Pattern[str]:
    """One pattern that finds a text quoting any of :func:`figure_patterns` (a match of
    one of them is a match of this), so a text quoting none is passed over in one scan."""
    return re.compile("|".join(f"(?:{p.pattern})" for p, _ in figure_patterns()))


#: A section 6 that says no information-processing fee was charged at all.
NO_FEE = re.compile(
    r"(?:未|没有|无|不)(?:发生|出现|涉及)?(?:向申请人)?(?:收取|收缴|收费|发出收费通知)"
    r"[^。；]{0,12}(?:信息处理费|费用)"
    r"|(?:信息处理费|收费)[^。；]{0,20}(?:均为|为)(?:0|零|〇)"
)


__all__ = ["NO_FEE", "any_figure", "figure_patterns"]
