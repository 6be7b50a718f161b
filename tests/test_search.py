"""Full-text search: the Pagefind index the build adds, and the search box in a browser.

The index is checked as files (only event pages, under pagefind/, none of Pagefind's
own interfaces, the same files from pages cut to what Pagefind reads as from whole
ones) and as a build note when Pagefind is missing or fails. In Chromium
(the session's `browser`), on the default site served under a sub-path: "chlorine"
finds exactly the events whose text says it (compared with the model), a facet
narrows the results, results link relatively to event pages, "/" focuses the box,
from file:// the box says that search needs a server, and axe-core finds no
violation with the results and facets open.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import REPO
from generator import search
from generator.build import build_site
from generator.model import Event, Timeline
from generator.pipeline import check_site
from test_browser import SUB_PATH, axe, axe_violations, page, server, site  # noqa: F401 - fixtures
from test_pages import build, parse

EVENT_HTML = """<!doctype html><html lang="en"><head><title>{title}</title></head><body>
<main><article data-pagefind-body data-pagefind-filter="year:{year}" data-pagefind-sort="date:{year}-05-29">
<h1>{title}</h1><p><span data-pagefind-meta="date">29 May {year}</span></p>
<p><a data-pagefind-filter="actor" href="#">{actor}</a> <a data-pagefind-filter="tag" href="#">{tag}</a></p>
<p>{text}</p></article></main></body></html>"""
ACTORS = ("France", "Russia", "Iran", "Turkey", "United States")
TAGS = ("Red line", "Ceasefire", "Chemical weapons")


def event_page(title: str, text: str, n: int = 0) -> bytes:
    return EVENT_HTML.format(title=title, text=text, year=2014 + n % 5, actor=ACTORS[n % 5], tag=TAGS[n % 3]).encode()


def without_pagefind(monkeypatch) -> None:
    """Make `import pagefind…` fail, as on a machine without the package."""
    monkeypatch.setitem(sys.modules, "pagefind", None)
    monkeypatch.setitem(sys.modules, "pagefind.service", None)


def event_text(timeline: Timeline, event: Event) -> str:
    """What an event page says about the event: title, summary, quotes, actors, location, sources and notes."""
    parts = [event.title, event.summary, event.location, *(quote.text for quote in event.quotes)]
    parts += [timeline.actors[actor].name for actor in event.actors]
    parts += [timeline.sources[citation.source].title + " " + citation.note for citation in event.sources]
    return " ".join(parts).casefold()


# --- the index as files --------------------------------------------------------------


def test_only_event_pages_are_indexed_and_files_come_under_pagefind():
    pages = {
        "events/a/index.html": event_page("Chlorine in Ghouta", "Reports of chlorine."),
        "events/b/index.html": event_page("Talks in Geneva", "Nothing else."),
        "index.html": event_page("Home", "chlorine everywhere"),
        "feed.xml": b"<feed/>",
    }
    files, note = search.search_files(pages)
    assert note is None
    assert files and all(path.startswith("pagefind/") for path in files)
    assert {"pagefind/s0/pagefind.js", "pagefind/s0/pagefind-entry.json", "pagefind/shards.json"} <= files.keys()
    assert not [path for path in files if "pagefind-ui" in path or "highlight" in path]
    assert json.loads(files["pagefind/shards.json"]) == {
        "language": "en", "shards": ["s0/"],
        "facets": {"actor": {"France": 2}, "tag": {"Red line": 2}, "year": {"2014": 2}},
    }
    entry = json.loads(files["pagefind/s0/pagefind-entry.json"])
    assert entry["languages"]["en"]["page_count"] == 2
    assert sum(1 for path in files if path.startswith("pagefind/s0/fragment/")) == 2


def test_the_same_pages_always_give_the_same_files():
    # Pagefind lists filters and their values in a random hash-map order; the build sorts them.
    pages = {f"events/e{n}/index.html": event_page(f"Event {n}", f"word{n}", n) for n in range(15)}
    runs = [search.search_files(pages) for _ in range(3)] + [search.search_files(dict(reversed(pages.items())))]
    assert runs[0][1] is None and all(run == runs[0] for run in runs)
    assert len([path for path in runs[0][0] if path.startswith("pagefind/s0/filter/")]) == 4  # actor, shard, tag, year


def test_pagefind_gets_only_what_it_indexes_of_a_page_and_makes_the_same_index(tmp_path: Path):
    out = build(REPO, tmp_path / "out")
    pages = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.glob("events/*/index.html"))}
    parts = {path: search.indexed_part(html) for path, html in pages.items()}
    for path, part in parts.items():
        assert len(part) < len(pages[path]) and b"application/ld+json" not in part  # cut
        assert part.startswith(b'<!doctype html><html lang="en"><head><title>')
        ignored = search.IGNORE
        assert part.count(b"data-pagefind") - part.count(ignored) == pages[path].count(b"data-pagefind") - pages[path].count(ignored)
        assert b'class="related"' not in part and b"Related events" in pages[path]  # an ignored element left out
    binary = search.pagefind_binary()
    marked = {path: search.with_shard(html, 0) for path, html in pages.items()}
    whole = search.stable_order(search.index_files(binary, marked, "en"))
    files, note = search.search_files(pages, shards=1)
    assert note is None
    files.pop(search.SHARDS_FILE)
    assert files == {search.shard_folder(0) + path: data for path, data in whole.items() if not path.startswith(search.UNUSED)}


BODY = '<article class="e" data-pagefind-body data-pagefind-filter="year:2017"><h1>Red line</h1><p>Text</p></article>'


def page_around(body: str, before: str = "", after: str = "") -> bytes:
    return (f'<!doctype html><html lang="fr"><head><title>T</title><script type="application/ld+json">{{}}</script>'
            f'</head><body><nav><a href="#">Menu</a></nav>{before}<main>{body}</main>{after}'
            f"<footer>Foot</footer></body></html>").encode()


@pytest.mark.parametrize("body", [
    BODY,
    BODY.replace("<p>Text</p>", "<article><p>Inside</p><article>deeper</article></article><p>Text</p>"),
    BODY.upper().replace("RED LINE", "Red line"),
    BODY.replace("<p>Text</p>", '<p title="a > b">Text</p>'),
])
def test_the_indexed_part_is_the_body_element_whole_in_a_page_of_its_own(body):
    part = search.indexed_part(page_around(body))
    assert part == f'<!doctype html><html lang="fr"><head><title>T</title></head><body>{body}</body></html>'.encode()


IGNORED = [  # (what the body holds, what is sent of it)
    ('<p>Text</p><section class="related" data-pagefind-ignore><h2>Related</h2><ul><li>A</li></ul></section>', "<p>Text</p>"),
    ("<dl><div><dt data-pagefind-ignore>Date</dt><dd>1 May</dd></div></dl>", "<dl><div><dd>1 May</dd></div></dl>"),
    ("<div data-pagefind-ignore><div data-pagefind-ignore>a</div><div>b</div></div><p>c</p>", "<p>c</p>"),  # nested
    ("<div data-pagefind-ignore>a</div><p>b</p><p data-pagefind-ignore>c</p>", "<p>b</p>"),
]
KEPT_IGNORED = [  # ignored elements that hold what Pagefind reads even there: sent as they are
    '<div data-pagefind-ignore><span data-pagefind-filter="tag:x">x</span></div>',
    '<div data-pagefind-ignore><h1>Title</h1></div>',
    '<div data-pagefind-ignore><img src="x.png" alt=""></div>',
    '<p data-pagefind-ignore data-pagefind-meta="author:Y">Y</p>',
    '<img src="y.png" alt="" data-pagefind-ignore>',
]


@pytest.mark.parametrize("inside, sent", IGNORED)
def test_elements_pagefind_ignores_are_not_sent(inside, sent):
    body = BODY.replace("<p>Text</p>", inside)
    part = search.indexed_part(page_around(body))
    assert part == f'<!doctype html><html lang="fr"><head><title>T</title></head><body>{BODY.replace("<p>Text</p>", sent)}</body></html>'.encode()


@pytest.mark.parametrize("inside", KEPT_IGNORED)
def test_an_ignored_element_pagefind_still_reads_from_is_sent(inside):
    body = BODY.replace("<p>Text</p>", inside)
    assert search.indexed_part(page_around(body)).count(inside.encode()) == 1


def test_leaving_ignored_elements_out_makes_the_same_index():
    bodies = [inside for inside, _ in IGNORED] + KEPT_IGNORED
    pages = {f"events/e{n}/index.html": page_around(BODY.replace("<p>Text</p>", inside + f"<p>word{n}</p>")) for n, inside in enumerate(bodies)}
    binary = search.pagefind_binary()
    whole = search.index_files(binary, pages, "fr")
    cut = search.index_files(binary, {path: search.indexed_part(page) for path, page in pages.items()}, "fr")
    assert search.stable_order(whole) == search.stable_order(cut)


@pytest.mark.parametrize("body, before, after", [
    (BODY, '<span data-pagefind-meta="author:X"></span>', ""),  # metadata outside the body
    (BODY, "", '<p data-pagefind-filter="tag">Y</p>'),  # a filter outside the body
    (BODY, "<h1>Site</h1>", ""),  # the first <h1> gives the title
    (BODY, "", '<img src="x.png" alt="">'),  # an image after the title
    (BODY + BODY, "", ""),  # two bodies
    (BODY.replace(" data-pagefind-body", ""), "", ""),  # none
    (BODY.replace("</article>", ""), "", ""),  # no end
    (BODY.replace("<p>Text</p>", "<!-- <article> -->"), "", ""),  # text that looks like a tag
    (BODY.replace("<p>Text</p>", '<p title="<article>">Text</p>'), "", ""),
    (BODY.replace("<p>Text</p>", "<script>'</article>'</script>"), "", ""),
    (BODY.replace('class="e"', 'title="<b>"'), "", ""),
])
def test_a_page_with_anything_else_pagefind_reads_or_an_unclear_body_is_sent_whole(body, before, after):
    page = page_around(body, before, after)
    assert search.indexed_part(page) is page


def test_a_page_that_cannot_be_read_stops_indexing_with_its_error():
    class Unreadable(dict):
        def __getitem__(self, path):
            if path == "events/e7/index.html":
                raise OSError("cannot read")
            return super().__getitem__(path)

    pages = Unreadable({f"events/e{n}/index.html": event_page(f"Event {n}", f"word{n}", n) for n in range(15)})
    with pytest.raises(OSError, match="cannot read"):
        search.search_files(pages)


def test_an_index_in_an_unexpected_format_is_kept_as_pagefind_made_it():
    files = {"pagefind-entry.json": b'{"languages": {"en": {"hash": "en_1"}}}', "pagefind.en_1.pf_meta": b"not gzip"}
    assert search.stable_order(files) == files


@pytest.mark.parametrize("value", [0, 24, 2**32, -500, b"\x00\xff", "é" * 30, [1, [2, "a"]], {"k": [True, None]}])
def test_a_chunk_reads_back_as_it_was_written(value):
    data, _ = search._chunk_file(value, "en_abc", 3)
    assert search._read_chunk(data) == value


def test_a_chunk_that_would_not_be_written_back_the_same_is_refused():
    import gzip

    for body in (b"\x9f\x01\xff", b"\x18\x01"):  # an indefinite list, a small number in a long form
        with pytest.raises(ValueError):
            search._read_chunk(gzip.compress(search.SIGNATURE + body))


def test_without_the_pagefind_package_search_is_skipped_with_a_note(monkeypatch):
    without_pagefind(monkeypatch)
    files, note = search.search_files({"events/a/index.html": event_page("A", "text")})
    assert files == {} and note and note.startswith("search skipped") and "pip install" in note


def test_a_failing_pagefind_skips_search_with_a_note(monkeypatch):
    monkeypatch.setattr(search, "pagefind_binary", lambda: Path("/bin/false"))
    files, note = search.search_files({"events/a/index.html": event_page("A", "text")})
    assert files == {} and note and "Pagefind stopped" in note


def test_the_build_succeeds_without_pagefind_and_says_search_was_skipped(minimal_site: Path, monkeypatch):
    without_pagefind(monkeypatch)
    result = build_site(minimal_site, use_cache=False)
    assert result.written is not None
    assert [note for note in result.notes if note.startswith("search skipped")]
    assert (result.written.output / "index.html").is_file() and not (result.written.output / "pagefind").exists()


def test_event_pages_mark_the_indexed_body_facets_date_and_ignored_parts(minimal_site: Path, tmp_path: Path):
    out = build(minimal_site, tmp_path / "out")
    html = (out / "events/red-line/index.html").read_text()
    assert html.count("data-pagefind-body") == 1
    assert 'data-pagefind-filter="year:2017"' in html and 'data-pagefind-sort="date:2017-05-29"' in html
    assert 'data-pagefind-filter="actor">Emmanuel Macron</a>' in html and 'data-pagefind-filter="tag"' in html
    assert '<span data-pagefind-meta="date">' in html
    assert 'class="cite" data-pagefind-ignore' in html
    assert "data-pagefind" not in (out / "index.html").read_text()
    assert (out / "pagefind/s0/pagefind.js").is_file()


def test_the_search_form_is_hidden_without_javascript(minimal_site: Path, tmp_path: Path):
    home = build(minimal_site, tmp_path / "out") / "index.html"
    html = home.read_text()
    assert '<form class="site-search" role="search" data-search hidden>' in html
    assert 'aria-keyshortcuts="/"' in html and "assets/search.js" in html
    assert parse(home).ids >= {"search-input", "search-panel"}


# --- in a browser ------------------------------------------------------------------


@pytest.fixture(scope="module")
def timeline() -> Timeline:
    model = check_site(REPO).timeline
    assert model is not None
    return model


def search_for(page, text: str) -> list[str]:
    """Type into the search box (focused with "/") and return the result links once they are shown."""
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.type(text)
    page.wait_for_function("document.querySelector('.search-status').textContent.includes('found')")
    return page.eval_on_selector_all(".search-results a", "links => links.map(a => a.getAttribute('href'))")


def event_ids(hrefs: list[str]) -> set[str]:
    return {href.split("events/")[1].split("/")[0] for href in hrefs}


def test_searching_chlorine_finds_the_events_that_mention_it(page, site, server, timeline):
    page.goto(server + SUB_PATH + "index.html")
    hrefs = search_for(page, "chlorine")
    expected = {event.id for event in timeline.events if "chlorine" in event_text(timeline, event)}
    assert len(expected) >= 2 and event_ids(hrefs) == expected
    assert all(href.startswith("events/") and href.endswith("/index.html") for href in hrefs)
    status = page.locator(".search-status").text_content()
    assert status == f"{len(expected)} events found for “chlorine”."
    first = page.locator(".search-results li").first
    assert first.locator(".search-date").text_content() and first.locator("mark").count() >= 1
    assert page.problems == []


def test_a_facet_narrows_the_results(page, site, server, timeline):
    page.goto(server + SUB_PATH + "index.html")
    search_for(page, "chlorine")
    page.select_option("#search-year", "2016")
    page.wait_for_function("document.querySelectorAll('.search-results li').length === 1")
    hrefs = page.eval_on_selector_all(".search-results a", "links => links.map(a => a.getAttribute('href'))")
    expected = {e.id for e in timeline.events if "chlorine" in event_text(timeline, e) and e.date.start.year == 2016}
    assert event_ids(hrefs) == expected
    assert page.locator("#search-actor option").count() > 10 and page.locator("#search-tag option").count() > 5


def test_a_result_links_relatively_to_its_event_page(page, site, server):
    event = site[1][1]  # an event page, two folders deep
    page.goto(server + SUB_PATH + event)
    hrefs = search_for(page, "chlorine")
    assert hrefs and all(href.startswith("../../events/") for href in hrefs)
    page.locator(".search-results a").first.click()
    page.wait_for_load_state()
    assert page.url == server + SUB_PATH + hrefs[0].removeprefix("../../")
    assert page.locator("h1").text_content()


def test_escape_empties_the_box_and_slash_is_typed_in_fields(page, site, server):
    page.goto(server + SUB_PATH + "index.html")
    search_for(page, "chlorine")
    page.keyboard.press("/")  # in the box: a character, not a shortcut
    assert page.input_value("#search-input") == "chlorine/"
    page.keyboard.press("Escape")
    assert page.input_value("#search-input") == ""
    assert page.locator(".search-results li").count() == 0


def test_from_disk_the_box_says_search_needs_a_server(page, site):
    root, pages = site
    page.goto((root / SUB_PATH / pages[0]).as_uri())
    page.keyboard.press("/")
    page.keyboard.type("chlorine")
    assert "web server" in page.locator(".search-status").text_content()
    assert page.problems == []


def test_a_site_built_without_search_says_it_is_not_available(page, site, server, minimal_site: Path, monkeypatch):
    without_pagefind(monkeypatch)
    build(minimal_site, site[0] / "no-search")
    page.goto(server + "no-search/index.html")
    page.keyboard.press("/")
    page.wait_for_function("document.querySelector('.search-status').textContent !== ''")
    assert page.locator(".search-status").text_content() == "Search is not available on this copy of the site."


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violation_with_results_and_facets_open(page, axe, site, server, scheme: str):
    page.emulate_media(color_scheme=scheme)
    page.goto(server + SUB_PATH + "index.html")
    search_for(page, "chlorine")
    assert page.locator(".search-panel").is_visible() and page.locator("#search-actor").is_visible()
    assert axe_violations(axe, page) == []
