"""Full-text search: a Pagefind index made from the rendered event pages.

The event pages are handed to Pagefind in memory and the index files it makes are
returned by path, so they go through the same writer as every page (under
`pagefind/`). Pagefind is the PyPI package `pagefind[bin]`: `pagefind` finds the
binary that `pagefind_bin` ships. Only event pages are indexed; their templates mark
what is indexed (`data-pagefind-body`), the facets (`data-pagefind-filter`: actor,
tag, year) and the date (`data-pagefind-meta`, `data-pagefind-sort`).

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
from typing import IO, Any, Mapping

from generator import cbor

OUTPUT = "pagefind/"
EVENT_PAGE = re.compile(r"events/[^/]+/index\.html")
# Pagefind's own search interfaces: the site has its own (static/assets/search.js).
UNUSED = ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight", "playground/")
CONFIG = {"keep_index_url": True}  # results link to …/index.html, like every link of the site
READ_SIZE = 1 << 20
ENTRY = "pagefind-entry.json"
SIGNATURE = b"pagefind_dcd"  # what Pagefind's binary files start with, once gunzipped
FILTERS = 3  # the place of the filters' [name, chunk hash] list in a pf_meta file

Payload = dict[str, Any]


class SearchUnavailable(Exception):
    """Search cannot be built; the message says why, for the author."""


def search_files(pages: Mapping[str, bytes]) -> tuple[dict[str, bytes], str | None]:
    """The index files to add to the site (path → bytes), and a note when search was skipped."""
    events = {path: pages[path] for path in sorted(pages) if EVENT_PAGE.fullmatch(path)}
    try:
        files = index_files(pagefind_binary(), events)
    except SearchUnavailable as problem:
        return {}, f"search skipped: {problem}"
    files = stable_order(files)
    return {OUTPUT + path: content for path, content in sorted(files.items()) if not path.startswith(UNUSED)}, None


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
    """Pagefind's index of `pages` (output path → HTML), as its files by path under pagefind/."""
    with Service(binary) as service:
        [created] = service.ask([{"type": "NewIndex", "config": CONFIG}])
        index_id = created["index_id"]
        service.ask([{"type": "AddFile", "index_id": index_id, "url": "/" + path, "file_path": path,
                      "file_contents": html.decode("utf-8")} for path, html in pages.items()])
        [listing] = service.ask([{"type": "GetFiles", "index_id": index_id}])
    return {file["path"]: base64.b64decode(file["content"]) for file in listing["files"]}


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

    def ask(self, payloads: list[Payload]) -> list[Payload]:
        """Send requests and return their answers in the same order; an error answer, or none, raises.

        A thread writes while this one reads, so neither pipe fills up and blocks the other.
        """
        first = self._last_id + 1
        self._last_id += len(payloads)
        requests = [{"message_id": first + n, "payload": payload} for n, payload in enumerate(payloads)]
        writer = threading.Thread(target=self._write, args=(requests,), daemon=True)
        writer.start()
        answers: dict[int, Payload] = {}
        try:
            while len(answers) < len(requests):
                message = self._read()
                answer = message.get("payload") or {}
                if answer.get("type") == "Error" or message.get("message_id") not in range(first, self._last_id + 1):
                    raise SearchUnavailable(f"Pagefind failed: {answer.get('message') or message}")
                answers[message["message_id"]] = answer
        except BaseException:
            self._process.kill()  # so the writer, maybe blocked on a full pipe, stops too
            raise
        finally:
            writer.join()
        return [answers[request["message_id"]] for request in requests]

    def _write(self, requests: list[Payload]) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        try:
            for request in requests:
                stdin.write(base64.b64encode(json.dumps(request).encode("utf-8")) + b",")
            stdin.flush()
        except OSError:
            pass  # the process died: the reader says so

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
    except (cbor.CBORError, KeyError, IndexError, TypeError, ValueError, OSError, EOFError):
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
    value = cbor.loads(body[len(SIGNATURE):])
    if cbor.dumps(value) != body[len(SIGNATURE):]:
        raise ValueError("a chunk this codec would not write back as it was")
    return value


def _chunk_file(value: Any, old_hash: str, digits: int) -> tuple[bytes, str]:
    """The chunk's file (gzipped like Pagefind's, without a time stamp) and its hash, named like the old one."""
    body = SIGNATURE + cbor.dumps(value)
    prefix = old_hash.rsplit("_", 1)[0]
    return gzip.compress(body, mtime=0), f"{prefix}_{hashlib.sha256(body).hexdigest()[:digits]}"
