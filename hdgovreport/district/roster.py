"""The district's roster (单位名册): who must report, of which kind, under which parent.

A roster is a small YAML file with Chinese keys::

    地区: 北京市海淀区
    单位:
      - 名称: 北京市海淀区人民政府
        类型: 政府
      - 名称: 北京市海淀区教育委员会
        类型: 部门
        上级: 北京市海淀区人民政府
        别名: [海淀区教委]

or, for a coordinator who keeps it in Excel or WPS, a workbook (``.xlsx``) whose first sheet
has a header row 名称 · 类型 · 上级 · 别名 (aliases separated by 、 or ；) and one body a row.

Given the reports of a year, :func:`roster_findings` says which bodies have no report
(``ROSTER-missing``), which have two (``ROSTER-duplicate``), which reports come from a
body not on the roster (``ROSTER-unknown``) and which were published after the deadline
of the body's kind (``ROSTER-late``; 政府 by 31 March, 部门 by 31 January).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from hdgovreport.checks import Finding, Location, rule_by_code
from hdgovreport.district.names import normalise_agency
from hdgovreport.errors import DataFileError, Problem
from hdgovreport.model import AgencyKind

#: Largest roster file accepted (bytes) and most bodies on it.
MAX_ROSTER_BYTES = 1024 * 1024
MAX_BODIES = 5000

_KINDS: dict[str, AgencyKind] = {"政府": "government", "部门": "department"}
KIND_NAMES: dict[str, str] = {v: k for k, v in _KINDS.items()}
_KEYS = ("名称", "类型", "上级", "别名")


@attrs.frozen
class Body:
    """One reporting body (信息公开主体) on the roster."""

    name: str
    kind: AgencyKind
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    line: int | None = None  # where it is on the roster file

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@attrs.frozen
class Roster:
    """The bodies of a district, in roster order."""

    bodies: tuple[Body, ...]
    region: str = ""
    filename: str = ""

    def match(self, agency: str) -> Body | None:
        """The body an agency name belongs to: its name or an alias, exactly, then normalised."""
        for body in self.bodies:
            if agency in body.names:
                return body
        key = normalise_agency(agency)
        for body in self.bodies:
            if any(normalise_agency(n) == key for n in body.names):
                return body
        return None

    def children_of(self, parent: str) -> tuple[Body, ...]:
        """The bodies whose parent is ``parent`` (a name or an alias of it)."""
        owner = self.match(parent)
        names = set(owner.names) if owner else {parent}
        return tuple(b for b in self.bodies if b.parent in names)


def deadline(year: int, kind: AgencyKind) -> _dt.date:
    """Article 49: departments publish by 31 January, governments by 31 March of the next year."""
    return _dt.date(year + 1, 3 if kind == "government" else 1, 31)


# ---------------------------------------------------------------- reading


def load_roster(path: str | Path) -> Roster:
    """Read a roster file (YAML, or a workbook for ``.xlsx``).

    Raises :class:`DataFileError` naming the line (or sheet!cell) and field of every problem."""
    from hdgovreport.fileio import regular_file_problem

    filename = str(path)
    problem = regular_file_problem(path)
    if problem is not None:
        raise DataFileError(filename, [Problem(problem)])
    size = Path(path).stat().st_size
    if size > MAX_ROSTER_BYTES:
        raise DataFileError(
            filename, [Problem(f"名册文件过大（上限 {MAX_ROSTER_BYTES // 1024} KB）")]
        )
    data = Path(path).read_bytes()
    if Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        return loads_roster_workbook(data, filename)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataFileError(filename, [Problem("名册文件不是 UTF-8 编码的文本")]) from None
    return loads_roster(text, filename)


def loads_roster(text: str, filename: str = "<名册>") -> Roster:
    """Read a roster from its YAML text."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    try:
        root = YAML(typ="rt").compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise DataFileError(
            filename, [Problem(f"不是有效的 YAML：{exc.problem or exc.context}", line=line)]
        ) from None
    except (YAMLError, RecursionError) as exc:
        raise DataFileError(filename, [Problem(f"不是有效的 YAML：{exc}")]) from None

    problems: list[Problem] = []

    def line_of(node: Any) -> int:
        return int(node.start_mark.line) + 1

    def scalar(node: Any, field: str) -> str | None:
        if not isinstance(node, ScalarNode) or not str(node.value).strip():
            problems.append(Problem("应为一段文字", line=line_of(node), field=field))
            return None
        return str(node.value).strip()

    if not isinstance(root, MappingNode):
        raise DataFileError(filename, [Problem("名册应以“单位:”开头，列出各单位")])
    top = {str(k.value): v for k, v in root.value if isinstance(k, ScalarNode)}
    unknown = [k for k in top if k not in ("地区", "单位")]
    for key in unknown:
        problems.append(Problem("不认识的键（可用：地区、单位）", field=key))
    region = scalar(top["地区"], "地区") if "地区" in top else ""
    entries = top.get("单位")
    if not isinstance(entries, SequenceNode) or not entries.value:
        problems.append(Problem("缺少“单位”列表（每个单位一项，“- 名称: …”）", field="单位"))
        raise DataFileError(filename, problems)
    if len(entries.value) > MAX_BODIES:
        raise DataFileError(filename, [Problem(f"单位过多（上限 {MAX_BODIES} 个）", field="单位")])
    bodies: list[Body] = []
    for i, entry in enumerate(entries.value, 1):
        field = f"单位 › 第 {i} 项"
        if not isinstance(entry, MappingNode):
            problems.append(Problem("应为“名称: …”等键值", line=line_of(entry), field=field))
            continue
        values = {str(k.value): (k, v) for k, v in entry.value if isinstance(k, ScalarNode)}
        for key, (knode, _v) in values.items():
            if key not in _KEYS:
                problems.append(
                    Problem(
                        f"不认识的键“{key}”（可用：{'、'.join(_KEYS)}）",
                        line=line_of(knode),
                        field=field,
                    )
                )
        if "名称" not in values:
            problems.append(Problem("缺少“名称”", line=line_of(entry), field=field))
            continue
        name = scalar(values["名称"][1], f"{field} › 名称")
        if name is None:
            continue
        kind_text = scalar(values["类型"][1], f"{field} › 类型") if "类型" in values else None
        kind, message = _kind(name, kind_text)
        if message:
            problems.append(
                Problem(message, line=line_of(values["类型"][1]), field=f"{field} › 类型")
            )
        parent = scalar(values["上级"][1], f"{field} › 上级") if "上级" in values else None
        aliases: list[str] = []
        if "别名" in values:
            node = values["别名"][1]
            items = node.value if isinstance(node, SequenceNode) else [node]
            for item in items:
                alias = scalar(item, f"{field} › 别名")
                if alias:
                    aliases.append(alias)
        bodies.append(Body(name, kind, parent, tuple(aliases), line=line_of(values["名称"][1])))
    for (body, first), other in _duplicates(bodies):
        problems.append(
            Problem(
                f"“{other}”在名册上出现了两次（另见第 {first} 行）",
                line=body.line,
                field="单位 › 名称",
            )
        )
    if problems:
        raise DataFileError(filename, problems)
    return Roster(bodies=tuple(bodies), region=region or "", filename=filename)


def _kind(name: str, text: str | None) -> tuple[AgencyKind, str | None]:
    """A body's kind from the roster's 类型 (政府/部门), else from its name; and the problem."""
    from hdgovreport.model import infer_kind

    if text is None:
        return infer_kind(name), None
    kind = _KINDS.get(text)
    if kind is None:
        return infer_kind(name), f"类型应为“政府”或“部门”，实际为“{text}”"
    return kind, None


def _duplicates(bodies: Sequence[Body]) -> list[tuple[tuple[Body, int | None], str]]:
    """Each later body whose name or alias (normalised) is already on the roster, with the
    line of the first one and the repeated name."""
    seen: dict[str, Body] = {}
    out: list[tuple[tuple[Body, int | None], str]] = []
    for body in bodies:
        for n in body.names:
            key = normalise_agency(n)
            if key in seen and seen[key] is not body:
                out.append(((body, seen[key].line), n))
            seen[key] = body
    return out


_ALIAS_SEPARATORS = re.compile(r"[、；;，,\n]+")


def loads_roster_workbook(data: bytes, filename: str = "<名册>") -> Roster:
    """Read a roster kept as a workbook: its first sheet, a header row naming the columns
    名称 · 类型 · 上级 · 别名 (any order; 名称 required), then one body a row.

    Raises :class:`DataFileError` naming ``sheet!cell`` for every problem.
    """
    from openpyxl.utils import get_column_letter

    from hdgovreport.datafile.workbook.cells import check_container, read_sheets

    check_container(data, filename)
    sheets = read_sheets(data, filename, data_only=True)
    if not sheets:
        raise DataFileError(filename, [Problem("工作簿中没有工作表")])
    sheet = next(iter(sheets.values()))
    rows: dict[int, dict[int, object]] = {}
    for (r, c), cell in sheet.cells.items():
        rows.setdefault(r, {})[c] = cell.value
    problems: list[Problem] = []

    def where(r: int, c: int) -> str:
        return f"{sheet.title}!{get_column_letter(c)}{r}"

    def text(value: object) -> str:
        return "" if value is None else str(value).strip()

    header_row = next((r for r in sorted(rows) if any(text(v) for v in rows[r].values())), None)
    columns: dict[str, int] = {}
    if header_row is not None:
        for c, value in sorted(rows[header_row].items()):
            label = text(value)
            if label in _KEYS:
                columns.setdefault(label, c)
            elif label:
                problems.append(
                    Problem(
                        f"不认识的列“{label}”（可用：{'、'.join(_KEYS)}）",
                        field=where(header_row, c),
                    )
                )
    if header_row is None or "名称" not in columns:
        raise DataFileError(
            filename,
            [
                Problem(
                    f"第一行应为表头：{'、'.join(_KEYS)}（至少要有“名称”列）",
                    field=f"{sheet.title}!A1",
                ),
                *problems,
            ],
        )
    body_rows = [
        r for r in sorted(rows) if r > header_row and any(text(v) for v in rows[r].values())
    ]
    if len(body_rows) > MAX_BODIES:
        raise DataFileError(
            filename, [Problem(f"单位过多（上限 {MAX_BODIES} 个）", field=sheet.title)]
        )
    bodies: list[Body] = []
    for r in body_rows:
        values = {key: text(rows[r].get(c)) for key, c in columns.items()}
        name = values.get("名称", "")
        if not name:
            problems.append(Problem("缺少“名称”", field=where(r, columns["名称"])))
            continue
        kind, message = _kind(name, values.get("类型") or None)
        if message:
            problems.append(Problem(message, field=where(r, columns["类型"])))
        aliases = tuple(
            a.strip() for a in _ALIAS_SEPARATORS.split(values.get("别名", "")) if a.strip()
        )
        bodies.append(Body(name, kind, values.get("上级") or None, aliases, line=r))
    for (body, first), other in _duplicates(bodies):
        problems.append(
            Problem(
                f"“{other}”在名册上出现了两次（另见第 {first} 行）",
                field=where(body.line or 0, columns["名称"]),
            )
        )
    if problems:
        raise DataFileError(filename, problems)
    return Roster(bodies=tuple(bodies), region="", filename=filename)


# ---------------------------------------------------------------- checking


@attrs.frozen
class Submitted:
    """One report handed in: which file, for which agency and year, published when."""

    file: str
    agency: str
    year: int
    published: _dt.date | None = None
    #: What the report says (e.g. its table values): files with equal content are one report
    #: published in several formats (HTML, PDF, Word), not duplicates.  ``None``: unknown.
    content: object = None


@attrs.frozen
class RosterFinding:
    """A roster finding, with the file it concerns (``""`` for a missing report)."""

    file: str
    agency: str
    finding: Finding


def _location(body: Body | None, roster: Roster) -> Location:
    return Location(section="单位名册", field="roster", row=body.name if body else None)


def roster_findings(
    roster: Roster, reports: Sequence[Submitted], year: int | None = None
) -> tuple[RosterFinding, ...]:
    """Compare the reports of ``year`` (default: the most common year) with the roster."""
    if year is None:
        years = [r.year for r in reports]
        year = max(set(years), key=years.count) if years else None
    of_year = [r for r in reports if year is None or r.year == year]
    by_body: dict[str, list[Submitted]] = {}
    out: list[RosterFinding] = []
    for sub in of_year:
        body = roster.match(sub.agency)
        if body is None:
            finding = rule_by_code("ROSTER-unknown").finding(
                f"报送报告的机关“{sub.agency}”不在单位名册上（名称和别名都不一致）；"
                "请核对机关名称，或把它加入名册。",
                _location(None, roster),
                actual=sub.agency,
            )
            out.append(RosterFinding(sub.file, sub.agency, finding))
            continue
        by_body.setdefault(body.name, []).append(sub)
        if sub.published is not None:
            due = deadline(sub.year, body.kind)
            if sub.published > due:
                finding = rule_by_code("ROSTER-late").finding(
                    f"发布日期 {sub.published} 晚于名册所列{KIND_NAMES[body.kind]}"
                    f"年度报告的公布期限 {due}（《条例》第四十九条）。",
                    _location(body, roster),
                    expected=f"≤ {due}",
                    actual=str(sub.published),
                )
                out.append(RosterFinding(sub.file, sub.agency, finding))
    for body in roster.bodies:
        subs = by_body.get(body.name, [])
        if not subs:
            finding = rule_by_code("ROSTER-missing").finding(
                f"名册上的“{body.name}”没有{'' if year is None else f' {year} 年度'}的报告。",
                _location(body, roster),
                expected=body.name,
            )
            out.append(RosterFinding("", body.name, finding))
        elif len(_distinct(subs)) > 1:
            files = "、".join(s.file for s in subs)
            for sub in subs:
                finding = rule_by_code("ROSTER-duplicate").finding(
                    f"“{body.name}”有 {len(subs)} 份 {sub.year} 年度报告：{files}；请只保留一份。",
                    _location(body, roster),
                    actual=len(subs),
                    expected=1,
                )
                out.append(RosterFinding(sub.file, sub.agency, finding))
    return tuple(out)


def _distinct(subs: Sequence[Submitted]) -> list[Submitted]:
    """The reports among ``subs`` that differ (one report in three formats counts once)."""
    out: list[Submitted] = []
    for sub in subs:
        if sub.content is None or all(sub.content != o.content for o in out):
            out.append(sub)
    return out


__all__ = [
    "Body",
    "Roster",
    "RosterFinding",
    "Submitted",
    "deadline",
    "load_roster",
    "loads_roster",
    "roster_findings",
]
