"""`timeline serve`: build, serve the output on loopback, rebuild on change, reload pages.

For authoring only, not for production. Pages are served with a small script
added on the fly (never written into the site) that listens to a server-sent
event stream: after a successful rebuild it reloads the page; after a failed one
it shows the diagnostics in an overlay, while the last good site stays served.
Only files inside the output folder are ever served.
"""
from __future__ import annotations

import json
import sys
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterable, TextIO
from urllib.parse import parse_qs, unquote, urlsplit

from generator.build import FirstPages, Memory, build_site, copy_static, output_folder
from generator.diagnostics import ERROR
from generator.record import CACHE_DIR, read_record, write_record
from generator.render import make_environment
from generator.template_errors import TemplateFailure
from generator.write import WriteError

CLIENT_PATH = "/__timeline/client.js"
EVENTS_PATH = "/__timeline/events"
KEEPALIVE_SECONDS = 15.0
KEPT_RULES = 64  # versions whose reload rules are kept (a stream further behind reloads)
WATCH_START_SECONDS = 10.0
WATCHED = ("content", "templates", "static", "archive")  # archive/: captures and link checks (provenance)
# The preview is built into a folder of its own, without base_url (it is served at the
# root of loopback) and with drafts when asked: the output folder keeps exactly what
# `timeline build` made, so deploying it right after serving ships canonical links.
PREVIEW_OUTPUT = f"{CACHE_DIR}/serve"
PREVIEW_OVERRIDES = {"base_url": None, "output": PREVIEW_OUTPUT}
TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".json": "application/json", ".xml": "application/xml", ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8", ".csv": "text/csv; charset=utf-8", ".png": "image/png", ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg", ".webp": "image/webp", ".ico": "image/x-icon", ".woff2": "font/woff2", ".wasm": "application/wasm",
    ".pf_meta": "application/octet-stream",
}


@dataclass
class BuildState:
    """The outcome of the latest build, shared by the watcher and the request threads.

    Each reader's page opens an event stream naming the page; the state knows which
    pages are being viewed, so that a build makes and announces them first. Which
    readers a new version reloads (`rules`, by version): those whose page is in its
    `only` (None: all of them), but not those whose page is `settled` (reloaded early
    in the same build, and not changed since).
    """

    version: int = 0  # counts successful builds, and their early announcements
    ok: bool = False
    diagnostics: list[str] = field(default_factory=list)
    rules: dict[int, tuple[frozenset[str] | None, frozenset[str]]] = field(default_factory=dict)  # version → (only, settled)
    viewing: Counter[str] = field(default_factory=Counter)  # output path → open streams showing it
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, ok: bool, diagnostics: list[str], only: frozenset[str] | None = None, settled: frozenset[str] = frozenset()) -> None:
        with self.changed:
            self.ok, self.diagnostics = ok, diagnostics
            if ok:
                self.version += 1
                self.rules[self.version] = (only, settled)
                self.rules.pop(self.version - KEPT_RULES, None)
            self.changed.notify_all()

    def snapshot(self) -> dict:
        return {"version": self.version, "ok": self.ok, "diagnostics": list(self.diagnostics)}

    def reloads(self, page: str | None, since: int) -> bool:
        """Whether a reader of `page` (an output path; None: unknown) who has seen version `since`
        reloads for one of the versions after it (a stream may wake once for several)."""
        for version in range(since + 1, self.version + 1):
            only, settled = self.rules.get(version, (None, frozenset()))
            if page is None or ((only is None or page in only) and page not in settled):
                return True
        return False

    def viewed(self) -> frozenset[str]:
        with self.changed:
            return frozenset(page for page, streams in self.viewing.items() if streams)

    def watch(self, page: str | None, delta: int) -> None:
        if page is not None:
            with self.changed:
                self.viewing[page] += delta


def rebuild(
    site_root: Path, state: BuildState, drafts: bool, log: TextIO, memory: Memory | None = None,
    search: bool = False, changed: Iterable[Path] = (),
) -> bool:
    """Build once and publish the outcome; problems are printed, never raised. True when it succeeded.

    Each change is classified first: when only static files changed they are copied
    into the site and nothing else is done; otherwise the build re-checks the changed
    files and re-makes what read anything that changed (the record is kept in `memory`).
    """
    started = time.perf_counter()
    static = site_root / "static"
    early: set[str] = set()

    def announce(written: frozenset[str]) -> None:
        early.update(written)
        state.publish(True, [], only=written)
        print(f"shown first: {len(written)} viewed page(s) in {time.perf_counter() - started:.3f} s", file=log)

    try:
        only_static = bool(changed) and memory is not None and all(static in path.parents for path in changed)
        result = copy_static(site_root, memory, overrides=PREVIEW_OVERRIDES) if only_static and memory else None
        # The search index is made on the first build only; later ones keep it, so a
        # save is shown at once rather than after indexing every page again.
        first = FirstPages(state.viewed(), announce) if memory is not None else None
        result = result or build_site(
            site_root, drafts=drafts, overrides=PREVIEW_OVERRIDES, search=search, memory=memory, saved=changed, first=first,
        )
    except (WriteError, TemplateFailure) as err:
        lines = [f"error: {line}" for line in str(err).splitlines()]
        state.publish(False, lines)
        print("\n".join(lines), file=log)
        return False
    except Exception:  # a bug in a template or in timeline itself: keep serving the last good site
        trace = traceback.format_exc()
        state.publish(False, ["internal error while building:", trace])
        print(trace, file=log)
        return False
    lines = [d.text() for d in result.report.diagnostics]
    for line in lines:
        print(line, file=log)
    if result.written is None:
        errors = [line for d, line in zip(result.report.diagnostics, lines) if d.severity == ERROR]
        state.publish(False, errors or lines)
        print(f"build failed; still serving the last good site ({len(errors)} errors)", file=log)
        return False
    state.publish(True, [], settled=frozenset(early))  # those shown first are as this build left them
    print(f"rebuilt: {result.written.written} files written in {time.perf_counter() - started:.3f} s", file=log)
    return True


def resolve_request(root: Path, raw_path: str) -> Path | None:
    """The file inside `root` a request path names, or None (never anything outside)."""
    path = unquote(urlsplit(raw_path).path)
    if "\x00" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    candidate = root.joinpath(*parts)
    try:
        real = candidate.resolve()
        real.relative_to(root.resolve())
    except (ValueError, OSError):
        return None
    if real.is_dir():
        real = real / "index.html"
    return real if real.is_file() else None


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
REQUEST_TIMEOUT_SECONDS = 30.0  # a client that sends nothing (or reads nothing) this long is dropped
MAX_CONNECTIONS = 64  # requests served at once; more are answered 503 at once, without a thread


def allowed_hosts(bind: str) -> frozenset[str] | None:
    """The Host names a request may carry: loopback names when bound to loopback, else any (None).

    A page on another site can make the browser send requests to 127.0.0.1 under its
    own name (DNS rebinding); refusing names that are not loopback's stops it reading
    drafts and diagnostics. Binding elsewhere (`--bind 0.0.0.0`) is asking to be reached
    by other names.
    """
    if bind in LOOPBACK_NAMES or bind.startswith("127."):
        return frozenset((*LOOPBACK_NAMES, bind))
    return None


def host_allowed(header: str | None, hosts: frozenset[str] | None) -> bool:
    if hosts is None or not header:
        return True
    name = header.strip().lower()
    if name.startswith("["):  # [::1]:8000
        name = name[1:name.find("]")] if "]" in name else name
    else:
        name = name.rsplit(":", 1)[0] if name.count(":") == 1 else name
    return name in hosts or name.endswith(".localhost")


class BoundedHTTPServer(ThreadingHTTPServer):
    """A threading server that serves at most MAX_CONNECTIONS requests at once."""

    daemon_threads = True

    def __init__(self, *args: object, **kwargs: object):
        super().__init__(*args, **kwargs)
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        if not self.slots.acquire(blocking=False):
            try:
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


def make_handler(output: Path, state: BuildState, stopping: threading.Event, hosts: frozenset[str] | None = None) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "timeline-serve (authoring only)"
        timeout = REQUEST_TIMEOUT_SECONDS

        def log_message(self, format: str, *args: object) -> None:  # quiet: the terminal shows builds
            pass

        def do_GET(self) -> None:
            if not host_allowed(self.headers.get("Host"), hosts):
                message = b"timeline serve answers only to localhost names (start it with --bind to be reached otherwise)\n"
                self._send(HTTPStatus.MISDIRECTED_REQUEST, message, TYPES[".txt"])
                return
            route = urlsplit(self.path).path
            if route == EVENTS_PATH:
                self._events()
            elif route == CLIENT_PATH:
                self._send(HTTPStatus.OK, LIVERELOAD_JS.encode(), TYPES[".js"])
            else:
                self._file()

        do_HEAD = do_GET

        def _file(self) -> None:
            target = resolve_request(output, self.path)
            status = HTTPStatus.OK
            if target is None:
                status, target = HTTPStatus.NOT_FOUND, output / "404.html"
                if not target.is_file():
                    self._send(status, b"not found\n", TYPES[".txt"])
                    return
            body = target.read_bytes()
            kind = TYPES.get(target.suffix, "application/octet-stream")
            if target.suffix == ".html":
                body = inject_client(body)
            self._send(status, body, kind)

        def _send(self, status: HTTPStatus, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            page = viewed_page(output, self.path)
            state.watch(page, 1)
            try:
                self._send_states(page)
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                state.watch(page, -1)

        def _send_states(self, page: str | None) -> None:
            """The state after each build; its version is the one the page last reloaded for,
            unless the new one reloads this page (see BuildState)."""
            seen: dict | None = None
            shown = version = -1

            def current() -> dict:
                nonlocal shown, version
                if state.version != version:
                    if shown < 0 or state.reloads(page, version):
                        shown = state.version
                    version = state.version
                return {**state.snapshot(), "version": shown}

            while not stopping.is_set():
                with state.changed:
                    snapshot = current()
                    if snapshot == seen:
                        state.changed.wait(KEEPALIVE_SECONDS)
                        snapshot = current()
                if snapshot != seen:
                    self.wfile.write(f"event: state\ndata: {json.dumps(snapshot)}\n\n".encode())
                    seen = snapshot
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()

    return Handler


def viewed_page(output: Path, request_path: str) -> str | None:
    """The output path of the page an event stream's `page` parameter names (None: none, or not in the output)."""
    pages = parse_qs(urlsplit(request_path).query).get("page")
    if not pages:
        return None
    found = resolve_request(output, pages[0])
    if found is None:
        return None
    try:
        return found.relative_to(output.resolve()).as_posix()
    except ValueError:
        return None


def inject_client(html: bytes) -> bytes:
    tag = f'<script src="{CLIENT_PATH}"></script>'.encode()
    index = html.rfind(b"</body>")
    return html[:index] + tag + html[index:] if index >= 0 else html + tag


class DevServer:
    """The server and its watcher, startable and stoppable (tests run it in-process)."""

    def __init__(self, site_root: Path, port: int = 8000, bind: str = "127.0.0.1", drafts: bool = False, log: TextIO | None = None):
        self.site_root = site_root.resolve()
        self.drafts = drafts
        self.log = log or sys.stderr
        self.state = BuildState()
        self.stopping = threading.Event()
        self.watching = threading.Event()
        self.output = output_folder(self.site_root, PREVIEW_OUTPUT).resolve()
        # The port first: a busy one is reported at once, not after a whole build.
        self.httpd = BoundedHTTPServer((bind, port), make_handler(self.output, self.state, self.stopping, allowed_hosts(bind)))
        # The record of the last build, kept in memory between builds, saved on disk after the first one and at the end.
        self.cache = self.site_root / CACHE_DIR
        self.memory = Memory(read_record(self.cache), make_environment(self.site_root))
        rebuild(self.site_root, self.state, drafts, self.log, self.memory, search=True)
        write_record(self.cache, self.memory.record)
        self.threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> "DevServer":
        for target in (self.httpd.serve_forever, self._watch):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self.threads.append(thread)
        self.watching.wait(WATCH_START_SECONDS)  # a save made from now on is seen
        return self

    def stop(self) -> None:
        self.stopping.set()
        with self.state.changed:
            self.state.changed.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()
        write_record(self.cache, self.memory.record)

    def _watch(self) -> None:
        import watchfiles

        site_yml = self.site_root / "site.yml"
        resync = False  # a watch was made anew: what changed while none ran is built once it runs
        while not self.stopping.is_set():
            # Only the site's sources are watched: watching the root would also put a watch on
            # every folder of the output (one per event), past the system's inotify limit.
            watched = self._watchable()
            changes_seen = watchfiles.watch(
                *watched, watch_filter=self._relevant, debounce=30, step=10, stop_event=self.stopping,
                yield_on_timeout=True, rust_timeout=100,  # an empty yield tells that the watcher runs
            )
            for changes in changes_seen:
                self.watching.set()
                if resync or changes:
                    changed = {Path(path) for _, path in changes}
                    rebuild(self.site_root, self.state, self.drafts, self.log, self.memory, changed=() if resync else changed)
                    resync = False
                if not changes and watched != self._watchable():
                    resync = True  # a source folder (static/, templates/…) was made or removed: watch it too
                    break
                if any(Path(path) == site_yml and kind != watchfiles.Change.modified for kind, path in changes):
                    resync = True  # site.yml was replaced (an editor's rename-style save): watch the new file
                    break

    def _watchable(self) -> list[Path]:
        return [self.site_root / name for name in (*WATCHED, "site.yml") if (self.site_root / name).exists()]

    def _relevant(self, change: object, path: str) -> bool:
        try:
            relative = Path(path).relative_to(self.site_root)
        except ValueError:
            return False
        parts = relative.parts
        if not parts or any(p.startswith(".") for p in parts):
            return False
        return parts == ("site.yml",) or parts[0] in WATCHED


def serve(site_root: Path, port: int, bind: str, drafts: bool, log: TextIO = sys.stderr) -> int:
    server = DevServer(site_root, port, bind, drafts, log).start()
    print(f"serving a preview at {server.url} — for authoring only; `timeline build` makes the site to deploy; Ctrl-C stops", file=log)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
    return 0


LIVERELOAD_JS = """\
// Added by `timeline serve` only: reloads the page after a rebuild, shows build errors.
(function () {
  var version = null;
  var source = new EventSource("/__timeline/events?page=" + encodeURIComponent(location.pathname));
  function overlay(lines) {
    var box = document.getElementById("timeline-overlay");
    if (!lines.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "timeline-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;margin:0;padding:1.5rem;" +
        "background:rgba(20,20,20,.95);color:#fff;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "The build failed; this is the last good page.\\n\\n" + lines.join("\\n");
  }
  source.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (version !== null && state.ok && state.version !== version) { location.reload(); return; }
    version = state.version;
    overlay(state.ok ? [] : state.diagnostics);
  });
})();
"""
