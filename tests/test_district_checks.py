"""The district's rules (SUM-*, ROSTER-*), the exact district sum, and workers under spawn."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from conftest import ROOT
from district_data import report_for
from helpers import examples, replace_at
from hypothesis import given, settings
from hypothesis import strategies as st

import hdgovreport as hg
from hdgovreport.checks.tables import table_values
from hdgovreport.cli import main
from hdgovreport.district.roster import Submitted, load_roster, loads_roster, roster_findings
from hdgovreport.errors import AggregateError, DataFileError
from hdgovreport.form import queries

CHILDREN = [report_for(f"某市某区第{i}局", 2023, 40 + i) for i in range(4)]


def _sum() -> hg.AnnualReport:
    return hg.aggregate(CHILDREN, agency="某市某区（全区汇总）").report


# ---------------------------------------------------------------- aggregate


def test_aggregate_is_the_cell_wise_sum_totals_included() -> None:
    summed = hg.aggregate(
        [(f"{i}.yaml", c) for i, c in enumerate(CHILDREN)], agency="某市某区（全区汇总）"
    )
    values = table_values(summed.report)
    for path in queries.cell_paths("2021"):
        assert values[path] == sum(table_values(c)[path] for c in CHILDREN), path
    assert isinstance(values["proactive.fees"], Decimal)
    assert [m.label for m in summed.members] == ["0.yaml", "1.yaml", "2.yaml", "3.yaml"]
    assert "0.yaml" in summed.report.overview.intro[0] and "4 家单位" in summed.report.opening[0]
    assert hg.check(summed.report).errors == ()  # sums of consistent reports are consistent


def test_aggregate_refuses_mixed_editions_and_repeated_agencies_and_skips_other_years() -> None:
    old = attrs.evolve(CHILDREN[0], meta=attrs.evolve(CHILDREN[0].meta, year=2022))
    with pytest.raises(AggregateError, match="年度不一致"):
        hg.aggregate([old, CHILDREN[1]], agency="汇总")
    summed = hg.aggregate([("old", old), ("new", CHILDREN[1])], agency="汇总", year=2023)
    assert [m.label for m in summed.members] == ["new"] and summed.skipped[0][0] == "old"
    with pytest.raises(AggregateError, match="同一机关"):
        hg.aggregate([("a", CHILDREN[1]), ("b", CHILDREN[1])], agency="汇总")


def _value(kind: str) -> st.SearchStrategy[object]:
    if kind == "count":
        return st.integers(0, 10**6)
    if kind == "signed":
        return st.integers(-(10**5), 10**5)
    places = 6 if kind == "money" else 2
    return st.decimals(0, 10**7, places=places, allow_nan=False, allow_infinity=False)


@st.composite
def tables_only(draw: st.DrawFn, edition: str, name: str) -> hg.AnnualReport:
    """A report whose every table cell (totals too, right or wrong) is drawn."""
    from hdgovreport.model import OtherMatters, ReportMeta
    from hdgovreport.model.structure import structure_tables

    cells = queries.cells_by_path(edition)
    values = {path: draw(_value(cell.type)) for path, cell in cells.items()}
    t = structure_tables(edition, values)  # type: ignore[arg-type]
    assert t.ok, t.problems
    year = 2020 if edition == "2019" else 2023
    return hg.AnnualReport(
        meta=ReportMeta(agency=name, year=year, edition=edition),  # type: ignore[arg-type]
        proactive=t.proactive,  # type: ignore[arg-type]
        applications=t.applications,  # type: ignore[arg-type]
        review_litigation=t.review_litigation,  # type: ignore[arg-type]
        other_matters=OtherMatters(fee=t.fee),  # type: ignore[arg-type]
    )


@st.composite
def district(draw: st.DrawFn) -> tuple[list[hg.AnnualReport], list[int]]:
    """Reports of one year and edition, and a partition of them (a part number each)."""
    edition = draw(st.sampled_from(["2021", "2019"]))
    n = draw(st.integers(1, 5))
    children = [draw(tables_only(edition, f"某区第{i}单位")) for i in range(n)]
    parts = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    return children, parts


@settings(max_examples=examples(30), deadline=None)
@given(district())
def test_aggregating_a_partition_then_the_parts_gives_the_same_numbers(
    case: tuple[list[hg.AnnualReport], list[int]],
) -> None:
    children, parts = case
    whole = hg.aggregate(children, agency="全区")
    groups = [
        [c for c, p in zip(children, parts, strict=True) if p == k] for k in sorted(set(parts))
    ]
    partial = [hg.aggregate(g, agency=f"片区{k}").report for k, g in enumerate(groups)]
    again = hg.aggregate(partial, agency="全区")
    assert table_values(again.report) == table_values(whole.report)
    assert hg.check_children(whole.report, children).findings == ()


# ---------------------------------------------------------------- SUM-*


def test_sum_cell_passes_when_the_parent_is_the_sum() -> None:
    assert hg.check_children(_sum(), CHILDREN).findings == ()


def test_sum_cell_fails_on_exactly_the_changed_cell() -> None:
    path = "applications.granted.commercial"
    parent = _sum()
    changed = replace_at(parent, path, table_values(parent)[path] + 3)
    (finding,) = hg.check_children(changed, CHILDREN).findings
    assert finding.code == "SUM-cell" and finding.location.field == path
    assert finding.actual == finding.expected + 3
    assert finding.location.row == "（一）予以公开" and finding.location.column == "商业企业"
    for child in CHILDREN:
        value = table_values(child)[path]
        if value:
            assert f"{child.meta.agency} {value}" in finding.message


def test_sum_members_passes_for_children_of_the_same_year() -> None:
    assert "SUM-members" not in hg.check_children(_sum(), CHILDREN).codes()


def test_sum_members_fails_for_a_child_of_another_year() -> None:
    old = attrs.evolve(CHILDREN[0], meta=attrs.evolve(CHILDREN[0].meta, year=2022))
    result = hg.check_children(_sum(), [old, *CHILDREN[1:]])
    assert result.codes().count("SUM-members") == 1
    assert "SUM-cell" in result.codes()  # the sum of the other three differs


def test_cli_aggregate_then_check_children_proves_the_sum(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "children"
    folder.mkdir()
    for i, child in enumerate(CHILDREN):
        hg.dump(child, folder / f"{i}.yaml")
    target = tmp_path / "sum.yaml"
    code = main(
        [
            "aggregate",
            str(folder),
            "--agency",
            "某市某区（全区汇总）",
            "-o",
            str(target),
            "--jobs",
            "1",
        ]
    )
    assert code == 0 and "已汇总 4 份报告" in capsys.readouterr().out
    assert main(["check", str(target), "--children", str(folder)]) in (0, 1)
    assert "SUM-" not in capsys.readouterr().out
    text = target.read_text("utf-8")
    parent = hg.load_report(target)
    before = parent.review_litigation.reconsideration.upheld
    line = next(i for i, t in enumerate(text.splitlines()) if "结果维持" in t)
    lines = text.splitlines()
    lines[line] = lines[line].replace(f"结果维持: {before}", f"结果维持: {before + 1}", 1)
    target.write_text("\n".join(lines) + "\n", "utf-8")
    assert main(["check", str(target), "--children", str(folder), "--format", "json"]) == 1
    import json

    data = json.loads(capsys.readouterr().out)
    (sum_cell,) = [f for f in data["findings"] if f["code"] == "SUM-cell"]
    assert sum_cell["location"]["field"] == "review_litigation.reconsideration.upheld"
    assert sum_cell["location"]["source"]["line"] == line + 1
    assert main(["aggregate", str(folder), "--agency", "x", "-o", str(target)]) == 2  # exists


# ---------------------------------------------------------------- ROSTER-*

ROSTER = loads_roster(
    textwrap.dedent(
        """\
        地区: 某市某区
        单位:
          - 名称: 某市某区人民政府
            类型: 政府
          - 名称: 某市某区教育委员会
            类型: 部门
            上级: 某市某区人民政府
            别名: [某区教委]
        """
    )
)


def _sub(
    name: str, file: str = "x.yaml", published: dt.date | None = None, content: object = 1
) -> Submitted:
    return Submitted(file, name, 2023, published, content)


def _codes(subs: list[Submitted]) -> list[str]:
    return [f.finding.code for f in roster_findings(ROSTER, subs)]


def test_roster_missing_passes_when_every_body_reported() -> None:
    assert _codes([_sub("某市某区人民政府"), _sub("某区教委")]) == []


def test_roster_missing_fails_for_a_body_without_a_report() -> None:
    (finding,) = roster_findings(ROSTER, [_sub("某市某区人民政府")])
    assert finding.finding.code == "ROSTER-missing" and finding.agency == "某市某区教育委员会"


def test_roster_duplicate_passes_for_one_report_in_three_formats() -> None:
    subs = [_sub("某区教委", f) for f in ("a.html", "a.pdf", "a.docx")]
    assert _codes([_sub("某市某区人民政府"), *subs]) == []


def test_roster_duplicate_fails_for_two_different_reports() -> None:
    subs = [_sub("某区教委", "a.yaml", content=1), _sub("某市某区教育委员会", "b.yaml", content=2)]
    assert _codes([_sub("某市某区人民政府"), *subs]) == ["ROSTER-duplicate"] * 2


def test_roster_unknown_passes_for_names_and_aliases() -> None:
    assert "ROSTER-unknown" not in _codes([_sub("某市 某区人民政府"), _sub("某区教委")])


def test_roster_unknown_fails_for_a_body_not_on_the_roster() -> None:
    assert "ROSTER-unknown" in _codes([_sub("某市某区统计局")])


def test_roster_late_passes_for_a_government_by_31_march() -> None:
    assert (
        _codes([_sub("某市某区人民政府", published=dt.date(2024, 3, 31)), _sub("某区教委")]) == []
    )


def test_roster_late_fails_for_a_department_after_31_january() -> None:
    codes = _codes([_sub("某市某区人民政府"), _sub("某区教委", published=dt.date(2024, 2, 1))])
    assert codes == ["ROSTER-late"]


def test_a_bad_roster_names_the_line_and_field() -> None:
    with pytest.raises(DataFileError) as caught:
        loads_roster("单位:\n  - 名称: 甲\n    类型: 局\n  - 名字: 乙\n", "名册.yaml")
    problems = [(p.line, p.message) for p in caught.value.problems]
    assert (3, "类型应为“政府”或“部门”，实际为“局”") in problems
    assert any(line == 4 and "名字" in message for line, message in problems)


def _roster_workbook(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "名册"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_roster_kept_in_a_workbook_reads_as_the_yaml_one(tmp_path: Path) -> None:
    book = _roster_workbook(
        tmp_path / "名册.xlsx",
        [
            ["名称", "类型", "上级", "别名"],
            ["某市某区人民政府", "政府", None, None],
            ["某市某区教育委员会", "部门", "某市某区人民政府", "某区教委"],
        ],
    )
    roster = load_roster(book)
    assert [(b.name, b.kind, b.parent, b.aliases) for b in roster.bodies] == [
        (b.name, b.kind, b.parent, b.aliases) for b in ROSTER.bodies
    ]
    assert [f.finding.code for f in roster_findings(roster, [_sub("某市某区人民政府")])] == [
        "ROSTER-missing"
    ]


def test_a_bad_roster_workbook_names_sheet_and_cell(tmp_path: Path) -> None:
    book = _roster_workbook(
        tmp_path / "名册.xlsx",
        [
            ["名称", "类型", "备注"],
            ["甲", "局"],
            [None, "部门"],
            ["甲", "部门"],
        ],
    )
    with pytest.raises(DataFileError) as caught:
        load_roster(book)
    problems = {(p.field, p.message) for p in caught.value.problems}
    assert ("名册!C1", "不认识的列“备注”（可用：名称、类型、上级、别名）") in problems
    assert ("名册!B2", "类型应为“政府”或“部门”，实际为“局”") in problems
    assert ("名册!A3", "缺少“名称”") in problems
    assert ("名册!A4", "“甲”在名册上出现了两次（另见第 2 行）") in problems
    no_header = _roster_workbook(tmp_path / "空.xlsx", [["单位", "类别"]])
    with pytest.raises(DataFileError, match="至少要有“名称”列"):
        load_roster(no_header)


# ---------------------------------------------------------------- spawn


def test_audit_and_build_many_work_under_spawn_without_a_main_guard(tmp_path: Path) -> None:
    """A script without ``if __name__ == "__main__"``, with spawn forced (as on Windows, macOS)."""
    hg.dump(CHILDREN[0], tmp_path / "a.yaml")
    (tmp_path / "notes.txt").write_text("与年度报告无关。\n", "utf-8")
    script = tmp_path / "coordinator.py"
    script.write_text(
        textwrap.dedent(
            f"""\
            import multiprocessing
            multiprocessing.set_start_method("spawn", force=True)
            import hdgovreport as hg
            result = hg.audit([{str(tmp_path)!r}], workers=2)
            for row in result.rows:
                print("AUDIT", row.file.rsplit("/", 1)[-1], row.unreadable or "ok")
            built = hg.build_many([{str(tmp_path / "a.yaml")!r}], to="html", out={str(tmp_path / "out")!r}, workers=1)
            print("BUILT", len(built.reports[0].outputs))
            """
        ),
        "utf-8",
    )
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "AUDIT a.yaml ok" in lines
    assert any(line.startswith("AUDIT notes.txt") and "意外退出" not in line for line in lines)
    assert "AUDIT coordinator.py" not in out.stdout  # .py files are not reports
    assert "BUILT 1" in lines
    assert lines.count("BUILT 1") == 1  # the script ran once: workers never re-ran it


def test_workers_that_cannot_start_say_why_and_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hdgovreport.errors import WorkerError

    hg.dump(CHILDREN[0], tmp_path / "a.yaml")
    monkeypatch.setattr(sys, "executable", str(ROOT / "no-such-python"))
    with pytest.raises(WorkerError, match=r"处理进程无法启动.*workers=0"):
        hg.audit([tmp_path], workers=1)
    assert hg.audit([tmp_path], workers=0).rows[0].errors == 0  # in this process: works


def test_the_sum_of_sixty_agencies_and_one_changed_cell() -> None:
    from district_data import agency_names

    sixty = [report_for(name, 2023, 700 + i) for i, name in enumerate(agency_names(60))]
    summed = hg.aggregate(sixty, agency="北京市海淀区（全区汇总）").report
    columns = [table_values(r) for r in sixty]
    assert table_values(summed) == {
        path: sum(v[path] for v in columns) for path in queries.cell_paths("2021")
    }
    assert hg.check_children(summed, sixty).findings == ()
    path = "proactive.fees"
    changed = replace_at(summed, path, table_values(summed)[path] + Decimal("0.0001"))
    (finding,) = hg.check_children(changed, sixty).findings
    assert (finding.code, finding.location.field) == ("SUM-cell", path)
    assert "另有" in finding.message  # 60 children: the first twelve named, the rest counted
