"""Shared fixtures: the Haidian example and a clean variant of it."""

from __future__ import annotations

import sys
from pathlib import Path

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
