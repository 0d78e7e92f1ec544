"""The graphic edition's own words, read from ``templates/graphic/wording.yaml``.

Official labels never appear there: they come from :mod:`hdgovreport.form.layout`
and fill the placeholders of these phrases.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from hdgovreport.resources import load_template_yaml


@functools.cache
def _raw() -> Mapping[str, Any]:
    data = load_template_yaml("graphic", "wording.yaml")
    if not isinstance(data, dict):
        raise RuntimeError("hdgovreport 安装不完整：templates/graphic/wording.yaml 不是映射")
    return data


def phrase(key: str, **fields: object) -> str:
    """The phrase at dotted ``key`` (``applications.volume_title``), placeholders filled."""
    value: Any = _raw()
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(f"templates/graphic/wording.yaml 缺少 {key}")
        value = value[part]
    if not isinstance(value, str):
        raise KeyError(f"templates/graphic/wording.yaml 的 {key} 不是一句文字")
    return value.format(**fields) if fields else value


def table(key: str) -> Mapping[str, str]:
    """A mapping of phrases (``units``, ``blocks``)."""
    value = _raw()[key]
    return {str(k): str(v) for k, v in value.items()}
