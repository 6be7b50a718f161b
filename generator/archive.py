"""`timeline archive`: a lasting copy of each source's page, hashed and recorded.

For each source with a URL and no capture of that URL yet (every one with
`--refresh`), the page is fetched within bounded time and size, with robots.txt
respected unless the source sets `robots: false`, and stored as a standard web
archive (a gzipped WARC file written with warcio) named by its SHA-256:
`archive/<sha256>.warc.gz`. A readable rendering of it, the page's text, is made at
the same moment (`archive/<sha256>.txt`). The capture's time, final URL, HTTP status
and hash are appended to `archive/captures.json`, which the build reads.

Captures are only ever added: a failed fetch, a refresh or a source whose URL
changed leaves every earlier capture and its record as they were. Optionally each
URL is also handed to a public web archive (`--public-archive`, an endpoint with
`{url}` in it) and the address of its snapshot is recorded.
"""
from __future__ import annotations

import hashlib
import html
import io
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import nh3
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from generator import __version__
from generator.captures import ARCHIVE_DIR, read_captures, read_lock_entries, write_atomically, write_lock
from generator.fetch import ROBOTS_AGENT, USER_AGENT, FetchError, Limits, Response, get, now_utc
from generator.model import Capture, Source

TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
ROBOTS_LIMITS = Limits(seconds=10.0, max_bytes=512 * 1024)
_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|blockquote|pre|tr|section|article|header|footer|title)\s*>|<br\s*/?>", re.IGNORECASE)


@dataclass(frozen=True)
class ArchiveOptions:
    limits: Limits = Limits()
    refresh: bool = False
    public_archive: str = ""  # an endpoint with {url}, e.g. https://web.archive.org/save/{url}


@dataclass(frozen=True)
class Outcome:
    source: Source
    capture: Capture | None
    message: str  # what happened, for the author
    failed: bool = False


class ArchiveError(Exception):
    """The source was not archived; the message says why."""


def archive_sources(site_root: Path, sources: list[Source], options: ArchiveOptions, out: TextIO) -> list[Outcome]:
    """Archive every source that needs it, one at a time, recording each capture as soon as it is made.

    Raises RecordError, before fetching anything, when the lock file cannot be read:
    writing it again would lose the captures it records.
    """
    lock = read_lock_entries(site_root)
    record = read_captures(site_root)
    outcomes = []
    for source in sources:
        if not source.url:
            continue
        if not options.refresh and record.latest(source.id, source.url):
            continue
        outcome = _archive_one(site_root, source, options)
        if outcome.capture:
            lock.setdefault(source.id, []).append(asdict(outcome.capture))
            write_lock(site_root, lock)
        print(f"{source.path}: {'error: ' if outcome.failed else ''}{outcome.message}", file=out)
        outcomes.append(outcome)
    return outcomes


def _archive_one(site_root: Path, source: Source, options: ArchiveOptions) -> Outcome:
    try:
        capture, notes = capture_page(site_root, source, options)
    except (ArchiveError, FetchError) as err:
        return Outcome(source, None, f"{source.url}: {err}; earlier captures are kept", failed=True)
    summary = f"archived {source.url} (HTTP {capture.status}, {capture.size:,} bytes) as {capture.warc}"
    return Outcome(source, capture, "; ".join([summary, *notes]))


def capture_page(site_root: Path, source: Source, options: ArchiveOptions) -> tuple[Capture, list[str]]:
    """Fetch the source's page and store its WARC and readable text; return the capture and notes."""
    if source.robots:
        _check_robots(source.url, options.limits)
    captured = now_utc()
    response = get(source.url, options.limits)
    if not 200 <= response.status < 300:
        raise ArchiveError(f"the server answered HTTP {response.status} {response.reason}".rstrip())
    notes = []
    if response.redirects:
        notes.append(f"redirected to {response.final_url}")
    if response.truncated:
        notes.append(f"the page is longer than {options.limits.max_bytes:,} bytes: archived up to there, marked as truncated")
    warc = warc_bytes(source, response, captured)
    sha256 = hashlib.sha256(warc).hexdigest()
    warc_path = f"{ARCHIVE_DIR}/{sha256}.warc.gz"
    write_atomically(site_root / warc_path, warc)
    text_path = ""
    text = readable_text(response)
    if text is None:
        notes.append(f"the page is {response.content_type or 'of no stated type'}, not HTML: archived without a readable rendering")
    else:
        text_path = f"{ARCHIVE_DIR}/{sha256}.txt"
        write_atomically(site_root / text_path, _text_file(source, response, captured, sha256, text).encode("utf-8"))
    snapshot = ""
    if options.public_archive:
        snapshot, note = submit_to_public_archive(source.url, options.public_archive, options.limits)
        notes.append(note)
    capture = Capture(
        url=source.url, final_url=response.final_url, status=response.status, captured=captured,
        sha256=sha256, warc=warc_path, text=text_path, content_type=response.content_type,
        size=len(response.body), truncated=response.truncated, snapshot=snapshot,
    )
    return capture, notes


def _check_robots(url: str, limits: Limits) -> None:
    """ArchiveError when the site's robots.txt keeps this generator away from `url`."""
    parts = urlsplit(url)
    robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
    bounded = Limits(min(limits.seconds, ROBOTS_LIMITS.seconds), ROBOTS_LIMITS.max_bytes, limits.max_redirects)
    try:
        answer = get(robots_url, bounded)
    except FetchError as err:
        raise ArchiveError(f"cannot read {robots_url} ({err}); set robots: false on the source to archive it anyway") from None
    rules = RobotFileParser(robots_url)
    if answer.status in (401, 403):
        rules.disallow_all = True
    elif 200 <= answer.status < 300:
        rules.parse(answer.body.decode("utf-8", errors="replace").splitlines())
    else:  # no robots.txt: everything is allowed
        rules.allow_all = True
    if not rules.can_fetch(ROBOTS_AGENT, url):
        raise ArchiveError(f"{robots_url} asks crawlers like {ROBOTS_AGENT} not to fetch this page; set robots: false on the source if you may archive it anyway")


def warc_bytes(source: Source, response: Response, captured: str) -> bytes:
    """A gzipped WARC file: a warcinfo record, the request and the response."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    date = {"WARC-Date": captured}
    info = {
        "software": f"timeline/{__version__}", "format": "WARC File Format 1.1",
        "http-header-user-agent": USER_AGENT, "description": f"source {source.id}: {source.title}",
        "robots": "obey" if source.robots else "ignore (the source sets robots: false)",
    }
    writer.write_record(writer.create_warcinfo_record(f"{source.id}.warc.gz", info))
    parts = urlsplit(response.final_url)
    target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    request_headers = StatusAndHeaders(f"GET {target} HTTP/1.1", [("Host", parts.netloc), ("User-Agent", USER_AGENT)], is_http_request=True)
    writer.write_record(writer.create_warc_record(response.final_url, "request", http_headers=request_headers, warc_headers_dict=dict(date)))
    # The body is stored as received after de-chunking, so its transfer coding no longer applies.
    headers = [(k, v) for k, v in response.headers.items() if k.lower() != "transfer-encoding"]
    http_headers = StatusAndHeaders(f"{response.status} {response.reason}".strip(), headers, protocol="HTTP/1.1")
    warc_headers = {**date, **({"WARC-Truncated": "length"} if response.truncated else {})}
    record = writer.create_warc_record(
        response.final_url, "response", payload=io.BytesIO(response.body), length=len(response.body),
        http_headers=http_headers, warc_headers_dict=warc_headers,
    )
    writer.write_record(record)
    return buffer.getvalue()


def readable_text(response: Response) -> str | None:
    """The page's text, for reading without a replay tool; None for a body that is not text."""
    if response.content_type not in TEXT_TYPES:
        return None
    charset = response.headers.get_content_charset() or _declared_charset(response.body) or "utf-8"
    try:
        markup = response.body.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know
        markup = response.body.decode("utf-8", errors="replace")
    if response.content_type == "text/plain":
        return markup.strip()
    marked = _BLOCK_END.sub(lambda m: m.group(0) + "\n", markup)
    text = html.unescape(nh3.clean(marked, tags=set(), clean_content_tags={"script", "style", "noscript", "template"}))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _declared_charset(body: bytes) -> str | None:
    found = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", body[:4096], re.IGNORECASE)
    return found.group(1).decode("ascii") if found else None


def _text_file(source: Source, response: Response, captured: str, sha256: str, text: str) -> str:
    heading = [
        f"Source: {source.title}", f"Address: {source.url}", f"Found at: {response.final_url}",
        f"Captured: {captured} (HTTP {response.status})", f"Archive: {sha256}.warc.gz (SHA-256 {sha256})",
    ]
    if response.truncated:
        heading.append("The page was longer than the size limit: this copy ends where the limit was reached.")
    return "\n".join(heading) + "\n\n" + text + "\n"


def submit_to_public_archive(url: str, endpoint: str, limits: Limits) -> tuple[str, str]:
    """Ask a public web archive to capture `url`: (the snapshot's address or "", a note)."""
    request_url = endpoint.replace("{url}", url) if "{url}" in endpoint else endpoint + url
    try:
        answer = get(request_url, limits, read_body=False)
    except FetchError as err:
        return "", f"the public archive did not take it ({err})"
    if not 200 <= answer.status < 300:
        return "", f"the public archive answered HTTP {answer.status} {answer.reason}".rstrip()
    location = answer.headers.get("Content-Location")
    snapshot = urljoin(answer.final_url, location) if location else answer.final_url
    return snapshot, f"public snapshot at {snapshot}"
