"""``hdgovreport serve`` in-process: every endpoint, every refusal, the one file it writes.

The app runs inside the test through Starlette's test client (no socket); one test starts
the real command to see its first line of output, its 127.0.0.1-only socket and a clean
stop on Ctrl+C.  The page in a real browser is ``test_serve_browser.py``.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import warnings
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from conftest import HAIDIAN, ROOT
from helpers import clean_variant, examples, replace_at
from hypothesis import HealthCheck, given, settings
from strategies import reports

from hdgovreport import AnnualReport, cli
from hdgovreport.datafile import MAX_FILE_BYTES, blank_report, dumps, load, loads
from hdgovreport.errors import HdgovreportError
from hdgovreport.form import queries
from hdgovreport.form.layout import layout, wording
from hdgovreport.model import values as V
from hdgovreport.model.structure import structure_tables
from hdgovreport.serve import Session, bind, create_app
from hdgovreport.serve.app import ASSETS, MAX_BODY, RENDERINGS, STATIC
from hdgovreport.serve.form import FormShapeError, form_from_report, report_from_form
from hdgovreport.serve.layout import layout_json
from hdgovreport.serve.store import Conflict, DataFileStore

PORT = 8123
TOKEN = "t0ken-for-tests"
ORIGIN = f"http://127.0.0.1:{PORT}"
EXAMPLE = HAIDIAN.read_bytes()
T4_TOTAL = "review_litigation.litigation_after_review.total"
T3_CELL = "applications.granted.research"


def _test_client(app: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        # Starlette 1.x would rather drive its test client with httpx2 (Python ≥ 3.11 only);
        # httpx, which the test extra installs, works the same
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    return TestClient(app, **kwargs)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding only a copy of the example; the working directory is another, empty one."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "report.yaml").write_bytes(EXAMPLE)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    return data


@pytest.fixture
def session(folder: Path) -> Session:
    store = DataFileStore(folder / "report.yaml", new_report=blank_report("某局", 2022))
    return Session(store)


@pytest.fixture
def client(session: Session) -> Iterator[Any]:
    app = create_app(session, token=TOKEN, port=PORT)
    with _test_client(app, base_url=f"http://127.0.0.1:{PORT}") as c:
        yield c


def api(route: str, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"token": TOKEN, **params}.items())
    return f"{route}?{query}"


def state(client: Any) -> dict[str, Any]:
    response = client.get(api("/api/state"))
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# ---------------------------------------------------------------- the guard: every 403


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path]]:
    """One served copy of the example for the read-only tests of the guard."""
    data = tmp_path_factory.mktemp("guarded")
    (data / "report.yaml").write_bytes(EXAMPLE)
    store = DataFileStore(data / "report.yaml", new_report=blank_report("某局", 2022))
    app = create_app(Session(store), token=TOKEN, port=PORT)
    with _test_client(app, base_url=f"http://127.0.0.1:{PORT}") as c:
        yield c, data


ENDPOINTS = [
    ("GET", "/"),
    *(("GET", f"/static/{name}") for name in ASSETS),
    ("GET", "/api/state"),
    ("GET", "/api/layout"),
    ("GET", "/api/revision"),
    ("POST", "/api/form"),
    ("POST", "/api/save"),
    ("POST", "/api/check"),
    *(("POST", f"/api/render/{name}") for name in RENDERINGS),
    ("GET", "/favicon.ico"),
    ("GET", "/nothing/here"),
]
POSTED = json.dumps({"form": {}, "base": "", "force": True}).encode()


def _body(method: str, path: str) -> bytes | None:
    if method != "POST":
        return None
    return POSTED if path in ("/api/form", "/api/save") else EXAMPLE


@pytest.mark.parametrize("token", [None, "", "wrong", TOKEN[:-1], TOKEN + "x", TOKEN.upper()])
def test_every_request_without_the_token_is_refused(
    guarded: tuple[Any, Path], token: str | None
) -> None:
    client, folder = guarded
    for method, path in ENDPOINTS:
        url = path if token is None else f"{path}?token={token}"
        response = client.request(method, url, content=_body(method, path))
        assert response.status_code == 403, (method, path)
        assert "访问令牌" in response.text
    assert files(folder) == {"report.yaml": EXAMPLE}


def test_the_token_in_another_parameter_or_a_header_is_not_the_token(
    guarded: tuple[Any, Path],
) -> None:
    client, _folder = guarded
    assert client.get(f"/api/state?tok={TOKEN}").status_code == 403
    assert client.get("/api/state", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 403
    assert client.get(f"/api/state?token={TOKEN}").status_code == 200


FOREIGN_HOSTS = [
    "evil.example:8123",  # DNS rebinding: a site's name resolved to 127.0.0.1
    "evil.example",
    f"127.0.0.1:{PORT + 1}",
    "127.0.0.1",
    f"localhost.evil.example:{PORT}",
    f"0.0.0.0:{PORT}",
    f"[::1]:{PORT}",
    f"192.168.1.10:{PORT}",
    "",
]


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
def test_a_foreign_host_is_refused(guarded: tuple[Any, Path], host: str) -> None:
    client, folder = guarded
    for method, path in ENDPOINTS:
        url = f"{path}?token={TOKEN}"
        response = client.request(method, url, headers={"Host": host}, content=_body(method, path))
        assert response.status_code == 403, (method, path)
        assert "地址不对" in response.text
    assert files(folder) == {"report.yaml": EXAMPLE}


@pytest.mark.parametrize("host", [f"127.0.0.1:{PORT}", f"localhost:{PORT}", f"LocalHost:{PORT}"])
def test_both_local_names_are_served(guarded: tuple[Any, Path], host: str) -> None:
    client, _folder = guarded
    assert client.get(api("/api/revision"), headers={"Host": host}).status_code == 200


FOREIGN_ORIGINS = [
    "http://evil.example",
    "null",
    f"http://127.0.0.1:{PORT + 1}",
    f"https://127.0.0.1:{PORT}",
    f"http://localhost.evil.example:{PORT}",
    f"http://127.0.0.1:{PORT}.evil.example",
]


@pytest.mark.parametrize("origin", FOREIGN_ORIGINS)
def test_a_state_changing_request_from_a_foreign_origin_is_refused(
    guarded: tuple[Any, Path], origin: str
) -> None:
    client, folder = guarded
    form = state(client)["form"]
    revision = state(client)["revision"]
    posts = [(m, p) for m, p in ENDPOINTS if m == "POST"]
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        for _post, path in posts:
            body = json.dumps({"form": form, "base": revision, "force": True}).encode()
            content = body if path in ("/api/form", "/api/save") else EXAMPLE
            response = client.request(
                method, api(path), headers={"Origin": origin}, content=content
            )
            assert response.status_code == 403, (method, path)
            assert "来源不对" in response.text
    assert files(folder) == {"report.yaml": EXAMPLE}


@pytest.mark.parametrize("origin", [ORIGIN, f"http://localhost:{PORT}", None])
def test_the_page_s_own_origin_or_none_may_post(
    guarded: tuple[Any, Path], origin: str | None
) -> None:
    client, _folder = guarded
    headers = {"Origin": origin} if origin else {}
    assert client.post(api("/api/check"), headers=headers, content=EXAMPLE).status_code == 200


def test_bodies_are_bounded(client: Any, folder: Path) -> None:
    # a body the server will not even read: over the largest data file (a workbook's limit)
    too_big = b"#" * (MAX_BODY["yaml"] + 1)
    response = client.post(api("/api/check"), content=too_big)
    assert response.status_code == 413
    assert "过大" in response.json()["error"]

    # a YAML text over the YAML limit but under the workbook's: read, then refused as the
    # command line refuses it, with the data file's limit named
    yaml_too_big = b"#" * (MAX_FILE_BYTES + 1)
    response = client.post(api("/api/check"), content=yaml_too_big)
    assert response.status_code == 422
    assert f"上限为 {MAX_FILE_BYTES // 1048576} MB" in json.dumps(
        response.json(), ensure_ascii=False
    )

    def chunks() -> Iterator[bytes]:  # no Content-Length: refused while it streams
        for _ in range(5):
            yield b"#" * (MAX_BODY["yaml"] // 4)

    assert client.post(api("/api/check"), content=chunks()).status_code == 413
    assert client.post(api("/api/render/pdf"), content=too_big).status_code == 413
    huge_form = b'{"form": "' + b"x" * (2 * MAX_FILE_BYTES + 1) + b'"}'
    assert client.post(api("/api/form"), content=huge_form).status_code == 413
    assert client.post(api("/api/save"), content=huge_form).status_code == 413
    assert files(folder) == {"report.yaml": EXAMPLE}


def test_every_answer_carries_the_security_headers(client: Any) -> None:
    for response in (client.get(api("/")), client.get(api("/api/state")), client.get("/")):
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp
        assert "script-src 'self'" in csp
        assert "connect-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["cache-control"] == "no-store"


# ---------------------------------------------------------------- the page and its files


def test_the_page_loads_its_script_and_styles_from_this_server_only(client: Any) -> None:
    page = client.get(api("/"))
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    sources = re.findall(r'(?:src|href)="([^"]*)"', page.text)
    assert sorted(sources) == sorted([*(f"/static/{n}?token={TOKEN}" for n in ASSETS), "data:,"])
    assert sorted(ASSETS) == sorted(p.name for p in STATIC.iterdir() if p.name != "index.html")
    for name, kind in ASSETS.items():
        response = client.get(api(f"/static/{name}"))
        assert response.status_code == 200
        assert response.headers["content-type"] == kind
        assert response.content == (STATIC / name).read_bytes()


@pytest.mark.parametrize(
    "path", ["/static/index.html", "/static/../app.py", "/static/%2e%2e%2fapp.py", "/static/"]
)
def test_nothing_else_is_served(client: Any, path: str) -> None:
    assert client.get(api(path)).status_code == 404


def test_the_file_name_is_escaped_in_the_page(tmp_path: Path) -> None:
    name = tmp_path / '<img src=x onerror="alert(1)">&.yaml'
    name.write_bytes(EXAMPLE)
    session = Session(DataFileStore(name, new_report=blank_report("某局", 2022)))
    with _test_client(
        create_app(session, token=TOKEN, port=PORT), base_url=f"http://127.0.0.1:{PORT}"
    ) as c:
        page = c.get(api("/")).text
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;.yaml" in page


def test_no_official_label_is_written_in_the_page() -> None:
    """The page draws labels from the server (tables.yaml); its files hold none of their own."""
    labels: set[str] = set(wording().sections.values())
    t2 = layout().proactive
    for edition in ("2021", "2019"):
        for block in t2.blocks(edition):
            labels.add(block.title)
            labels.update(n.label for n in (*block.columns, *block.rows))
    for table in (layout().applications, layout().review_litigation):
        stack = [*table.rows, *table.columns]
        while stack:
            node = stack.pop()
            labels.add(node.label)
            stack.extend(node.children)
    labels.add(layout().fee.name)
    labels.update(i.label for i in layout().fee.items)
    cores = {queries.label_core(label) for label in labels} | labels
    for path in sorted(STATIC.iterdir()):
        text = path.read_text("utf-8")
        assert [c for c in cores if len(c) >= 4 and c in text] == [], path.name


def test_the_page_makes_no_request_to_anywhere_else() -> None:
    for path in sorted(STATIC.iterdir()):
        text = path.read_text("utf-8")
        assert not re.search(r"https?://(?!127\.0\.0\.1)", text), path.name
        if path.suffix in (".css", ".html"):
            assert "@import" not in text and "url(" not in text, path.name
        assert "innerHTML" not in text and "insertAdjacentHTML" not in text, path.name
        assert "document.write" not in text and "eval(" not in text, path.name


# ---------------------------------------------------------------- layout and state


def test_the_layout_is_the_official_document_tree(client: Any) -> None:
    from hdgovreport.document import build_document

    data = client.get(api("/api/layout", edition="2021")).json()
    assert data == json.loads(json.dumps(layout_json("2021")))
    assert [t["name"] for t in data["tables"]] == ["表2", "表3", "表4"]
    tree = build_document(blank_report("某局", 2022)).table("表3")
    drawn = next(t for t in data["tables"] if t["name"] == "表3")
    head = [
        [(c.get("text"), c.get("colspan", 1), c.get("rowspan", 1)) for c in r]
        for r in drawn["head"]
    ]
    assert head == [[(c.text, c.colspan, c.rowspan) for c in r.cells] for r in tree.head]
    body = [c for body in drawn["bodies"] for row in body for c in row]
    tree_body = [c for body in tree.bodies for row in body for c in row.cells]
    assert [c.get("field") or c.get("text") for c in body] == [c.field or c.text for c in tree_body]
    values = {
        c["field"]
        for t in data["tables"]
        for b in t["bodies"]
        for r in b
        for c in r
        if "field" in c
    }
    values |= {i["path"] for i in data["fee"]["items"]}
    assert values == set(queries.cell_paths("2021")) == set(data["types"])
    assert T4_TOTAL in data["totals"] and "applications.total_handled.total" in data["totals"]
    assert data["numbering"]["subsection"][:3] == ["（一）", "（二）", "（三）"]
    assert data["numbering"]["point"]["一是"][:2] == ["一是", "二是"]
    assert client.get(api("/api/layout", edition="2019")).json()["edition"] == "2019"
    assert client.get(api("/api/layout", edition="2020")).status_code == 400


def test_state_is_the_file_on_disk(client: Any, folder: Path) -> None:
    data = state(client)
    assert data["exists"] is True
    assert data["name"] == "report.yaml"
    assert data["backup"] == "report.yaml.bak"
    assert re.fullmatch(r"[0-9a-f]{64}", data["revision"])
    assert data["form"]["cells"][T4_TOTAL] == "42"
    assert data["form"]["cells"]["proactive.fees"] == "19656.3836"
    assert data["form"]["meta"]["agency"] == "北京市海淀区人民政府"
    assert client.get(api("/api/revision")).json() == {"revision": data["revision"]}
    # someone else edits the file: the state follows the disk, and a broken file is reported
    changed = EXAMPLE.replace(b"\xe6\x80\xbb\xe8\xae\xa1: 42}", b"\xe6\x80\xbb\xe8\xae\xa1: 45}")
    assert changed != EXAMPLE
    (folder / "report.yaml").write_bytes(changed)
    again = state(client)
    assert again["form"]["cells"][T4_TOTAL] == "45"
    assert again["revision"] != data["revision"]
    (folder / "report.yaml").write_text("机关名称: [", "utf-8")
    broken = state(client)
    assert "YAML 格式错误" in broken["disk_error"][0]
    assert broken["form"]["cells"][T4_TOTAL] == "45"  # the last version read


# ---------------------------------------------------------------- /api/check = hdgovreport check


def cli_json(path: str, capsys: pytest.CaptureFixture[str]) -> Any:
    capsys.readouterr()
    cli.main(["check", path, "--format", "json"])
    return json.loads(capsys.readouterr().out)


def test_api_check_returns_exactly_what_check_format_json_prints(
    client: Any, session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    response = client.post(api("/api/check"), content=EXAMPLE)
    assert response.status_code == 200
    data = response.json()
    assert data == cli_json(session.store.display, capsys)
    assert data["errors"] == 1
    assert [f["code"] for f in data["findings"]] == ["T4-sum", "FEE-unpaid"]
    assert data["findings"][0]["location"]["source"]["line"] == 75


@pytest.mark.parametrize(
    "text",
    ["机关名称: [", "报告年度: 2022\n", "\x00", b"\xb1\xa8\xb8\xe6".decode("latin-1")],
    ids=["yaml-syntax", "missing-sections", "nul", "gbk"],
)
def test_api_check_of_an_unreadable_file_is_the_cli_s_input_errors(
    client: Any, session: Session, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    body = text.encode("latin-1") if text.startswith("\xb1") else text.encode("utf-8")
    response = client.post(api("/api/check"), content=body)
    assert response.status_code == 422
    session.store.path.write_bytes(body)  # the same bytes, read by the command line
    assert response.json() == cli_json(session.store.display, capsys)
    assert response.json()["exit_code"] == 2


def test_api_check_with_last_year(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    last = folder / "2021.yaml"
    last.write_text(dumps(replace_at(load(HAIDIAN).report, "meta.year", 2021)), "utf-8")
    previous = load(last).report
    session = Session(
        DataFileStore(folder / "report.yaml", new_report=blank_report("某局", 2022)),
        previous=previous,
        previous_name=str(last),
    )
    with _test_client(
        create_app(session, token=TOKEN, port=PORT), base_url=f"http://127.0.0.1:{PORT}"
    ) as c:
        data = c.post(api("/api/check"), content=EXAMPLE).json()
        assert c.get(api("/api/state")).json()["previous"] == str(last)
    capsys.readouterr()
    cli.main(["check", session.store.display, "--previous", str(last), "--format", "json"])
    assert data == json.loads(capsys.readouterr().out)
    assert any(f["code"].startswith("LINK") for f in data["findings"])


# ---------------------------------------------------------------- /api/render


def test_render_refuses_a_report_with_errors_unless_asked(client: Any) -> None:
    response = client.post(api("/api/render/pdf"), content=EXAMPLE)
    assert response.status_code == 409
    data = response.json()
    assert "T4-sum" in data["error"] and "allow_errors=1" in data["error"]
    assert data["check"]["errors"] == 1
    bad = client.post(api("/api/render/html"), content="机关名称: [".encode())
    assert bad.status_code == 422
    assert bad.json()["exit_code"] == 2 and bad.json()["input_errors"][0]["line"] is not None
    assert client.post(api("/api/render/odt"), content=EXAMPLE).status_code == 404


def test_render_every_format(client: Any, folder: Path) -> None:
    """Each file is what the command line builds, with the 校验未通过 marking when it has errors."""
    import pypdfium2
    from PIL import Image

    from hdgovreport.graphic.render import render as graphic
    from hdgovreport.render.build import render as official

    report = load(HAIDIAN).report
    mark = wording().unverified_title
    got: dict[str, Any] = {}
    for name, (_edition, _fmt, suffix, kind) in RENDERINGS.items():
        response = client.post(api(f"/api/render/{name}", allow_errors="1"), content=EXAMPLE)
        assert response.status_code == 200, name
        assert response.headers["content-type"].split(";")[0] == kind.split(";")[0]
        assert f"filename*=UTF-8''report{suffix}" in response.headers["content-disposition"]
        assert response.headers["x-hdgov-errors"] == "1"
        got[name] = response.content
    html = got["html"].decode("utf-8")
    assert html == official(report, ["html"], allow_errors=True)[0]["html"].decode("utf-8")
    assert 'class="unverified"' in html and report.title in html
    assert got["graphic-html"] == graphic(report, ["html"], allow_errors=True)[0]["html"]
    for name in ("pdf", "graphic-pdf"):
        pdf = pypdfium2.PdfDocument(got[name])
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        assert mark in text.replace("\r", "").replace("\n", ""), name
    with zipfile.ZipFile(io.BytesIO(got["docx"])) as docx:
        assert mark in docx.read("word/document.xml").decode("utf-8")
    image = Image.open(io.BytesIO(got["png"]))
    assert image.format == "PNG" and image.width == 1500 and image.height > 3000
    # rendering writes nothing: not beside the data file, not in the working directory
    assert files(folder) == {"report.yaml": EXAMPLE}
    assert list(Path.cwd().iterdir()) == []


def test_render_a_clean_report_without_the_marking(client: Any) -> None:
    clean = dumps(clean_variant(load(HAIDIAN).report)).encode("utf-8")
    response = client.post(api("/api/render/html"), content=clean)
    assert response.status_code == 200
    assert response.headers["x-hdgov-errors"] == "0"
    assert 'class="unverified"' not in response.text
    marked = client.post(api("/api/render/html", allow_errors="1"), content=EXAMPLE)
    assert 'class="unverified"' in marked.text


# ---------------------------------------------------------------- /api/form


def check_form(client: Any, form: dict[str, Any]) -> dict[str, Any]:
    response = client.post(api("/api/form"), json={"form": form})
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def test_form_check_is_the_checker_s(client: Any) -> None:
    form = state(client)["form"]
    data = check_form(client, form)
    assert data["problems"] == []
    assert data["yaml"] == EXAMPLE.decode("utf-8")
    assert data["title"] == load(HAIDIAN).report.title
    assert [f["code"] for f in data["check"]["findings"]] == ["T4-sum", "FEE-unpaid"]
    t4 = data["check"]["findings"][0]
    assert t4["location"]["field"] == T4_TOTAL
    assert data["computed"][T4_TOTAL] == "45"
    form["cells"][T4_TOTAL] = "45"
    fixed = check_form(client, form)
    assert [f["code"] for f in fixed["check"]["findings"]] == ["FEE-unpaid"]
    form["cells"][T4_TOTAL] = ""  # a total left empty is computed, not a problem
    computed = check_form(client, form)
    assert computed["problems"] == [] and "总计: 45}" in computed["yaml"]


@pytest.mark.parametrize("typed", ["十二", "-1", "１２", "1,520", "1.5", "", "abc", "9" * 40])
def test_invalid_input_gets_the_shared_parser_s_message(client: Any, typed: str) -> None:
    form = state(client)["form"]
    form["cells"][T3_CELL] = typed
    data = check_form(client, form)
    (problem,) = data["problems"]
    _value, expected = V.parse_number_text("count", typed)
    assert expected is not None
    assert problem == {
        "path": T3_CELL,
        "message": expected.message,
        "suggestion": expected.suggestion,
    }
    # the same message the structuring path gives every input (data file, workbook, form)
    values = {p: v for p, v in form["cells"].items() if p not in data["computed"]}
    (shared,) = structure_tables("2021", {**values, T3_CELL: typed}).problems
    assert (shared.path, shared.message) == (T3_CELL, problem["message"])
    assert data["check"] is None and data["yaml"] is None
    # totals that do not depend on the bad cell are still shown; the ones that do are not
    assert data["computed"][T4_TOTAL] == "45"
    assert (
        data["computed"]["applications.granted.natural_person".replace("natural_person", "total")]
        is None
    )
    assert data["computed"]["applications.total_handled.research"] is None
    assert data["computed"]["applications.total_handled.natural_person"] == "1448"


@pytest.mark.parametrize("typed", ["十二", "-1", "１２", "1,520", "abc"])
def test_the_form_and_the_data_file_say_the_same_about_a_cell(client: Any, typed: str) -> None:
    """The same text typed into the form and written into the data file: the same message."""
    from hdgovreport.errors import DataFileError

    form = state(client)["form"]
    form["cells"][T3_CELL] = typed
    (problem,) = check_form(client, form)["problems"]
    row = next(line for line in EXAMPLE.decode("utf-8").splitlines() if "{自然人: 288," in line)
    edited = EXAMPLE.decode("utf-8").replace(
        row, row.replace("科研机构: 2,", f'科研机构: "{typed}",')
    )
    with pytest.raises(DataFileError) as raised:
        loads(edited, "report.yaml")
    (read,) = [p for p in raised.value.problems if p.field.endswith(" › 科研机构")]
    assert read.message == problem["message"]


def test_text_problems_are_reported_at_their_field(client: Any) -> None:
    form = state(client)["form"]
    form["meta"]["agency"] = "  "
    form["meta"]["year"] = "二〇二二"
    form["meta"]["published"] = "2023-02-30"
    form["narratives"]["overview"]["subsections"][0]["content"][1]["text"] = ""
    form["narratives"]["problems"]["subsections"][1]["title"] = "改进\n情况"
    form["narratives"]["overview"]["subsections"][1]["highlights"] = [
        {"figure": "约22", "unit": "条", "label": "惠企政策"}
    ]
    form["texts"]["applications.notes"] = ["\u0007"]
    problems = {p["path"]: p["message"] for p in check_form(client, form)["problems"]}
    assert problems == {
        "meta.agency": "文本不能为空",
        "meta.year": "“二〇二二”是汉字数字，应为 2022",
        "meta.published": "应为日期，写成 2023-01-31 的形式，实际为“2023-02-30”",
        "overview.subsections.0.content.1": "要点不能为空",
        "problems.subsections.1.title": V.problem_text("改进\n情况", what="标题"),
        "overview.subsections.1.highlights.0.figure": "应以阿拉伯数字开头（如 22、2.5、100余），实际为“约22”",
        "applications.notes.0": V.problem_text("\u0007", what="段落"),
    }


@pytest.mark.parametrize(
    "body",
    [
        {"form": None},
        {"form": {"meta": "x"}},
        {"form": {"meta": {}, "cells": {"a": 1}}},
        {"form": {"meta": {}, "opening": "x"}},
        {"form": {"meta": {}, "texts": {"../x": []}}},
        [1, 2],
    ],
)
def test_a_body_that_is_not_a_form_is_a_400(client: Any, body: Any) -> None:
    response = client.post(api("/api/form"), json=body)
    assert response.status_code == 400
    assert "请求格式不对" in response.json()["error"]
    assert client.post(api("/api/form"), content=b"{not json").status_code == 400


@settings(
    max_examples=examples(20),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(report=reports())
def test_form_state_round_trips_every_report(report: AnnualReport) -> None:
    """What the page shows, posted back unchanged, is the same report (so a save writes the
    same bytes: the writer is canonical, see test_datafile)."""
    form = json.loads(json.dumps(form_from_report(report)))
    outcome = report_from_form(form)
    assert outcome.problems == ()
    assert outcome.report == report


def test_the_2019_edition_and_a_blank_report_round_trip() -> None:
    for report in (blank_report("某县人民政府", 2020, "2019"), blank_report("某局", 2023)):
        assert report_from_form(form_from_report(report)).report == report
    with pytest.raises(FormShapeError):
        report_from_form(
            {"meta": {}, "narratives": {"problems": {"subsections": [{"highlights": [{}]}]}}}
        )


def test_the_graphic_settings_survive_the_form() -> None:
    """The page does not edit the 图解 settings; a save must not drop them."""
    from hdgovreport.model import GraphicSettings

    chosen = GraphicSettings(source="某局2023年报告", rates=("correction_rate",))
    report = attrs.evolve(blank_report("某局", 2023), graphic=chosen)
    form = json.loads(json.dumps(form_from_report(report)))
    assert form["graphic"] == {"source": "某局2023年报告", "rates": ["纠正率"]}
    assert report_from_form(form).report == report
    del form["graphic"]  # a page saved before the settings existed
    assert report_from_form(form).report == attrs.evolve(report, graphic=GraphicSettings())
    with pytest.raises(FormShapeError):
        report_from_form({**form, "graphic": {"rates": ["办结率"]}})


# ---------------------------------------------------------------- /api/save: the one file


def save(client: Any, form: dict[str, Any], base: str, force: bool = False) -> Any:
    return client.post(api("/api/save"), json={"form": form, "base": base, "force": force})


def test_save_writes_the_writer_s_bytes_and_keeps_a_backup(client: Any, folder: Path) -> None:
    first = state(client)
    form = first["form"]
    form["cells"][T4_TOTAL] = "45"
    response = save(client, form, first["revision"])
    assert response.status_code == 200
    saved = response.json()
    assert saved["changed"] is True and saved["backup"] == "report.yaml.bak"
    expected = dumps(replace_at(load(HAIDIAN).report, T4_TOTAL, 45)).encode("utf-8")
    assert files(folder) == {"report.yaml": expected, "report.yaml.bak": EXAMPLE}
    # 42 again: the file is the original example, byte for byte; the backup the 45 version
    form["cells"][T4_TOTAL] = "42"
    again = save(client, form, saved["revision"]).json()
    assert files(folder) == {"report.yaml": EXAMPLE, "report.yaml.bak": expected}
    # saving what is on disk writes nothing
    same = save(client, form, again["revision"]).json()
    assert same["changed"] is False and same["backup"] is None
    assert files(folder) == {"report.yaml": EXAMPLE, "report.yaml.bak": expected}


def test_save_asks_before_overwriting_a_file_changed_on_disk(client: Any, folder: Path) -> None:
    start = state(client)
    form = start["form"]
    elsewhere = dumps(clean_variant(load(HAIDIAN).report)).encode("utf-8")
    (folder / "report.yaml").write_bytes(elsewhere)  # someone else saved meanwhile
    form["cells"][T4_TOTAL] = "44"
    refused = save(client, form, start["revision"])
    assert refused.status_code == 409
    assert refused.json()["conflict"] is True
    assert "被修改过" in refused.json()["error"]
    assert files(folder) == {"report.yaml": elsewhere}
    forced = save(client, form, start["revision"], force=True)
    assert forced.status_code == 200
    assert files(folder)["report.yaml.bak"] == elsewhere  # their version is kept
    assert b"44}" in files(folder)["report.yaml"]


def test_save_refuses_a_form_with_problems(client: Any, folder: Path) -> None:
    start = state(client)
    form = start["form"]
    form["cells"][T3_CELL] = "十二"
    response = save(client, form, start["revision"])
    assert response.status_code == 422
    assert response.json()["problems"][0]["path"] == T3_CELL
    assert files(folder) == {"report.yaml": EXAMPLE}


def test_save_never_writes_anywhere_else(client: Any, folder: Path, tmp_path: Path) -> None:
    """Whatever a request says, the only paths written are the data file and its backup."""
    start = state(client)
    form = start["form"]
    form["cells"][T4_TOTAL] = "45"
    body = {
        "form": form,
        "base": start["revision"],
        "path": str(tmp_path / "x.yaml"),
        "file": "../x",
    }
    assert client.post(api("/api/save", path="/tmp/evil.yaml"), json=body).status_code == 200
    assert sorted(files(folder)) == ["report.yaml", "report.yaml.bak"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cwd", "data"]
    assert list(Path.cwd().iterdir()) == []


def test_a_new_file_is_created_on_the_first_save(tmp_path: Path) -> None:
    target = tmp_path / "2023.yaml"
    store = DataFileStore(target, new_report=blank_report("某区某局", 2023))
    assert not store.exists and store.revision == ""
    report = blank_report("某区某局", 2023)
    saved = store.save(report, "")
    assert saved.backup is None
    assert target.read_text("utf-8") == dumps(report)
    with pytest.raises(Conflict):
        store.save(report, "")  # it exists now


@pytest.mark.parametrize(
    ("name", "message"),
    [("report.pdf", "只能编辑数据文件"), ("missing/report.yaml", "所在的文件夹不存在")],
)
def test_what_serve_cannot_open(tmp_path: Path, name: str, message: str) -> None:
    from hdgovreport.errors import DataFileError

    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7")
    with pytest.raises(DataFileError, match=message):
        DataFileStore(tmp_path / name, new_report=blank_report("某局", 2022))


def test_a_symlink_is_written_through_to_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_bytes(EXAMPLE)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    store = DataFileStore(link, new_report=blank_report("某局", 2022))
    report = replace_at(store.report, T4_TOTAL, 45)
    store.save(report, store.revision)
    assert link.is_symlink() and real.read_text("utf-8") == dumps(report)
    assert (tmp_path / "real.yaml.bak").read_bytes() == EXAMPLE


# ---------------------------------------------------------------- the command


def test_bind_listens_on_127_0_0_1_only() -> None:
    sock = bind(0)
    try:
        host, port = sock.getsockname()
        assert host == "127.0.0.1" and port > 0
        with pytest.raises(HdgovreportError, match=f"端口 {port} 已被占用"):
            bind(port)
    finally:
        sock.close()


def test_the_default_port_falls_back_to_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    import hdgovreport.serve as serve

    held = bind(0)
    monkeypatch.setattr(serve, "DEFAULT_PORT", held.getsockname()[1])
    try:
        sock = serve.bind(None)
        assert sock.getsockname()[1] != held.getsockname()[1]
        sock.close()
    finally:
        held.close()


def _listening_addresses(port: int) -> list[str]:
    """Local addresses listening on ``port`` (Linux /proc/net/tcp{,6})."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, _remote, status = line.split()[1:4]
            address, hex_port = local.split(":")
            if int(hex_port, 16) == port and status == "0A":  # 0A: LISTEN
                found.append(address)
    return found


def test_serve_prints_the_tokened_address_first_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    (tmp_path / "report.yaml").write_bytes(EXAMPLE)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hdgovreport",
            "serve",
            "report.yaml",
            "--no-browser",
            "--port",
            "0",
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )
    try:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline().strip()
        found = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]{32})", first)
        assert found, first
        port, token = int(found[1]), found[2]
        if Path("/proc/net/tcp").exists():
            assert _listening_addresses(port) == ["0100007F"]  # 127.0.0.1, nothing else
        with urllib.request.urlopen(first, timeout=30) as page:
            assert page.status == 200 and token in page.read().decode("utf-8")
        check = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/check?token={token}", data=EXAMPLE, method="POST"
        )
        with urllib.request.urlopen(check, timeout=30) as answer:
            data = json.loads(answer.read())
        assert [f["code"] for f in data["findings"]] == ["T4-sum", "FEE-unpaid"]
        for url in (f"http://127.0.0.1:{port}/", f"http://localhost:{port}/api/state"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(url, timeout=30)
            assert refused.value.code == 403
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        err = proc.stderr.read()
        assert "已停止" in err and "Traceback" not in err
        assert proc.stdout.read() == ""  # the address is all standard output says
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.yaml"]
    assert (tmp_path / "report.yaml").read_bytes() == EXAMPLE


def test_serve_refuses_what_it_cannot_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.yaml").write_text("机关名称: [", "utf-8")
    assert cli.main(["serve", str(tmp_path / "bad.yaml"), "--no-browser"]) == 2
    assert "YAML 格式错误" in capsys.readouterr().err
    assert cli.main(["serve", str(tmp_path / "x.yaml"), "--port", "70000"]) == 2
    assert "端口应在 0 至 65535 之间" in capsys.readouterr().err


def test_serve_is_in_the_help() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "hdgovreport", "serve", "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=60,
    )
    assert out.returncode == 0
    assert "--no-browser" in out.stdout and "--port" in out.stdout


def test_decimal_cells_keep_their_places(client: Any) -> None:
    form = state(client)["form"]
    item = next(i for i in layout().fee.items if i.field == "notified_yuan")
    form["cells"]["other_matters.fee.notified_yuan"] = "190.50"
    data = check_form(client, form)
    assert f"{item.label}: 190.50" in data["yaml"]
    report = report_from_form(form).report
    assert report is not None and report.other_matters.fee.notified_yuan == Decimal("190.50")


# ---------------------------------------------------------------- a workbook served


def test_serve_opens_checks_and_saves_a_workbook(folder: Path) -> None:
    """A workbook is a data file like any other: served, checked, saved as a workbook."""
    from hdgovreport.datafile import encode

    haidian = load(HAIDIAN).report
    book = folder / "report.xlsx"
    book.write_bytes(encode(haidian, book))
    original = book.read_bytes()
    store = DataFileStore(book, new_report=blank_report("某局", 2022))
    assert store.report == haidian
    app = create_app(Session(store), token=TOKEN, port=PORT)
    with _test_client(app, base_url=f"http://127.0.0.1:{PORT}") as c:
        # the JSON API takes a workbook's bytes as well as YAML text; findings name sheet!cell
        checked = c.post(api("/api/check"), content=original)
        assert checked.status_code == 200
        errors = [f for f in checked.json()["findings"] if f["severity"] == "error"]
        assert [f["code"] for f in errors] == ["T4-sum"]
        assert "表4!" in json.dumps(errors[0]["location"]["source"], ensure_ascii=False)
        start = state(c)
        form = start["form"]
        form["cells"][T4_TOTAL] = "45"
        saved = save(c, form, start["revision"])
        assert saved.status_code == 200 and saved.json()["backup"] == "report.xlsx.bak"
    assert (folder / "report.xlsx.bak").read_bytes() == original
    assert load(book).report == replace_at(haidian, T4_TOTAL, 45)
