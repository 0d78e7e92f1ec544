"""The coordinator's year: many reports at once.

- :mod:`~hdgovreport.district.batch` — build a whole district in parallel (:func:`build_many`);
- :mod:`~hdgovreport.district.aggregate` — the district sum (:func:`aggregate`);
- :mod:`~hdgovreport.district.audit` — read and check many published reports (:func:`audit`),
  with the findings as text, CSV, a workbook (:mod:`~hdgovreport.district.workbook`) and
  return notes (:mod:`~hdgovreport.district.notes`);
- :mod:`~hdgovreport.district.roster` — the district's roster; :mod:`~hdgovreport.district.pairing`
  — last year's report of each agency;
- :mod:`~hdgovreport.district.pool` — the warm worker processes (safe under ``spawn``).

The ``SUM-*`` and ``ROSTER-*`` rule codes live in :mod:`hdgovreport.checks.district`.
"""

from hdgovreport.district.aggregate import Aggregate, Member, aggregate
from hdgovreport.district.audit import AuditResult, AuditRow, FindingRow, audit, collect
from hdgovreport.district.batch import BatchResult, BuiltReport, build_many
from hdgovreport.district.pairing import Pair, Pairing, pair_years
from hdgovreport.district.roster import Body, Roster, load_roster, roster_findings

__all__ = [
    "Aggregate",
    "AuditResult",
    "AuditRow",
    "BatchResult",
    "Body",
    "BuiltReport",
    "FindingRow",
    "Member",
    "Pair",
    "Pairing",
    "Roster",
    "aggregate",
    "audit",
    "build_many",
    "collect",
    "load_roster",
    "pair_years",
    "roster_findings",
]
