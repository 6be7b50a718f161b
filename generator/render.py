"""The render stage: planned pages → bytes, through Jinja templates and Markdown.

Content is only ever data handed to templates, never compiled as a template, and
Markdown's HTML is sanitised with an allow-list. Links are relative to the page
(the site works at any sub-path and from disk), so each page knows its `root`.
Each event's card is rendered once per depth and reused by every list that shows it.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import jinja2
import markdown
import nh3
from markupsafe import Markup

from generator import dates, views
from generator.model import Event, Timeline
from generator.plan import KIND_BY_SINGULAR, Page, output_path

PACKAGE = Path(__file__).resolve().parent
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "h3", "h4", "h5", "h6",
    "hr", "i", "ins", "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "ul",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}


def builtin_dir(name: str) -> Path:
    """The theme's templates/ or static/: inside the installed package, or beside it in a checkout."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name


class Markdown:
    """Markdown to sanitised HTML, each distinct text converted once.

    `store` maps texts to HTML converted before (a build keeps it between runs in its
    cache); new conversions are added to it.
    """

    def __init__(self, store: dict[str, str] | None = None) -> None:
        self._converter = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
        self.store = store if store is not None else {}
        self.to_html = lru_cache(maxsize=None)(self._convert)

    def _convert(self, text: str) -> Markup:
        clean = self.store.get(text)
        if clean is None:
            html = self._converter.reset().convert(text)
            clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener nofollow")
            self.store[text] = clean
        return Markup(clean)

    def first_paragraph(self, text: str) -> Markup:
        html = str(self.to_html(text))
        match = re.search(r"<p>.*?</p>", html, re.DOTALL)
        return Markup(match.group(0) if match else html)


def page_root(path: str, base_url: str) -> str:
    """The relative way back to the site's root from a page at `path`."""
    if path == "404.html":  # served at any depth: only an absolute root works
        return base_url or "/"
    return "../" * output_path(path).count("/")


def make_environment(site_root: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja environment: the site's templates/ over the theme's.

    Compiled templates are kept in `cache_dir` (keyed by their source), so a build
    does not compile again what the last one compiled. A long-lived process (serve)
    keeps one environment; Jinja recompiles a template when its file changes.
    """
    bytecode = None
    if cache_dir is not None:
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(cache_dir))
        except OSError:
            bytecode = None  # a read-only site still builds, only slower
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(site_root / "templates"), str(builtin_dir("templates"))]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=bytecode,
    )


class Renderer:
    """Renders pages of one Timeline with the site's templates over the built-in ones."""

    def __init__(self, timeline: Timeline, site_root: Path, env: jinja2.Environment | None = None, markdown: Markdown | None = None):
        self.timeline = timeline
        self.markdown = markdown or Markdown()
        # A shared environment (kept by serve across builds) is re-pointed at this Timeline.
        self.env = env or make_environment(site_root)
        self.env.filters.update(
            markdown=self.markdown.to_html,
            first_paragraph=self.markdown.first_paragraph,
            date_text=lambda d: d.display() if d is not None else "",
            jsonld=jsonld,
        )
        self.env.globals.update(
            site=timeline.config,
            timeline=timeline,
            href=_href,
            url_for=_url_for,
            card=self._card,
            Precision=dates.Precision,
        )
        self.env.globals.update(views.template_globals(timeline))
        self.cards: dict[tuple[str, str, str], str] = {}  # a build may seed it with cards made before
        self.card_key: Callable[[Event], str] = lambda event: event.id

    def render(self, page: Page) -> bytes:
        template = self.env.select_template(list(page.templates))
        context = {**page.context, "root": page_root(page.path, self.timeline.config.base_url), "page_path": page.path}
        return template.render(context).encode("utf-8")

    @jinja2.pass_context
    def _card(self, context: Any, event: Event, via: str | None = None) -> Markup:
        root = context["root"]
        key = (self.card_key(event), root, via or "")
        card = self.cards.get(key)
        if card is None:
            card = self.cards[key] = self.env.get_template("_event_card.html").render(event=event, root=root, via=via)
        return Markup(card)


@jinja2.pass_context
def _href(context: Any, path: str) -> str:
    """A site path ("events/x/", "feed.xml") as a link relative to the current page."""
    return context["root"] + output_path(path)


@jinja2.pass_context
def _url_for(context: Any, kind: str, key: Any = None) -> str:
    """A link to a thing of the site: url_for("event", id), url_for("actor", id), url_for("home")."""
    if kind == "home":
        path = ""
    elif kind == "event":
        path = f"events/{key}/"
    else:
        path = KIND_BY_SINGULAR[kind].path(str(key))
    return context["root"] + output_path(path)


def jsonld(value: Any) -> Markup:
    """JSON safe to place inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
