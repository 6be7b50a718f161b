"""A small web server on 127.0.0.1 for the tests of archiving and link checking (never the internet)."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = b"""<!doctype html><html><head><meta charset="utf-8"><title>Macron draws a red line</title>
<style>body { color: red }</style><script>var hidden = "not text";</script></head>
<body><h1>Macron draws a red line</h1><p>Chemical weapons &amp; retaliation.</p></body></html>"""
ROBOTS = b"User-agent: timeline\nDisallow: /private\n\nUser-agent: *\nDisallow:\n"
TEN_GB = 10 * 1024 ** 3


class Handler(BaseHTTPRequestHandler):
    server: "LocalWeb"

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self.server.requests.append((self.path, self.headers.get("User-Agent", "")))
        path = self.path
        if path == "/robots.txt":
            return self._send(200, ROBOTS, "text/plain")
        if path in ("/page", "/private", "/new-home"):
            return self._send(200, PAGE, "text/html; charset=utf-8")
        if path == "/moved":
            return self._redirect(301, "/new-home")
        if path == "/temporary":
            return self._redirect(302, "/page")
        if path == "/gone":
            return self._send(404, b"<h1>Not found</h1>", "text/html")
        if path == "/loop-a":
            return self._redirect(302, "/loop-b")
        if path == "/loop-b":
            return self._redirect(302, "/loop-a")
        if path == "/slow":
            time.sleep(self.server.slow_seconds)
            return self._send(200, PAGE, "text/html")
        if path == "/document.pdf":
            return self._send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
        if path == "/huge":
            return self._endless()
        if path.startswith("/save/"):
            return self._redirect(302, "/web/20261201000000/" + path[len("/save/"):])
        if path.startswith("/web/"):
            return self._send(200, b"<p>snapshot</p>", "text/html")
        return self._send(404, b"no such page", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, status: int, location: str) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _endless(self) -> None:
        """Announce 10 GB and stream zeros until the client hangs up (nothing that size is ever held)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(TEN_GB))
        self.end_headers()
        block = b"<p>" + b"x" * 65536 + b"</p>\n"
        sent = 0
        try:
            while sent < TEN_GB:
                self.wfile.write(block)
                sent += len(block)
        except OSError:
            pass
        self.server.huge_sent = sent


class LocalWeb(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[str, str]] = []
        self.slow_seconds = 3.0
        self.huge_sent = 0
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def handle_error(self, request, client_address) -> None:  # a client that hung up early is expected here
        pass

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> "LocalWeb":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()
