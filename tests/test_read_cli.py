"""check, import and audit on published files, as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import ROOT
from test_cli import run

from hdgovreport import load_report

FIXTURES = ROOT / "tests" / "fixtures" / "published"
SEED = FIXTURES / "haidian-2022.txt"
SEED_LINES = SEED.read_text("utf-8").split("\n")


def test_check_published_text_json_locates_the_error_at_its_published_line() -> None:
    out = run("check", str(SEED), "--format", "json")
    assert out.returncode == 1, out.stderr
    data = json.loads(out.stdout)
    (error,) = [f for f in data["findings"] if f["severity"] == "error"]
    assert error["code"] == "T4-sum" and error["location"]["row"] == "复议后起诉"
    line = error["location"]["source"]["line"]
    assert SEED_LINES[line - 1] == "\t42"
    assert data["reading"]["format"] == "text" and data["reading"]["edition"] == "2021"
    assert any("“2、”" in n["message"] for n in data["reading"]["notes"])


def test_check_text_output_names_the_line_and_the_reading() -> None:
    out = run("check", str(SEED))
    assert out.returncode == 1
    assert f"{SEED}:434:2" in out.stdout and "错误 T4-sum" in out.stdout
    assert "读入：文本" in out.stdout


def test_check_unreadable_exits_2_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4\n%garbage\n")
    out = run("check", str(path), "--format", "json")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert json.loads(out.stdout)["unreadable"]


def test_import_writes_a_data_file_equal_to_the_published_report(tmp_path: Path) -> None:
    target = tmp_path / "2022.yaml"
    out = run("import", str(SEED), "-o", str(target))
    assert out.returncode == 0, out.stderr
    assert load_report(target) == load_report(ROOT / "examples" / "haidian-2022" / "report.yaml")
    again = run("import", str(SEED), "-o", str(target))
    assert again.returncode == 2 and "--force" in again.stderr


def test_tables_json_shape_for_published_and_data_files() -> None:
    published = json.loads(run("import", str(SEED), "--tables-json").stdout)
    data = json.loads(
        run("import", str(ROOT / "examples/haidian-2022/report.yaml"), "--tables-json").stdout
    )
    assert published == data
    assert set(published) == {"edition", "agency", "year", "table2", "table3", "table4"}
    assert published["table2"]["规章"] == {"本年制发件数": 0, "本年废止件数": 0, "现行有效件数": 0}
    assert published["table2"]["行政事业性收费"] == {"本年收费金额（单位：万元）": "19656.3836"}
    assert published["table3"]["一、本年新收政府信息公开申请数量"]["总计"] == 1521
    assert "（四）无法提供/1.本机关不掌握相关政府信息" in published["table3"]
    assert list(published["table3"])[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert published["table4"]["行政复议"] == {
        "结果维持": 67,
        "结果纠正": 15,
        "其他结果": 7,
        "尚未审结": 36,
        "总计": 125,
    }


def test_audit_a_folder_mixing_every_shape_and_a_corrupt_file(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("haidian-2022.txt", "site-2020.html", "word-2023.docx", "word-2023.pdf"):
        shutil.copy(FIXTURES / name, folder / name)
    shutil.copy(ROOT / "examples/haidian-2022/report.yaml", folder / "data.yaml")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    (folder / "notes.txt").write_text("会议纪要\n与年度报告无关。\n", "utf-8")
    out = run("audit", str(folder), "--format", "json")
    assert out.returncode == 2  # some files unreadable; the rest still audited
    data = json.loads(out.stdout)
    rows = {Path(r["file"]).name: r for r in data["reports"]}
    assert set(rows) == {
        "haidian-2022.txt",
        "site-2020.html",
        "word-2023.docx",
        "word-2023.pdf",
        "data.yaml",
        "broken.pdf",
        "notes.txt",
    }
    assert rows["haidian-2022.txt"]["errors"] == 1 and rows["haidian-2022.txt"]["year"] == 2022
    assert rows["data.yaml"]["errors"] == 1 and rows["data.yaml"]["format"] == "data"
    assert (
        rows["site-2020.html"]["edition"] == "2019" and rows["site-2020.html"]["format"] == "html"
    )
    assert (
        rows["word-2023.docx"]["agency"]
        == rows["word-2023.pdf"]["agency"]
        == "某市某区市场监督管理局"
    )
    assert rows["broken.pdf"]["unreadable"] and rows["notes.txt"]["unreadable"]
    total = data["total"]
    assert total == {
        "files": 7,
        "read": 5,
        "unreadable": 2,
        "reports_with_errors": sum(1 for r in rows.values() if r["errors"] and not r["unreadable"]),
        "errors": sum(r["errors"] for r in rows.values()),
        "warnings": sum(r["warnings"] for r in rows.values()),
        "roster_findings": 0,
    }
    # every finding is there, located in its file, not only the counts
    assert len(data["findings"]) == sum(r["errors"] + r["warnings"] for r in rows.values())
    (t4,) = [
        f
        for f in data["findings"]
        if f["file"].endswith("haidian-2022.txt") and f["severity"] == "error"
    ]
    assert t4["rule"] == "T4-sum" and t4["place"].startswith("第 ") and t4["actual"] == 42
    table = run("audit", str(folder))
    assert "合计：7 个文件，可读 5 份，无法读取 2 份" in table.stdout
    assert "\r" not in table.stderr  # no progress bar when standard error is not a terminal
    csv = run("audit", str(folder / "site-2020.html"), "--format", "csv")
    assert csv.returncode == 0 and csv.stdout.splitlines()[0].startswith("\ufeff机关,文件,格式")


def test_audit_api_bounds_the_time_per_file_and_keeps_the_order() -> None:
    from hdgovreport.district.audit import audit

    files = [str(FIXTURES / "word-2023.pdf"), str(SEED), str(FIXTURES / "missing.txt")]
    result = audit(files, workers=2, time_limit=0.000001)
    assert [r.file for r in result.rows] == files
    assert all(r.unreadable for r in result.rows)
    assert "超时" in (result.rows[0].unreadable or "")
    assert "不存在" in (result.rows[2].unreadable or "")
    relaxed = audit(files[:2], workers=1)
    assert [r.errors for r in relaxed.rows] == [0, 1]
