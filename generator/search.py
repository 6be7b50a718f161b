"""Full-text search: a Pagefind index made from the rendered event pages, in shards.

The event pages are split into K shards by a hash of their event id (`shard_of`;
K grows with the number of events, one shard per `PAGES_PER_SHARD`, at most
`MAX_SHARDS`, so a one-word query fetches a few small chunks per shard rather than
one huge chunk). Each shard is a Pagefind index of its own, under `pagefind/s0/`,
`pagefind/s1/`, …, all made in the one language of the pages (`force_language`);
`pagefind/shards.json` lists them, with the facets' counts over all shards
(summed from each shard's filter chunks). The browser loads the first shard with
Pagefind's script and merges the others into it (`mergeIndex`), so an edit only
makes the shard of the edited event again. Only the first shard carries Pagefind's
script, worker and WebAssembly: the merged ones are never asked for theirs. Each
page is sent with one more filter, `shard` (its shard's number), which the browser
uses to read each shard's date order when it lists events by date.

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
from typing import IO, Any, Callable, Iterable, Iterator, Mapping

import cbor2

OUTPUT = "pagefind/"
SHARDS_FILE = OUTPUT + "shards.json"  # the shards' folders and the language, for the browser
EVENT_PAGE = re.compile(r"events/([^/]+)/index\.html")
PAGES_PER_SHARD = 1250  # about 1 s of Pagefind per shard; an edit re-indexes one
MAX_SHARDS = 16  # every shard adds its metadata and a chunk to each query's download
SERVICES = 2  # Pagefind processes at a time: one per core
SHARD_FILTER = "shard"
# Pagefind's own search interfaces: the site has its own (static/assets/search.js).
UNUSED = ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight", "playground/")
INDEX_DATA = ("pagefind-entry.json", "index/", "fragment/", "filter/")  # with pagefind.*.pf_meta: a shard's own files
CONFIG = {"keep_index_url": True}  # results link to …/index.html, like every link of the site
BODY = b"data-pagefind-body"
IGNORE = b"data-pagefind-ignore"
VOID = frozenset((b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"source", b"track", b"wbr"))
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
BODY_TAG = re.compile(rb"<body(?=[\s>])(?:[^>\"']+|\"[^\"]*\"|'[^']*')*>")
LANG = re.compile(r"""\slang\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
READ_SIZE = 1 << 20
ENTRY = "pagefind-entry.json"
SIGNATURE = b"pagefind_dcd"  # what Pagefind's binary files start with, once gunzipped
FILTERS = 3  # the place of the filters' [name, chunk hash] list in a pf_meta file

Payload = dict[str, Any]


class SearchUnavailable(Exception):
    """Search cannot be built; the message says why, for the author."""


def shard_count(events: int) -> int:
    """How many shards an index of this many event pages is split into."""
    return max(1, min(MAX_SHARDS, -(-events // PAGES_PER_SHARD)))


def shard_of(path: str, shards: int) -> int:
    """The shard of an event page: a hash of its event id, the same on every machine and run."""
    match = EVENT_PAGE.fullmatch(path)
    event_id = match.group(1) if match else path
    return int.from_bytes(hashlib.blake2b(event_id.encode("utf-8"), digest_size=8).digest(), "big") % shards


def split_pages(paths: Iterable[str], shards: int) -> list[list[str]]:
    """The event pages of each shard, sorted."""
    groups: list[list[str]] = [[] for _ in range(shards)]
    for path in sorted(paths):
        groups[shard_of(path, shards)].append(path)
    return groups


def shard_folder(shard: int) -> str:
    return f"{OUTPUT}s{shard}/"


def page_language(page: bytes) -> str:
    """The `lang` of a page's `<html>` tag, lower-cased (Pagefind's "unknown" without one)."""
    html = HTML_TAG.search(page.lower())
    found = LANG.search(page[html.start():html.end()].decode("utf-8", "replace")) if html else None
    return next((value for value in found.groups() if value), "unknown").strip().lower() if found else "unknown"


Counts = dict[str, dict[str, int]]  # facet → value → events


def shards_file(shards: int, language: str, counts: list[Counts | None]) -> bytes:
    """The list of shards for the browser, with the facets' counts over all of them when every shard's are known.

    With the counts at hand the browser shows the facets without fetching every
    shard's filter chunks first (about half of what opening the search costs).
    """
    listing: dict[str, Any] = {"language": language, "shards": [shard_folder(n).removeprefix(OUTPUT) for n in range(shards)]}
    if counts and all(count is not None for count in counts):
        total: Counts = {}
        for count in counts:
            for facet, values in count.items():  # type: ignore[union-attr]
                for value, events in values.items():
                    total.setdefault(facet, {})[value] = total.get(facet, {}).get(value, 0) + events
        listing["facets"] = {facet: dict(sorted(values.items())) for facet, values in sorted(total.items())}
    return json.dumps(listing, sort_keys=True, ensure_ascii=False).encode("utf-8")


def facet_counts(files: Mapping[str, bytes]) -> Counts | None:
    """How many events of a shard have each facet value, read from its filter chunks; None if they do not read."""
    counts: Counts = {}
    try:
        for path, data in files.items():
            if "/filter/" in path and path.endswith(".pf_filter"):
                name, values = _read_chunk(data)
                if name != SHARD_FILTER:
                    counts[str(name)] = {str(value): len(pages) for value, pages in values}
    except (cbor2.CBORError, TypeError, ValueError, OSError, EOFError):
        return None
    return counts


def search_files(pages: Mapping[str, bytes], shards: int | None = None) -> tuple[dict[str, bytes], str | None]:
    """The whole index (every shard, and the list of them) to add to the site, and a note when search was skipped."""
    paths = [path for path in sorted(pages) if EVENT_PAGE.fullmatch(path)]
    shards = shard_count(len(paths)) if shards is None else shards
    language = page_language(pages[paths[0]]) if paths else "unknown"
    files: dict[str, bytes] = {}
    counts = []
    try:
        binary = pagefind_binary()
        for shard, group in enumerate(split_pages(paths, shards)):
            made = shard_files(binary, pages, group, shard, language)
            counts.append(facet_counts(made))
            files.update(made)
    except SearchUnavailable as problem:
        return {}, f"search skipped: {problem}"
    files[SHARDS_FILE] = shards_file(shards, language, counts)
    return files, None


def shard_files(
    binary: Path, pages: Mapping[str, bytes], paths: list[str], shard: int, language: str,
    cut: Mapping[str, bytes] | None = None, digests: dict[str, str] | None = None, fed: Callable[[], None] | None = None,
) -> dict[str, bytes]:
    """One shard's index files by output path; the first shard also has Pagefind's runtime.

    `cut` holds pages already cut down (`indexed_part`), by path; each page's part
    digest (`part_digest`) is noted in `digests` as it is sent. `fed` is called once
    Pagefind has read every page (see `index_files`).
    """
    parts = _IndexedParts(pages, paths, shard, cut, digests)
    files = stable_order(index_files(binary, parts, language, fed))
    return {shard_folder(shard) + path: data for path, data in sorted(files.items()) if _belongs(path, shard)}


def part_digest(part: bytes) -> str:
    """The digest of a page's indexed part: while it holds, so does what Pagefind makes of the page."""
    return hashlib.blake2b(part, digest_size=12).hexdigest()


def shard_key(shards: int, shard: int, language: str, paths: Iterable[str], digests: Mapping[str, str]) -> str:
    """All that a shard's index is made of: the number of shards, its own, the language, and its pages' parts in order.

    Pagefind is sent nothing else, so two builds with the same key make the same files:
    a page changed outside what Pagefind reads (its neighbours' titles, say) keeps the shard.
    A page without a digest (none was taken) counts as one no page has.
    """
    text = f"{shards}\n{shard}\n{language}\n" + "".join(f"{path}:{digests.get(path, '')}\n" for path in paths)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _belongs(path: str, shard: int) -> bool:
    """Whether a file Pagefind made is kept: none of its interfaces; its runtime only in the first shard."""
    if path.startswith(UNUSED):
        return False
    return shard == 0 or path.startswith(INDEX_DATA) or path.endswith(".pf_meta")


def with_shard(page: bytes, shard: int) -> bytes:
    """The page with its shard as a filter, just inside its `<body>` (at its start without one)."""
    mark = f'<span data-pagefind-filter="{SHARD_FILTER}:{shard}"></span>'.encode()
    body = BODY_TAG.search(page.lower())
    at = body.end() if body else 0
    return page[:at] + mark + page[at:]


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
            + _without_ignored(page, low, start, end) + b"</body></html>")


def _without_ignored(page: bytes, low: bytes, start: int, end: int) -> bytes:
    """`page[start:end]` without the elements Pagefind ignores (`data-pagefind-ignore`) and takes nothing from.

    Pagefind indexes none of their text, so they change nothing in the index; sent, they
    cost parsing, and a page whose only change is in one (the titles of related events)
    would make its shard again. An element is kept when it holds what Pagefind reads
    even from an ignored element (filters, metadata, a title, an image).
    """
    kept, at = [], start
    found = low.find(IGNORE, at, end)
    while found >= 0:
        element = _ignored_span(low, found, end)
        if element is not None and element[0] >= at:
            kept.append(page[at:element[0]])
            at = element[1]
        found = low.find(IGNORE, max(at, found + 1), end)
    kept.append(page[at:end])
    return b"".join(kept)


def _ignored_span(low: bytes, attribute: int, end: int) -> tuple[int, int] | None:
    """Where the ignored element whose `data-pagefind-ignore` is at `attribute` starts and ends; None to keep it."""
    tag = _tag_holding(low, attribute)
    if tag is None or tag.group(1) in VOID:
        return None
    start, close = tag.start(), _element_end(low, tag, end)
    if close is None:
        return None
    inside = low[tag.end():close].replace(IGNORE, b"")  # what it holds, nested ignored elements whole
    own = low[start:tag.end()].replace(IGNORE, b"", 1)
    if any(text in inside for text in READ_OUTSIDE) or b"data-pagefind-" in own:
        return None
    return start, close


def _element_end(low: bytes, tag: re.Match, end: int) -> int | None:
    """Where the element that `tag` starts ends (after its end tag), looking no further than `end`."""
    same_name = re.compile(rb"<(/?)" + re.escape(tag.group(1)) + rb"(?=[\s/>])[^>]*>")
    depth = 1
    for other in same_name.finditer(low, tag.end(), end):
        depth += -1 if other.group(1) else 1
        if depth == 0:
            return other.end()
    return None


def _body_span(low: bytes) -> tuple[int, int] | None:
    """Where the page's one `data-pagefind-body` element starts and ends (after its end tag), if surely found."""
    if low.count(BODY) != 1:
        return None
    tag = _tag_holding(low, low.find(BODY))
    if tag is None:
        return None
    start, end = tag.start(), _element_end(low, tag, len(low))
    if end is None or any(pattern.search(low, start, end) for pattern in NOT_ONLY_TAGS):
        return None
    return start, end


def _tag_holding(low: bytes, attribute: int) -> re.Match | None:
    """The start tag whose attribute begins at `attribute`; None when the "<" before it starts no tag
    holding it, or the attribute is inside one of its values."""
    start = low.rfind(b"<", 0, attribute)
    tag = START_TAG.match(low, start)
    if tag is None or tag.end() < attribute or any(low.count(quote, start, attribute) % 2 for quote in b"\"'"):
        return None
    return tag


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


def index_files(
    binary: Path, pages: Mapping[str, bytes], language: str | None = None, fed: Callable[[], None] | None = None,
) -> dict[str, bytes]:
    """Pagefind's index of `pages` (output path → HTML), in `language` if given, as its files by path.

    Each page is taken from `pages` only when it is sent, while Pagefind indexes the
    ones before it: no more than a page is held at a time, and the work of reading
    (or making) the pages overlaps Pagefind's. `fed` is called once Pagefind has read
    them all, before it writes the index (half of its time), which needs nothing of this process.
    """
    with Service(binary) as service:
        config = CONFIG if language is None else {**CONFIG, "force_language": language}
        [created] = service.ask([{"type": "NewIndex", "config": config}])
        index_id = created["index_id"]
        service.ask(({"type": "AddFile", "index_id": index_id, "url": "/" + path, "file_path": path,
                      "file_contents": html.decode("utf-8")} for path, html in pages.items()), len(pages))
        if fed is not None:
            fed()
        [listing] = service.ask([{"type": "GetFiles", "index_id": index_id}])
    return {file["path"]: base64.b64decode(file["content"]) for file in listing["files"]}


class _IndexedParts(Mapping[str, bytes]):
    """The indexed part (`indexed_part`) of some of the pages, with their shard (`with_shard`), made when asked for.

    A part found in `cut` is taken from there; each part's digest is noted in `digests`.
    """

    def __init__(self, pages: Mapping[str, bytes], paths: list[str], shard: int,
                 cut: Mapping[str, bytes] | None = None, digests: dict[str, str] | None = None) -> None:
        self._pages, self._paths, self._shard = pages, dict.fromkeys(paths), shard
        self._cut, self._digests = cut or {}, digests if digests is not None else {}

    def __getitem__(self, path: str) -> bytes:
        if path not in self._paths:
            raise KeyError(path)
        part = self._cut.get(path)
        if part is None:
            part = indexed_part(self._pages[path])
        self._digests[path] = part_digest(part)
        return with_shard(part, self._shard)

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
