"""hdgovreport — 政府信息公开工作年度报告：数据校验与多版式生成.

A typed model of China's yearly open-government-information report
(国办公开办函〔2021〕30号), its cross-checks, a Chinese-keyed data file, and
renderers for the official and graphic editions.

    import hdgovreport as hg
    report = hg.load_report("examples/haidian-2022/report.yaml")
    result = hg.check(report)
    for finding in result.errors:
        print(finding.code, finding.message)

The top level holds what a script needs: a dozen functions, the model and its builders,
the results and the errors.  Everything else is imported from its module
(``hdgovreport.datafile.loads``, ``hdgovreport.published.tables_json``…).  Names are
loaded on first use, so ``hdgovreport --version`` and ``import hdgovreport`` stay quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name → the module that defines it.
_PUBLIC: dict[str, str] = {
    # functions
    "read": "hdgovreport.api",
    "load_report": "hdgovreport.api",
    "read_report": "hdgovreport.api",
    "check": "hdgovreport.api",
    "check_file": "hdgovreport.api",
    "check_published": "hdgovreport.api",
    "build_file": "hdgovreport.api",
    "graphic_file": "hdgovreport.api",
    "render_report": "hdgovreport.api",
    "dump": "hdgovreport.api",
    "new_report_file": "hdgovreport.api",
    "import_report": "hdgovreport.api",
    "audit": "hdgovreport.api",
    # the district (see docs/district.md)
    "build_many": "hdgovreport.api",
    "aggregate": "hdgovreport.api",
    "check_children": "hdgovreport.api",
    # results
    "FileCheck": "hdgovreport.api",
    "Rendered": "hdgovreport.api",
    "LoadedReport": "hdgovreport.datafile",
    "CheckResult": "hdgovreport.checks",
    "Finding": "hdgovreport.checks",
    "Location": "hdgovreport.checks",
    "RULES": "hdgovreport.checks",
    "PublishedReport": "hdgovreport.published",
    "ReadNote": "hdgovreport.published",
    "BuildResult": "hdgovreport.render.build",
    # errors
    "HdgovreportError": "hdgovreport.errors",
    "DataFileError": "hdgovreport.errors",
    "InvalidValueError": "hdgovreport.errors",
    "BuildError": "hdgovreport.errors",
    "BuildRefused": "hdgovreport.errors",
    "UnreadableError": "hdgovreport.errors",
    "OutputError": "hdgovreport.errors",
    # builders
    "ReportBuilder": "hdgovreport.builders",
    "NarrativeBuilder": "hdgovreport.builders",
    "OtherMattersBuilder": "hdgovreport.builders",
    "ProactiveDisclosureBuilder": "hdgovreport.builders",
    "ProactiveDisclosure2019Builder": "hdgovreport.builders",
    "ApplicationsBuilder": "hdgovreport.builders",
    "ReviewLitigationBuilder": "hdgovreport.builders",
    # the model
    "AnnualReport": "hdgovreport.model",
    "ReportMeta": "hdgovreport.model",
    "Overview": "hdgovreport.model",
    "ProactiveDisclosure": "hdgovreport.model",
    "ProactiveDisclosure2019": "hdgovreport.model",
    "DocumentCounts": "hdgovreport.model",
    "Applications": "hdgovreport.model",
    "ApplicantCounts": "hdgovreport.model",
    "ReviewLitigation": "hdgovreport.model",
    "CaseOutcomes": "hdgovreport.model",
    "Problems": "hdgovreport.model",
    "OtherMatters": "hdgovreport.model",
    "FeeFigures": "hdgovreport.model",
    "Subsection": "hdgovreport.model",
    "Point": "hdgovreport.model",
    "Paragraph": "hdgovreport.model",
}

#: Names that were at the top level before and now live in their modules; still resolved
#: here so that existing scripts keep working, but not listed.
_MOVED: dict[str, str] = {
    "loads": "hdgovreport.datafile",
    "dumps": "hdgovreport.datafile",
    "tables_json": "hdgovreport.published",
}

__all__ = [
    "RULES",
    "AnnualReport",
    "ApplicantCounts",
    "Applications",
    "ApplicationsBuilder",
    "BuildError",
    "BuildRefused",
    "BuildResult",
    "CaseOutcomes",
    "CheckResult",
    "DataFileError",
    "DocumentCounts",
    "FeeFigures",
    "FileCheck",
    "Finding",
    "HdgovreportError",
    "InvalidValueError",
    "LoadedReport",
    "Location",
    "NarrativeBuilder",
    "OtherMatters",
    "OtherMattersBuilder",
    "OutputError",
    "Overview",
    "Paragraph",
    "Point",
    "ProactiveDisclosure",
    "ProactiveDisclosure2019",
    "ProactiveDisclosure2019Builder",
    "ProactiveDisclosureBuilder",
    "Problems",
    "PublishedReport",
    "ReadNote",
    "Rendered",
    "ReportBuilder",
    "ReportMeta",
    "ReviewLitigation",
    "ReviewLitigationBuilder",
    "Subsection",
    "UnreadableError",
    "aggregate",
    "audit",
    "build_file",
    "build_many",
    "check",
    "check_children",
    "check_file",
    "check_published",
    "dump",
    "graphic_file",
    "import_report",
    "load_report",
    "new_report_file",
    "read",
    "read_report",
    "render_report",
]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name) or _MOVED.get(name)
    if module is None:
        raise AttributeError(f"module 'hdgovreport' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})


if TYPE_CHECKING:
    from hdgovreport.api import (
        FileCheck,
        Rendered,
        aggregate,
        audit,
        build_file,
        build_many,
        check,
        check_children,
        check_file,
        check_published,
        dump,
        graphic_file,
        import_report,
        load_report,
        new_report_file,
        read,
        read_report,
        render_report,
    )
    from hdgovreport.builders import (
        ApplicationsBuilder,
        NarrativeBuilder,
        OtherMattersBuilder,
        ProactiveDisclosure2019Builder,
        ProactiveDisclosureBuilder,
        ReportBuilder,
        ReviewLitigationBuilder,
    )
    from hdgovreport.checks import RULES, CheckResult, Finding, Location
    from hdgovreport.datafile import LoadedReport
    from hdgovreport.datafile import dumps as dumps  # moved: see _MOVED
    from hdgovreport.datafile import loads as loads  # moved: see _MOVED
    from hdgovreport.errors import (
        BuildError,
        BuildRefused,
        DataFileError,
        HdgovreportError,
        InvalidValueError,
        OutputError,
        UnreadableError,
    )
    from hdgovreport.model import (
        AnnualReport,
        ApplicantCounts,
        Applications,
        CaseOutcomes,
        DocumentCounts,
        FeeFigures,
        OtherMatters,
        Overview,
        Paragraph,
        Point,
        ProactiveDisclosure,
        ProactiveDisclosure2019,
        Problems,
        ReportMeta,
        ReviewLitigation,
        Subsection,
    )
    from hdgovreport.published import PublishedReport, ReadNote
    from hdgovreport.published import tables_json as tables_json  # moved: see _MOVED
    from hdgovreport.render.build import BuildResult
