"""The local web form's server: a Starlette app, guarded for a machine that has a browser.

Every request must come to ``127.0.0.1:PORT`` or ``localhost:PORT`` (``Host``; a DNS-rebinding
page gets 403), carry the session's token (``?token=…``; a page of another site cannot
know it) and, when it changes anything (``POST``), come from this page's own ``Origin``
if it names one.  Bodies are bounded.  Nothing is fetched from anywhere: the page, its
script and its styles are served from the package, and the page's Content-Security-Policy
forbids any other source.  The only file written is the data file the session was started
with, and its backup (:mod:`hdgovreport.serve.store`).

The JSON API, which the page uses and scripts may use too::

    GET  /api/state                     the file, its revision and the form state
    GET  /api/layout?edition=2021       the official tables' grids and the form's words
    GET  /api/revision                  the revision of the file on disk now
    POST /api/form        {form}        the form checked: problems by field, findings, totals
    POST /api/save        {form, base, force}   write the data file (409 if changed on disk)
    POST /api/check       data-file text        = ``hdgovreport check --format json``
    POST /api/render/{html,pdf,docx,graphic-html,graphic-pdf,png}[?allow_errors=1]
                          data-file text        the file (409 with the check when refused)
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import threading
import urllib.parse
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from hdgovreport.checks import CheckResult, check
from hdgovreport.datafile import MAX_FILE_BYTES, LoadedReport, dumps, loads
from hdgovreport.datafile.workbook.cells import MAX_WORKBOOK_BYTES
from hdgovreport.errors import DataFileError, Problem
from hdgovreport.form.layout import EDITIONS, wording
from hdgovreport.model import AnnualReport
from hdgovreport.serve.form import FormShapeError, form_from_report, report_from_form
from hdgovreport.serve.layout import layout_json
from hdgovreport.serve.store import Conflict, DataFileStore

#: Largest body accepted: a data file's limit (YAML text or a workbook), or a form state
#: (JSON, its text escaped).
MAX_BODY = {"yaml": max(MAX_FILE_BYTES, MAX_WORKBOOK_BYTES), "json": 2 * MAX_FILE_BYTES}
#: The first bytes of a zip container: a posted workbook rather than YAML text.
_ZIP_MAGIC = b"PK\x03\x04"

STATIC = Path(__file__).resolve().parent / "static"
#: The page's files: name → content type.  Nothing else is served.
ASSETS = {
    **{
        f"{name}.js": "text/javascript; charset=utf-8" for name in ("core", "form", "checks", "app")
    },
    "style.css": "text/css; charset=utf-8",
}

#: The page may load its own script and styles, talk to this server, and show the
#: previews (inline styles, data: images) in sandboxed frames; nothing else, from nowhere else.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; frame-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}

#: What ``POST /api/render/{name}`` makes: edition, format, file suffix, content type.
RENDERINGS: Mapping[str, tuple[str, str, str, str]] = {
    "html": ("official", "html", ".html", "text/html; charset=utf-8"),
    "pdf": ("official", "pdf", ".pdf", "application/pdf"),
    "docx": (
        "official",
        "docx",
        ".docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "graphic-html": ("graphic", "html", ".graphic.html", "text/html; charset=utf-8"),
    "graphic-pdf": ("graphic", "pdf", ".graphic.pdf", "application/pdf"),
    "png": ("graphic", "png", ".graphic.png", "image/png"),
}

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})

ASGIApp = Callable[
    [dict[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
    Awaitable[None],
]


class Guard:
    """ASGI middleware: ``Host``, token and ``Origin`` checked before anything else runs."""

    def __init__(self, app: ASGIApp, *, token: str, port: int) -> None:
        self.app = app
        self.token = token.encode("ascii")
        self.hosts = {f"127.0.0.1:{port}".encode(), f"localhost:{port}".encode()}
        self.origins = {b"http://" + h for h in self.hosts}

    def refusal(self, scope: Mapping[str, Any]) -> str | None:
        headers: dict[bytes, bytes] = {}
        for name, value in scope.get("headers", ()):
            headers.setdefault(name.lower(), value)
        if headers.get(b"host", b"").lower() not in self.hosts:
            return "地址不对：只接受发往 127.0.0.1 或 localhost 本端口的请求"
        query = urllib.parse.parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = query.get("token", [""])[0].encode("latin-1", "replace")
        if not hmac.compare_digest(given, self.token):
            return "缺少或错误的访问令牌：请使用 hdgovreport serve 打印的完整地址"
        origin = headers.get(b"origin")
        changes = scope.get("method") in STATE_CHANGING
        if changes and origin is not None and origin.lower() not in self.origins:
            return "来源不对：只接受本页面发出的修改请求"
        return None

    async def __call__(
        self,
        scope: dict[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[Any], Awaitable[None]],
    ) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # no websockets or anything else
            return
        reason = self.refusal(scope)
        if reason is not None:
            response = PlainTextResponse(f"403 禁止访问：{reason}", 403, headers=SECURITY_HEADERS)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(limit)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused as soon as it is larger than ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise BodyTooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status, headers=SECURITY_HEADERS)


def _error(message: str, status: int, **extra: Any) -> JSONResponse:
    return _json({"error": message, **extra}, status)


def input_errors_json(exc: DataFileError) -> dict[str, Any]:
    """The object ``hdgovreport check --format json`` prints for a file it cannot read."""
    from hdgovreport.cli.cmd_check import input_error_json

    return input_error_json(exc)


def _content_disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode("ascii").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{urllib.parse.quote(filename)}"


class Session:
    """One ``serve`` run: the store, last year's report, and the work the endpoints do."""

    def __init__(
        self,
        store: DataFileStore,
        *,
        previous: AnnualReport | None = None,
        previous_name: str | None = None,
    ) -> None:
        self.store = store
        self.previous = previous
        self.previous_name = previous_name
        self._render_lock = threading.Lock()  # one rendering at a time: the machine is small

    # the data-file text API (what the command line does)

    def load_text(self, data: bytes) -> LoadedReport:
        """A posted data file — YAML text, or a workbook's bytes — read exactly as ``check``
        reads the file (BOM, GBK hint, size limits, sheet!cell locations, …)."""
        from hdgovreport.datafile.workbook.read import loads_workbook
        from hdgovreport.datafile.yamltext import decode

        if data.startswith(_ZIP_MAGIC):
            return loads_workbook(data, self.store.display)
        if len(data) > MAX_FILE_BYTES:
            raise DataFileError(
                self.store.display,
                [Problem(f"文件过大，数据文件上限为 {MAX_FILE_BYTES // 1048576} MB")],
            )
        return loads(decode(data, self.store.display), self.store.display)

    def check_loaded(self, loaded: LoadedReport) -> CheckResult:
        result = check(loaded.report, self.previous, subject=self.store.display)
        return result.located(loaded.sources)

    def check_text(self, data: bytes) -> tuple[int, dict[str, Any]]:
        try:
            loaded = self.load_text(data)
        except DataFileError as exc:
            return 422, input_errors_json(exc)
        return 200, self.check_loaded(loaded).to_dict()

    def render_text(self, data: bytes, name: str, allow_errors: bool) -> Response:
        edition, fmt, suffix, content_type = RENDERINGS[name]
        try:
            loaded = self.load_text(data)
        except DataFileError as exc:
            return _json(input_errors_json(exc), 422)
        result = self.check_loaded(loaded)
        if not result.ok and not allow_errors:
            rules = "、".join(result.failed_rules)
            message = (
                f"报告未通过校验（{rules}），未生成文件；确需生成带“{wording().unverified_title}”"
                "标记的文件，请在地址中加 allow_errors=1"
            )
            return _error(message, 409, check=result.to_dict())
        with self._render_lock:
            if edition == "official":
                from hdgovreport.render.build import render
            else:
                from hdgovreport.graphic.render import render
            files, _ = render(
                loaded.report, (fmt,), previous=self.previous, allow_errors=True, result=result
            )
        headers = {
            **SECURITY_HEADERS,
            "Content-Disposition": _content_disposition(self.store.path.stem + suffix),
            "X-Hdgov-Errors": str(len(result.errors)),
        }
        return Response(files[fmt], 200, headers=headers, media_type=content_type)

    # the form API (what the page does)

    def state(self) -> dict[str, Any]:
        store = self.store
        out: dict[str, Any] = {
            "file": store.display,
            "name": store.path.name,
            "backup": store.backup.name,
            "file_id": hashlib.sha256(str(store.path).encode("utf-8")).hexdigest()[:16],
            "previous": self.previous_name,
        }
        try:
            store.reload()
        except DataFileError as exc:
            out["disk_error"] = [p.render(exc.filename) for p in exc.problems]
        out.update(exists=store.exists, revision=store.revision)
        out["form"] = form_from_report(store.report)
        return out

    def check_form(self, state: object) -> dict[str, Any]:
        outcome = report_from_form(state)
        out: dict[str, Any] = {
            "problems": [p.to_dict() for p in outcome.problems],
            "computed": dict(outcome.computed),
            "check": None,
            "yaml": None,
            "title": None,
        }
        if outcome.report is not None:
            result = check(outcome.report, self.previous, subject=self.store.display)
            out.update(
                check=result.to_dict(), yaml=dumps(outcome.report), title=outcome.report.title
            )
        return out

    def save_form(self, state: object, base: str, force: bool) -> JSONResponse:
        outcome = report_from_form(state)
        if outcome.report is None:
            count = len(outcome.problems)
            return _error(
                f"有 {count} 处填写需要改正，改正后才能保存",
                422,
                problems=[p.to_dict() for p in outcome.problems],
            )
        try:
            saved = self.store.save(outcome.report, base, force=force)
        except Conflict as exc:
            return _error(
                f"磁盘上的 {self.store.path.name} 在你开始编辑后被修改过（别人或别的程序改了它）。",
                409,
                conflict=True,
                revision=exc.revision,
            )
        return _json(
            {
                "revision": saved.revision,
                "changed": saved.changed,
                "backup": saved.backup.name if saved.backup else None,
                "file": self.store.display,
            }
        )


def _index(token: str, file: str) -> str:
    page = (STATIC / "index.html").read_text("utf-8")
    return page.replace("{{token}}", html.escape(token, quote=True)).replace(
        "{{file}}", html.escape(file, quote=True)
    )


def create_app(session: Session, *, token: str, port: int) -> Guard:
    """The guarded app for ``session`` listening on ``127.0.0.1:port`` with ``token``."""

    async def index(request: Request) -> Response:
        page = _index(token, session.store.display)
        return Response(page, headers=SECURITY_HEADERS, media_type="text/html; charset=utf-8")

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return PlainTextResponse("404", 404, headers=SECURITY_HEADERS)
        data = (STATIC / name).read_bytes()
        return Response(data, headers=SECURITY_HEADERS, media_type=ASSETS[name])

    async def state(request: Request) -> Response:
        return _json(await run_in_threadpool(session.state))

    async def layout(request: Request) -> Response:
        edition = request.query_params.get("edition", "2021")
        if edition not in EDITIONS:
            return _error(f"格式版本应为 {' 或 '.join(EDITIONS)}", 400)
        return _json(layout_json(edition))

    async def revision(request: Request) -> Response:
        try:
            current = await run_in_threadpool(session.store.current_revision)
        except DataFileError as exc:
            return _error(str(exc), 422)
        return _json({"revision": current})

    async def json_body(request: Request) -> Any:
        data = await read_body(request, MAX_BODY["json"])
        try:
            return json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise FormShapeError(f"请求内容不是 JSON：{exc}") from None

    async def form(request: Request) -> Response:
        body = await json_body(request)
        if not isinstance(body, dict):
            raise FormShapeError("请求内容应为对象")
        return _json(await run_in_threadpool(session.check_form, body.get("form")))

    async def save(request: Request) -> Response:
        body = await json_body(request)
        if not isinstance(body, dict) or not isinstance(body.get("base"), str):
            raise FormShapeError("请求内容应为 {form, base, force}")
        force = body.get("force") is True
        return await run_in_threadpool(session.save_form, body.get("form"), body["base"], force)

    async def check_text(request: Request) -> Response:
        data = await read_body(request, MAX_BODY["yaml"])
        status, result = await run_in_threadpool(session.check_text, data)
        return _json(result, status)

    async def render(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in RENDERINGS:
            return _error(f"不支持的格式：{name}；可选：{'、'.join(RENDERINGS)}", 404)
        data = await read_body(request, MAX_BODY["yaml"])
        allow = request.query_params.get("allow_errors", "") in ("1", "true", "yes")
        response: Response = await run_in_threadpool(session.render_text, data, name, allow)
        return response

    async def too_large(request: Request, exc: Exception) -> Response:
        limit = exc.limit if isinstance(exc, BodyTooLarge) else 0
        return _error(f"请求内容过大（上限 {limit // 1024 // 1024} MB）", 413)

    async def bad_shape(request: Request, exc: Exception) -> Response:
        return _error(f"请求格式不对：{exc}", 400)

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/static/{name}", asset, methods=["GET"]),
        Route("/api/state", state, methods=["GET"]),
        Route("/api/layout", layout, methods=["GET"]),
        Route("/api/revision", revision, methods=["GET"]),
        Route("/api/form", form, methods=["POST"]),
        Route("/api/save", save, methods=["POST"]),
        Route("/api/check", check_text, methods=["POST"]),
        Route("/api/render/{name}", render, methods=["POST"]),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={BodyTooLarge: too_large, FormShapeError: bad_shape},
    )
    return Guard(app, token=token, port=port)


__all__ = ["RENDERINGS", "Guard", "Session", "create_app", "input_errors_json"]
