"""A generated district: N agencies' data files for one year, some with errors, some with
last year's published report (HTML or PDF) beside them.  Used by the district tests (a
handful of agencies) and by ``bench/district.py`` (60).

Reports come from the builders with deterministic pseudo-random figures (``random.Random``
seeded per agency), consistent tables (every cross-check holds, the narrative quotes the
right figures) unless an error is put in on purpose.
"""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from hdgovreport import AnnualReport, ReportBuilder, dump
from hdgovreport.form import queries
from hdgovreport.model import CaseOutcomes

REGION = "北京市海淀区"
_DEPARTMENTS = (
    "发展和改革委员会",
    "教育委员会",
    "科学技术和信息化局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "生态环境局",
    "住房和城乡建设委员会",
    "城市管理委员会",
    "交通委员会",
    "水务局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "国有资产监督管理委员会",
    "市场监督管理局",
    "体育局",
    "统计局",
    "医疗保障局",
    "园林绿化局",
    "城市管理综合行政执法局",
    "政务服务管理局",
    "人民防空办公室",
    "信访办公室",
    "规划和自然资源委员会分局",
)
_STREETS = (
    "万寿路",
    "永定路",
    "羊坊店",
    "甘家口",
    "八里庄",
    "紫竹院",
    "北下关",
    "北太平庄",
    "学院路",
    "中关村",
    "海淀",
    "青龙桥",
    "清华园",
    "燕园",
    "香山",
    "清河",
    "花园路",
    "西三旗",
    "马连洼",
    "田村路",
    "上地",
    "万柳",
    "东升",
    "曙光",
    "紫竹",
    "西北旺",
    "四季青",
    "温泉",
    "苏家坨",
    "上庄",
)


def agency_names(n: int) -> list[str]:
    """The district government, then departments, then street offices (unique names)."""
    names = [f"{REGION}人民政府"]
    names += [f"{REGION}{d}" for d in _DEPARTMENTS]
    names += [f"{REGION}{s}街道办事处" for s in _STREETS]
    if n > len(names):
        names += [f"{REGION}第{i}服务中心" for i in range(1, n - len(names) + 1)]
    return names[:n]


def _columns() -> tuple[str, ...]:
    return queries.applicant_parts()


def _row(rng: random.Random, high: int) -> dict[str, int]:
    return {c: (rng.randint(0, high) if rng.random() < 0.7 else 0) for c in _columns()}


def report_for(
    agency: str,
    year: int,
    seed: int,
    *,
    carried_over: Mapping[str, int] | None = None,
    last: AnnualReport | None = None,
) -> AnnualReport:
    """A consistent report: every cross-check holds, the narrative quotes the table figures.

    ``carried_over``: this year's 上年结转 per column (last year's 结转下年度, for linkage).
    """
    rng = random.Random(seed)
    published = _dt.date(year + 1, 1, rng.randint(5, 25))
    rb = ReportBuilder(agency=agency, year=year, published=published)
    rows: dict[str, Any] = {}
    handled = dict.fromkeys(_columns(), 0)
    for name in queries.result_rows("2021"):
        if name != "other_fee_unpaid" and rng.random() < 0.45:
            values = _row(rng, 40 if name == "granted" else 6)
            rows[name] = values
            for c, v in values.items():
                handled[c] += v
    forward = _row(rng, 5)
    before = dict(carried_over) if carried_over is not None else _row(rng, 5)
    for c in _columns():  # keep 新收 ≥ 0: 结转 ≤ 办结 + 结转下年度
        before[c] = min(before.get(c, 0), handled[c] + forward[c])
    rows["carried_over"] = before
    rows["carried_forward"] = forward
    rows["new_received"] = {c: handled[c] + forward[c] - before[c] for c in _columns()}
    rb.applications.set(**rows)
    issued, repealed = rng.randint(0, 12), rng.randint(0, 3)
    stock = rng.randint(repealed, 60)
    regulations = rng.randint(0, 3)
    if last is not None:  # 现行有效件数 carried on from last year (LINK-stock holds)
        before = last.proactive
        stock = before.normative_documents.in_force
        repealed = min(repealed, stock)
        regulations = before.regulations.in_force
    rb.proactive.set(
        regulations={"issued": 0, "repealed": 0, "in_force": regulations},
        normative_documents={
            "issued": issued,
            "repealed": repealed,
            "in_force": stock - repealed + issued,
        },
        licensing=rng.randint(0, 3000),
        penalties=rng.randint(0, 800),
        enforcement=rng.randint(0, 50),
        fees=Decimal(rng.randint(0, 900000)) / 10000,
    )
    groups = {
        g: {p: rng.randint(0, 4) for p in queries.outcome_parts()}
        for g in queries.review_group_fields()
    }
    rb.review_litigation.set(**groups)
    apps = rb.applications.build()
    rb.overview.subsection("主动公开", f"全年主动公开政府信息{rng.randint(100, 9000)}条。")
    rb.overview.subsection(
        "依申请公开",
        f"全年新收政府信息公开申请{apps.new_received.total}件，"
        f"办结政府信息公开申请{apps.total_handled.total}件。",
    )
    rb.overview.subsection("监督保障", "开展政务公开工作考核、社会评议，落实责任追究制度。")
    rb.problems.subsection("存在的问题", "政策解读的形式还不够丰富。")
    rb.problems.subsection("改进情况", "下一步将丰富解读形式，提升解读质量。")
    notices = rng.randint(0, 2)
    amount = Decimal(notices * rng.randint(0, 3) * 10)
    rb.other_matters.fee(notices=notices, notified_yuan=amount, collected_yuan=amount)
    return rb.build()


def with_error(report: AnnualReport, seed: int) -> AnnualReport:
    """The report with one wrong total in Table 4 (a T4-sum error), as officers make it."""
    rng = random.Random(seed)
    group = rng.choice(queries.review_group_fields())
    rl = report.review_litigation
    outcomes: CaseOutcomes = rl.group(group)
    wrong = attrs.evolve(outcomes, total=outcomes.total + rng.randint(1, 5))
    return attrs.evolve(report, review_litigation=attrs.evolve(rl, **{group: wrong}))


@attrs.frozen
class Agency:
    """One generated agency: its data file, whether it has an error, last year's file."""

    name: str
    data: Path
    report: AnnualReport
    has_error: bool
    previous: Path | None = None
    previous_report: AnnualReport | None = None


def make_district(
    folder: Path,
    n: int,
    *,
    year: int = 2023,
    seed: int = 11,
    error_every: int = 7,
    previous_every: int = 4,
    pdf_every: int = 3,
) -> list[Agency]:
    """Write ``n`` agencies' data files into ``folder`` (one sub-folder each).

    Every ``error_every``-th agency (from the 3rd) has a T4-sum error; every
    ``previous_every``-th has last year's report beside its data file, as published HTML —
    or, for every ``pdf_every``-th of those, as PDF — whose 结转下年度 is this year's 上年结转.
    """
    from hdgovreport.render.build import render

    out = []
    for i, name in enumerate(agency_names(n)):
        sub = folder / f"{i + 1:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        last = None
        last_path = None
        if previous_every and i % previous_every == 1:
            last = report_for(name, year - 1, seed * 1000 + i + 500)
            fmt = "pdf" if (i // previous_every) % pdf_every == pdf_every - 1 else "html"
            data, _ = render(last, [fmt])
            last_path = sub / f"{year - 1}年报告.{fmt}"
            last_path.write_bytes(data[fmt])
        carried = (
            {c: last.applications.carried_forward.get(c) for c in _columns()} if last else None
        )
        report = report_for(name, year, seed * 1000 + i, carried_over=carried, last=last)
        bad = bool(error_every) and i % error_every == 2
        if bad:
            report = with_error(report, seed + i)
        path = sub / f"{year}年报告数据.yaml"
        dump(report, path)
        out.append(Agency(name, path, report, bad, last_path, last))
    return out
