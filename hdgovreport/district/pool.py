"""Warm worker processes that import only our modules: safe under every start method.

Workers are started as ``python -m hdgovreport.district.worker`` (``subprocess``), never
by ``multiprocessing``: a child never re-imports the caller's ``__main__``, so a script
that calls :func:`hdgovreport.audit` or :func:`hdgovreport.build_many` without an
``if __name__ == "__main__":`` guard works the same on Windows, macOS and Linux, and no
code depends on ``fork``.  Each worker loads its modules (and, for builds, fonts and
templates) once, then runs many jobs.

Jobs and results are pickled over the worker's standard input and output; a reader
thread per worker hands results to the caller, so waiting works on every platform.  A
job that runs past its time limit has its worker killed and replaced; a worker that dies
costs only its job.  Every failure comes back as a :class:`Failure` with a Chinese reason.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

#: The message for a worker that died while starting (its start-up output is appended).
START_FAILED = "处理进程无法启动"
#: The message for a worker that died during a job.
DIED = "处理进程意外退出（文件可能已损坏，或内存不足）"
#: Said when the interpreter running us cannot be started again as a worker.
FROZEN_ADVICE = "本程序被打包为单个可执行文件，无法另起处理进程；请用 workers=0（在本进程内处理）"

_HEADER = struct.Struct("<Q")


@attrs.frozen
class Failure:
    """A job that produced no result: why, in Chinese."""

    reason: str


def _package_root() -> str:
    return str(Path(__file__).resolve().parents[2])


def send(stream: IO[bytes], obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    """The next pickled object; ``EOFError`` when the stream ends."""
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


class _Worker:
    """One worker process, its reader thread, and the job it is running."""

    def __init__(self, init: str, results: queue.Queue[tuple[_Worker, Any]]) -> None:
        env = dict(os.environ)
        root = _package_root()
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        env["PYTHONIOENCODING"] = "utf-8"
        flags = 0
        if sys.platform == "win32":  # no console window per worker
            flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "hdgovreport.district.worker", init],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                creationflags=flags,
            )
        except OSError as exc:
            from hdgovreport.errors import WorkerError

            reason = FROZEN_ADVICE if getattr(sys, "frozen", False) else (exc.strerror or str(exc))
            raise WorkerError(
                f"{START_FAILED}（{sys.executable}：{reason}）；"
                "可改为在本进程内处理：命令行加 --jobs 0，脚本中用 workers=0"
            ) from exc
        self.results = results
        self.job: int | None = None
        self.started = 0.0
        self.ready = False
        self.stderr_tail = b""
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while True:
            try:
                message = receive(self.process.stdout)
            except (EOFError, OSError, pickle.UnpicklingError, ValueError):
                self.results.put((self, _EOF))
                return
            self.results.put((self, message))

    def _drain(self) -> None:
        stream: Any = self.process.stderr
        with contextlib.suppress(OSError, ValueError):
            for chunk in iter(lambda: stream.read1(4096), b""):
                with self._lock:
                    self.stderr_tail = (self.stderr_tail + chunk)[-4000:]

    def give(self, index: int, task: str, args: tuple[Any, ...]) -> bool:
        self.job = index
        self.started = time.monotonic()
        assert self.process.stdin is not None
        try:
            send(self.process.stdin, (task, args))
        except (OSError, ValueError):
            return False
        return True

    def output(self) -> str:
        with self._lock:
            text = self.stderr_tail.decode("utf-8", "replace").strip()
        return text.splitlines()[-1][:300] if text else ""

    def stop(self, kill: bool = False) -> None:
        if not kill and self.process.poll() is None:
            try:
                assert self.process.stdin is not None
                send(self.process.stdin, None)
                self.process.stdin.close()
                self.process.wait(5)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                kill = True
        if kill or self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(5)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            with contextlib.suppress(OSError, ValueError):
                if stream is not None:
                    stream.close()


_EOF = object()
_READY = "ready"


def cpu_count() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))  # type: ignore[attr-defined,unused-ignore]
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Pool:
    """A set of warm workers that run named jobs of :mod:`hdgovreport.district.worker`.

    ``init`` names what each worker loads before its first job (``"read"``, ``"build"``).
    Use as a context manager; workers are stopped on exit.
    """

    def __init__(self, init: str, workers: int) -> None:
        self.init = init
        self.size = max(1, workers)
        self.results: queue.Queue[tuple[_Worker, Any]] = queue.Queue()
        self.workers = [_Worker(init, self.results) for _ in range(self.size)]

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for w in self.workers:
            w.stop(kill=w.job is not None)
        self.workers = []

    def _replace(self, worker: _Worker) -> _Worker:
        worker.stop(kill=True)
        fresh = _Worker(self.init, self.results)
        self.workers[self.workers.index(worker)] = fresh
        return fresh

    def run(
        self,
        task: str,
        jobs: Sequence[tuple[Any, ...]],
        *,
        time_limit: float | None = None,
        done: Callable[[int, Any], None] | None = None,
    ) -> list[Any]:
        """Run ``task`` once per argument tuple; results (or :class:`Failure`) in job order.

        ``done(index, result)`` is called as each job finishes, in completion order.
        """
        results: list[Any] = [None] * len(jobs)
        for index, result in self.imap(task, jobs, time_limit=time_limit):
            results[index] = result
            if done is not None:
                done(index, result)
        return results

    def imap(
        self, task: str, jobs: Sequence[tuple[Any, ...]], *, time_limit: float | None = None
    ) -> Iterator[tuple[int, Any]]:
        """``(index, result)`` for every job, as they finish."""
        pending = list(range(len(jobs)))
        pending.reverse()
        remaining = len(jobs)
        start_failures = 0

        def feed(worker: _Worker) -> None:
            while pending and worker.ready and worker.job is None:
                index = pending.pop()
                if worker.give(index, task, jobs[index]):
                    return
                pending.append(index)  # the worker is gone; its reader reports it
                worker.job = None
                return

        for w in self.workers:
            feed(w)
        while remaining:
            try:
                worker, message = self.results.get(timeout=0.25)
            except queue.Empty:
                worker, message = None, None
            if worker is not None and worker in self.workers:
                if message is _EOF:
                    index = worker.job
                    if not worker.ready:
                        start_failures += 1
                        reason = _start_failure(worker.output())
                        if start_failures >= self.size * 2 and index is None:
                            # workers cannot start at all: fail every job alike, once
                            while pending:
                                remaining -= 1
                                yield pending.pop(), Failure(reason)
                            if not any(w.job is not None for w in self.workers):
                                return
                    else:
                        reason = DIED
                    fresh = self._replace(worker)
                    if index is not None:
                        remaining -= 1
                        yield index, Failure(reason)
                    feed(fresh)
                elif message == _READY:
                    worker.ready = True
                    feed(worker)
                else:
                    index = worker.job
                    worker.job = None
                    if index is not None:
                        remaining -= 1
                        yield index, message
                    feed(worker)
            if time_limit is not None:
                now = time.monotonic()
                for w in list(self.workers):
                    if w.job is not None and now - w.started > time_limit + 10.0:
                        index = w.job
                        w.job = None
                        fresh = self._replace(w)
                        remaining -= 1
                        yield index, Failure(f"处理超时（超过 {time_limit:g} 秒）")
                        feed(fresh)


def _start_failure(output: str) -> str:
    if getattr(sys, "frozen", False):
        return f"{START_FAILED}：{FROZEN_ADVICE}"
    return f"{START_FAILED}（{output}）" if output else START_FAILED


__all__ = ["DIED", "START_FAILED", "Failure", "Pool", "cpu_count", "receive", "send"]
