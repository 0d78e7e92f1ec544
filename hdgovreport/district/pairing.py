"""Year linkage across folders: last year's report of each agency, found by its name.

This year's reports are matched with last year's (data files or published files) of the
year before: by the exact agency name first, then by the normalised name (spaces,
punctuation and full-width forms ignored), then through the roster's aliases.  What was
paired, how, and who could not be paired is said, so a coordinator can see it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Literal

import attrs

from hdgovreport.checks.findings import Finding
from hdgovreport.district.names import normalise_agency
from hdgovreport.district.roster import Roster

How = Literal["exact", "normalised", "roster"]
HOW_NAMES: dict[str, str] = {"exact": "名称相同", "normalised": "名称近似", "roster": "名册别名"}


@attrs.frozen
class Entry:
    """A report to pair: its file, agency and year."""

    file: str
    agency: str
    year: int


@attrs.frozen
class Pair:
    """This year's report and last year's, and how they were matched."""

    current: Entry
    previous: Entry
    how: How


@attrs.frozen
class Pairing:
    """The pairs made, this year's reports left alone, and why."""

    pairs: tuple[Pair, ...] = ()
    unpaired: tuple[tuple[Entry, str], ...] = ()  # (this year's report, why)

    def previous_of(self, file: str) -> Entry | None:
        for p in self.pairs:
            if p.current.file == file:
                return p.previous
        return None

    def to_text(self, findings: Mapping[str, Sequence[Finding]] | None = None) -> str:
        """The pairs and the unpaired; with each report's ``findings``, the linkage outcome too."""
        lines = [f"年度衔接：配对 {len(self.pairs)} 份，未配对 {len(self.unpaired)} 份。"]
        for p in self.pairs:
            outcome = ""
            if findings is not None:
                outcome = "：" + linkage_outcome(findings.get(p.current.file, ()))
            lines.append(
                f"    {p.current.agency} {p.current.year} ← {p.previous.file}"
                f"（{p.previous.year} 年度，{HOW_NAMES[p.how]}）{outcome}"
            )
        for entry, why in self.unpaired:
            lines.append(f"    未配对：{entry.agency} {entry.year}（{entry.file}）：{why}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {
            "pairs": [
                {
                    "file": p.current.file,
                    "agency": p.current.agency,
                    "previous": p.previous.file,
                    "previous_agency": p.previous.agency,
                    "how": p.how,
                }
                for p in self.pairs
            ],
            "unpaired": [
                {"file": e.file, "agency": e.agency, "reason": why} for e, why in self.unpaired
            ],
        }


def linkage_outcome(findings: Iterable[Finding]) -> str:
    """``上年结转相符`` or which linkage rules found what (``LINK-carryover 2 处``)."""
    counts: dict[str, int] = {}
    for f in findings:
        if f.code.startswith("LINK-"):
            counts[f.code] = counts.get(f.code, 0) + 1
    if not counts:
        return "衔接相符（上年结转、存量文件数）"
    return "、".join(f"{code} {n} 处" for code, n in counts.items())


def pair_years(
    current: Sequence[Entry], previous: Sequence[Entry], roster: Roster | None = None
) -> Pairing:
    """Pair each of ``current`` with the report of the same agency for the year before."""
    pairs: list[Pair] = []
    unpaired: list[tuple[Entry, str]] = []
    for entry in current:
        candidates = [p for p in previous if p.year == entry.year - 1 and p.file != entry.file]
        found: tuple[Entry, How] | None = None
        problem = ""
        for how, same in _matchers(entry, roster):
            hits = [p for p in candidates if same(p.agency)]
            if len(hits) == 1:
                found = (hits[0], how)
                break
            if len(hits) > 1:
                problem = f"{entry.year - 1} 年度有 {len(hits)} 份可能的报告：" + "、".join(
                    h.file for h in hits
                )
                break
        if found is None:
            if not problem:
                other = [p for p in previous if p.year not in (entry.year, entry.year - 1)]
                same_name = [
                    p for p in other if normalise_agency(p.agency) == normalise_agency(entry.agency)
                ]
                problem = f"没有找到 {entry.year - 1} 年度的报告" + (
                    f"（有 {'、'.join(str(p.year) for p in same_name)} 年度的）"
                    if same_name
                    else ""
                )
            unpaired.append((entry, problem))
            continue
        match, how = found
        pairs.append(Pair(entry, match, how))
    return Pairing(tuple(pairs), tuple(unpaired))


def _matchers(entry: Entry, roster: Roster | None) -> list[tuple[How, Callable[[str], bool]]]:
    key = normalise_agency(entry.agency)
    out: list[tuple[How, Callable[[str], bool]]] = [
        ("exact", lambda name: name == entry.agency),
        ("normalised", lambda name: normalise_agency(name) == key),
    ]
    if roster is not None:
        body = roster.match(entry.agency)
        if body is not None:
            out.append(("roster", lambda name: roster.match(name) is body))
    return out


__all__ = ["HOW_NAMES", "Entry", "Pair", "Pairing", "pair_years"]
