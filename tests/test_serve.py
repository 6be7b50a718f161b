"""The development server: rebuild on change, reload signal, error overlay, no traversal."""
import io
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from generator.serve import CLIENT_PATH, EVENTS_PATH, BuildState, DevServer, resolve_request

from conftest import write_files

WAIT = 20.0  # generous: a slow CI machine must not fail these


@pytest.fixture
def server(minimal_site: Path):
    running = DevServer(minimal_site, port=0, log=io.StringIO()).start()
    yield running
    running.stop()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=WAIT) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


class StateStream:
    """Reads the server-sent events in a thread, keeping every state received."""

    def __init__(self, url: str, page: str | None = None):
        self.states: list[dict] = []
        query = f"?page={urllib.parse.quote(page)}" if page is not None else ""
        self.response = urllib.request.urlopen(url + EVENTS_PATH.lstrip("/") + query, timeout=WAIT)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for raw in self.response:
                line = raw.decode().strip()
                if line.startswith("data: "):
                    self.states.append(json.loads(line[6:]))
        except Exception:
            pass

    def wait_for(self, predicate) -> dict:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            for state in self.states:
                if predicate(state):
                    return state
            time.sleep(0.02)
        raise AssertionError(f"no matching state in {self.states}")


def edit_event(site: Path, title: str) -> None:
    path = site / "content/events/red-line.yml"
    path.write_text(path.read_text().replace(path.read_text().splitlines()[0], f"title: {title}"))


def test_edit_is_rebuilt_served_and_signalled(server: DevServer, minimal_site: Path):
    status, html = get(server.url + "events/red-line/")
    assert status == 200 and CLIENT_PATH in html
    stream = StateStream(server.url)
    first = stream.wait_for(lambda s: s["ok"])
    edit_event(minimal_site, "A changed title")
    stream.wait_for(lambda s: s["ok"] and s["version"] > first["version"])
    assert "A changed title" in get(server.url + "events/red-line/index.html")[1]


def test_a_site_template_saved_while_serving_is_used_by_the_next_build(server: DevServer, minimal_site: Path):
    # serve keeps one Jinja environment between builds: it must see the template's new text
    stream = StateStream(server.url)
    first = stream.wait_for(lambda s: s["ok"])
    theme_event = Path(__file__).resolve().parents[1] / "templates/event.html"
    write_files(minimal_site, {"templates/event.html": theme_event.read_text().replace("{% block main %}", "{% block main %}<p>Template v1</p>", 1)})
    second = stream.wait_for(lambda s: s["ok"] and s["version"] > first["version"])
    assert "Template v1" in get(server.url + "events/red-line/index.html")[1]
    write_files(minimal_site, {"templates/event.html": theme_event.read_text().replace("{% block main %}", "{% block main %}<p>Template v2</p>", 1)})
    stream.wait_for(lambda s: s["ok"] and s["version"] > second["version"])
    assert "Template v2" in get(server.url + "events/red-line/index.html")[1]


def wait_for_log(server: DevServer, text: str, count: int) -> None:
    deadline = time.monotonic() + WAIT
    while server.log.getvalue().count(text) < count:
        assert time.monotonic() < deadline, server.log.getvalue()
        time.sleep(0.02)


def test_a_viewed_page_is_made_and_shown_first_and_reloads_once(server: DevServer, minimal_site: Path):
    viewer = StateStream(server.url, page="/events/red-line/")
    anyone = StateStream(server.url)  # a page that does not say which it is: reloaded by every build
    before = viewer.wait_for(lambda s: s["ok"])["version"]
    anyone.wait_for(lambda s: s["ok"])
    assert server.state.viewed() == {"events/red-line/index.html"}
    edit_event(minimal_site, "Shown before the rest")
    viewer.wait_for(lambda s: s["version"] > before)
    assert "Shown before the rest" in get(server.url + "events/red-line/")[1]  # in place when announced
    wait_for_log(server, "rebuilt:", 2)  # the first build, then this one
    assert "shown first: 1 viewed page(s)" in server.log.getvalue()
    final = server.state.version
    assert final == before + 2, server.log.getvalue()  # the early announcement, then the end of the build
    anyone.wait_for(lambda s: s["version"] == final)
    time.sleep(0.2)  # what the viewer's stream would send at the end of the build is sent by now
    assert {state["version"] for state in viewer.states} == {before, before + 1}  # not reloaded again at the end


def test_which_readers_a_version_reloads():
    state = BuildState()
    state.publish(True, [])  # 1: a whole build
    state.publish(True, [], only=frozenset({"a.html"}))  # 2: a.html shown first
    state.publish(True, [], settled=frozenset({"a.html"}))  # 3: the end of that build
    state.version = 2  # as a stream woken between the two sees it
    assert state.reloads("a.html", 1) and not state.reloads("b.html", 1)
    state.version = 3
    assert state.reloads("a.html", 1)  # woken once for 2 and 3: reloaded for 2
    assert not state.reloads("a.html", 2) and state.reloads("b.html", 2) and state.reloads(None, 2)


def test_a_save_stamps_again_only_the_saved_file_and_an_added_one_all_and_lists_the_content_again(server: DevServer, minimal_site: Path, monkeypatch):
    import generator.build as build

    stamped_all, listed = [], []
    read_inputs, find_content = build.read_inputs, build.find_content
    monkeypatch.setattr(build, "read_inputs", lambda *args: stamped_all.append(args) or read_inputs(*args))
    monkeypatch.setattr(build, "find_content", lambda *args: listed.append(args) or find_content(*args))
    stream = StateStream(server.url)
    first = stream.wait_for(lambda s: s["ok"])
    edit_event(minimal_site, "Saved once more")
    edited = stream.wait_for(lambda s: s["ok"] and s["version"] > first["version"])
    assert "Saved once more" in get(server.url + "events/red-line/index.html")[1]
    assert stamped_all == [] and listed == []  # nor are the content folders listed again
    write_files(minimal_site, {"content/events/added.yml": (minimal_site / "content/events/red-line.yml").read_text()
                               .replace("Saved once more", "Added while serving")})
    stream.wait_for(lambda s: s["ok"] and s["version"] > edited["version"])
    assert len(stamped_all) >= 1 and len(listed) >= 1 and "Added while serving" in get(server.url + "events/added/index.html")[1]


def test_broken_file_shows_overlay_state_then_recovers(server: DevServer, minimal_site: Path):
    stream = StateStream(server.url)
    first = stream.wait_for(lambda s: s["ok"])
    write_files(minimal_site, {"content/events/broken.yml": "title: [oops\n"})
    failed = stream.wait_for(lambda s: not s["ok"])
    assert any("content/events/broken.yml:" in line for line in failed["diagnostics"])
    status, html = get(server.url)  # the last good site is still served
    assert status == 200 and "Minimal test site" in html
    assert b"timeline-overlay" in urllib.request.urlopen(server.url + CLIENT_PATH.lstrip("/")).read()
    (minimal_site / "content/events/broken.yml").unlink()
    stream.wait_for(lambda s: s["ok"] and s["version"] > first["version"])


@pytest.mark.parametrize("path", [
    "/../site.yml", "/..%2fsite.yml", "/%2e%2e/site.yml", "/%2E%2E%2Fcontent/events/red-line.yml",
    "/assets/..%2f..%2fsite.yml", "/..\\site.yml", "/%00", "//etc/passwd",
])
def test_path_traversal_gets_404(server: DevServer, path: str):
    status, body = get(server.url.rstrip("/") + path)
    assert status == 404
    assert "red line" not in body.lower() or "page not found" in body.lower()


def test_resolve_request_stays_inside(tmp_path: Path):
    (tmp_path / "out").mkdir()
    (tmp_path / "secret").write_text("x")
    (tmp_path / "out" / "link").symlink_to(tmp_path / "secret")
    assert resolve_request(tmp_path / "out", "/link") is None
    assert resolve_request(tmp_path / "out", "/../secret") is None


def test_serve_leaves_the_built_site_as_build_made_it(minimal_site: Path):
    from generator.cli import main

    (minimal_site / "site.yml").write_text("title: Minimal test site\nbase_url: https://example.org/minimal/\n")
    assert main(["build", "--site", str(minimal_site), "--no-search", "-q"]) == 0
    built = {p: p.read_bytes() for p in sorted((minimal_site / "_site").rglob("*")) if p.is_file()}
    assert 'href="https://example.org/minimal/' in (minimal_site / "_site/index.html").read_text()
    running = DevServer(minimal_site, port=0, log=io.StringIO()).start()
    try:
        stream = StateStream(running.url)
        first = stream.wait_for(lambda s: s["ok"])
        edit_event(minimal_site, "Edited while serving")
        stream.wait_for(lambda s: s["ok"] and s["version"] > first["version"])
        assert "Edited while serving" in get(running.url + "events/red-line/")[1]
    finally:
        running.stop()
    assert {p: p.read_bytes() for p in sorted((minimal_site / "_site").rglob("*")) if p.is_file()} == built


def test_a_busy_port_is_reported_before_any_build(minimal_site: Path, capsys):
    import socket

    from generator.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--site", str(minimal_site), "--port", str(port)]) == 2
    assert f"cannot serve on 127.0.0.1:{port}" in capsys.readouterr().err
    assert not (minimal_site / ".timeline-cache/serve").exists() and not (minimal_site / "_site").exists()


# --- a rename-style save, Host names, timeouts, connection cap ------------------------------

def rename_save(path: Path, text: str) -> None:
    """Save the way many editors do: write a new file beside it, then rename it over the old one."""
    temporary = path.with_name(f".{path.name}.swp-new")
    temporary.write_text(text)
    temporary.replace(path)


def test_site_yml_is_still_watched_after_rename_style_saves(server: DevServer, minimal_site: Path):
    site_yml = minimal_site / "site.yml"
    original = site_yml.read_text()
    stream = StateStream(server.url)
    version = stream.wait_for(lambda s: True)["version"]
    for number in (1, 2, 3):
        rename_save(site_yml, original.replace("title: Minimal test site", f"title: Renamed {number}"))
        stream.wait_for(lambda s, v=version + number: s["version"] >= v)
        deadline = time.monotonic() + WAIT
        while f"Renamed {number}" not in get(server.url)[1] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert f"Renamed {number}" in get(server.url)[1]


def test_a_static_folder_made_while_serving_is_watched(server: DevServer, minimal_site: Path):
    assert not (minimal_site / "static").exists()
    stream = StateStream(server.url)
    (minimal_site / "static").mkdir()
    for text in ("/* first */\n", "/* second */\n"):
        version = stream.states[-1]["version"] if stream.states else stream.wait_for(lambda s: True)["version"]
        (minimal_site / "static" / "extra.css").write_text(text)
        stream.wait_for(lambda s, v=version: s["version"] > v)
        deadline = time.monotonic() + WAIT
        while get(server.url + "extra.css")[1] != text and time.monotonic() < deadline:
            time.sleep(0.05)
        assert get(server.url + "extra.css") == (200, text)


def raw_request(url: str, host: str) -> tuple[int, bytes]:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=WAIT)
    connection.putrequest("GET", "/", skip_host=True)
    connection.putheader("Host", host)
    connection.endheaders()
    response = connection.getresponse()
    return response.status, response.read()


@pytest.mark.parametrize("host, allowed", [
    ("localhost:{port}", True), ("127.0.0.1:{port}", True), ("[::1]:{port}", True), ("app.localhost:{port}", True),
    ("evil.example:{port}", False), ("127.0.0.1.evil.example", False), ("localhost.evil.example:{port}", False),
])
def test_only_loopback_host_names_are_answered(server: DevServer, host: str, allowed: bool):
    port = server.httpd.server_address[1]
    status, body = raw_request(server.url, host.format(port=port))
    if allowed:
        assert status == 200 and b"<html" in body
    else:
        assert status == 421 and b"<html" not in body


def test_bound_elsewhere_any_host_name_is_answered():
    from generator.serve import allowed_hosts, host_allowed

    assert allowed_hosts("0.0.0.0") is None and host_allowed("timeline.lan:8000", None)
    assert not host_allowed("timeline.lan:8000", allowed_hosts("127.0.0.1"))


def test_a_silent_client_is_dropped_and_connections_are_capped(minimal_site: Path, monkeypatch):
    import socket

    import generator.serve

    monkeypatch.setattr(generator.serve, "REQUEST_TIMEOUT_SECONDS", 1.0)
    monkeypatch.setattr(generator.serve, "MAX_CONNECTIONS", 4)
    running = DevServer(minimal_site, port=0, log=io.StringIO()).start()
    try:
        address = running.httpd.server_address[:2]
        silent = [socket.create_connection(address, timeout=WAIT) for _ in range(4)]
        time.sleep(0.3)
        extra = socket.create_connection(address, timeout=WAIT)
        assert extra.recv(100).startswith(b"HTTP/1.1 503")  # over the cap: answered at once, no thread
        for connection in silent:  # each is closed by the server after the timeout
            connection.settimeout(WAIT)
            assert connection.recv(100) == b""
        assert get(running.url)[0] == 200  # slots are free again
    finally:
        running.stop()
