"""The fill-in workbook: writing and reading it, against reading the same report's YAML file."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from bench.run import HAIDIAN, line, timed


def run() -> dict[str, Any]:
    import hdgovreport as hg
    from hdgovreport.datafile import load, loads
    from hdgovreport.datafile.workbook.read import loads_workbook
    from hdgovreport.datafile.workbook.write import workbook_bytes

    report = hg.load_report(HAIDIAN)
    text = HAIDIAN.read_text("utf-8")
    yaml_read = timed(lambda: loads(text))
    line("baseline: read the YAML data file", yaml_read)
    write = timed(lambda: workbook_bytes(report))
    line("write the workbook (bytes)", write, baseline=("YAML read", yaml_read))
    data = workbook_bytes(report)
    print(f"{'workbook size':<44} {len(data) / 1024:8.0f} KB")
    read = timed(lambda: loads_workbook(data))
    line("read the workbook back", read, baseline=("YAML read", yaml_read))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "h.xlsx"
        hg.dump(report, path)
        checked = timed(lambda: hg.check(load(path).report))
        line("check h.xlsx (read + check, in-process)", checked)
    return {
        "yaml_read_s": round(yaml_read, 4),
        "workbook_write_s": round(write, 4),
        "workbook_read_s": round(read, 4),
        "write_vs_yaml_read": round(write / yaml_read, 3),
        "read_vs_yaml_read": round(read / yaml_read, 3),
        "check_xlsx_s": round(checked, 4),
        "workbook_bytes": len(data),
    }
