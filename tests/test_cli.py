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


# ------------------------------------------------------------------ in-process runs


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``hdgovreport ARGS`` in this process: (exit code, stdout, stderr)."""
    from hdgovreport.cli import main

    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse's own exits (help, argument errors)
        code = int(exit_.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_near_miss_commands_get_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = cli(capsys, "chek", str(HAIDIAN))
    assert code == 2 and "您是不是要输入 check？" in err
    code, _out, err = cli(capsys, "check", str(HAIDIAN), "--format", "jsn")
    assert code == 2 and "您是不是要输入 json？" in err


def test_help_is_chinese_throughout(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("", "check", "build", "graphic", "new", "import", "audit"):
        code, out, _err = cli(capsys, *([command] if command else []), "-h")
        assert code == 0 and out.startswith("用法：")
        for english in (
            "usage:",
            "options:",
            "positional arguments",
            "show this help",
            "FILE",
            "DIR",
        ):
            assert english not in out, (command, english)
    _code, out, _err = cli(capsys, "build", "-h")
    assert "--previous 去年的文件" in out and "--out 目录" in out and "docx Word 文档" in out


def test_output_problems_exit_2_naming_the_path_and_the_cause(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "r.yaml"
    source.write_text(EXAMPLE, "utf-8")
    not_a_folder = tmp_path / "out.txt"
    not_a_folder.write_text("", "utf-8")
    code, _out, err = cli(
        capsys, "build", str(source), "--to", "html", "--out", str(not_a_folder), "--allow-errors"
    )
    assert code == 2 and f"{not_a_folder}: 无法写入：输出目录应为文件夹" in err
    (tmp_path / "r.html").mkdir()  # a folder where the output file goes
    code, _out, err = cli(capsys, "build", str(source), "--to", "html", "--allow-errors")
    assert code == 2 and f"{tmp_path / 'r.html'}: 无法写入：这是一个文件夹" in err
    folder = tmp_path / "target"
    folder.mkdir()
    code, _out, err = cli(capsys, "import", str(source), "-o", str(folder), "--force")
    assert code == 2 and f"{folder}: 无法写入：这是一个文件夹" in err
    code, _out, err = cli(capsys, "new", "--agency", "某局", "--year", "2023", "-o", str(folder))
    assert code == 2 and "这是一个文件夹" in err
    assert "内部错误" not in err and "Traceback" not in err


def test_disk_full_and_word_holding_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    from hdgovreport import fileio

    source = tmp_path / "r.yaml"
    source.write_text(EXAMPLE, "utf-8")
    code, _out, _err = cli(capsys, "build", str(source), "--to", "html,docx", "--allow-errors")
    assert code == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    source.write_text(EXAMPLE.replace("北京市海淀区人民政府", "北京市海淀区某局", 1), "utf-8")
    real_replace = os.replace

    def busy(src: object, dst: object) -> None:
        if str(dst).endswith(".docx"):
            raise PermissionError(errno.EACCES, "Access is denied")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(fileio, "WINDOWS", True)
    monkeypatch.setattr(fileio.os, "replace", busy)
    code, _out, err = cli(capsys, "build", str(source), "--to", "html,docx", "--allow-errors")
    monkeypatch.undo()
    assert code == 2 and f"{tmp_path / 'r.docx'}: 无法写入：文件正被其他程序打开" in err
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name != "r.yaml"}
    assert after == {k: v for k, v in before.items() if k != "r.yaml"}  # the old set, whole

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", full)
    code, _out, err = cli(
        capsys, "new", "--agency", "某局", "--year", "2023", "-o", str(tmp_path / "n.yaml")
    )
    assert code == 2 and f"{tmp_path / 'n.yaml'}: 无法写入：磁盘空间不足" in err
    assert not (tmp_path / "n.yaml").exists()


# ------------------------------------------------------------------ the console


def test_a_gbk_console_gets_the_findings_not_a_crash(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    out = subprocess.run(
        [sys.executable, "-m", "hdgovreport", "check", str(HAIDIAN)],
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert out.returncode == 1
    text = out.stdout.decode("gbk")
    assert "错误 T4-sum" in text and "复议后起诉 > 总计" in text  # › has no GBK code: >
    assert "共 1 个错误，1 个警告。" in text and not out.stderr
    # `check x.yaml > 结果.txt` on a GBK console: the file holds the findings in GBK
    result = tmp_path / "结果.txt"
    with result.open("wb") as fh:
        code = subprocess.run(
            [sys.executable, "-m", "hdgovreport", "check", str(HAIDIAN), "--format", "json"],
            stdout=fh,
            cwd=ROOT,
            env=env,
            timeout=120,
        ).returncode
    assert code == 1
    data = json.loads(result.read_bytes().decode("gbk"))  # \\u escapes: exact in any encoding
    assert any(f["location"]["row"] == "复议后起诉" for f in data["findings"])


def test_no_control_characters_off_a_terminal(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(EXAMPLE, "utf-8")
    out = run("audit", str(tmp_path))
    assert out.returncode == 1
    assert "\x1b" not in out.stdout + out.stderr and "\r" not in out.stdout + out.stderr
