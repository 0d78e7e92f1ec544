"""``hdgovreport serve`` in a real browser: Debian's Chromium through Playwright.

The real command runs as the officer starts it (``serve report.yaml --no-browser``); the
page is driven like a person would: type into the official tables, watch the marks come
and go, save, download.  Nothing the page asks for may leave 127.0.0.1, and the console
stays clean.  Set ``HDGOV_SCREENSHOTS=docs/img`` to refresh the pictures in docs/serve.md.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import HAIDIAN
from helpers import replace_at

from hdgovreport import check
from hdgovreport.datafile import dumps, load
from hdgovreport.model import values as V

EXAMPLE = HAIDIAN.read_bytes()
T4_TOTAL = "review_litigation.litigation_after_review.total"
T3_CELL = "applications.granted.research"
WAIT = 20_000  # ms: the machine is shared; the page answers well within this


class Served:
    def __init__(self, url: str, folder: Path) -> None:
        self.url = url
        self.folder = folder
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))


@contextlib.contextmanager
def serving(folder: Path, port: int = 0) -> Iterator[Served]:
    """The real command serving ``folder/report.yaml``, stopped with Ctrl+C afterwards."""
    command = ["serve", "report.yaml", "--no-browser", "--port", str(port)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "hdgovreport", *command],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+", url), url
        yield Served(url, folder)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        assert proc.stderr is not None and "Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """A copy of the example, served."""
    (tmp_path / "report.yaml").write_bytes(EXAMPLE)
    with serving(tmp_path) as server:
        yield server


class Watch:
    """Every request the page makes and every console complaint; foreign requests are blocked."""

    def __init__(self, context: Any, origin: str) -> None:
        self.origin = origin
        self.foreign: list[str] = []
        self.requests: list[str] = []
        self.console: list[str] = []
        context.route("**/*", self.route)

    def route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.origin + "/"):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def page(self, page: Any) -> Any:
        page.on("request", lambda r: self.requests.append(r.url))
        page.on(
            "console",
            lambda m: (
                self.console.append(f"{m.type}: {m.text}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        page.set_default_timeout(WAIT)
        return page

    def assert_clean(self) -> None:
        assert self.console == []
        assert self.foreign == []
        local = [u for u in self.requests if not u.startswith(("data:", "blob:", "about:"))]
        assert local and all(u.startswith(self.origin + "/") for u in local)


def shoot(page: Any, name: str, tmp: Path, *, clip: dict[str, float] | None = None) -> Path:
    """A screenshot, made small (a palette PNG) and kept for the docs when asked."""
    from PIL import Image

    raw = page.screenshot(clip=clip) if clip else page.screenshot()
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    colors = image.resize((64, 64)).getcolors(4096)
    assert colors is None or len(colors) > 20, f"{name} looks blank"
    small = image.quantize(colors=96, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    target = Path(os.environ.get("HDGOV_SCREENSHOTS") or tmp) / f"serve-{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    small.save(target, optimize=True)
    return target


def at(page: Any, path: str) -> tuple[Any, Any, Any]:
    """The input at a model path, its table cell, and the messages shown for it."""
    return (
        page.locator(f'input[data-path="{path}"]'),
        page.locator(f'td[data-cell="{path}"]'),
        page.locator(f'.note[data-for="{path}"]'),
    )


def no_overflow(page: Any) -> None:
    width, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width <= client, f"the page is {width}px wide in a {client}px window"


def test_the_officer_fills_in_the_tables(browser: Any, served: Served, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    watch = Watch(context, served.origin)
    page = watch.page(context.new_page())
    page.goto(served.url)
    t4_message = check(load(HAIDIAN).report).findings[0].message
    summary = page.locator("#summary")
    expect(summary).to_contain_text("1 个错误，1 个警告")
    expect(summary).to_contain_text(t4_message)
    no_overflow(page)

    # the published total 42 is marked at its cell, with the checker's message beside it
    total, cell, note = at(page, T4_TOTAL)
    expect(total).to_have_value("42")
    expect(note).to_have_text(re.compile(re.escape(t4_message)))
    expect(cell).to_have_class(re.compile(r"\bhas-error\b"))
    expect(page.locator(f'[data-computed-for="{T4_TOTAL}"]')).to_have_text("合计 45")
    frame = page.frame_locator("#preview-frame")
    title = load(HAIDIAN).report.title
    expect(frame.locator("h1")).to_have_text(title)
    settled = page.locator("#preview-state")
    expect(settled).to_have_text("")
    shoot(page, "overview-1280", tmp_path)

    # 45: the mark goes away
    total.fill("45")
    expect(note).to_have_count(0)
    expect(cell).not_to_have_class(re.compile(r"\bhas-error\b"))
    expect(summary).to_contain_text("0 个错误，1 个警告")
    expect(page.locator("#save-state")).to_have_text("有未保存的修改")

    # a reload keeps what was typed (browser storage); saving writes the writer's bytes
    page.reload()
    expect(total).to_have_value("45")
    expect(page.locator("#notices")).to_contain_text("已恢复上次未保存的修改")
    page.locator("#save").click()
    expect(page.locator("#notices")).to_contain_text("上一版保存为 report.yaml.bak")
    fixed = dumps(replace_at(load(HAIDIAN).report, T4_TOTAL, 45)).encode("utf-8")
    assert (served.folder / "report.yaml").read_bytes() == fixed
    assert (served.folder / "report.yaml.bak").read_bytes() == EXAMPLE
    expect(page.locator("#save-state")).to_have_text("已保存")

    # 42 again: the message is back at that cell
    total.fill("42")
    expect(note).to_have_text(re.compile(re.escape(t4_message)))
    total.evaluate("e => e.scrollIntoView({block: 'center'})")
    expect(frame.locator("#table-review-litigation td").nth(14)).to_have_text("42")
    expect(settled).to_have_text("")
    shoot(page, "table4-1280", tmp_path)

    # text typed into a Table 3 cell: the data-file reader's message, at the cell
    t3, t3_cell, t3_note = at(page, T3_CELL)
    original = t3.input_value()
    for typed in ("-1", "１２", "十二"):
        t3.fill(typed)
        _value, problem = V.parse_number_text("count", typed)
        assert problem is not None
        expect(t3_note).to_contain_text(problem.message)
        expect(t3_cell).to_have_class(re.compile(r"\bhas-error\b"))
    expect(summary).to_contain_text("1 处填写需要改正")
    t3.evaluate("e => e.scrollIntoView({block: 'center'})")
    expect(settled).to_have_text("填写需要改正，预览暂停")
    shoot(page, "table3-1280", tmp_path)
    # saving is refused while a cell cannot be read; nothing is written
    page.locator("#save").click()
    expect(page.locator("#notices")).to_contain_text("改正后才能保存")
    assert (served.folder / "report.yaml").read_bytes() == fixed
    # the suggestion button puts the meant value in; then the original goes back
    t3_note.get_by_role("button", name="改为 12").click()
    expect(t3).to_have_value("12")
    expect(t3_note).to_have_count(0)
    t3.fill(original)

    # Tab goes along the row, Enter down the column, Shift+Enter back up
    t3.focus()
    active = "document.activeElement.dataset.path"
    page.keyboard.press("Tab")
    assert page.evaluate(active) == "applications.granted.public_interest"
    page.keyboard.press("Enter")
    assert page.evaluate(active) == "applications.partially_granted.public_interest"
    page.keyboard.press("Shift+Enter")
    assert page.evaluate(active) == "applications.granted.public_interest"

    # a finding in the list jumps to its cell
    page.locator("#summary").scroll_into_view_if_needed()
    page.locator(f'#summary button[data-jump="{T4_TOTAL}"]').click()
    assert page.evaluate(active) == T4_TOTAL

    # the previews beside the form: the official page, then the graphic edition
    expect(frame.locator("h1")).to_have_text(title)
    expect(frame.locator(".unverified")).to_have_attribute("data-rules", "T4-sum")
    page.get_by_role("tab", name="图解版").click()
    expect(frame.locator("svg").first).to_be_visible()

    # a download carries the 校验未通过 marking, and the page says so
    with page.expect_download() as download:
        page.locator('[data-render="pdf"]').click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and download.value.suggested_filename == "report.pdf"
    expect(page.locator("#notices")).to_contain_text("校验未通过")

    # sections 1, 5, 6 are lists: a new sub-section's empty title is flagged; move; remove
    section5 = page.locator("#card-problems")
    subs = section5.locator(".subsection")
    expect(subs).to_have_count(2)
    section5.get_by_role("button", name="＋ 小节").click()
    expect(subs).to_have_count(3)
    assert page.evaluate(active) == "problems.subsections.2.title"
    new_title = page.locator('.note[data-for="problems.subsections.2.title"]')
    expect(new_title).to_contain_text(str(V.problem_text("", what="标题")))
    page.keyboard.type("新的小节")
    expect(new_title).to_have_count(0)
    subs.nth(2).get_by_role("button", name="上移小节").click()
    expect(subs.nth(1).locator(".sub-head input")).to_have_value("新的小节")
    expect(subs.nth(2).locator(".sub-head .number")).to_have_text("（三）")
    page.get_by_role("tab", name="正式版").click()
    expect(frame.locator("h3", has_text="新的小节")).to_have_count(1)
    subs.nth(1).get_by_role("button", name="删除小节").click()
    page.locator("#dialog").get_by_role("button", name="删除", exact=True).click()
    expect(subs).to_have_count(2)

    # the 2019 edition redraws Table 3; the cells both editions share keep their values
    edition = page.locator('select[data-path="meta.edition"]')
    edition.select_option("2019")
    expect(page.locator('input[data-path="applications.other_handling.total"]')).to_have_value("")
    expect(page.locator('input[data-path="applications.other_misc.total"]')).to_have_count(0)
    expect(t3).to_have_value(original)
    edition.select_option("2021")
    expect(page.locator('input[data-path="applications.other_misc.total"]')).to_have_value("41")
    expect(summary).to_contain_text("1 个错误，1 个警告")

    # save: the file is the original example again, byte for byte
    page.locator("#save").click()
    expect(page.locator("#save-state")).to_have_text("已保存")
    expect(page.locator("#notices")).to_contain_text("已保存 report.yaml")
    assert (served.folder / "report.yaml").read_bytes() == EXAMPLE
    assert (served.folder / "report.yaml.bak").read_bytes() == fixed

    # someone else changes the file: saving over it asks first
    theirs = EXAMPLE.replace("北京市海淀区人民政府".encode(), "北京市海淀区某某局".encode())
    (served.folder / "report.yaml").write_bytes(theirs)
    total.fill("43")
    page.locator("#save").click()
    dialog = page.locator("#dialog")
    expect(dialog).to_contain_text("被修改过")
    dialog.get_by_role("button", name="不保存").click()
    assert (served.folder / "report.yaml").read_bytes() == theirs
    watch.assert_clean()
    context.close()


def test_a_tablet_upright_and_sideways(browser: Any, served: Served, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT)
    for width, height in ((768, 1024), (1024, 768)):
        context = browser.new_context(
            viewport={"width": width, "height": height}, has_touch=True, locale="zh-CN"
        )
        watch = Watch(context, served.origin)
        page = watch.page(context.new_page())
        page.goto(served.url)
        expect(page.locator("#summary")).to_contain_text("1 个错误，1 个警告")
        no_overflow(page)
        # the form takes the width; the preview is a drawer behind a button
        preview = page.locator("#preview")
        expect(preview).to_be_hidden()
        total, _cell, note = at(page, T4_TOTAL)
        total.scroll_into_view_if_needed()
        box = total.bounding_box()
        assert box is not None and box["width"] >= 36 and box["height"] >= 36  # a finger's size
        expect(note).to_be_visible()
        if width == 768:
            shoot(page, "table4-tablet", tmp_path)
        page.locator("#toggle-preview").click()
        expect(preview).to_be_visible()
        expect(page.frame_locator("#preview-frame").locator("h1")).to_have_text(
            load(HAIDIAN).report.title
        )
        no_overflow(page)
        if width == 768:
            shoot(page, "preview-tablet", tmp_path)
        watch.assert_clean()
        context.close()


def test_a_restart_asks_before_overwriting_a_file_changed_meanwhile(
    browser: Any, tmp_path: Path
) -> None:
    """Typed, not saved; the server stops; someone edits the file; the server starts again."""
    from playwright.sync_api import expect

    from hdgovreport.serve import bind

    expect.set_options(timeout=WAIT)
    (tmp_path / "report.yaml").write_bytes(EXAMPLE)
    free = bind(0)
    port = free.getsockname()[1]
    free.close()  # the same port twice: the page's address, and so its storage, stays the same
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    with serving(tmp_path, port) as first:
        watch = Watch(context, first.origin)
        page = watch.page(context.new_page())
        page.goto(first.url)
        total, _cell, _note = at(page, T4_TOTAL)
        expect(total).to_have_value("42")
        total.fill("45")
        expect(page.locator("#save-state")).to_have_text("有未保存的修改")
        page.wait_for_function(
            "() => Object.keys(localStorage).some(k => k.startsWith('hdgovreport:draft:'))"
        )
        page.close()
    theirs = EXAMPLE.replace("北京市海淀区人民政府".encode(), "北京市海淀区某某局".encode())
    (tmp_path / "report.yaml").write_bytes(theirs)
    with serving(tmp_path, port) as second:
        assert second.origin == first.origin and second.url != first.url  # a new token
        page = watch.page(context.new_page())
        page.goto(second.url)
        dialog = page.locator("#dialog")
        expect(dialog).to_contain_text("上次未保存的修改")
        expect(dialog).to_contain_text("被修改过")
        dialog.get_by_role("button", name="继续编辑我未保存的修改").click()
        total, _cell, _note = at(page, T4_TOTAL)
        expect(total).to_have_value("45")
        page.locator("#save").click()
        expect(dialog).to_contain_text("用你现在的内容覆盖它吗")
        assert (
            tmp_path / "report.yaml"
        ).read_bytes() == theirs  # nothing written before the answer
        dialog.get_by_role("button", name="覆盖").click()
        expect(page.locator("#save-state")).to_have_text("已保存")
        saved = load(tmp_path / "report.yaml").report
        assert saved == replace_at(load(HAIDIAN).report, T4_TOTAL, 45)  # the draft, all of it
        assert (tmp_path / "report.yaml.bak").read_bytes() == theirs  # their version is kept
        watch.assert_clean()
    context.close()
