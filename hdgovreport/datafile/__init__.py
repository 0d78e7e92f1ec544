"""The report data file: one human-editable YAML file per report, keys in Chinese."""

from hdgovreport.datafile.reader import MAX_FILE_BYTES, LoadedReport, load, loads
from hdgovreport.datafile.template import blank_report, template
from hdgovreport.datafile.writer import dump, dumps

__all__ = [
    "MAX_FILE_BYTES",
    "LoadedReport",
    "blank_report",
    "dump",
    "dumps",
    "load",
    "loads",
    "template",
]
