"""The worker process: ``python -m hdgovreport.district.worker read|build``.

Started by :class:`hdgovreport.district.pool.Pool`; imports only hdgovreport and its
libraries, never the caller's script.  It loads what its jobs need once (``build``:
the renderers, fonts and templates), says it is ready, then answers jobs read from
standard input until told to stop.  Anything a library prints goes to standard error;
standard output carries only the pickled results.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

#: Memory one worker may use (bytes) where the system lets us set a limit.
WORKER_MEMORY = 2 * 1024 * 1024 * 1024


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))
    except (ImportError, ValueError, OSError):
        pass


def _warm(init: str) -> None:
    """Load once what every job of this kind needs."""
    import hdgovreport.checks
    import hdgovreport.district.tasks

    if init == "build":
        from hdgovreport.district.tasks import warm_build

        warm_build()
    elif init == "read":
        import hdgovreport.published.reader  # noqa: F401


def _tasks() -> dict[str, Callable[..., Any]]:
    from hdgovreport.district import tasks

    return {"read": tasks.read_task, "render": tasks.render_task}


def main(argv: list[str]) -> int:  # pragma: no cover - runs in a child process
    init = argv[0] if argv else "read"
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints never reach the pipe
    sys.stdout = sys.stderr
    requests = os.fdopen(os.dup(sys.stdin.fileno()), "rb")
    if init == "read":
        _limit_memory()
    from hdgovreport.district.pool import receive, send

    _warm(init)
    tasks = _tasks()
    send(protocol, "ready")
    while True:
        try:
            job = receive(requests)
        except (EOFError, KeyboardInterrupt):
            return 0
        if job is None:
            return 0
        name, args = job
        send(protocol, tasks[name](*args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
