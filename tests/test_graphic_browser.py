"""The graphic edition's HTML in a real headless Chromium, at a phone's width and a desktop's.

Uses the system's Chromium (Debian ``chromium``; ``scripts/setup.sh --test`` installs
it) through Playwright, never a downloaded browser.  Outside CI the tests are skipped
when Chromium or Playwright is missing; in CI (``CI=true``) that is a failure.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from hdgovreport import AnnualReport
from hdgovreport.graphic.render import render


@pytest.fixture(scope="module")
def html(haidian: AnnualReport) -> str:
    data, _ = render(haidian, ("html",), allow_errors=True)
    return data["html"].decode("utf-8")


@pytest.fixture(scope="module")
def html_with_previous(haidian: AnnualReport) -> str:
    """With last year's figures: every key figure carries a change line, the narrowest cells too."""
    from test_graphic import last_year

    data, _ = render(haidian, ("html",), previous=last_year(haidian), allow_errors=True)
    return data["html"].decode("utf-8")


SMALLEST_TEXT = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let smallest = Infinity, where = "";
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (el.closest("svg")) continue;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden" || !el.getClientRects().length) continue;
    const size = parseFloat(style.fontSize);
    if (size < smallest) { smallest = size; where = node.textContent.trim().slice(0, 20); }
  }
  return [smallest, where];
}"""

#: Elements wider than the viewport, or sticking out of the box they sit in (the
#: rows of cells take back their outer spacing with negative margins on purpose).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const e of document.querySelectorAll("main *")) {
    if (e.closest("svg") || e.classList.contains("cells-wrap")) continue;
    const r = e.getBoundingClientRect();
    if (!r.width) continue;
    const box = e.parentElement.getBoundingClientRect();
    if (r.right > width + 0.5 || r.left < -0.5 || r.right > box.right + 1 || r.left < box.left - 1)
      out.push(`${e.tagName}.${e.getAttribute("class")}: ${e.textContent.trim().slice(0, 12)}`);
  }
  return out.slice(0, 5);
}"""

#: Short labels (class nw) that were broken over two lines: a word cut in two.
WRAPPED = """() => [...document.querySelectorAll(".nw, .legend-label, .chart-title")]
  .filter(e => {
    const range = document.createRange();
    range.selectNodeContents(e);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    return lines.size > 1;
  })
  .map(e => e.textContent.trim())"""


@pytest.mark.parametrize(("width", "year_over_year"), [(375, False), (1280, False), (375, True)])
def test_no_overflow_no_wrapped_word_no_console_errors_and_axe_finds_nothing(
    browser: Any,
    html: str,
    html_with_previous: str,
    width: int,
    year_over_year: bool,
    tmp_path: Path,
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 800})
    problems: list[str] = []
    requests: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("request", lambda r: requests.append(r.url))
    page.set_content(html_with_previous if year_over_year else html, wait_until="load")
    assert problems == []
    assert requests == []  # self-contained: not one request
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, f"page is {scroll}px wide in a {client}px viewport"
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate(WRAPPED) == []
    smallest, where = page.evaluate(SMALLEST_TEXT)
    assert smallest >= 14, f"text “{where}” is {smallest}px"
    from axe_playwright_python.sync_playwright import Axe  # scripts/setup.sh --test installs it

    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}})
    assert [(v["id"], len(v["nodes"])) for v in results.response["violations"]] == []
    # the design width: the content column is 750 px on a desktop, the whole screen on a phone
    main_width = page.evaluate("document.querySelector('main').getBoundingClientRect().width")
    assert main_width == (750 if width > 750 else width)
    shot = tmp_path / f"graphic-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    from PIL import Image

    with Image.open(shot) as image:
        assert image.width == width and image.height > 2000
    page.close()


def test_charts_are_drawn_with_their_text(browser: Any, html: str) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.set_content(html, wait_until="load")
    picture = page.locator("#chart-applicants svg.pictogram").bounding_box()
    assert picture is not None and picture["width"] > 300
    segments = page.locator("#chart-reconsideration .stack .seg")
    assert segments.count() == 4
    boxes = [segments.nth(i).bounding_box() for i in range(4)]
    bar = page.locator("#chart-reconsideration .stack").bounding_box()
    # the segments fill the bar from edge to edge, left to right, 结果维持 (67 of 125) the widest
    assert boxes[0]["x"] == pytest.approx(bar["x"], abs=1)
    assert boxes[-1]["x"] + boxes[-1]["width"] == pytest.approx(bar["x"] + bar["width"], abs=1.5)
    assert all(a["x"] < b["x"] for a, b in itertools.pairwise(boxes))
    assert boxes[0]["width"] == pytest.approx(bar["width"] * 67 / 125, abs=1.5)
    # a share bar is its share of the track: 无法提供 871 of 1521 = 57.3 %
    fills = page.locator("#chart-outcomes .bar-fill")
    tracks = page.locator("#chart-outcomes .bar")
    ratio = fills.nth(3).bounding_box()["width"] / tracks.nth(3).bounding_box()["width"]
    assert ratio == pytest.approx(871 / 1521, abs=0.01)
    # the text version is folded away, and opens
    lines = page.locator("details.text-version p")
    assert not lines.first.is_visible()
    page.locator("details.text-version summary").click()
    assert lines.first.is_visible() and lines.count() > 20
    page.close()
