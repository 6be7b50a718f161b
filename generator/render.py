"""The render stage: planned pages → bytes, through Jinja templates and Markdown.

Content is only ever data handed to templates, never compiled as a template, and
Markdown's HTML is sanitised with an allow-list. Links are relative to the page
(the site works at any sub-path and from disk), so each page knows its `root`.

Each event's card is rendered once and reused by every list that shows it, at any
depth: it is rendered with a placeholder for `root`, which each page replaces with
its own, and the note of the member actor it came through (the card template's "via"
block, which sees only `via` and `root`) is rendered once per member.
"""
from __future__ import annotations

import json
import marshal
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import jinja2
from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from generator import dates, media, views
from generator.dates import EDTF
from generator.model import Event, Source, Tag, Timeline
from generator.markup import Markdown
from generator.parallel import Started, start_in_child
from generator.plan import Listing, Page
from generator.urls import KIND_BY_SINGULAR, event_path, output_path, page_root, term_path
from generator.theme import builtin_dir
from generator.write import WriteError, refuse_links_leaving
from generator.reads import TRACKED, Piece, attribute_read, piece, record, record_all, summary

# `root` while a card renders. Printed content is escaped and Markdown's HTML has no
# such tag, so a raw "<" followed by this cannot come from anything but `root`.
ROOT_MARK = Markup("\x1e<root>\x1e")
VIA_MARK = "\x1e<via>\x1e"  # where a card's "via" block goes
CARD = "_event_card.html"


@dataclass(frozen=True)
class EventHead:
    """What an event's page says of it besides its body, made once per page.

    Not kept with the cards between builds: at 1.8 KB an event (the JSON-LD is most of
    it) it would be larger in the record than the card itself, for a saving of about
    0.1 ms when the page is made again.
    """

    description: str  # the summary as plain text, cut for <meta name="description">
    share: str  # its date and summary, cut, for the Open Graph description
    jsonld: Markup  # the event as schema.org data, for a JSON-LD script
    citation: str  # a ready-to-copy reference to its page


class TrackingEnvironment(jinja2.Environment):
    """A Jinja environment that records what templates read (see `generator.reads`).

    Jinja routes every `a.b` and `a[b]` of a template through `getattr` and `getitem`,
    and every template it looks up (extends, include, import) through `_load_template`.
    `compiled_from` is the digest of the templates' sources its compiled ones were made
    from (`template_errors.templates_digest`; empty before the first build).
    """

    compiled_from = ""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) in TRACKED:
            wrapped = attribute_read(obj, attribute)
            if wrapped is not None:
                return wrapped
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if type(obj) in TRACKED and isinstance(argument, str):
            wrapped = attribute_read(obj, argument)
            if wrapped is not None:
                return wrapped
        return super().getitem(obj, argument)

    def _load_template(self, name: str, globals: Any) -> jinja2.Template:
        record(f"template:{name}")  # found or not: a template added later must be seen
        return super()._load_template(name, globals)


def make_environment(site_root: Path) -> jinja2.Environment:
    """The Jinja environment: the site's templates/ over the theme's.

    Compiled templates are kept in memory only (Jinja's on-disk bytecode would be
    code read back from the site's folder). Jinja does not look at a template's file
    again once it is compiled (at every page, that cost 1.5 % of a cold build's CPU):
    a long-lived process (serve) keeps one environment, whose compiled templates a
    build drops when the sources are not those they were made from (`compiled_from`).
    """
    return TrackingEnvironment(
        auto_reload=False,
        loader=jinja2.FileSystemLoader([str(site_root / "templates"), str(builtin_dir("templates"))]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def forget_other_code(env: jinja2.Environment, templates: str) -> None:
    """Drop what a kept environment (serve's) compiled from other sources than those whose digest is
    `templates`: a theme template that a new site template now overrides, or one saved since a build
    that failed compiled it."""
    if isinstance(env, TrackingEnvironment) and env.compiled_from != templates:
        if env.cache is not None:
            env.cache.clear()
        env.compiled_from = templates


def install_filters(env: jinja2.Environment, markdown: Markdown) -> None:
    """The filters templates use (they must be known when a template is compiled)."""
    env.filters.update(
        markdown=markdown.to_html,
        first_paragraph=markdown.first_paragraph,
        date_text=lambda d: d.display() if d is not None else "",
        jsonld=jsonld,
        inline_markdown=markdown.inline,
    )


class CompiledAhead(jinja2.BytecodeCache):
    """Every template compiled by a forked child while this process loads the site (`compile_ahead`).

    Jinja asks this cache before it compiles a template: the child's code is taken
    when it was compiled from the same name, file and source, else Jinja compiles it
    here. The code passes from the child through a pipe, in memory only (code in the
    site's folder would be code a checkout could plant).
    """

    def __init__(self, started: Started):
        self.started = started

    def compiled(self) -> dict[str, tuple[str, bytes]]:
        """The child's code, waited for (none when the child failed: Jinja compiles here)."""
        try:
            return self.started.result()  # type: ignore[return-value]
        except Exception:
            return {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        found = self.compiled().get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = marshal.loads(found[1])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        pass


def compile_ahead(env: jinja2.Environment, site_root: Path) -> None:
    """Start compiling every template of `env` in a forked child; `env` takes the code from it.

    Compiling the 24 templates takes about 0.4 s, which a one-event build would otherwise
    spend on one core while the other is idle. Call `finish_compiling` when the build ends.
    """
    env.bytecode_cache = CompiledAhead(start_in_child(partial(_compiled_templates, env, site_root)))


def wait_for_compiled(env: jinja2.Environment) -> None:
    """Take the code of `compile_ahead`'s child now (before forking workers, which then have it too)."""
    cache = env.bytecode_cache
    if isinstance(cache, CompiledAhead):
        cache.compiled()


def finish_compiling(env: jinja2.Environment) -> None:
    """Let go of the child of `compile_ahead`, done or not, and of its code."""
    cache = env.bytecode_cache
    if isinstance(cache, CompiledAhead):
        env.bytecode_cache = None
        cache.started.cancel()


def _compiled_templates(env: jinja2.Environment, site_root: Path) -> dict[str, tuple[str, bytes]]:
    """Each template's code (marshalled) by Jinja's cache key, with its source's checksum.

    A template that does not compile is left out: the build compiles it and says what
    is wrong. Nothing is read through a link leading out of the site.
    """
    try:
        refuse_links_leaving(site_root / "templates", site_root)
    except WriteError:
        return {}
    install_filters(env, Markdown())
    keys = jinja2.BytecodeCache()
    compiled = {}
    for name in env.list_templates():
        try:
            source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
            code = env.compile(source, name, filename)
        except Exception:
            continue
        compiled[keys.get_cache_key(name, filename)] = (keys.get_source_checksum(source), marshal.dumps(code))
    return compiled


class Renderer:
    """Renders pages of one Timeline with the site's templates over the built-in ones."""

    def __init__(self, timeline: Timeline, site_root: Path, env: jinja2.Environment | None = None, markdown: Markdown | None = None,
                 derived: views.Views | None = None):
        self.timeline = timeline
        self.markdown = markdown or Markdown()
        # A shared environment (kept by serve across builds) is re-pointed at this Timeline.
        self.env = env or make_environment(site_root)
        install_filters(self.env, self.markdown)
        self.env.globals.update(
            site=timeline.config,
            timeline=timeline,
            href=_href,
            url_for=_url_for,
            card=self._card,
            event_head=self._event_head,
            date_tag=date_tag,
            status_badge=status_badge,
            actor_links=self._actor_links,
            tag_links=tag_links,
            source_line=source_line,
            Precision=dates.Precision,
            image_copies=lambda item: media.image_copies(item.file, item.width, item.height),
            media_path=media.published_path,
            player_url=media.player_url,
            host_of=media.host_of,
        )
        self.env.globals.update(views.template_globals(timeline, derived))  # `derived`: facts the build worked out already
        # Cards by (event id, member it came through): HTML and the keys it read. A build
        # seeds it with the cards of earlier builds whose reads did not change.
        self.cards: dict[tuple[str, str], Piece] = {}
        self._via_notes: dict[str, Piece] = {}
        self._globals: dict[jinja2.Template, dict[str, Any]] = {}
        self._head: dict[str, Piece] = {}  # the last event's, for the page that asks four times

    def render(self, page: Page) -> bytes:
        template = self.env.select_template(list(page.templates))
        root = page_root(page.path, self.timeline.config.base_url)
        events = self.timeline.events_by_id
        variables = {name: value.pairs(events) if type(value) is Listing else value for name, value in page.context.items()}
        context = self._context(template, {**variables, "root": root, "page_path": page.path})
        return _run(template, template.root_render_func(context)).encode("utf-8")  # type: ignore[attr-defined]

    def _context(self, template: jinja2.Template, variables: dict[str, Any]) -> jinja2.runtime.Context:
        """The context template.render(variables) would make, made faster.

        Jinja copies the template's globals, a ChainMap, into every new context key by
        key; a copy made once per template is handed over instead.
        """
        found = self._globals.get(template)
        if found is None:
            found = self._globals[template] = dict(template.globals)
        return template.new_context({**found, **variables}, shared=True)

    @jinja2.pass_context
    def _card(self, context: Any, event: Event, via: str | None = None) -> Markup:
        record(f"template:{CARD}")
        if "via" in self._card_template.blocks:
            card = self._slotted_card(event).replace(VIA_MARK, self._via_note(via) if via else "")
        else:  # a card template of the site's own, without the block: one card per member too
            card = self._piece(event, via or "", lambda: self._render_card(event, via))
        # Links built from `root` were escaped as a whole; the mark stands for its escaped text.
        return Markup(card.replace(ROOT_MARK, escape(context["root"])))

    def _event_head(self, event: Event) -> EventHead:
        """The event's `EventHead`, with what it read recorded."""
        if event.id not in self._head:
            self._head.clear()
        return piece(self._head, event.id, lambda: self._make_head(event))

    def _make_head(self, event: Event) -> EventHead:
        """What `event.html` made with `summary|markdown|striptags|truncate(…)`, `jsonld` and `citation`, with one striptags."""
        record(summary(event.id))
        helpers = self.env.globals
        url = helpers["absolute_url"](event_path(event.id))
        text = self.markdown.to_html(event.summary).striptags()
        return EventHead(
            do_truncate(self.env, text, 300),
            f"{event.date.display()}. {do_truncate(self.env, text, 280)}",
            jsonld(helpers["event_jsonld"](event, url)),
            helpers["citation"](event, url),
        )

    @cached_property
    def _card_template(self) -> jinja2.Template:
        return self.env.get_template(CARD)

    def _piece(self, event: Event, via: str, make: Callable[[], str]) -> str:
        """A card made once (per member it came through); its reads go into every page that shows it."""
        return piece(self.cards, (event.id, via), make)

    def _render_card(self, event: Event, via: str | None, via_slot: bool = False) -> str:
        """The card of `event`; with `via_slot`, VIA_MARK in place of its "via" block."""
        record(f"template:{CARD}")  # the template is looked up once per build: its read is noted here
        template = self._card_template
        context = self._context(template, {"event": event, "root": ROOT_MARK, "via": via})
        if via_slot:
            context.blocks["via"] = [_via_mark]
        return _run(template, template.root_render_func(context))  # type: ignore[attr-defined]

    def make_cards(self, events: Iterable[Event]) -> None:
        """The cards of these events made ahead, for the pages that will paste them (when the card
        template has its "via" block: else a card depends on the page that shows it)."""
        if "via" not in self._card_template.blocks:
            return
        for event in events:
            self._slotted_card(event)

    def _slotted_card(self, event: Event) -> str:
        """The event's one card for every member it comes through, VIA_MARK where its "via" block goes."""
        return self._piece(event, "", lambda: self._render_card(event, None, via_slot=True))

    def _via_note(self, via: str) -> str:
        """The card template's "via" block for one member actor, made once."""
        return piece(self._via_notes, via, lambda: self._render_via(via))

    def _render_via(self, via: str) -> str:
        record(f"template:{CARD}")
        template = self._card_template
        context = self._context(template, {"via": via, "root": ROOT_MARK})
        return _run(template, template.blocks["via"](context))  # type: ignore[attr-defined]

    @jinja2.pass_context
    def _actor_links(self, context: Any, ids: Iterable[str], filter: str | None = None) -> Markup:
        """Links to actors by name, comma-separated; `filter` names their Pagefind filter."""
        root, actors = escape(context["root"]), self.timeline.actors
        ids = tuple(ids)
        record_all(f"a:{actor_id}" for actor_id in ids)
        extra = f' data-pagefind-filter="{escape(filter)}"' if filter else ""
        return Markup(", ".join(
            f'<a href="{root}{escape(term_path("actor", actor_id))}"{extra}>{escape(actors[actor_id].name)}</a>' for actor_id in ids
        ))


# HTML pieces on almost every page and card, made in Python: as Jinja macros they
# took about half the time of a card. _macros.html exports them under the same
# names, for templates that import them from there.

def date_tag(date: EDTF) -> Markup:
    """A date as a <time> element; its qualifiers become classes."""
    classes = "date"
    if date.approximate:
        classes += " is-approximate"
    if date.uncertain:
        classes += " is-uncertain"
    if date.is_interval:
        classes += " is-interval"
    if date.is_window:
        classes += " is-window"
    return Markup(f'<time class="{classes}" datetime="{escape(views.html_datetime(date))}">{escape(date.display())}</time>')


def status_badge(status: str) -> Markup:
    """A badge for an event that did not simply occur ("Planned", "Disputed"); nothing otherwise."""
    if status == "occurred":
        return Markup("")
    return Markup(f'<strong class="badge badge-{escape(status)}">{escape(status.capitalize())}</strong>')


def source_line(source: Source) -> Markup:
    """Who published a source, who wrote it and when."""
    record(f"s:{source.id}")
    parts = []
    if source.publisher:
        parts.append(f'<span class="publisher">{escape(source.publisher)}</span>')
    if source.author:
        parts.append(f'<span class="author">{escape(source.author)}</span>')
    parts.append(date_tag(source.published) if source.published else '<span class="undated">date not known</span>')
    return Markup("".join(parts))


@jinja2.pass_context
def tag_links(context: Any, tags: Iterable[Tag], filter: str | None = None) -> Markup:
    """Links to tags, comma-separated; `filter` names their Pagefind filter."""
    root = escape(context["root"])
    extra = f' data-pagefind-filter="{escape(filter)}"' if filter else ""
    return Markup(", ".join(
        f'<a class="tag" href="{root}{escape(term_path("tag", tag.slug))}"{extra}>{escape(tag.label)}</a>' for tag in tags
    ))


def _run(template: jinja2.Template, pieces: Iterator[str]) -> str:
    """The output of one of the template's render functions, as Template.render returns it."""
    try:
        return template.environment.concat(pieces)  # type: ignore[attr-defined]
    except Exception:
        template.environment.handle_exception()  # raises, with the template's lines in the traceback


def _via_mark(context: Any) -> Iterator[str]:
    yield VIA_MARK


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
        path = event_path(key)
    else:
        path = KIND_BY_SINGULAR[kind].path(str(key))
    return context["root"] + output_path(path)


def jsonld(value: Any) -> Markup:
    """JSON safe to place inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
