"""Where the bundled templates live.

In a wheel the top-level ``templates/`` directory is installed as
``hdgovreport/templates``; in a source checkout it sits beside the package.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent


@functools.cache
def templates_dir() -> Path:
    """Return the directory holding the bundled templates."""
    for candidate in (_PACKAGE_DIR / "templates", _PACKAGE_DIR.parent / "templates"):
        if (candidate / "official" / "tables.yaml").is_file():
            return candidate
    raise RuntimeError("hdgovreport 安装不完整：找不到模板目录 templates/（请重新安装本软件包）")


def template_path(*parts: str) -> Path:
    """Path of one bundled template file, e.g. ``template_path("official", "tables.yaml")``."""
    return templates_dir().joinpath(*parts)


def load_template_yaml(*parts: str) -> Any:
    """One bundled YAML template (labels, wording, words), parsed as plain data.

    These are our own files, not user input: ruamel.yaml reads them with the C loader of
    ruamel.yaml.clib where it is installed (about ten times faster than the pure-Python
    one, which every process would otherwise pay at start-up) and falls back to the pure
    one by itself; both give the same data for them (tested).
    """
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=False).load(template_path(*parts).read_text("utf-8"))
