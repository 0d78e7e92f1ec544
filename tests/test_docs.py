"""The documentation stays true: generated references are current, links resolve."""

from __future__ import annotations

import re

from conftest import ROOT

from hdgovreport.reference import refresh


def test_generated_reference_pages_are_up_to_date() -> None:
    for name in ("fields.md", "rules.md"):
        path = ROOT / "docs" / name
        text = path.read_text("utf-8")
        assert refresh(text) == text, (
            f"docs/{name} is stale: run python -m hdgovreport.reference docs"
        )


def test_relative_links_in_docs_and_readme_resolve() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for page in pages:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text("utf-8")):
            assert (page.parent / target).exists(), f"{page.name}: broken link {target}"
