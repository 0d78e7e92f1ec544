"""Which format edition a report is printed in: labels only one edition has, else its year."""

from __future__ import annotations

from collections.abc import Sequence

from hdgovreport.form.layout import Edition
from hdgovreport.published.interpret.labels import normalise
from hdgovreport.published.interpret.rows import Row
from hdgovreport.published.interpret.vocabulary import edition_markers, marker_labels


def edition_name(edition: str) -> str:
    return "2021 版" if edition == "2021" else "2019 试行版"


def edition_by_labels(rows: Sequence[Row]) -> tuple[Edition | None, str]:
    """The edition the tables' own labels point to (``None`` when they do not tell), and why."""
    markers = edition_markers()
    found: dict[str, list[str]] = {"2021": [], "2019": []}
    for row in rows:
        for cell in row.labels:
            key = normalise(cell.text)
            for name, keys in markers.items():
                if key in keys and marker_labels()[key] not in found[name]:
                    found[name].append(marker_labels()[key])
    a, b = len(found["2021"]), len(found["2019"])
    if a == b:
        return None, ""
    edition: Edition = "2021" if a > b else "2019"
    basis = found[edition]
    shown = "、".join(f"“{x}”" for x in basis[:3]) + ("等" if len(basis) > 3 else "")
    other = "2019" if edition == "2021" else "2021"
    against = f"；另有{len(found[other])}个{edition_name(other)}特有的标签" if found[other] else ""
    return edition, f"表格中有{len(basis)}个{edition_name(edition)}特有的标签（{shown}）{against}"


def edition_by_year(year: int) -> Edition:
    return "2019" if year <= 2020 else "2021"


def evidence_message(edition: Edition, evidence: str, year: int) -> str:
    """The reading note that says which edition the report was read as."""
    if not evidence:
        evidence = f"表格标签不能区分格式版本，按报告年度 {year} 年判断"
    return f"按{edition_name(edition)}格式读入：{evidence}"


__all__ = ["edition_by_labels", "edition_by_year", "edition_name", "evidence_message"]
