"""Benchmarks: time the editions on the Haidian example against baselines run alongside.

    python bench/run.py              # every section
    python bench/run.py official     # only some sections
    python bench/run.py --json official   # … and a JSON object of the figures on the last line
    python bench/run.py --json graphic

Each section prints its measurements and, where the issue sets a target, the
ratio to a baseline measured in the same invocation (so the numbers compare
like with like on whatever machine runs them). Nothing here is a test; the
test suite never asserts on time.
"""

from __future__ import annotations

import importlib
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HAIDIAN = ROOT / "examples" / "haidian-2022" / "report.yaml"
# Sections are imported as bench.<name>; bench/ itself must not be on the path, or
# bench/docx.py would stand in for the python-docx package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

#: Section modules in bench/, run in this order.
SECTIONS = ("official", "docx", "graphic", "read", "district", "workbook")


def timed(func: Callable[[], object], repeat: int = 5) -> float:
    """Median wall time of ``func`` in seconds over ``repeat`` runs (after one warm-up)."""
    func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def process_runs(args: list[str], repeat: int = 3) -> list[float]:
    """Wall times of ``repeat`` runs of a whole command, in seconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, check=False, capture_output=True)
        samples.append(time.perf_counter() - start)
    return samples


def process(args: list[str], repeat: int = 3) -> float:
    """Median wall time of a whole command, in seconds."""
    return statistics.median(process_runs(args, repeat))


def process_cpu(args: list[str], repeat: int = 3) -> float:
    """Least CPU seconds (user + system, the command and every process it waited for) of a
    whole command: steadier than wall time on a shared machine. Unix only (``resource``)."""
    import resource

    samples = []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(args, check=False, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        samples.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(samples)


def line(
    name: str,
    seconds: float,
    *,
    target: float | None = None,
    baseline: tuple[str, float] | None = None,
) -> None:
    parts = [f"{name:<44} {seconds * 1000:8.0f} ms"]
    if target is not None:
        parts.append(f"target ≤ {target * 1000:.0f} ms {'ok' if seconds <= target else 'MISSED'}")
    if baseline is not None:
        parts.append(f"{seconds / baseline[1]:.2f}× {baseline[0]}")
    print("  ".join(parts))


def main(argv: list[str]) -> int:
    as_json = "--json" in argv
    wanted = [a for a in argv if a != "--json"] or list(SECTIONS)
    results: dict[str, object] = {}
    for name in wanted:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}: {module.__doc__.strip().splitlines()[0] if module.__doc__ else ''}")
        figures = module.run()
        if isinstance(figures, dict):
            results.update(
                figures if len(wanted) == 1 else {f"{name}.{k}": v for k, v in figures.items()}
            )
    if as_json:  # one JSON object on the last line, for machines
        print(json.dumps(results, ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
