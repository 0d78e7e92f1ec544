#!/usr/bin/env bash
# The project's checks, as CI runs them: lint, strict typing, then the test suite
# against the installed package (.venv, see scripts/setup.sh --test).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check hdgovreport tests bench
.venv/bin/ruff format --check hdgovreport tests bench
.venv/bin/mypy
# -n auto: one worker per core (pytest-xdist); pass -n 0 to run in this process (e.g. with --pdb)
.venv/bin/pytest -q -n auto "$@"
