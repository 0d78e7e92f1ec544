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


SMALLEST_TEXT = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let smallest = Infinity, where = "";
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (el.closest("svg")) continue;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const size = parseFloat(style.fontSize);
    if (size < smallest) { smallest = size; where = node.textContent.trim().slice(0, 20); }
  }
  return [smallest, where];
}"""

OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("main *")]
    .filter(e => { const r = e.getBoundingClientRect(); return r.width && (r.right > width + 0.5 || r.left < -0.5); })
    .map(e => `${e.tagName}.${e.getAttribute("class")}`).slice(0, 5);
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_no_horizontal_overflow_no_console_errors(
    browser: Any, html: str, width: int, tmp_path: Path
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
    page.set_content(html, wait_until="load")
    assert problems == []
    assert requests == []  # self-contained: not one request
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, f"page is {scroll}px wide in a {client}px viewport"
    assert page.evaluate(OVERFLOWING) == []
    smallest, where = page.evaluate(SMALLEST_TEXT)
    assert smallest >= 12, f"text “{where}” is {smallest}px"
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
    donut = page.locator("#chart-applicants svg.donut")
    box = donut.bounding_box()
    assert box is not None and box["width"] > 100
    assert page.locator("#chart-applicants .donut-total").text_content() == "1521"
    segments = page.locator("#chart-outcomes svg.stack rect")
    assert segments.count() == 6
    boxes = [segments.nth(i).bounding_box() for i in range(6)]
    bar = page.locator("#chart-outcomes svg.stack").bounding_box()
    # the segments fill the bar from edge to edge, left to right, largest for 无法提供 (871 of 1521)
    assert boxes[0]["x"] == pytest.approx(bar["x"], abs=1)
    assert boxes[-1]["x"] + boxes[-1]["width"] == pytest.approx(bar["x"] + bar["width"], abs=1)
    assert all(a["x"] < b["x"] for a, b in itertools.pairwise(boxes))
    assert max(boxes, key=lambda b: b["width"]) == boxes[3]
    page.close()
