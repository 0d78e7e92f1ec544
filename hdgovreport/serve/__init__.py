"""``hdgovreport serve``: a web form for one data file, on this computer only.

The server listens on ``127.0.0.1`` (never on the network), prints its address with a
per-run token as the first line of standard output, and serves a page that draws the
official tables with an input in every value cell, checks as the officer types, previews
both editions and downloads every file — all through :mod:`hdgovreport.serve.app`.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import sys
import threading
from typing import TextIO

from hdgovreport.errors import HdgovreportError
from hdgovreport.serve.app import Session, create_app
from hdgovreport.serve.store import DataFileStore

#: The port tried first.  A fixed one keeps the page's address — and so the browser's
#: storage of unsaved changes — the same from one run to the next.
DEFAULT_PORT = 8371
#: Ports tried after it, one by one, when another program (or another serve) holds it.
FALLBACK_PORTS = 9
HOST = "127.0.0.1"


def bind(port: int | None) -> socket.socket:
    """A socket listening on ``127.0.0.1:port``; ``None``: the default port or one of the next.

    ``port=0`` lets the system choose a free port.
    """
    candidates = (
        [port] if port is not None else [*range(DEFAULT_PORT, DEFAULT_PORT + FALLBACK_PORTS + 1), 0]
    )
    for candidate in candidates:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if os.name != "nt":  # POSIX: a restart may reuse the port at once; Windows: never share
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, candidate))
        except OSError:
            sock.close()
            continue
        sock.listen(64)
        return sock
    raise HdgovreportError(
        f"端口 {port} 已被占用或不可用，请用 --port 换一个（如 --port 0 自动选择）"
    )


def address(sock: socket.socket, token: str) -> str:
    """The page's address: ``http://127.0.0.1:PORT/?token=…``."""
    return f"http://{HOST}:{sock.getsockname()[1]}/?token={token}"


def serve(
    session: Session,
    *,
    port: int | None = None,
    open_browser: bool = True,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run the server until Ctrl+C (or SIGTERM); the address is the first line of ``out``."""
    import uvicorn

    out = out or sys.stdout
    err = err or sys.stderr
    sock = bind(port)
    token = secrets.token_urlsafe(24)
    url = address(sock, token)
    app = create_app(session, token=token, port=sock.getsockname()[1])
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,  # the addresses carry the token; nothing to log per request
        lifespan="off",
        server_header=False,
        timeout_graceful_shutdown=3,
    )
    server = uvicorn.Server(config)
    print(url, file=out, flush=True)
    print(
        f"正在编辑 {session.store.display}（只在本机可访问）。按 Ctrl+C 停止。",
        file=err,
        flush=True,
    )
    if open_browser:
        threading.Thread(target=_open, args=(url, err), daemon=True).start()
    try:
        with sock:
            server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    print("已停止。", file=err, flush=True)
    return 0


def _open(url: str, err: TextIO) -> None:
    import webbrowser

    opened = False
    with contextlib.suppress(Exception):
        opened = webbrowser.open(url, new=2)
    if not opened:
        print("未能自动打开浏览器，请把上面的地址复制到浏览器中打开。", file=err, flush=True)


__all__ = ["DEFAULT_PORT", "DataFileStore", "Session", "bind", "create_app", "serve"]
