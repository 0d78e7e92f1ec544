"""hdgovreport — 政府信息公开工作年度报告：数据校验与多版式生成.

A typed model of China's yearly open-government-information report
(国办公开办函〔2021〕30号), its cross-checks, a Chinese-keyed data file, and
renderers for the official and graphic editions.

    import hdgovreport as hg
    report = hg.load_report("examples/haidian-2022/report.yaml")
    result = hg.check(report)
    for finding in result.errors:
        print(finding.code, finding.message)
"""

from hdgovreport.api import (
    FileCheck,
    aggregate,
    audit,
    build_file,
    build_many,
    check_children,
    check_file,
    check_published,
    graphic_file,
    import_report,
    load_report,
    new_report_file,
    read,
    read_report,
    tables_json,
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
from hdgovreport.checks import RULES, CheckResult, Finding, Location, check
from hdgovreport.datafile import LoadedReport, dump, dumps, loads
from hdgovreport.errors import BuildError, DataFileError, HdgovreportError, InvalidValueError
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
from hdgovreport.published import PublishedReport, ReadNote, UnreadableError

__version__ = "0.1.0"

__all__ = [
    "RULES",
    "AnnualReport",
    "ApplicantCounts",
    "Applications",
    "ApplicationsBuilder",
    "BuildError",
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
    "dumps",
    "graphic_file",
    "import_report",
    "load_report",
    "loads",
    "new_report_file",
    "read",
    "read_report",
    "tables_json",
]
