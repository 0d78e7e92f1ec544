"""The data file's ``图解`` settings: the source line and the derived rates, read, written and checked."""

from __future__ import annotations

import attrs
import pytest
from conftest import HAIDIAN

import hdgovreport as hg
from hdgovreport import AnnualReport
from hdgovreport.datafile import dumps, loads
from hdgovreport.errors import DataFileError, InvalidValueError
from hdgovreport.model import GraphicSettings


def with_settings(text: str) -> str:
    return HAIDIAN.read_text("utf-8") + text


def test_no_settings_by_default(haidian: AnnualReport) -> None:
    assert haidian.graphic == GraphicSettings()
    assert haidian.graphic.is_default
    assert "图解:" not in dumps(haidian)  # a file without settings is written without them


def test_settings_are_read_and_written_back(haidian: AnnualReport) -> None:
    loaded = loads(
        with_settings("图解:\n  数据来源: 《海淀区政府信息公开年报》\n  计算比率: [纠正率]\n")
    ).report
    assert loaded.graphic == GraphicSettings(
        source="海淀区政府信息公开年报", rates=("correction_rate",)
    )
    text = dumps(loaded)
    assert text.endswith("图解:\n  数据来源: 海淀区政府信息公开年报\n  计算比率: [纠正率]\n")
    assert loads(text).report == loaded
    assert attrs.evolve(haidian, graphic=loaded.graphic) == loaded


def test_empty_settings_are_no_settings() -> None:
    for text in ("图解:\n", "图解:\n  数据来源:\n  计算比率: []\n"):
        assert loads(with_settings(text)).report.graphic.is_default


def test_settings_errors_name_the_line_and_the_choices() -> None:
    text = with_settings("图解:\n  来源: 某报告\n  计算比率: [增长率, 纠正率]\n")
    with pytest.raises(DataFileError) as caught:
        loads(text, "report.yaml")
    message = str(caught.value)
    lines = len(HAIDIAN.read_text("utf-8").splitlines())
    assert f"report.yaml:{lines + 2}:3: 图解：未知的键“来源”，是否应为“数据来源”？" in message
    assert f"report.yaml:{lines + 3}:" in message and "应为纠正率之一，实际为“增长率”" in message
    with pytest.raises(DataFileError, match="图解：应为由“数据来源”“计算比率”组成的映射"):
        loads(with_settings("图解: [纠正率]\n"))


def test_the_model_checks_its_settings() -> None:
    with pytest.raises(InvalidValueError, match="不支持的比率"):
        GraphicSettings(rates=("growth_rate",))  # type: ignore[arg-type]
    assert GraphicSettings(source="《》").source is None
    assert GraphicSettings(rates="correction_rate").rates == ("correction_rate",)  # type: ignore[arg-type]


def test_the_blank_file_explains_the_settings() -> None:
    text = hg.new_report_file(None, agency="某县某局", year=2023)
    assert "# - 图解版的设置（可选）写在文件末尾" in text
    assert "计算比率: [纠正率]" in text
    assert loads(text).report.graphic.is_default
