"""The coordinator's year: batch build, year pairing, audit with every finding, xlsx, CSV, notes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import attrs
import pytest
from district_data import Agency, make_district, report_for
from office import SOFFICE

import hdgovreport as hg
from hdgovreport.cli import main
from hdgovreport.district.names import normalise_agency, safe_filename
from hdgovreport.district.notes import return_notes, write_notes
from hdgovreport.district.pairing import Entry, pair_years

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Agency]]:
    """Six agencies of 2023: the 3rd with a T4-sum error; the 2nd and 6th with last year's
    report beside them (published HTML, and PDF)."""
    folder = tmp_path_factory.mktemp("district") / "2023"
    return folder, make_district(folder, 6, pdf_every=2)


def test_the_generated_district_is_what_the_tests_say(district: tuple[Path, list[Agency]]) -> None:
    _folder, agencies = district
    assert [a.has_error for a in agencies] == [False, False, True, False, False, False]
    assert [a.previous.suffix if a.previous else None for a in agencies] == [
        None, ".html", None, None, None, ".pdf",
    ]  # fmt: skip
    for a in agencies:
        codes = hg.check(a.report, a.previous_report).codes()
        assert codes == (["T4-sum"] if a.has_error else []), a.name


# ---------------------------------------------------------------- batch build


def test_batch_build_names_files_after_reports_one_folder_each_and_refuses_errors(
    district: tuple[Path, list[Agency]], tmp_path: Path
) -> None:
    folder, agencies = district
    out = tmp_path / "out"
    seen: list[tuple[int, int]] = []
    result = hg.build_many(
        [folder],
        to="html,docx",
        graphic="html",
        out=out,
        previous=[folder],
        workers=2,
        progress=lambda done, total, _path: seen.append((done, total)),
    )
    assert result.exit_code == 1  # one report refused
    assert [r.agency for r in result.reports] == [a.name for a in agencies]
    (refused,) = result.refused
    assert refused.agency == agencies[2].name and "T4-sum" in (refused.refused or "")
    assert not (out / safe_filename(agencies[2].name)).exists()
    for a in agencies:
        if a.has_error:
            continue
        title = a.report.title
        where = out / a.name
        assert sorted(p.name for p in where.iterdir()) == sorted(
            [f"{title}.html", f"{title}.docx", f"{title}（图解）.html"]
        )
        page = (where / f"{title}.html").read_text("utf-8")
        assert title in page and str(a.report.applications.new_received.total) in page
        import docx

        assert docx.Document(str(where / f"{title}.docx")).paragraphs[0].text == title
    assert seen[-1][0] == seen[-1][1]  # the progress ends at its total
    # last year's reports were paired by name, and the linkage rules ran on each pair
    assert result.pairing is not None
    paired = {p.current.agency: p.previous.file for p in result.pairing.pairs}
    assert paired == {a.name: str(a.previous) for a in agencies if a.previous}
    assert len(result.pairing.unpaired) == 4
    table = result.to_table()
    for a in agencies:
        assert a.name in table
    assert "报告有错误（T4-sum），未生成" in table
    assert "合计：6 份报告，生成 5 份（15 个文件），未生成 1 份" in table
    assert "衔接相符" in table


def test_batch_build_flat_and_the_carry_over_rule_per_pair(tmp_path: Path) -> None:
    from helpers import replace_at

    this, last = tmp_path / "2023", tmp_path / "2022"
    this.mkdir()
    last.mkdir()
    before = {n: report_for(n, 2022, 9) for n in ("某市某区统计局", "某市某区审计局")}
    good, bad = (report_for(n, 2023, 6, last=last) for n, last in before.items())
    carried = bad.applications.carried_over
    wrong = attrs.evolve(
        carried, natural_person=carried.natural_person + 2, total=carried.total + 2
    )
    for report, forward, name in (
        (good, good.applications.carried_over, "统计局"),
        (bad, wrong, "审计局"),
    ):
        hg.dump(report, this / f"{name}.yaml")
        last_year = replace_at(before[report.meta.agency], "applications.carried_forward", forward)
        hg.dump(last_year, last / f"{name}2022年.yaml")
    result = hg.build_many(
        [this], to="html", out=tmp_path / "out", flat=True, previous=[last], workers=0
    )
    assert result.pairing is not None and len(result.pairing.pairs) == 2
    by_agency = {r.agency: r for r in result.reports}
    assert by_agency[good.meta.agency].outputs == (str(tmp_path / "out" / f"{good.title}.html"),)
    refused = by_agency[bad.meta.agency]
    assert "LINK-carryover" in (refused.refused or "")
    assert refused.result is not None
    links = {f.location.field: f for f in refused.result.errors if f.code == "LINK-carryover"}
    assert set(links) == {
        "applications.carried_over.natural_person",
        "applications.carried_over.total",
    }
    link = links["applications.carried_over.natural_person"]
    assert (link.expected, link.actual) == (carried.natural_person + 2, carried.natural_person)
    assert "LINK-carryover 2 处" in result.to_table() and "衔接相符" in result.to_table()


def test_duplicate_reports_of_one_agency_are_refused_not_overwritten(tmp_path: Path) -> None:
    report = report_for("某市某区审计局", 2023, 3)
    hg.dump(report, tmp_path / "a.yaml")
    hg.dump(report, tmp_path / "b.yaml")
    (tmp_path / "bad.yaml").write_text("报告:\n  机关: [\n", "utf-8")
    result = hg.build_many([tmp_path], to="html", out=tmp_path / "out", workers=0)
    by_file = {Path(r.file).name: r for r in result.reports}
    assert "输出文件会互相覆盖" in (by_file["a.yaml"].refused or "")
    assert "输出文件会互相覆盖" in (by_file["b.yaml"].refused or "")
    assert by_file["bad.yaml"].unreadable and "数据文件有误" in (by_file["bad.yaml"].refused or "")
    assert result.exit_code == 2
    assert not (tmp_path / "out").exists()


def test_cli_batch_build_prints_the_summary_and_a_single_file_build_is_unchanged(
    district: tuple[Path, list[Agency]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, agencies = district
    code = main(
        ["build", str(folder / "01"), str(folder / "03"), "--to", "html", "--out", str(tmp_path)]
    )
    out = capsys.readouterr()
    assert code == 1
    assert agencies[0].name in out.out and "T4-sum" in out.out and "\r" not in out.err
    single = tmp_path / "single"
    assert main(["build", str(agencies[0].data), "--to", "html", "--out", str(single)]) == 0
    assert [p.name for p in single.iterdir()] == [f"{agencies[0].data.stem}.html"]


def test_output_names_are_safe_on_windows() -> None:
    assert safe_filename('某局/办公室:2023*?"<>|') == "某局／办公室：2023＊？＂＜＞｜"
    assert safe_filename("CON") == "_CON" and safe_filename("nul.txt") == "_nul.txt"
    assert safe_filename("报告. ") == "报告" and safe_filename("\x00\u202e") == "未命名"
    assert len(safe_filename("很" * 400)) == 120
    assert normalise_agency("某市 某区（教育）委员会") == normalise_agency("某市某区(教育)委员会")


def test_pairing_exact_then_normalised_and_says_who_is_left() -> None:
    current = [
        Entry("a", "某区教育委员会", 2023),
        Entry("b", "某区 民政局", 2023),
        Entry("c", "某区统计局", 2023),
    ]
    previous = [
        Entry("a0", "某区教育委员会", 2022),
        Entry("b0", "某区民政局", 2022),
        Entry("c0", "某区统计局", 2021),
    ]
    pairing = pair_years(current, previous)
    assert [(p.current.file, p.previous.file, p.how) for p in pairing.pairs] == [
        ("a", "a0", "exact"),
        ("b", "b0", "normalised"),
    ]
    ((left, why),) = pairing.unpaired
    assert left.file == "c" and "2022" in why and "2021" in why
    assert "名称近似" in pairing.to_text()


# ---------------------------------------------------------------- audit


@pytest.fixture(scope="module")
def published(
    district: tuple[Path, list[Agency]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """This year's reports as published: HTML pages, a CMS fragment, a data file with an error,
    a DOCX, and a file that is not a report."""
    from hdgovreport.render.build import render

    _folder, agencies = district
    pub = tmp_path_factory.mktemp("published")
    for i, a in enumerate(agencies):
        fmt = ("html", "html-fragment", "docx")[i % 3] if not a.has_error else None
        if fmt is None:
            shutil.copy(a.data, pub / f"{i:02d}.yaml")
            continue
        data, _ = render(a.report, [fmt])
        suffix = {"html": ".html", "html-fragment": ".fragment.html", "docx": ".docx"}[fmt]
        (pub / f"{i:02d}{suffix}").write_bytes(data[fmt])
    (pub / "broken.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    return pub


def test_audit_has_every_finding_located_and_reads_our_own_fragment(
    published: Path, district: tuple[Path, list[Agency]]
) -> None:
    folder, agencies = district
    result = hg.audit([published], previous=[folder], workers=2)
    rows = {Path(r.file).name: r for r in result.rows}
    assert rows["01.fragment.html"].unreadable is None  # the tool's own CMS fragment
    assert rows["01.fragment.html"].agency == agencies[1].name
    assert "无法读取" not in str(rows["04.fragment.html"].unreadable or "")
    assert rows["broken.pdf"].unreadable
    assert result.exit_code == 2
    (finding,) = result.findings()
    assert finding.rule == "T4-sum" and finding.file.endswith("02.yaml")
    assert finding.agency == agencies[2].name and finding.place.startswith("第 ")
    assert isinstance(finding.expected, int) and finding.actual != finding.expected
    assert rows["01.fragment.html"].previous == str(agencies[1].previous)  # paired
    data = json.loads(result.to_json())
    assert data["findings"][0]["rule"] == "T4-sum" and data["reports"][2]["findings"]


def test_audit_csv_starts_with_a_bom_and_has_a_row_per_finding(published: Path) -> None:
    result = hg.audit([published], workers=0)
    text = result.to_csv()
    assert text.startswith("\ufeff机关,文件")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == len(result.rows)  # one finding, and one row for each other file
    (bad,) = [r for r in rows if r["规则"]]
    assert (
        bad["规则"] == "T4-sum" and bad["级别"] == "错误" and bad["文件中的位置"].startswith("第 ")
    )
    assert any(r["无法读取的原因"] for r in rows)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_audit_workbook_opens_in_libreoffice_with_every_finding(
    published: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "审核结果.xlsx"
    code = main(["audit", str(published), "--format", "xlsx", "-o", str(target), "--jobs", "2"])
    assert code == 2 and target.exists()
    assert "合计：" in capsys.readouterr().err
    from openpyxl import load_workbook

    wb = load_workbook(target)
    assert wb.sheetnames == ["汇总", "问题清单"]
    assert wb["汇总"].freeze_panes == "A2" and wb["汇总"].auto_filter.ref.startswith("A1:")
    profile = tmp_path / "lo-profile"
    filters = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         filters, "--outdir", str(tmp_path), str(target)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    summary = (tmp_path / "审核结果-汇总.csv").read_text("utf-8").splitlines()
    findings = list(
        csv.reader((tmp_path / "审核结果-问题清单.csv").read_text("utf-8").splitlines())
    )
    assert len(summary) == 1 + len(list(published.iterdir()))
    assert findings[0][:4] == ["机关", "文件", "规则", "级别"]
    (row,) = findings[1:]
    assert row[2] == "T4-sum" and row[3] == "错误" and "总计填报为" in row[6]
    assert target.read_bytes() == hg.audit([published], workers=0).to_xlsx()  # deterministic


def test_return_notes_one_docx_and_html_per_agency_with_findings(
    published: Path, tmp_path: Path
) -> None:
    import docx

    result = hg.audit([published], workers=0)
    notes = return_notes(result)
    assert [n.agency for n in notes] == [
        next(r.agency for r in result.rows if r.findings),
        "broken",  # an unreadable file gets a note too, named after the file
    ]
    written = write_notes(result, tmp_path / "退改单")
    assert sorted(p.name for p in written) == sorted(
        [f"{safe_filename(notes[0].agency)}退改单.docx", f"{safe_filename(notes[0].agency)}退改单.html",
         "broken退改单.docx", "broken退改单.html"]
    )  # fmt: skip
    document = docx.Document(str(written[0]))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "政府信息公开工作年度报告退改单" in text and notes[0].agency in text
    header, row = ([c.text for c in r.cells] for r in document.tables[0].rows)
    finding = result.findings()[0]
    assert header[2:4] == ["文件中的位置", "问题"]
    assert row[3] == finding.message and finding.place in row[2] and row[1] == "错误"
    page = (tmp_path / "退改单" / f"{safe_filename(notes[0].agency)}退改单.html").read_text("utf-8")
    assert finding.message in page and page.count("<tr>") == 2
    assert written[0].read_bytes() == write_notes(result, tmp_path / "again")[0].read_bytes()


def test_audit_refuses_a_fifo_without_opening_it(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = hg.audit([fifo], workers=1)
    assert "命名管道" in (result.rows[0].unreadable or "")


def test_a_roster_finds_missing_duplicated_unknown_and_late_reports(
    district: tuple[Path, list[Agency]], tmp_path: Path
) -> None:
    folder, agencies = district
    roster = tmp_path / "名册.yaml"
    bodies = "".join(f"  - 名称: {a.name}\n    类型: 部门\n" for a in agencies[1:4])
    roster.write_text(
        "地区: 北京市海淀区\n单位:\n" + bodies + "  - 名称: 北京市海淀区统计局\n", "utf-8"
    )
    from helpers import replace_many

    late = replace_many(  # another report of the same body, published after 31 January
        agencies[1].report,
        {"meta.published": dt.date(2024, 2, 20), "proactive.licensing": 1},
    )
    extra = tmp_path / "extra"
    extra.mkdir()
    hg.dump(late, extra / "late.yaml")
    result = hg.audit(
        [folder / "01", folder / "02", folder / "04", extra], roster=roster, workers=0
    )
    codes = sorted((f.finding.code, f.agency) for f in result.roster)
    assert ("ROSTER-missing", "北京市海淀区统计局") in codes
    assert ("ROSTER-missing", agencies[2].name) in codes
    assert ("ROSTER-unknown", agencies[0].name) in codes
    assert ("ROSTER-late", agencies[1].name) in codes
    assert [c for c, a in codes if a == agencies[1].name].count("ROSTER-duplicate") == 2


def test_check_previous_folder_finds_the_agency_of_last_year(
    district: tuple[Path, list[Agency]], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, agencies = district
    paired = agencies[1]
    assert main(["check", str(paired.data), "--previous", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"年度衔接：与 {paired.previous}" in out and "名称相同" in out
    assert main(["check", str(agencies[0].data), "--previous", str(folder)]) == 0
    assert "未找到“北京市海淀区人民政府”的上年报告" in capsys.readouterr().out


def test_batch_graphic_png_comes_with_its_text_version_at_the_asked_width(
    district: tuple[Path, list[Agency]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from PIL import Image

    folder, agencies = district
    first = agencies[0]
    out = tmp_path / "out"
    code = main(["graphic", str(first.data), "--flat", "--to", "png", "--width", "400",
                 "--out", str(out), "--jobs", "0"])  # fmt: skip
    assert code == 0, capsys.readouterr()
    title = first.report.title
    assert sorted(p.name for p in out.iterdir()) == [f"{title}（图解）.png", f"{title}（图解）.txt"]
    with Image.open(out / f"{title}（图解）.png") as image:
        assert image.width == 400
    text = (out / f"{title}（图解）.txt").read_text("utf-8")
    assert str(first.report.applications.new_received.total) in text
    assert "hdgovreport" not in text
    with pytest.raises(SystemExit) as refused:
        main(["graphic", str(folder), "--width", "12", "--out", str(out)])
    assert refused.value.code == 2
    assert "360" in capsys.readouterr().err


def test_audit_leaves_out_our_graphic_edition(tmp_path: Path) -> None:
    from hdgovreport.district.audit import collect

    for name in (
        "某局2023年报告.html",
        "某局2023年报告（图解）.html",
        "r.graphic.png",
        "r.graphic.pdf",
    ):
        (tmp_path / name).write_text("x", "utf-8")
    assert [Path(f).name for f in collect([tmp_path])] == ["某局2023年报告.html"]
