"""``python -m hdgovreport``."""

from hdgovreport.cli import run

run()
