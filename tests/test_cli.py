"""The command line as a user runs it: a real process, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import HAIDIAN, ROOT

from hdgovreport import __version__

EXAMPLE = HAIDIAN.read_text("utf-8")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hdgovreport", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=120,
    )


def test_version() -> None:
    out = run("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"hdgovreport {__version__}"


def test_check_haidian_text() -> None:
    out = run("check", str(HAIDIAN))
    assert out.returncode == 1
    assert "错误 T4-sum" in out.stdout
    assert (
        f"{HAIDIAN}:{EXAMPLE.split(chr(10)).index(next(line for line in EXAMPLE.split(chr(10)) if '复议后起诉' in line)) + 1}:"
        in out.stdout
    )
    assert "共 1 个错误，1 个警告。" in out.stdout


def test_check_haidian_json_reports_exactly_the_t4_sum_error_plus_warnings() -> None:
    out = run("check", str(HAIDIAN), "--format", "json")
    assert out.returncode == 1
    data = json.loads(out.stdout)
    errors = [f for f in data["findings"] if f["severity"] == "error"]
    assert [e["code"] for e in errors] == ["T4-sum"]
    (error,) = errors
    assert (error["expected"], error["actual"]) == (45, 42)
    assert error["location"]["row"] == "复议后起诉"
    assert error["location"]["source"]["line"] == next(
        i for i, line in enumerate(EXAMPLE.split("\n"), 1) if line.startswith("  复议后起诉:")
    )
    assert {f["code"] for f in data["findings"] if f["severity"] == "warning"} == {"FEE-unpaid"}
    for finding in data["findings"]:
        assert set(finding) >= {"code", "severity", "message", "location", "expected", "actual"}


def test_check_clean_file_exits_zero(tmp_path: Path) -> None:
    fixed = EXAMPLE.replace("尚未审结: 19, 总计: 42}", "尚未审结: 19, 总计: 45}")
    path = tmp_path / "fixed.yaml"
    path.write_text(fixed, "utf-8")
    out = run("check", str(path))
    assert out.returncode == 0, out.stdout
    assert "警告 FEE-unpaid" in out.stdout


def test_check_with_previous_year(tmp_path: Path) -> None:
    previous = EXAMPLE.replace("报告年度: 2022", "报告年度: 2021").replace(
        "结转下年度继续办理: {自然人: 100, 商业企业: 3, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 103}",
        "结转下年度继续办理: {自然人: 100, 商业企业: 2, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 1, 其他: 0, 总计: 103}",
    )
    path = tmp_path / "2021.yaml"
    path.write_text(previous, "utf-8")
    out = run("check", str(HAIDIAN), "--previous", str(path), "--format", "json")
    codes = [f["code"] for f in json.loads(out.stdout)["findings"]]
    assert "LINK-carryover" not in codes
    assert "LINK-stock" in codes  # 175 + 6 - 137 != 175

    wrong = previous.replace(
        "法律服务机构: 1, 其他: 0, 总计: 103}", "法律服务机构: 0, 其他: 0, 总计: 102}", 1
    )
    path.write_text(
        wrong.replace(
            "自然人: 100, 商业企业: 2, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 1",
            "自然人: 100, 商业企业: 2, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0",
        ),
        "utf-8",
    )
    out = run("check", str(HAIDIAN), "--previous", str(path))
    assert out.returncode == 1
    assert "LINK-carryover" in out.stdout


MALFORMED = {
    "truncated": EXAMPLE[: EXAMPLE.index("复议后起诉: {") + 25],
    "string-count": EXAMPLE.replace("行政强制: 57", "行政强制: 五十七"),
    "negative": EXAMPLE.replace("行政强制: 57", "行政强制: -1"),
    "unknown-section": EXAMPLE + "七、附件:\n  导语: []\n",
    "control-char": EXAMPLE.replace("完善组织架构", "完善\x1b组织架构"),
    "missing-section": EXAMPLE[: EXAMPLE.index("其他需要报告的事项:")],
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_files_exit_2_with_file_line_and_field(tmp_path: Path, case: str) -> None:
    path = tmp_path / f"{case}.yaml"
    path.write_text(MALFORMED[case], "utf-8")
    out = run("check", str(path))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr + out.stdout
    first = out.stderr.splitlines()[0]
    assert first.startswith(f"{path}:"), first
    assert first[len(str(path)) + 1].isdigit()  # file:line


def test_binary_and_huge_files_exit_2(tmp_path: Path) -> None:
    binary = tmp_path / "b.yaml"
    binary.write_bytes(bytes(range(256)) * 10)
    out = run("check", str(binary))
    assert out.returncode == 2 and "不是文本文件" in out.stderr and "Traceback" not in out.stderr

    huge = tmp_path / "huge.yaml"
    huge.write_text(EXAMPLE.replace("完善组织架构", "长" * (10 * 1024 * 1024 // 3)), "utf-8")
    out = run("check", str(huge))
    assert out.returncode == 2 and "上限为 2 MB" in out.stderr


def test_invalid_input_in_json_mode_prints_input_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(MALFORMED["negative"], "utf-8")
    out = run("check", str(path), "--format", "json")
    assert out.returncode == 2
    data = json.loads(out.stdout)
    problem, cross_check = data["input_errors"]  # sorted by line
    assert problem["field"] == "主动公开政府信息情况 › 行政强制"
    assert problem["line"] > 1 and "code" not in problem
    # the table checks still run beside the format problem: the published T4-sum error
    assert cross_check["code"] == "T4-sum" and cross_check["line"] > problem["line"]


def test_new_writes_a_template_that_checks_without_errors(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    out = run("new", "--agency", "北京市海淀区人民政府", "--year", "2023", "-o", str(path))
    assert out.returncode == 0, out.stderr
    text = path.read_text("utf-8")
    assert "机关名称: 北京市海淀区人民政府" in text and "# 填写说明" in text
    out = run("check", str(path))
    assert out.returncode == 0
    assert "S1-oversight" in out.stdout  # a government's template still lacks 考核/评议/追究

    again = run("new", "--agency", "x", "--year", "2023", "-o", str(path))
    assert again.returncode == 2 and "文件已存在" in again.stderr
    assert path.read_text("utf-8") == text
    forced = run("new", "--agency", "某局", "--year", "2024", "-o", str(path), "--force")
    assert forced.returncode == 0 and "机关名称: 某局" in path.read_text("utf-8")


def test_new_to_stdout_and_2019_edition() -> None:
    out = run("new", "--agency", "某县人民政府", "--year", "2020")
    assert out.returncode == 0
    assert "格式版本: 2019" in out.stdout and "政府集中采购" in out.stdout


def test_argument_errors_exit_2_in_chinese() -> None:
    out = run("check")
    assert out.returncode == 2 and "缺少必需的参数" in out.stderr
    out = run("new", "--agency", "x", "--year", "明年")
    assert out.returncode == 2 and "年份应为整数" in out.stderr
    out = run("check", str(HAIDIAN), "--format", "xml")
    assert out.returncode == 2 and "无效" in out.stderr


def test_works_from_any_directory(tmp_path: Path) -> None:
    out = run("check", str(HAIDIAN), cwd=tmp_path)
    assert out.returncode == 1
