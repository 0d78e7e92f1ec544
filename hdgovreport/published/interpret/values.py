"""From printed cells to cell values: matching row labels, lining values up, taking each value.

The table readers (:mod:`.tables`, :mod:`.review`) find a table's rows by their
labels here, line each row's values up with its columns, and take every value
as the model holds it (a count, an amount in 万元 or 元), saying what they did:
a blank read as 0, a unit printed in the cell, a value the model cannot hold.
A printed value is never silently changed: a conversion between 元 and 万元 is
said, and a value the model cannot hold keeps its printed text in the notes and
in ``PublishedReport.printed``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal

from hdgovreport.errors import UnreadableError
from hdgovreport.form.layout import ValueType
from hdgovreport.model import values as V
from hdgovreport.published.extract.stream import CellText
from hdgovreport.published.interpret.cells import MONEY_UNITS
from hdgovreport.published.interpret.result import Trail
from hdgovreport.published.interpret.rows import Row, Value
from hdgovreport.published.interpret.vocabulary import is_header_text

#: A label matcher: printed label, exact-only → (target, exact?) or ``None``.
LabelMatch = Callable[[str, bool], "tuple[str | None, bool] | None"]
#: A matched row: (row, label cell, exact?, printed label).
Hit = tuple[Row, CellText, bool, str]


def label_rows(
    rows: Sequence[Row], match: LabelMatch, *, prefer: str, trail: Trail
) -> dict[str, Hit]:
    """Rows whose label matches: target → (row, label cell, exact?, printed label).

    A label broken over two rows (a page break, a wrapped cell) is tried joined; near-misses
    are only taken in the table's own section.
    """
    out: dict[str, Hit] = {}
    pending: list[CellText] = []
    for i, row in enumerate(rows):
        if not row.labels:
            pending = []
            continue
        header_hits = sum(1 for c in row.labels if is_header_text(c.text))
        if header_hits >= 2 or (not row.values and header_hits == len(row.labels)):
            pending = []
            continue
        leaf = row.labels[-1]
        candidates = [(leaf.text, leaf)]
        if pending:
            candidates.insert(0, ("".join(c.text for c in pending) + leaf.text, pending[0]))
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if (
            row.values
            and nxt is not None
            and nxt.labels
            and all(v.number is None for v in nxt.values)
        ):
            candidates.append((leaf.text + nxt.labels[-1].text, leaf))
        hit = None
        for exact_only in (True, False):
            for printed, cell in candidates:
                if not exact_only and row.region != prefer and row.region is not None:
                    continue
                target = match(printed, exact_only)
                if target is not None:
                    hit = (target, cell, printed)
                    break
            if hit:
                break
        if hit is None:
            pending = [*pending, leaf] if not row.values else []
            continue
        pending = []
        (key, exact), cell, printed = hit
        if key is None or key in out:
            continue
        if printed != leaf.text:
            trail.note(f"行标签“{printed}”分在两行（或跨页断开），已合并", cell.source, "info")
        out[key] = (row, cell, exact, printed)
    return out


def _is_blank(value: Value) -> bool:
    return value.number is None and not value.value.too_long


def align(row: Row, count: int) -> tuple[list[Value | None], list[str]]:
    """``count`` values of a row (missing ones ``None``), with remarks.

    An empty cell beside a label that spans both label columns (（七）总计 in a WPS
    template) is not a value; blank cells beyond the values are layout.
    """
    values: list[Value] = list(row.values)
    remarks: list[str] = []
    if row.split:
        remarks.append("几个数挤在同一格中，已分开")
    if len(values) > count and row.width is not None:
        start = row.width - count  # the first grid column of the values
        values = [
            v
            for v in values
            if not (
                _is_blank(v) and v.cell.column is not None and v.cell.column + v.cell.span <= start
            )
        ]
    while len(values) > count and _is_blank(values[0]) and row.width is None:
        values.pop(0)
    while len(values) > count and _is_blank(values[-1]):
        values.pop()
    out: list[Value | None] = list(values)
    if len(out) > count:
        extra = values[count:]
        shown = "、".join(v.raw for v in extra)
        remarks.append(f"多出 {len(extra)} 个数（{shown}），未读入")
        out = out[:count]
    if len(out) < count:
        remarks.append(f"只有 {len(out)} 个数（应有 {count} 个），缺少的按 0 读入")
        out.extend([None] * (count - len(out)))
    return out, remarks


def _zero(kind: ValueType) -> int | Decimal:
    return Decimal(0) if kind in ("money", "yuan") else 0


def take(
    value: Value | None,
    kind: ValueType,
    path: str,
    label: str,
    trail: Trail,
    units: Sequence[str] = (),
) -> int | Decimal:
    """The model value of one printed cell (``kind`` from the form), saying what was done."""
    if value is None:
        return _zero(kind)
    source = value.cell.source
    trail.sources[path] = source
    cell = value.value
    if cell.too_long:
        trail.printed[path] = cell.raw
        trail.note(
            f"{label}印作一个 {sum(c.isdigit() for c in cell.raw)} 位的数（上限 {V.MAX_DIGITS} 位），"
            f"无法作为数值读入，按 0 计入校验（原文保留在读入说明中：“{cell.raw[:60]}…”）",
            source,
            "warning",
        )
        return _zero(kind)
    if cell.number is None:
        if cell.raw:
            trail.note(f"{label}填写为“{cell.raw}”，按 0 读入", source)
        return _zero(kind)
    number = cell.number
    unit = cell.unit or next((u for u in units if u in MONEY_UNITS), "")
    if kind in ("money", "yuan"):
        wanted = "万元" if kind == "money" else "元"
        if unit and unit in MONEY_UNITS and unit != wanted:
            converted = number / 10000 if unit == "元" else number * 10000
            converted = converted.normalize() if converted == converted.to_integral() else converted
            trail.printed[path] = cell.raw
            trail.note(
                f"{label}印作“{cell.raw}”（单位：{unit}），本表以{wanted}记，读作 "
                f"{_plain(converted)} {wanted}（金额未变，原文保留）",
                source,
            )
            number = converted
        places = V.MONEY_PLACES if kind == "money" else V.YUAN_PLACES
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -places:
            rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
            trail.printed[path] = cell.raw
            trail.note(
                f"{label}“{cell.raw}”的小数超过 {places} 位（{wanted}），按 {_plain(rounded)} 读入",
                source,
                "warning",
            )
            number = rounded
        problem = V.problem_value(kind, number)
        if problem:
            return _cannot_hold(trail, path, label, cell.raw, problem, kind, source)
        return number
    if unit in MONEY_UNITS:
        trail.note(f"{label}印作“{cell.raw}”（金额单位），本格应为件数，按数字读入", source)
    if number != number.to_integral_value():
        return _cannot_hold(
            trail, path, label, cell.raw, f"应为整数，实际为“{cell.raw}”", kind, source
        )
    integer = int(number)
    problem = V.problem_value("signed" if kind == "signed" else "count", integer)
    if problem:
        return _cannot_hold(trail, path, label, cell.raw, problem, kind, source)
    return integer


def _plain(number: Decimal) -> str:
    return format(number, "f")


def _cannot_hold(
    trail: Trail, path: str, label: str, raw: str, problem: str, kind: ValueType, source: object
) -> int | Decimal:
    from hdgovreport.model.provenance import Source

    trail.printed[path] = raw
    trail.note(
        f"{label}：{problem}，模型无法表示，按 0 计入校验（原文“{raw[:60]}”保留在读入说明中）",
        source if isinstance(source, Source) else None,
        "warning",
    )
    return _zero(kind)


def label_note(
    trail: Trail, table: str, printed: str, official: str, exact: bool, cell: CellText
) -> None:
    if not exact:
        trail.note(f"{table}的行标签“{printed}”按“{official}”读入（近似匹配）", cell.source)


class TableMissing(UnreadableError):
    """A table the file does not have (its labels are not found): the report may still be read."""


def missing_rows(trail: Trail, table: str, missing: list[str], total: int) -> str | None:
    """A note for rows not found, or (more than half missing) the reason the table is unreadable."""
    if not missing:
        return None
    if len(missing) * 2 > total:
        return (
            f"未找到{table}：{len(missing)} 行（共 {total} 行）的标签都没有找到，如“{missing[0]}”"
        )
    shown = "、".join(f"“{m}”" for m in missing)
    trail.note(f"{table}中未找到{shown}一行，按 0 读入")
    return None


__all__ = [
    "Hit",
    "LabelMatch",
    "TableMissing",
    "align",
    "label_note",
    "label_rows",
    "missing_rows",
    "take",
]
