"""Rendering: content is data, never code; Markdown's HTML is sanitised; links are relative."""
from pathlib import Path

import pytest

from generator.cli import main
from generator.dates import parse
from generator.model import Actor, Citation, Event, SiteConfig, Source, Tag, Timeline, build_timeline
from generator.render import Markdown, Renderer, page_root

from conftest import write_files


@pytest.mark.parametrize("text,forbidden", [
    ("<script>alert(1)</script>", "<script"),
    ('<img src="x" onerror="alert(1)">', "onerror"),
    ("[click](javascript:alert(1))", "javascript:"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "javascript:"),
    ("![x](data:image/svg+xml;base64,PHN2Zz4=)", "data:"),
    ('<iframe src="https://example.org"></iframe>', "<iframe"),
    ('<p style="position:fixed">x</p>', "style="),
    ('<svg onload="alert(1)"></svg>', "onload"),
])
def test_markdown_html_is_sanitised(text: str, forbidden: str):
    assert forbidden not in str(Markdown().to_html(text)).lower()


def test_markdown_keeps_ordinary_formatting_and_http_links():
    html = str(Markdown().to_html("**bold** and [a link](https://example.org)\n\n- item"))
    assert "<strong>bold</strong>" in html and 'href="https://example.org"' in html and "<li>item</li>" in html


def test_first_paragraph():
    assert str(Markdown().first_paragraph("One.\n\nTwo.")) == "<p>One.</p>"


def test_page_root_is_relative_except_for_404():
    assert page_root("", "") == ""
    assert page_root("events/x/", "") == "../../"
    assert page_root("2017/", "") == "../"
    assert page_root("404.html", "https://example.org/s/") == "https://example.org/s/"


def test_template_syntax_in_content_is_shown_not_run(minimal_site: Path, tmp_path: Path):
    write_files(minimal_site, {"content/events/jinja.yml": (
        "title: \"{{ 7 * 7 }} and {% raw %}\"\ndate: 2017-06\nactors: [france]\n"
        "summary: \"{{ config }} <script>alert(1)</script>\"\nsources: [afp-red-line]\n"
    )})
    out = tmp_path / "out"
    assert main(["build", "--site", str(minimal_site), "--output", str(out)]) == 0
    page = (out / "events/jinja/index.html").read_text()
    assert "{{ 7 * 7 }}" in page and "49" not in page.replace("2049", "")
    assert "<script>alert" not in page


def test_site_templates_override_the_theme_by_name(minimal_site: Path, tmp_path: Path):
    write_files(minimal_site, {"templates/404.html": "custom not-found page\n"})
    out = tmp_path / "out"
    assert main(["build", "--site", str(minimal_site), "--output", str(out)]) == 0
    assert (out / "404.html").read_text().strip() == "custom not-found page"


# --- cards and HTML helpers ----------------------------------------------------------

ACTORS = {
    "france": Actor("france", "France", "state"),
    "macron": Actor("macron", "Emmanuel <Macron> & co", "person", affiliations=("france",)),
}
# Text that looks like the placeholders the renderer uses for `root` and the via note.
TRICKY = "\x1e<root>\x1e \x1e<via>\x1e & <b>"


def card_timeline() -> Timeline:
    events = [
        Event("plain", "A plain event", parse("2017-05-29"), "One.\n\nTwo.", ("france",), (Citation("src"),), tags=(Tag("talks", "Talks"),)),
        Event("tricky", TRICKY, parse("2017-06~"), TRICKY, ("macron", "france"), (Citation("src"),), status="planned"),
    ]
    return build_timeline(SiteConfig("T"), events, ACTORS, {"src": Source("src", "A source")})


def cards_on_pages(renderer: Renderer, entries: list[tuple[Event, str | None]], root: str) -> str:
    return renderer.env.from_string("{% for e, via in entries %}{{ card(e, via) }}{% endfor %}").render(entries=entries, root=root)


def test_a_card_is_rendered_once_yet_is_the_card_each_page_would_render(tmp_path: Path):
    renderer = Renderer(card_timeline(), tmp_path)
    entries = [(event, via) for event in renderer.timeline.events for via in (None, "macron")]
    template = renderer.env.get_template("_event_card.html")
    for root in ("", "../", "../../../../", "https://example.org/a&b/"):
        expected = "".join(template.render(event=event, via=via, root=root) for event, via in entries)
        assert cards_on_pages(renderer, entries, root) == expected
    assert len(renderer.cards) == len(renderer.timeline.events)
    assert "\x1e&lt;root&gt;\x1e" in expected and "<root>" not in expected


def test_a_site_card_template_without_a_via_block_still_shows_the_member(tmp_path: Path):
    write_files(tmp_path, {"templates/_event_card.html": '<p>{{ event.id }}{% if via %} via {{ via }}{% endif %} {{ url_for("event", event.id) }}</p>'})
    renderer = Renderer(card_timeline(), tmp_path)
    plain = renderer.timeline.events_by_id["plain"]
    assert cards_on_pages(renderer, [(plain, None), (plain, "macron")], "../") == (
        '<p>plain ../events/plain/index.html</p><p>plain via macron ../events/plain/index.html</p>'
    )


def test_html_helpers_escape_what_they_show(tmp_path: Path):
    renderer = Renderer(card_timeline(), tmp_path)
    page = renderer.env.from_string(
        "{{ actor_links(['macron', 'france'], filter='actor') }}|{{ tag_links(tags) }}|{{ status_badge('planned') }}"
        "|{{ status_badge('occurred') }}|{{ date_tag(date) }}|{{ source_line(source) }}"
    ).render(root="../", tags=[Tag("a-b", "A & <b>")], date=parse("2017-05~"), source=Source("s", "S", publisher="P & Q"))
    assert page == (
        '<a href="../actors/macron/index.html" data-pagefind-filter="actor">Emmanuel &lt;Macron&gt; &amp; co</a>, '
        '<a href="../actors/france/index.html" data-pagefind-filter="actor">France</a>'
        '|<a class="tag" href="../tags/a-b/index.html">A &amp; &lt;b&gt;</a>'
        '|<strong class="badge badge-planned">Planned</strong>|'
        '|<time class="date is-approximate" datetime="2017-05">c. May 2017</time>'
        '|<span class="publisher">P &amp; Q</span><span class="undated">date not known</span>'
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_templates_compiled_ahead_by_a_child_render_the_site_compiled_here(minimal_site: Path, tmp_path: Path, monkeypatch):
    import os

    import jinja2

    import generator.render as render
    from generator.build import build_site

    parent, compiled_here = os.getpid(), []
    compile_template = jinja2.Environment.compile

    def counted(self, *args, **kwargs):
        if os.getpid() == parent:
            compiled_here.append(args[1] if len(args) > 1 else kwargs.get("name"))
        return compile_template(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    write_files(minimal_site, {"site.yml": (minimal_site / "site.yml").read_text() + "output: ahead\n"})
    assert build_site(minimal_site, use_cache=False, search=False).written is not None
    if (os.cpu_count() or 1) > 1:
        assert compiled_here == []  # every template's code came from the child

    monkeypatch.setattr(render, "start_in_child", lambda work, start=render.start_in_child: start(lambda: {}))  # the child compiles nothing
    write_files(minimal_site, {"site.yml": (minimal_site / "site.yml").read_text().replace("output: ahead", "output: here")})
    assert build_site(minimal_site, use_cache=False, search=False).written is not None
    assert "event.html" in compiled_here
    assert _tree(minimal_site / "ahead") == _tree(minimal_site / "here")
