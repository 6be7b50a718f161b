"""Embeddable chronologies of an actor and a tag, and the snippets that hand them out."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from test_pages import build, broken_links, parse, rich_site


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    site = rich_site(tmp_path_factory.mktemp("embed") / "site")
    return build(site, site.parent / "out", base_url="https://example.org/syria/")


@pytest.mark.parametrize("path,name", [("actors/france/", "France"), ("tags/chemical-weapons/", "Chemical weapons")])
def test_an_actor_and_a_tag_have_an_embeddable_chronology(out: Path, path: str, name: str):
    embed = parse(out / "embed" / path / "index.html")
    own = parse(out / path / "index.html")
    assert embed.tags["base"] == 1 and embed.classes["tv-svg"] == 1
    assert embed.classes["card"] == own.classes["card"] > 0  # the same events as the term's own page
    assert "site-nav" not in embed.classes  # no navigation of the site in someone else's page
    text = (out / "embed" / path / "index.html").read_text()
    assert f"<title>{name} · Minimal test site</title>" in text
    assert f'<link rel="canonical" href="https://example.org/syria/{path}">' in text


@pytest.mark.parametrize("path,name", [("actors/france/", "France"), ("tags/chemical-weapons/", "Chemical weapons")])
def test_the_term_page_offers_a_snippet_to_copy(out: Path, path: str, name: str):
    text = (out / path / "index.html").read_text()
    snippet = html.unescape(re.search(r'<details class="embed-snippet">.*?<pre class="citation">(.*?)</pre>', text, re.DOTALL).group(1))
    assert snippet == (
        f'<iframe src="https://example.org/syria/embed/{path}index.html" title="Minimal test site: {name}" '
        'width="100%" height="640" loading="lazy" style="border:0"></iframe>'
    )


def test_years_sources_and_places_have_no_embed_page(out: Path):
    assert sorted(p.name for p in (out / "embed").iterdir()) == ["actors", "index.html", "tags"]
    assert "embed-snippet" not in (out / "sources/afp-red-line/index.html").read_text()


def test_a_title_with_quotes_is_escaped_in_the_snippet(tmp_path: Path):
    site = rich_site(tmp_path / "site")
    (site / "site.yml").write_text((site / "site.yml").read_text().replace("title: Minimal test site", 'title: \'Syria "now" & then\''))
    out = build(site, tmp_path / "out")
    text = (out / "actors/france/index.html").read_text()
    snippet = html.unescape(re.search(r'<pre class="citation">(&lt;iframe.*?)</pre>', text).group(1))
    assert 'title="Syria &#34;now&#34; &amp; then: France"' in snippet
    assert 'src="../../embed/actors/france/index.html"' in snippet and "base_url" in text  # without base_url: said so
    assert broken_links(out)[0] == []
