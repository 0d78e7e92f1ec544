"""The information-processing fee figures of section 6, found in its sentences."""

from __future__ import annotations

from decimal import Decimal

from hdgovreport.form.layout import layout
from hdgovreport.form.sentences import NO_FEE, figure_patterns
from hdgovreport.model import OtherMatters
from hdgovreport.model.provenance import Source
from hdgovreport.published.extract.stream import squeeze
from hdgovreport.published.interpret.cells import parse_number
from hdgovreport.published.interpret.result import Trail


def fee_values(other: OtherMatters, sources: dict[str, Source]) -> tuple[dict[str, object], Trail]:
    """The fee cells by path (``other_matters.fee.notices`` …); 0 where section 6 says none."""
    trail = Trail()
    texts: list[tuple[str, str]] = [
        (f"other_matters.intro.{i}", t) for i, t in enumerate(other.intro)
    ]
    for s, sub in enumerate(other.subsections):
        texts.append((f"other_matters.subsections.{s}.title", sub.title))
        for b, block in enumerate(sub.content):
            texts.append((f"other_matters.subsections.{s}.content.{b}", block.text))
    fee = layout().fee
    paths = {f"other_matters.{fee.field}.{i.field}": i for i in fee.items if i.field}
    found: dict[str, Decimal] = {}
    for pattern, path in figure_patterns():
        if path not in paths:
            continue
        for where, text in texts:
            m = pattern.search(squeeze(text))
            if m is None:
                continue
            value = parse_number(m.group(1))
            if value is not None:
                found[path] = value
                if where in sources:
                    trail.sources[path] = sources[where]
                break
    none_said = next((t for _w, t in texts if NO_FEE.search(squeeze(t))), None)
    values: dict[str, object] = {}
    if not found:
        if none_said is not None:
            trail.note(
                f"第六部分写明没有收取信息处理费（“{none_said[:40]}”），三项按 0 读入", level="info"
            )
        else:
            trail.note("第六部分未找到信息处理费的收费通知件数和金额，按 0 读入")
    else:
        missing = [paths[p].label for p in paths if p not in found]
        if missing and none_said is None:
            trail.note(f"第六部分未写明{'、'.join(missing)}，按 0 读入")
    for path, item in paths.items():
        number = found.get(path, Decimal(0))
        if item.type == "count":
            if number != number.to_integral_value():
                trail.note(f"第六部分的{item.label}“{number}”不是整数，按 0 读入", level="warning")
                number = Decimal(0)
            values[path] = int(number)
        else:
            values[path] = number
    return values, trail


__all__ = ["fee_values"]
