"""Markdown to HTML, sanitised with an allow-list: the one place content text becomes HTML."""
from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup, escape

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "h3", "h4", "h5", "h6",
    "hr", "i", "ins", "li", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "ul",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}
INLINE_TAGS = {"a", "abbr", "b", "cite", "code", "del", "em", "i", "ins", "q", "s", "small", "strong", "sub", "sup"}


# Text in which Markdown (with its "extra" extensions) and HTML find nothing to do but
# emphasis, strong emphasis and links to web pages, written the plainest way: lines of
# letters, digits, spaces and punctuation that no syntax starts with, each line beginning
# with a letter (so no list, heading, code block or definition) and ending with neither
# space (a trailing pair is a line break) nor anything but those; `*a*`, `**a**` and
# `[a](https://…)` around plain words, after a space, a bracket or a line's start (so no
# image, `![a](…)`). Its HTML is its paragraphs, each in <p>, with those spans as the
# converter and the sanitiser would give them, byte for byte (tests/test_plain_text.py).
_MARKS = r".,;:?!'\"()/%‘’“”«»–—…-"  # punctuation no syntax starts with ("-" last: not a range in a class)
_PUNCTUATION = rf"[ {_MARKS}]"
_PLAIN_CHARS = rf"[^\W_]|{_PUNCTUATION}"
_SPAN_WORDS = rf"[^\W_](?:(?:{_PLAIN_CHARS})*[^\W_])?"  # begins and ends with a letter or digit
_WEB_ADDRESS = r"https?://[A-Za-z0-9._~/?#=%+,:;@!$-]+"
_SPAN = re.compile(
    rf"(?=[\[*])(?<![^\s(])(?:\[(?P<text>{_SPAN_WORDS})\]\((?P<href>{_WEB_ADDRESS})\)"
    rf"|\*\*(?P<strong>{_SPAN_WORDS})\*\*(?![\w*])|\*(?P<em>{_SPAN_WORDS})\*(?![\w*]))"
)
_LINE_START = r"(?=\*{0,2}[^\W\d_]|\[[^\W\d_])"
# In runs, each taken whole (no span starts with a letter or a punctuation mark): four times faster.
_SIMPLE_LINE = rf"{_LINE_START}(?:[^\W_]++|{_PUNCTUATION}++|{_SPAN.pattern})*+(?<=[^\W_]|[*{_MARKS}])"
_SIMPLE_TEXT = re.compile(rf"\n*(?:{_SIMPLE_LINE}(?:\n+|\Z))+")
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")


def _span_html(span: re.Match) -> str:
    if span["href"] is not None:
        return f'<a href="{span["href"]}" rel="noopener nofollow">{span["text"]}</a>'
    return f"<strong>{span['strong']}</strong>" if span["strong"] is not None else f"<em>{span['em']}</em>"


def simple_html(text: str) -> str | None:
    """The HTML of text with no Markdown or HTML syntax but plain emphasis and links: its paragraphs in <p>
    (none for an empty text); None for any other text."""
    if not text.strip("\n"):
        return ""
    if not _SIMPLE_TEXT.fullmatch(text):
        return None
    return "\n".join(f"<p>{_SPAN.sub(_span_html, paragraph)}</p>" for paragraph in _PARAGRAPH_BREAK.split(text.strip("\n")))


class Markdown:
    """Markdown to sanitised HTML, each distinct text converted once.

    `store` maps texts to HTML converted before (a build keeps it between runs in its
    cache); new conversions are added to it.
    """

    def __init__(self, store: dict[str, str] | None = None) -> None:
        self._converter: markdown.Markdown | None = None
        self.store = store if store is not None else {}
        self.to_html = lru_cache(maxsize=None)(self._convert)

    def _convert(self, text: str) -> Markup:
        clean = self.store.get(text)
        if clean is None:
            clean = simple_html(text)  # the same bytes, without the cost
        if clean is None:  # kept as Markup: the store and the cache of to_html share one copy
            clean = self.store[text] = Markup(self.converted(text))
        return clean if type(clean) is Markup else Markup(clean)

    def converted(self, text: str) -> str:
        """`text` through Markdown and the sanitiser, whatever it holds."""
        if self._converter is None:  # made on first use: an edit build whose texts are all plain or stored needs none
            # Its extensions load through entry points (importlib.metadata, and Pygments where installed).
            self._converter = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
        try:
            html = self._converter.reset().convert(text)
        except RecursionError:  # nesting the checker bounds; should it get through, show the text as written
            html = f"<p>{escape(text)}</p>"
        return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener nofollow")

    def inline(self, text: str) -> Markup:
        """Markdown for a line of text (a caption): its emphasis, code and links, without paragraphs or lists."""
        html = str(self.to_html(text))
        return Markup(nh3.clean(html, tags=INLINE_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener nofollow").strip())

    def first_paragraph(self, text: str) -> Markup:
        html = str(self.to_html(text))
        match = re.search(r"<p>.*?</p>", html, re.DOTALL)
        return Markup(match.group(0) if match else html)
