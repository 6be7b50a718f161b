"""Bounded HTTP GETs for `timeline archive` and `timeline check --links`.

Every request names the generator in its User-Agent, gives up after a total time,
reads at most a set number of bytes (a larger body is cut, never held whole) and
follows redirects itself, so a loop or a hop to another scheme (file:, ftp:) is
refused with a message instead of followed. Built on the standard library's urllib,
which also honours the usual proxy variables.
"""
from __future__ import annotations

import datetime as dt
import http.client
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

from generator import __version__

ROBOTS_AGENT = "timeline"  # the product token robots.txt rules name
USER_AGENT = f"{ROBOTS_AGENT}/{__version__} (static site generator for chronologies; archives the sources a chronology cites)"
CHUNK = 64 * 1024
PERMANENT = (301, 308)
TEMPORARY = (302, 303, 307)


@dataclass(frozen=True)
class Limits:
    seconds: float = 30.0  # for the whole exchange, redirects and body included
    max_bytes: int = 50 * 1024 * 1024  # a longer body is cut here
    max_redirects: int = 10


@dataclass(frozen=True)
class Response:
    url: str  # the URL asked for
    final_url: str  # where the answer came from, after redirects
    status: int
    reason: str
    headers: Message
    body: bytes
    truncated: bool  # the body was cut at Limits.max_bytes
    redirects: tuple[str, ...] = ()  # every URL before the final one, in order

    @property
    def content_type(self) -> str:
        return self.headers.get_content_type() if self.headers.get("Content-Type") else ""


class FetchError(Exception):
    """The page could not be fetched; the message says why, in words."""

    def __init__(self, message: str, status: int = 0):
        super().__init__(message)
        self.status = status


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # every 3xx comes back to `get` as it is
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def now_utc() -> str:
    """The current instant as RFC 3339 UTC text, to the second (fetching happens now; builds never ask)."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def get(url: str, limits: Limits, follow: str = "all", read_body: bool = True) -> Response:
    """GET `url`; `follow` is "all" redirects, "temporary" ones only (a 301/308 is answered), or "none".

    A 4xx or 5xx answer is a Response too; only no answer at all raises FetchError.
    """
    deadline = time.monotonic() + limits.seconds
    seen: list[str] = []
    current = url
    while True:
        _check_scheme(current)
        response = _open(current, deadline, limits.seconds)
        status = response.status
        location = response.headers.get("Location")
        follows = follow == "all" or (follow == "temporary" and status in TEMPORARY)
        if status in (*PERMANENT, *TEMPORARY) and location and follows:
            response.close()
            seen.append(current)
            current = urljoin(current, location.strip())
            if current in seen:
                raise FetchError("redirects in a loop: " + " → ".join([*seen[seen.index(current):], current]), status)
            if len(seen) > limits.max_redirects:
                raise FetchError(f"more than {limits.max_redirects} redirects", status)
            continue
        body, truncated = _read(response, deadline, limits) if read_body else (b"", False)
        response.close()
        return Response(url, current, status, response.reason or "", response.headers, body, truncated, tuple(seen))


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"refusing to follow a link to {scheme or 'no'} scheme: {url[:200]}")


def _open(url: str, deadline: float, seconds: float) -> http.client.HTTPResponse:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"})
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"timed out after {seconds:g} s")
    try:
        return _OPENER.open(request, timeout=remaining)
    except urllib.error.HTTPError as answer:  # 3xx, 4xx and 5xx answers: the caller decides
        return answer  # type: ignore[return-value]
    except urllib.error.URLError as err:
        if isinstance(err.reason, TimeoutError):
            raise FetchError(f"timed out after {seconds:g} s") from None
        raise FetchError(f"cannot connect: {err.reason}") from None
    except TimeoutError:
        raise FetchError(f"timed out after {seconds:g} s") from None
    except (OSError, http.client.HTTPException, ValueError) as err:
        raise FetchError(f"the connection failed: {err or type(err).__name__}") from None


def _read(response: http.client.HTTPResponse, deadline: float, limits: Limits) -> tuple[bytes, bool]:
    """The body, cut at `limits.max_bytes`; FetchError when it does not arrive in time."""
    parts: list[bytes] = []
    size = 0
    try:
        while size < limits.max_bytes:
            if time.monotonic() > deadline:
                raise FetchError(f"timed out after {limits.seconds:g} s while reading the page ({size:,} bytes read)")
            # read1: one receive at most, so a body that trickles in still meets the deadline
            chunk = response.read1(min(CHUNK, limits.max_bytes - size))
            if not chunk:
                return b"".join(parts), False
            parts.append(chunk)
            size += len(chunk)
        return b"".join(parts), bool(response.read(1))
    except TimeoutError:
        raise FetchError(f"timed out after {limits.seconds:g} s while reading the page ({size:,} bytes read)") from None
    except (OSError, http.client.HTTPException) as err:
        raise FetchError(f"the connection broke while reading the page: {err or type(err).__name__}") from None
