"""The workbook in real office software: LibreOffice Calc opens it headless, recalculates the
live totals, prints the official tables, and saves it back; what it saved reads the same."""

from __future__ import annotations

import csv
import io
import os
import subprocess
from pathlib import Path

import attrs
import openpyxl
import pytest
from conftest import HAIDIAN
from helpers import clean_variant
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from office import SOFFICE, raw_text
from strategies import reports

import hdgovreport as hg
from hdgovreport import AnnualReport
from hdgovreport.datafile import blank_report, dumps, load
from hdgovreport.datafile.workbook import layout as L
from hdgovreport.errors import DataFileError
from hdgovreport.form import queries
from hdgovreport.form.layout import layout
from hdgovreport.model import Highlight

pytestmark = pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("CI"), reason="LibreOffice is not installed"
)

#: LibreOffice's CSV filter: comma, double quote, UTF-8, every sheet to its own file.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


#: One throw-away LibreOffice profile for the module (the first start builds it, slowly).
_PROFILE: list[Path] = []


def convert(files: list[Path], work: Path, target: str) -> Path:
    """Convert ``files`` with LibreOffice (one run); returns the folder of the results."""
    assert SOFFICE is not None, "LibreOffice (soffice) is needed: scripts/setup.sh --test"
    if not _PROFILE:
        import tempfile

        _PROFILE.append(Path(tempfile.mkdtemp(prefix="hdgov-lo-")))
    out = work / target.split(":")[0]
    out.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={_PROFILE[0].as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, (done.stdout, done.stderr)
    return out


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("office")
    out = {"h": work / "h.xlsx", "clean": work / "clean.xlsx"}
    haidian = hg.load_report(HAIDIAN)
    hg.dump(haidian, out["h"])
    hg.dump(clean_variant(haidian), out["clean"])
    return out


@pytest.fixture(scope="module")
def sheets_csv(workbooks: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return convert([workbooks["h"]], tmp_path_factory.mktemp("csv"), CSV_FILTER)


def _rows(folder: Path, sheet: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((folder / f"h-{sheet}.csv").read_text("utf-8"))))


def test_calc_recalculates_the_sum_beside_the_wrong_total_and_marks_it(sheets_csv: Path) -> None:
    rows = _rows(sheets_csv, "表4")
    t4 = next(s for s in L.table_sheets("2021") if s.name == "表4")
    total = t4.cells["review_litigation.litigation_after_review.total"]
    row, column = L._row_of(total), L._column_of(total)
    assert rows[row - 1][column - 1] == "42"  # reported, kept as typed
    assert rows[row][column - 1] == "45"  # the computed 总计 beside (below) it
    assert rows[row + 1][column - 1] == L.MISMATCH
    for group in ("reconsideration", "litigation_direct"):
        c = L._column_of(t4.cells[f"review_litigation.{group}.total"])
        assert rows[row][c - 1] == rows[row - 1][c - 1] and rows[row + 1][c - 1] == ""


def test_calc_shows_the_official_labels_in_place(sheets_csv: Path) -> None:
    for sheet in L.table_sheets("2021"):
        rows = _rows(sheets_csv, sheet.name)
        assert rows[0][0] == sheet.title
        for cell, label in sheet.labels.items():
            assert rows[L._row_of(cell) - 1][L._column_of(cell) - 1] == label, (sheet.name, cell)
    t3 = _rows(sheets_csv, "表3")
    sums = next(s for s in L.table_sheets("2021") if s.name == "表3")
    for row in queries.application_row_fields("2021"):
        total = sums.cells[f"applications.{row}.total"]
        r, c = L._row_of(total) - 1, L._column_of(total) - 1
        parts = [int(t3[r][c - 6 + i]) for i in range(6)]
        assert int(t3[r][c + 1]) == sum(parts)  # the live SUM beside every row total


def test_calc_prints_every_sheet_with_the_tables_and_marks_the_difference_in_red(
    workbooks: dict[str, Path], tmp_path: Path
) -> None:
    from PIL import Image

    pdf_dir = convert([workbooks["h"], workbooks["clean"]], tmp_path, "pdf")
    text = raw_text(pdf_dir / "h.pdf")
    for sheet in L.table_sheets("2021"):
        assert sheet.title in text
        for label in set(sheet.labels.values()):
            for part in label.split():
                assert part[:12] in text.replace("\n", ""), (sheet.name, part)
    assert hg.load_report(HAIDIAN).title in text  # 基本信息's title, a formula Calc computed
    for attr in ("overview", "problems", "other_matters"):
        assert L.narrative_sheet_name(attr) in text

    def red_pixels(pdf: Path) -> int:
        pages = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True
        ).stdout.split("\f")
        page = next(i for i, p in enumerate(pages, 1) if L.table_sheets("2021")[2].title in p)
        subprocess.run(
            ["pdftoppm", "-r", "40", "-f", str(page), "-l", str(page), "-png", str(pdf), str(pdf)],
            check=True,
        )
        image = Image.open(next(pdf.parent.glob(f"{pdf.name}-*.png"))).convert("RGB")
        colours = image.getcolors(image.width * image.height) or []
        return sum(n for n, (r, g, b) in colours if r > 240 and 185 < g < 215 and 190 < b < 220)

    assert red_pixels(pdf_dir / "h.pdf") > 20  # 42 and 45 in red
    assert red_pixels(pdf_dir / "clean.pdf") == 0


def _highlighted() -> AnnualReport:
    report = hg.load_report(HAIDIAN)
    subs = list(report.overview.subsections)
    subs[0] = attrs.evolve(subs[0], highlights=(Highlight("222", "份", "社会评议调查样本"),))
    return attrs.evolve(report, overview=attrs.evolve(report.overview, subsections=tuple(subs)))


@settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(reports(published=True), min_size=4, max_size=4))
def test_a_workbook_saved_by_calc_reads_the_same(generated: list[AnnualReport]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        originals = {
            "h": hg.load_report(HAIDIAN),
            "hl": _highlighted(),
            "b19": blank_report("某县人民政府", 2020, "2019"),
            **{f"g{i}": r for i, r in enumerate(generated)},
        }
        files = []
        for name, report in originals.items():
            hg.dump(report, work / f"{name}.xlsx")
            files.append(work / f"{name}.xlsx")
        saved = convert(files, work, "xlsx")
        for name, report in originals.items():
            again = saved / f"{name}.xlsx"
            assert again.read_bytes() != (work / f"{name}.xlsx").read_bytes()
            cached = openpyxl.load_workbook(again, data_only=True)
            assert cached[L.META_SHEET]["A1"].value == report.title  # Calc cached its formulas
            for sheet in L.table_sheets(report.edition):  # the official merged cells, kept
                kept = {str(m) for m in cached[sheet.name].merged_cells.ranges}
                assert set(sheet.merges) <= kept, (name, sheet.name, set(sheet.merges) - kept)
            loaded = load(again).report
            assert loaded == report, name
            assert dumps(loaded) == dumps(report)


def test_mistakes_saved_by_calc_get_the_same_messages(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    hg.dump(hg.load_report(HAIDIAN), path)
    t3 = next(s for s in L.table_sheets("2021") if s.name == "表3")
    cells = [t3.cells[f"applications.new_received.{c}"] for c in queries.applicant_parts()]
    wb = openpyxl.load_workbook(path)
    for cell, value in zip(cells, (-1, "十二", "１２", "1,520", "=1+1", "#REF!"), strict=True):
        wb["表3"][cell] = value
    wb.save(path)
    saved = convert([path], tmp_path, "xlsx") / "bad.xlsx"
    with pytest.raises(DataFileError) as ours:
        load(path)
    with pytest.raises(DataFileError) as calcs:
        load(saved)
    assert [p.field for p in calcs.value.problems] == [f"表3!{c}" for c in cells]
    assert [p.message for p in calcs.value.problems] == [p.message for p in ours.value.problems]
    assert layout().applications.name == "表3"
