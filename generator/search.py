"""Full-text search: a Pagefind index made from the rendered event pages.

The event pages are handed to Pagefind in memory and the index files it makes are
returned by path, so they go through the same writer as every page (under
`pagefind/`). Pagefind is the PyPI package `pagefind[bin]`: `pagefind` finds the
binary that `pagefind_bin` ships. Only event pages are indexed; their templates mark
what is indexed (`data-pagefind-body`), the facets (`data-pagefind-filter`: actor,
tag, year) and the date (`data-pagefind-meta`, `data-pagefind-sort`).

Pagefind parses all it is sent, and every element of it costs time, so each page
is first cut down to what Pagefind reads of it (`indexed_part`): its `<html>` tag
(`lang` picks the language), its `<title>` and its `data-pagefind-body` element,
whole. The index is the same, byte for byte, as long as nothing else on the page
counts: Pagefind also takes filters, metadata and sort keys from anywhere, the
title from the first `<h1>` and an image from the first `<img>` after it, so a page
with any of these outside its body, or whose body is not plain to find, is sent as
it is. The pages are read and cut one at a time, while Pagefind indexes the ones
before.

The binary is driven through its service mode (`pagefind --service`: base64 JSON
messages, each followed by a comma, on stdin and stdout), the same protocol as the
package's asyncio client, `pagefind.index.PagefindIndex`. That client is not used:
it reads one answer every 100 ms (35 pages cost 3.6 s, 10,000 would cost 17 min)
and its 2 MiB line limit makes `get_files()` hang once the index is larger than
that. Here a thread writes the requests while the caller reads the answers as
they come, so neither pipe fills up and blocks the other.

Pagefind writes two lists in hash-map order, which changes from run to run: the
values of each filter, and the filters in the metadata file. `stable_order` sorts
them and renames the files after their new content, so the same pages always give
the same bytes (a rebuild rewrites nothing, a cold build equals an incremental one).

Without the package or its binary, or when Pagefind fails, the site is built
without search and the note says why: the pages' search box then says that search
is not available.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping

import cbor2

OUTPUT = "pagefind/"
EVENT_PAGE = re.compile(r"events/[^/]+/index\.html")
# Pagefind's own search interfaces: the site has its own (static/assets/search.js).
UNUSED = ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight", "playground/")
CONFIG = {"keep_index_url": True}  # results link to …/index.html, like every link of the site
BODY = b"data-pagefind-body"
# Matched in the page lower-cased, as HTML names are case-insensitive.
START_TAG = re.compile(rb"<([a-z][a-z0-9-]*)(?:[^>\"']+|\"[^\"]*\"|'[^']*')*>")  # a value may hold ">"
HTML_TAG = re.compile(rb"<html(?=[\s>])(?:[^>\"']+|\"[^\"]*\"|'[^']*')*>")
TITLE = re.compile(rb"<title[\s>].*?</title\s*>", re.DOTALL)
READ_OUTSIDE = (b"data-pagefind-", b"<h1", b"<img")  # what Pagefind takes from outside the body too
# Where text that looks like a tag may not be one: comments, CDATA, raw text
# elements, "<" in an attribute value. A body holding any of these is not cut.
NOT_ONLY_TAGS = (
    re.compile(rb"<(?:[!?]|(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)[\s/>])"),
    re.compile(rb"=\s*(?:\"[^\"]*<|'[^']*<)"),
)
READ_SIZE = 1 << 20
ENTRY = "pagefind-entry.json"
SIGNATURE = b"pagefind_dcd"  # what Pagefind's binary files start with, once gunzipped
FILTERS = 3  # the place of the filters' [name, chunk hash] list in a pf_meta file

Payload = dict[str, Any]


class SearchUnavailable(Exception):
    """Search cannot be built; the message says why, for the author."""


def search_files(pages: Mapping[str, bytes]) -> tuple[dict[str, bytes], str | None]:
    """The index files to add to the site (path → bytes), and a note when search was skipped."""
    events = _IndexedParts(pages, [path for path in sorted(pages) if EVENT_PAGE.fullmatch(path)])
    try:
        files = index_files(pagefind_binary(), events)
    except SearchUnavailable as problem:
        return {}, f"search skipped: {problem}"
    files = stable_order(files)
    return {OUTPUT + path: content for path, content in sorted(files.items()) if not path.startswith(UNUSED)}, None


def indexed_part(page: bytes) -> bytes:
    """What Pagefind reads of an HTML page, as a page of its own; the page itself when unsure."""
    low = page.lower()  # ASCII only: every offset stays the same
    body = _body_span(low)
    html = HTML_TAG.search(low)
    if body is None or html is None or html.start() > body[0]:
        return page
    start, end = body
    if any(low.find(text, 0, start) >= 0 or low.find(text, end) >= 0 for text in READ_OUTSIDE):
        return page
    title = TITLE.search(low, 0, start) or TITLE.search(low, end)  # the first one: the body has none
    head = page[title.start():title.end()] if title else b""
    return (b"<!doctype html>" + page[html.start():html.end()] + b"<head>" + head + b"</head><body>"
            + page[start:end] + b"</body></html>")


def _body_span(low: bytes) -> tuple[int, int] | None:
    """Where the page's one `data-pagefind-body` element starts and ends (after its end tag), if surely found."""
    if low.count(BODY) != 1:
        return None
    attribute = low.find(BODY)
    start = low.rfind(b"<", 0, attribute)
    tag = START_TAG.match(low, start)
    if tag is None or tag.end() < attribute or any(low.count(quote, start, attribute) % 2 for quote in b"\"'"):
        return None  # not a start tag, or that "<" is inside one of its values
    same_name = re.compile(rb"<(/?)" + re.escape(tag.group(1)) + rb"(?=[\s/>])[^>]*>")
    depth = 1
    for other in same_name.finditer(low, tag.end()):
        depth += -1 if other.group(1) else 1
        if depth == 0:
            end = other.end()
            return None if any(pattern.search(low, start, end) for pattern in NOT_ONLY_TAGS) else (start, end)
    return None


def pagefind_binary() -> Path:
    """The Pagefind binary that the `pagefind[bin]` package installed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise SearchUnavailable("the pagefind package is not installed (pip install 'pagefind[bin]')") from None
    try:
        binary = get_executable()
    except OSError as error:  # pagefind_bin is there but its binary is not
        raise SearchUnavailable(f"no Pagefind binary ({error})") from None
    if binary is None or not binary.is_file():
        raise SearchUnavailable("no Pagefind binary found (pip install 'pagefind[bin]')")
    return binary


def index_files(binary: Path, pages: Mapping[str, bytes]) -> dict[str, bytes]:
    """Pagefind's index of `pages` (output path → HTML), as its files by path under pagefind/.

    Each page is taken from `pages` only when it is sent, while Pagefind indexes the
    ones before it: no more than a page is held at a time, and the work of reading
    (or making) the pages overlaps Pagefind's.
    """
    with Service(binary) as service:
        [created] = service.ask([{"type": "NewIndex", "config": CONFIG}])
        index_id = created["index_id"]
        service.ask(({"type": "AddFile", "index_id": index_id, "url": "/" + path, "file_path": path,
                      "file_contents": html.decode("utf-8")} for path, html in pages.items()), len(pages))
        [listing] = service.ask([{"type": "GetFiles", "index_id": index_id}])
    return {file["path"]: base64.b64decode(file["content"]) for file in listing["files"]}


class _IndexedParts(Mapping[str, bytes]):
    """The indexed part (`indexed_part`) of some of the pages, made when asked for."""

    def __init__(self, pages: Mapping[str, bytes], paths: list[str]) -> None:
        self._pages, self._paths = pages, dict.fromkeys(paths)

    def __getitem__(self, path: str) -> bytes:
        if path not in self._paths:
            raise KeyError(path)
        return indexed_part(self._pages[path])

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


class Service:
    """One `pagefind --service` process, asked batches of requests."""

    def __init__(self, binary: Path) -> None:
        self._errors: IO[bytes] = tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen(
                [str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors,
            )
        except OSError as error:
            self._errors.close()
            raise SearchUnavailable(f"Pagefind could not start ({error})") from None
        self._buffer = bytearray()
        self._last_id = 0
        self._failure: BaseException | None = None  # what stopped the writer, if not the process

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """End the process (it stops when its input closes) and free its pipes."""
        for stream in (self._process.stdin, self._process.stdout):
            try:
                stream.close()  # type: ignore[union-attr]
            except OSError:
                pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._errors.close()

    def ask(self, payloads: Iterable[Payload], count: int | None = None) -> list[Payload]:
        """Send requests and return their answers in the same order; an error answer, or none, raises.

        There are `count` payloads (by default `len(payloads)`), each taken only when it
        is sent. A thread sends them while this one reads the answers, so neither pipe
        fills up and blocks the other. If taking a payload fails, that error is raised.
        """
        count = len(payloads) if count is None else count  # type: ignore[arg-type]
        first = self._last_id + 1
        self._last_id += count
        self._failure = None
        writer = threading.Thread(target=self._write, args=(payloads, first), daemon=True)
        writer.start()
        answers: dict[int, Payload] = {}
        try:
            while len(answers) < count:
                message = self._read()
                answer = message.get("payload") or {}
                if answer.get("type") == "Error" or message.get("message_id") not in range(first, self._last_id + 1):
                    raise SearchUnavailable(f"Pagefind failed: {answer.get('message') or message}")
                answers[message["message_id"]] = answer
        except BaseException:
            self._process.kill()  # so the writer, maybe blocked on a full pipe, stops too
            writer.join()
            if self._failure is not None:  # the process was stopped for it
                raise self._failure from None
            raise
        writer.join()
        return [answers[message_id] for message_id in range(first, first + count)]

    def _write(self, payloads: Iterable[Payload], first: int) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        try:
            for message_id, payload in enumerate(payloads, first):
                request = {"message_id": message_id, "payload": payload}
                stdin.write(base64.b64encode(json.dumps(request).encode("utf-8")) + b",")
            stdin.flush()
        except BrokenPipeError:
            pass  # the process died: the reader says so
        except BaseException as failure:  # a payload could not be made
            self._failure = failure
            self._process.kill()  # the reader stops waiting for answers, and raises the failure

    def _read(self) -> Payload:
        """The next message on the process's output."""
        stdout = self._process.stdout
        assert stdout is not None
        start = 0
        while (end := self._buffer.find(b",", start)) < 0:
            start = len(self._buffer)
            chunk = stdout.read1(READ_SIZE)  # type: ignore[attr-defined]
            if not chunk:
                raise SearchUnavailable(f"Pagefind stopped unexpectedly{self._stderr_tail()}")
            self._buffer += chunk
        message = bytes(self._buffer[:end])
        del self._buffer[:end + 1]
        try:
            return json.loads(base64.b64decode(message))
        except ValueError:  # binascii.Error and JSONDecodeError are ValueErrors
            raise SearchUnavailable(f"Pagefind said something unexpected: {message[:80]!r}") from None

    def _stderr_tail(self) -> str:
        self._errors.seek(0)
        text = self._errors.read().decode("utf-8", "replace").strip()
        return f": {text[-500:]}" if text else ""


def stable_order(files: dict[str, bytes]) -> dict[str, bytes]:
    """The index with its filter values and filter names sorted, the files renamed to match.

    Pagefind's files are left as they are if they are not as expected (another version
    of its formats): the index then works all the same, only its bytes vary.
    """
    try:
        return _sorted_index(files)
    except (cbor2.CBORError, KeyError, IndexError, TypeError, ValueError, OSError, EOFError):
        return files


def _sorted_index(files: dict[str, bytes]) -> dict[str, bytes]:
    result = dict(files)
    entry = result[ENTRY]
    for language in json.loads(entry)["languages"].values():
        old = language["hash"]
        meta = _read_chunk(result.pop(f"pagefind.{old}.pf_meta"))
        meta[FILTERS] = sorted(_sorted_filter(result, name, chunk) for name, chunk in meta[FILTERS])
        data, new = _chunk_file(meta, old, len(old.rsplit("_", 1)[1]))
        result[f"pagefind.{new}.pf_meta"] = data
        entry = entry.replace(f'"{old}"'.encode(), f'"{new}"'.encode())
    result[ENTRY] = entry
    return result


def _sorted_filter(files: dict[str, bytes], name: str, old: str) -> list[str]:
    """Sort one filter's values in place in `files`; its [name, new chunk hash]."""
    chunk = _read_chunk(files.pop(f"filter/{old}.pf_filter"))
    if chunk[0] != name:
        raise ValueError(f"filter chunk {old} is not the filter {name}")
    chunk[1].sort(key=lambda value: value[0])
    data, new = _chunk_file(chunk, old, len(old.rsplit("_", 1)[1]))
    files[f"filter/{new}.pf_filter"] = data
    return [name, new]


def _read_chunk(data: bytes) -> Any:
    body = gzip.decompress(data)
    if not body.startswith(SIGNATURE):
        raise ValueError("not a Pagefind chunk")
    value = cbor2.loads(body[len(SIGNATURE):])
    if cbor2.dumps(value) != body[len(SIGNATURE):]:
        raise ValueError("a chunk this codec would not write back as it was")
    return value


def _chunk_file(value: Any, old_hash: str, digits: int) -> tuple[bytes, str]:
    """The chunk's file (gzipped like Pagefind's, without a time stamp) and its hash, named like the old one."""
    body = SIGNATURE + cbor2.dumps(value)
    prefix = old_hash.rsplit("_", 1)[0]
    return gzip.compress(body, mtime=0), f"{prefix}_{hashlib.sha256(body).hexdigest()[:digits]}"
