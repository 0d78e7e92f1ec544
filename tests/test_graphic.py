"""The graphic edition (图解版): every number shown is the model's, nothing empty, nothing invented."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from conftest import HAIDIAN, ROOT
from graphic_html import Element, parse
from helpers import replace_many

import hdgovreport as hg
from hdgovreport import AnnualReport
from hdgovreport.datafile import blank_report
from hdgovreport.form.layout import layout, wording
from hdgovreport.graphic import facts
from hdgovreport.graphic.content import build_graphic
from hdgovreport.graphic.render import PNG_WIDTH, render, render_html
from hdgovreport.model import ApplicantCounts, CaseOutcomes, Highlight, value_at

# ------------------------------------------------------------------ fixtures


def last_year(report: AnnualReport) -> AnnualReport:
    """A plausible 2021 report for Haidian: some figures up, some down, some equal, one zero."""
    apps = report.applications
    return replace_many(
        report,
        {
            "meta.year": 2021,
            "proactive.licensing": 60211,  # this year 66739: up 10.8 %
            "proactive.penalties": 24530,  # this year 21898: down 10.7 %
            "proactive.enforcement": 0,  # this year 57: from zero
            "applications.new_received": ApplicantCounts.of(natural_person=1250, commercial=51),
            "applications.carried_forward": apps.carried_over,
            "review_litigation.reconsideration": CaseOutcomes.of(upheld=90, corrected=10, other=0),
        },
    )


@pytest.fixture(scope="module")
def previous(haidian: AnnualReport) -> AnnualReport:
    return last_year(haidian)


@pytest.fixture(scope="module")
def outputs(haidian: AnnualReport, previous: AnnualReport) -> dict[str, bytes]:
    data, result = render(haidian, ("html", "pdf", "png"), previous=previous, allow_errors=True)
    assert not result.ok  # the published Haidian figures break T4-sum
    return data


@pytest.fixture(scope="module")
def page(outputs: dict[str, bytes]) -> tuple[Element, str]:
    return parse(outputs["html"].decode("utf-8"))


def source_text(report: AnnualReport, path: str) -> str:
    """The report text at a path with indexes: ``overview.subsections.1.content.0``."""
    if path == "title":
        return report.title
    value: Any = report
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    if isinstance(value, Highlight):
        return value.figure
    return value.text if hasattr(value, "text") else str(value)


def number(text: str) -> Decimal:
    return Decimal(text.replace("%", "").strip())


def model_sum(report: AnnualReport, fields: str) -> Decimal:
    total = Decimal(0)
    for path in fields.split():
        value = value_at(report, path)
        assert isinstance(value, (int, Decimal)) and not isinstance(value, bool), path
        total += Decimal(value)
    return total


# ------------------------------------------------------------------ figures are the model's


def test_every_figure_shown_equals_the_model(
    page: tuple[Element, str], haidian: AnnualReport, previous: AnnualReport
) -> None:
    root, _ = page
    figs = root.find_all("data", "fig")
    assert len(figs) > 60
    for fig in figs:
        report = previous if fig.attrs["data-report"] == "previous" else haidian
        expected = model_sum(report, fig.attrs["data-fields"])
        assert number(fig.text) == expected, fig.attrs
        assert fig.attrs["value"] == fig.text
    svg_figs = root.find_all("tspan", "fig-svg")
    assert svg_figs
    for fig in svg_figs:
        assert number(fig.text) == model_sum(haidian, fig.attrs["data-fields"])


def test_the_key_figures_are_all_there(page: tuple[Element, str]) -> None:
    """Spot checks against the published table, so the test above cannot pass by showing nothing."""
    root, _ = page
    shown = {
        (f.attrs["data-fields"], f.attrs["data-report"]): f.text
        for f in root.find_all("data", "fig")
    }
    expected = {
        "proactive.normative_documents.issued": "6",
        "proactive.normative_documents.repealed": "137",
        "proactive.normative_documents.in_force": "175",
        "proactive.licensing": "66739",
        "proactive.penalties": "21898",
        "proactive.enforcement": "57",
        "proactive.fees": "19656.3836",
        "applications.new_received.total": "1521",
        "applications.carried_over.total": "103",
        "applications.total_handled.total": "1521",
        "applications.carried_forward.total": "103",
        "applications.new_received.natural_person": "1448",
        "applications.granted.total": "309",
        "review_litigation.reconsideration.total": "125",
        "review_litigation.litigation_direct.total": "85",
        "review_litigation.litigation_after_review.total": "42",  # as published, though it breaks T4-sum
        "review_litigation.reconsideration.corrected": "15",
        "other_matters.fee.notified_yuan": "190",
        "meta.year": "2022",
    }
    for field, text in expected.items():
        assert shown[(field, "current")] == text, field
    assert shown[("applications.new_received.total", "previous")] == "1301"
    assert "proactive.regulations.issued" not in {f for f, _ in shown}  # 规章 is all zero


def test_no_number_is_shown_outside_a_tagged_figure(page: tuple[Element, str]) -> None:
    """Every digit on the page is a figure, a percentage or a quote of the report's own text."""
    _, untagged = page
    assert not re.search(r"\d", untagged), re.findall(r".{0,12}\d.{0,12}", untagged)


def test_quotes_are_cut_from_the_report_never_written(
    page: tuple[Element, str], haidian: AnnualReport
) -> None:
    root, _ = page
    quotes = root.find_all(cls="quote") + root.find_all(cls="verbatim")
    assert len(quotes) >= 15
    for quote in quotes:
        source = source_text(haidian, quote.attrs["data-source"])
        assert quote.text and quote.text in source, (quote.text, source)


def test_section_one_cards_use_figures_from_the_narrative(page: tuple[Element, str]) -> None:
    root, _ = page
    texts = [q.text for q in root.find_all("li", "quote")]
    for expected in ("专栏共收录惠企政策22条", "全年共发布政策解读60条", "共收集222份调查样本"):
        assert expected in texts
    # a sub-section whose text has no figures: the lead sentences of its points
    assert "优化工作流程" in texts
    emphasised = [e.text for e in root.find_all("em", "quote-fig")]
    assert "22条" in emphasised and "60余家" in emphasised
    assert not any(
        t.startswith("2022") or t.startswith("2021") for t in emphasised
    )  # years are not figures


def test_section_five_cards(page: tuple[Element, str], haidian: AnnualReport) -> None:
    root, _ = page
    (problems,) = [s for s in root.find_all("section") if s.attrs.get("id") == "problems"]
    titles = [h.text for h in problems.find_all("h3")]
    assert titles == [s.title for s in haidian.problems.subsections]
    items = [q.text for q in problems.find_all("li", "quote")]
    assert "重点领域公开内容不精细" in items  # the paragraph's 二是, split out
    assert "推进全区政务公开“一盘棋”" in items


# ------------------------------------------------------------------ charts


def charts(root: Element) -> list[Element]:
    return [e for e in root.iter() if e.attrs.get("data-chart") == "share"]


def test_chart_percentages_add_to_100_and_match_their_figures(page: tuple[Element, str]) -> None:
    root, _ = page
    found = charts(root)
    ids = {c.attrs["id"] for c in found}
    assert {"chart-applicants", "chart-outcomes", "chart-reconsideration"} <= ids
    assert any(i.startswith("chart-reasons-") for i in ids)
    for chart in found:
        pcts = [
            p for p in chart.find_all("span", "pct") if p.attrs["data-chart"] == chart.attrs["id"]
        ]
        values = [number(p.text) for p in pcts]
        assert len(values) >= 2, chart.attrs["id"]
        assert abs(sum(values) - 100) <= Decimal("0.05") * len(values), (chart.attrs["id"], values)
        # each percentage is its figure's share of the figures shown beside it, rounded half up
        figs = [
            number(f.text)
            for li in chart.find_all("li")
            for f in li.find_all("data", "fig")[:1]
            if li.find_all("span", "pct")
        ]
        assert len(figs) == len(values)
        for fig, pct in zip(figs, values, strict=True):
            share = (fig * 100 / sum(figs)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            assert pct == share


def test_correction_rate_and_its_formula(page: tuple[Element, str], haidian: AnnualReport) -> None:
    root, _ = page
    rates = [p for p in root.find_all("span", "pct") if p.attrs["data-chart"].endswith("-rate")]
    assert len(rates) == 3
    for rate in rates:
        group = rate.attrs["data-chart"].removeprefix("chart-").removesuffix("-rate")
        outcomes = value_at(haidian, f"review_litigation.{group}")
        expected = (Decimal(outcomes.corrected) * 100 / outcomes.concluded).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        assert number(rate.text) == expected
    assert rates[0].text == "16.9%"  # 15 ÷ (67 + 15 + 7)
    (note,) = root.find_all("p", "formula-note")
    labels = {c.field: c.label for c in layout().review_litigation.columns[0].children}
    assert labels["corrected"] in note.text and labels["upheld"] in note.text
    assert "÷" in note.text


def test_every_chart_has_a_text_alternative_with_its_figures(page: tuple[Element, str]) -> None:
    root, _ = page
    svgs = [s for s in root.find_all("svg") if s.attrs.get("role") == "img"]
    assert len(svgs) >= 5
    for svg in svgs:
        ids = svg.attrs["aria-labelledby"].split()
        (desc,) = svg.find_all("desc")
        assert desc.attrs["id"] in ids
        chart = next(a for a in svg.ancestors() if a.attrs.get("data-chart") == "share")
        for li in chart.find_all("li", "legend-item"):
            (fig,) = li.find_all("data", "fig")
            (pct,) = li.find_all("span", "pct")
            label = li.find_all("span", "legend-label")[0].text
            assert f"{label}{fig.text}" in desc.text and pct.text in desc.text


def test_year_over_year(page: tuple[Element, str]) -> None:
    root, _ = page
    changes = {
        tuple(p.attrs["data-fields"].split()): p.find_all("span", "chg")[0]
        for p in root.find_all("p", "yoy")
    }
    licensing = changes[("proactive.licensing",)]
    assert (licensing.attrs["data-direction"], licensing.text) == ("up", "10.8%")  # 66739 vs 60211
    penalties = changes[("proactive.penalties",)]
    assert (penalties.attrs["data-direction"], penalties.text) == ("down", "10.7%")
    assert changes[("proactive.enforcement",)].attrs["data-direction"] == "from_zero"
    assert changes[("proactive.normative_documents.issued",)].attrs["data-direction"] == "flat"
    volume = changes[("applications.new_received.total",)]
    assert (volume.attrs["data-direction"], volume.text) == ("up", "16.9%")  # 1521 vs 1301
    (comparison,) = [f for f in root.find_all("figure") if f.attrs.get("id") == "chart-volume"]
    years = [s.text for s in comparison.find_all("span", "ranked-label")]
    assert years == ["2021年", "2022年"]
    year_figs = [
        f.attrs["data-report"]
        for f in comparison.find_all("data", "fig")
        if f.attrs["data-fields"] == "meta.year"
    ]
    assert year_figs == ["previous", "current"]


def test_no_year_over_year_without_previous(haidian: AnnualReport) -> None:
    html = render_html(build_graphic(haidian))
    root, _ = parse(html)
    assert not root.find_all("p", "yoy")
    assert "chart-volume" not in html


# ------------------------------------------------------------------ empty data, escaping, policy


def test_blank_report_shows_no_empty_block_or_chart() -> None:
    report = blank_report("某县某局", 2023)
    root, untagged = parse(render_html(build_graphic(report)))
    assert root.find_all("section") == []
    assert root.find_all("svg") == []
    assert root.find_all("data", "fig")[0].attrs["data-fields"] == "meta.year"
    assert len(root.find_all("data", "fig")) == 2  # the year, on the cover twice
    assert "均为 0" in untagged


def test_zero_parts_are_left_out(haidian: AnnualReport) -> None:
    report = replace_many(
        haidian,
        {
            "review_litigation.litigation_direct": CaseOutcomes.of(),
            "applications.not_processed_petition": ApplicantCounts.of(),
            "applications.not_processed_repeat": ApplicantCounts.of(),
        },
    )
    html = render_html(build_graphic(report))
    root, _ = parse(html)
    assert "chart-litigation_direct" not in html and "chart-reconsideration" in html
    legend = [e.text for e in root.find_all("span", "legend-label")]
    not_processed = next(c for c in layout().applications.rows if c.children).children[4].key
    assert not_processed not in legend  # 不予处理 is all zero: no slice, no legend entry
    assert "科研机构" in legend  # 2 applications: shown
    ranked = [e.text.split("件")[0] for e in root.find_all("figcaption", "card-title")]
    assert not any(not_processed in t for t in ranked)
    # no percentage of zero anywhere
    assert all(
        number(p.text) > 0
        for p in root.find_all("span", "pct")
        if not p.attrs["data-chart"].endswith("-rate")
    )


def test_user_text_is_escaped(haidian: AnnualReport) -> None:
    nasty = "<script>alert(1)</script>&<b>"
    subs = list(haidian.overview.subsections)
    subs[0] = attrs.evolve(subs[0], title=nasty, highlights=(Highlight("1", "<i>", nasty),))
    report = replace_many(
        haidian,
        {"meta.agency": f"某区{nasty}", "overview.subsections": tuple(subs)},
    )
    html = render_html(build_graphic(report))
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;&lt;b&gt;" in html


def test_curated_highlights_replace_the_quotes(haidian: AnnualReport) -> None:
    subs = list(haidian.overview.subsections)
    subs[1] = attrs.evolve(subs[1], highlights=(Highlight("100余", "万", "政务开放日参与人数"),))
    report = replace_many(haidian, {"overview.subsections": tuple(subs)})
    root, untagged = parse(render_html(build_graphic(report)))
    (card,) = [
        c for c in root.find_all("article") if c.attrs["data-source"] == "overview.subsections.1"
    ]
    assert card.find_all("li", "quote") == []
    assert [e.text for e in card.find_all(cls="curated-figure")] == ["100余"]
    assert "政务开放日参与人数" in card.text
    assert not re.search(r"\d", untagged)


def test_html_is_deterministic_and_self_contained(
    haidian: AnnualReport, previous: AnnualReport
) -> None:
    first = render_html(build_graphic(haidian, hg.check(haidian), previous))
    assert first == render_html(build_graphic(haidian, hg.check(haidian), previous))
    assert not re.search(r"<(script|link|img|iframe|object)\b", first)
    assert not re.search(r"\b(src|href)=", first)
    assert "url(" not in first and "@import" not in first


def test_refused_without_allow_errors(haidian: AnnualReport) -> None:
    with pytest.raises(hg.HdgovreportError, match="T4-sum"):
        render(haidian, ("html",))


def test_clean_report_has_no_notice(clean: AnnualReport) -> None:
    data, result = render(clean, ("html",))
    assert result.ok
    root, untagged = parse(data["html"].decode("utf-8"))
    assert root.find_all(cls="unverified") == []
    assert wording().unverified_title not in untagged


def test_allowed_errors_carry_the_notice(page: tuple[Element, str]) -> None:
    root, _ = page
    notices = root.find_all("div", "unverified")
    assert len(notices) == 2  # at the top and at the end
    w = wording()
    for notice in notices:
        rules = notice.attrs["data-rules"].split()
        assert rules[0] == "T4-sum"
        (text,) = notice.find_all("span", "unverified-text")
        assert text.text == w.unverified_text.format(rules="、".join(rules))
        assert w.unverified_title in notice.text


# ------------------------------------------------------------------ PDF and PNG


def test_pdf_is_one_page_750_px_wide_with_the_text(
    outputs: dict[str, bytes], tmp_path: Path
) -> None:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(outputs["pdf"])
    assert len(pdf) == 1
    width, height = pdf[0].get_size()
    assert width == pytest.approx(750 * 0.75)  # CSS px → pt
    assert 3000 < height < 14400
    text = pdf[0].get_textpage().get_text_range()
    for expected in (
        "66739",
        "19656.3836",
        "16.9%",
        "专栏共收录惠企政策22条",
        "复议后起诉",
        "校验未通过",
    ):
        assert expected in text.replace("\r\n", "").replace("\n", ""), expected


def test_pdf_embeds_only_cjk_faces(outputs: dict[str, bytes], tmp_path: Path) -> None:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    path = tmp_path / "g.pdf"
    path.write_bytes(outputs["pdf"])
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    fonts = [line.split()[0] for line in listing.stdout.splitlines()[2:]]
    assert fonts and all("CJK" in f or "Hei" in f or "Song" in f for f in fonts), fonts


def test_no_tofu_every_character_has_a_glyph(outputs: dict[str, bytes]) -> None:
    """Every character the graphic shows is in the font the PDF uses for it."""
    from fontTools.ttLib import TTCollection, TTFont

    from hdgovreport.render.fonts import resolve

    family = resolve().family("heading1")
    where = subprocess.run(
        ["fc-match", "-f", "%{file}:%{index}", family], capture_output=True, text=True, check=True
    ).stdout
    file, _, index = where.rpartition(":")
    font = TTCollection(file).fonts[int(index)] if file.endswith(".ttc") else TTFont(file)
    cmap = font.getBestCmap()
    _, shown = parse(outputs["html"].decode("utf-8"))
    root, _ = parse(outputs["html"].decode("utf-8"))
    text = shown + "".join(e.text for e in root.find_all("data", "fig"))
    missing = {ch for ch in text if not ch.isspace() and ord(ch) not in cmap}
    assert not missing


def test_png_is_1500_px_wide_and_cropped_to_the_content(outputs: dict[str, bytes]) -> None:
    import pypdfium2
    from PIL import Image, ImageChops

    image = Image.open(io.BytesIO(outputs["png"]))
    assert image.format == "PNG"
    assert image.width == PNG_WIDTH == 1500
    width, height = pypdfium2.PdfDocument(outputs["pdf"])[0].get_size()
    assert abs(image.height - height * PNG_WIDTH / width) <= 1
    rgb = image.convert("RGB")
    background = rgb.getpixel((2, image.height - 2))

    def blank(box: tuple[int, int, int, int]) -> bool:
        region = rgb.crop(box)
        return (
            ImageChops.difference(region, Image.new("RGB", region.size, background)).getbbox()
            is None
        )

    # the colophon's last line is near the bottom edge: no empty tail
    assert not blank((0, image.height - 200, image.width, image.height))
    assert blank((0, image.height - 40, image.width, image.height))  # just the bottom padding
    # the top is the 校验未通过 notice's red frame, not blank paper
    assert not blank((0, 0, image.width, 80))


def test_a_very_long_graphic_stays_one_page_and_renders_to_the_end(haidian: AnnualReport) -> None:
    """Longer than PDF viewers' 14 400 pt and than PDFium draws in one go (≈32 000 px)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    import pypdfium2
    from PIL import Image, ImageChops, ImageStat

    from hdgovreport.model import Point, Subsection

    subs = tuple(
        Subsection(
            title=f"小节{i}", content=(Point(f"全年发布解读{i}条。"), Point(f"组织活动{i + 3}场。"))
        )
        for i in range(1, 80)
    )
    long = replace_many(haidian, {"overview.subsections": subs})
    data, _ = render(long, ("pdf", "png"), allow_errors=True)
    pdf = pypdfium2.PdfDocument(data["pdf"])
    assert len(pdf) == 1
    width, height = pdf[0].get_size()
    assert height == pytest.approx(14400) and width < 750 * 0.75  # scaled to fit, never split
    image = Image.open(io.BytesIO(data["png"])).convert("RGB")
    assert image.width == 1500 and image.height > 32768
    # compare with poppler's rendering of the same PDF, band by band: nothing missing anywhere
    reference = subprocess.run(
        ["pdftoppm", "-png", "-singlefile", "-scale-to-x", "750", "-scale-to-y", "-1", "-"],
        input=data["pdf"],
        capture_output=True,
        check=True,
    ).stdout
    size = (150, round(150 * image.height / image.width))
    ours = image.resize(size, Image.Resampling.BOX)
    theirs = Image.open(io.BytesIO(reference)).convert("RGB").resize(size, Image.Resampling.BOX)
    diff = ImageChops.difference(ours, theirs)
    for y in range(0, size[1], 25):
        band = diff.crop((0, y, size[0], min(size[1], y + 25)))
        assert sum(ImageStat.Stat(band).mean) / 3 < 15, f"band at {y * 10} px differs"


def test_pdf_and_png_are_deterministic(
    haidian: AnnualReport, outputs: dict[str, bytes], previous: AnnualReport
) -> None:
    again, _ = render(haidian, ("pdf", "png"), previous=previous, allow_errors=True)
    assert again["pdf"] == outputs["pdf"]
    assert again["png"] == outputs["png"]


# ------------------------------------------------------------------ the narrative facts


def test_figure_spans_leave_out_dates_titles_and_quotes() -> None:
    text = "印发《海淀区2022年政务公开工作要点》，提出3个方面47项具体任务。2022年，开通“12345”热线，参与人数100余万，浏览量破3万。"
    found = [text[a:b] for a, b in facts.figure_spans(text)]
    assert found == ["3个", "47项", "100余万", "3万"]


def test_lead_sentences_and_enumerations() -> None:
    from hdgovreport.model import Paragraph, Point, Subsection

    sub = Subsection(
        title="存在的主要问题",
        content=(
            Paragraph("一是解读形式较为单一。二是答复说理性有待加强，需要改进。三是培训不足。"),
            Point("加强答复文书审核，提升答复质量。其他说明。"),
        ),
    )
    items = facts.card_items(sub, "problems.subsections.0")
    assert [q.text for q in items] == [
        "解读形式较为单一",
        "答复说理性有待加强，需要改进",
        "培训不足",
        "加强答复文书审核，提升答复质量",
    ]
    assert [q.source for q in items] == ["problems.subsections.0.content.0"] * 3 + [
        "problems.subsections.0.content.1"
    ]


def test_long_clauses_are_left_out_never_cut() -> None:
    from hdgovreport.model import Point, Subsection

    long = "全年" + "持续深入推进各领域各层级政务公开标准化规范化建设" * 2 + "共计30项"
    sub = Subsection(title="t", content=(Point(long + "。发布解读8条。"),))
    quotes = facts.highlight_facts(sub, "overview.subsections.0")
    assert [q.text for q in quotes] == ["发布解读8条"]


# ------------------------------------------------------------------ API and command line


def test_graphic_file_writes_three_files(tmp_path: Path) -> None:
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(
        HAIDIAN.read_text("utf-8").replace("尚未审结: 19, 总计: 42}", "尚未审结: 19, 总计: 45}"),
        "utf-8",
    )
    built = hg.graphic_file(fixed, "html,png", tmp_path / "out")
    assert set(built.outputs) == {"html", "png"}
    assert built.outputs["html"].name == "fixed.graphic.html"
    assert built.outputs["png"].read_bytes().startswith(b"\x89PNG")
    assert not (tmp_path / "out" / "fixed.graphic.pdf").exists()


def test_2019_edition(tmp_path: Path) -> None:
    rb = hg.ReportBuilder(agency="某县人民政府", year=2020, edition="2019")
    rb.proactive.set(
        licensing={"previous_items": 120, "change": -3, "decisions": 5400},
        procurement={"items": 12, "amount": "356.5"},
    )
    rb.applications.set(
        new_received={"natural_person": 5, "commercial": 1},
        granted={"natural_person": 3},
        not_processed_repeat={"natural_person": 1},
        other_handling={"natural_person": 1, "commercial": 1},
    )
    report = rb.build()
    previous = replace_many(report, {"meta.year": 2019, "proactive.licensing.decisions": 6000})
    root, untagged = parse(render_html(build_graphic(report, previous=previous)))
    figs = root.find_all("data", "fig")
    for fig in figs:
        source = previous if fig.attrs["data-report"] == "previous" else report
        assert number(fig.text) == model_sum(source, fig.attrs["data-fields"])
    shown = {f.attrs["data-fields"]: f.text for f in figs if f.attrs["data-report"] == "current"}
    assert shown["proactive.licensing.change"] == "-3"
    assert shown["proactive.procurement.amount"] == "356.5"
    other = next(c for c in layout().applications.rows if c.children).visible("2019")[-2]
    assert other.field == "other_handling"
    assert other.key in [e.text for e in root.find_all("span", "legend-label")]
    assert not re.search(r"\d", untagged)
    (change,) = [
        p
        for p in root.find_all("p", "yoy")
        if p.attrs["data-fields"] == "proactive.licensing.decisions"
    ]
    assert change.find_all("span", "chg")[0].text == "10.0%"  # 5400 vs 6000, down


# ------------------------------------------------------------------ the command line


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    import sys

    return subprocess.run(
        [sys.executable, "-m", "hdgovreport", "graphic", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_refuses_a_report_with_errors(tmp_path: Path) -> None:
    out = cli(str(HAIDIAN), "--out", str(tmp_path))
    assert out.returncode == 1
    assert "错误 T4-sum" in out.stdout
    assert "--allow-errors" in out.stderr and "Traceback" not in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_allow_errors_writes_marked_files(tmp_path: Path) -> None:
    out = cli(str(HAIDIAN), "--to", "html,png", "--out", str(tmp_path), "--allow-errors")
    assert out.returncode == 0, out.stderr
    assert "校验未通过" in out.stderr
    html = tmp_path / "report.graphic.html"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "report.graphic.html",
        "report.graphic.png",
    ]
    root, _ = parse(html.read_text("utf-8"))
    assert len(root.find_all("div", "unverified")) == 2
    assert f"已生成 png: {tmp_path / 'report.graphic.png'}" in out.stdout


def test_cli_input_errors_exit_2(tmp_path: Path) -> None:
    out = cli(str(HAIDIAN), "--to", "html,gif", "--out", str(tmp_path))
    assert out.returncode == 2 and "gif" in out.stderr
    out = cli(str(tmp_path / "missing.yaml"))
    assert out.returncode == 2 and "文件不存在" in out.stderr
    out = cli(str(HAIDIAN), "--previous", str(tmp_path / "missing.yaml"), "--allow-errors")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_with_previous_year(tmp_path: Path) -> None:
    previous = tmp_path / "2021.yaml"
    hg.dump(last_year(hg.load_report(HAIDIAN)), previous)
    out = cli(
        str(HAIDIAN),
        "--previous",
        str(previous),
        "--to",
        "html",
        "--out",
        str(tmp_path),
        "--allow-errors",
    )
    assert out.returncode == 0, out.stderr
    root, _ = parse((tmp_path / "report.graphic.html").read_text("utf-8"))
    assert any(f.attrs["data-report"] == "previous" for f in root.find_all("data", "fig"))


# ------------------------------------------------------------------ palette and wording


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_text_colours_have_sufficient_contrast() -> None:
    """WCAG AA (4.5:1) for every text colour on every background it is used on."""
    from hdgovreport.render.html import environment

    palette = environment().get_template("graphic/palette.j2").module.palette  # type: ignore[attr-defined]
    white = "#ffffff"
    pairs = [
        ("ink", "paper"),
        ("ink", "card"),
        ("ink", "red_tint"),
        ("muted", "card"),
        ("muted", "red_tint"),
        ("muted", "paper"),
        ("red", "card"),
        ("red", "red_tint"),
        ("red_dark", "card"),
        ("blue", "red_tint"),
    ]
    for text, background in pairs:
        assert contrast(palette[text], palette[background]) >= 4.5, (text, background)
    for background in ("red", "red_dark"):  # the cover and the number badges: white text
        assert contrast(white, palette[background]) >= 4.5, background


def test_every_graphic_phrase_is_used() -> None:
    """No dead wording: each phrase in templates/graphic/wording.yaml is used by the code or a template."""
    from ruamel.yaml import YAML

    templates = ROOT / "templates" / "graphic"
    raw = YAML(typ="safe").load((templates / "wording.yaml").read_text("utf-8"))
    files = [*(ROOT / "hdgovreport" / "graphic").glob("*.py"), *templates.glob("*.j2")]
    sources = "".join(p.read_text("utf-8") for p in files)

    def leaves(node: Any, prefix: str) -> list[str]:
        if isinstance(node, dict):
            return [k for key, value in node.items() for k in leaves(value, f"{prefix}{key}.")]
        return [prefix.rstrip(".")]

    for key in leaves(raw, ""):
        top = key.split(".")[0]
        assert f'"{key}"' in sources or f'table("{top}")' in sources, key


def test_previous_year_in_the_2019_format(haidian: AnnualReport) -> None:
    """Last year's report in the trial format: compare what both formats have, skip the rest."""
    rb = hg.ReportBuilder(agency=haidian.meta.agency, year=2021, edition="2019")
    rb.proactive.set(licensing={"previous_items": 10, "change": 0, "decisions": 60000})
    rb.applications.set(new_received={"natural_person": 1300}, granted={"natural_person": 1300})
    previous = rb.build()
    root, untagged = parse(render_html(build_graphic(haidian, previous=previous)))
    changed = {p.attrs["data-fields"] for p in root.find_all("p", "yoy")}
    assert "applications.new_received.total" in changed  # the same field in both formats
    assert "proactive.licensing" not in changed  # a decision count in 2021, a row of three in 2019
    assert not re.search(r"\d", untagged)
