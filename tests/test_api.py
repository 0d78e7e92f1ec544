"""The Python API as a script uses it: every documented call runs, the surface is small and
typed, and an edition can be built in memory."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import HAIDIAN, ROOT

import hdgovreport as hg
from hdgovreport.datafile import LoadedReport

DOC = ROOT / "docs" / "python-api.md"


def _code_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text("utf-8"), flags=re.S)


def test_every_code_block_of_the_python_api_page_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = _code_blocks()
    assert len(blocks) >= 4
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples" / "haidian-2022").mkdir(parents=True)
    (tmp_path / "examples" / "haidian-2022" / "report.yaml").write_bytes(HAIDIAN.read_bytes())
    for number, block in enumerate(blocks, 1):
        namespace: dict[str, object] = {"__name__": f"python_api_block_{number}"}
        exec(compile(block, f"{DOC.name} block {number}", "exec"), namespace)


def test_read_returns_the_report_and_where_each_value_is() -> None:
    loaded = hg.read(HAIDIAN)
    assert isinstance(loaded, LoadedReport)
    assert loaded.report.meta.agency == "北京市海淀区人民政府"
    source = loaded.sources["review_litigation.litigation_after_review.total"]
    line = HAIDIAN.read_text("utf-8").split("\n")[source.line - 1]
    assert line.startswith("  复议后起诉:") and source.file == str(HAIDIAN)


def test_check_given_a_path_says_to_use_check_file() -> None:
    for given in ("x.yaml", Path("x.yaml")):
        with pytest.raises(TypeError, match=r"check_file\('x.yaml'\)"):
            hg.check(given)  # type: ignore[arg-type]
    report = hg.load_report(HAIDIAN)
    with pytest.raises(TypeError, match="previous"):
        hg.check(report, "2021.yaml")  # type: ignore[arg-type]
    assert [f.code for f in hg.check(report).errors] == ["T4-sum"]


def test_an_official_edition_in_memory_is_what_build_file_writes(tmp_path: Path) -> None:
    report = hg.load_report(HAIDIAN)
    with pytest.raises(hg.BuildRefused):
        hg.render_report(report, "html")
    rendered = hg.render_report(report, ["html", "docx"], allow_errors=True)
    assert rendered.outputs["html"].startswith(b"<!DOCTYPE html>")
    assert rendered.outputs["docx"][:2] == b"PK"
    assert rendered.result.failed_rules == ("T4-sum",)
    written = hg.build_file(HAIDIAN, "html,docx", tmp_path, allow_errors=True)
    for fmt, path in written.outputs.items():
        assert path.read_bytes() == rendered.outputs[fmt]
    graphic = hg.render_report(report, "html", graphic=True, allow_errors=True)
    assert b"<html" in graphic.outputs["html"]


def test_the_top_level_is_small_typed_and_lazy() -> None:
    names = set(hg.__all__)
    functions = {n for n in names if n[0].islower()}
    # about a dozen for one report, and the district's three (build_many, aggregate,
    # check_children: issue 11 names them at the top level)
    assert len(functions) <= 16, sorted(functions)
    for name in names:
        assert getattr(hg, name) is not None
    for moved, module in (("loads", "datafile"), ("tables_json", "published")):
        assert moved not in names
        assert getattr(hg, moved) is getattr(
            __import__(f"hdgovreport.{module}", fromlist=["x"]), moved
        )
    with pytest.raises(AttributeError):
        hg.no_such_name  # noqa: B018
    typed = Path(hg.__file__).with_name("py.typed")
    assert typed.is_file()


def test_version_is_answered_without_importing_the_library() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from hdgovreport.cli import main; code = main(['--version']);"
        "loaded = [m for m in sys.modules if m.startswith('hdgovreport.') and m not in"
        " ('hdgovreport.cli', 'hdgovreport.cli.console')]; print(loaded); sys.exit(code)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ}
    )
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.splitlines()
    assert first == f"hdgovreport {hg.__version__}" and second == "[]"
