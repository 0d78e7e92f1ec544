"""Shared fixtures: the Haidian example and a clean variant of it."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from helpers import clean_variant  # noqa: E402

from hdgovreport import AnnualReport, load_report  # noqa: E402

HAIDIAN = ROOT / "examples" / "haidian-2022" / "report.yaml"


@pytest.fixture(scope="session")
def haidian() -> AnnualReport:
    """The Haidian 2022 report exactly as published (with its T4-sum error)."""
    return load_report(HAIDIAN)


@pytest.fixture(scope="session")
def clean(haidian: AnnualReport) -> AnnualReport:
    """Haidian 2022 with its two published inconsistencies repaired: no findings at all."""
    return clean_variant(haidian)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: Flags for a closed network and no first-run work (see the project's machine notes).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (never a downloaded browser); skipped outside CI if missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    if not Path(CHROMIUM).exists():
        _unavailable("chromium is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
