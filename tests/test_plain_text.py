"""The fast path of Markdown: text with no syntax but plain emphasis and links skips the converter and the sanitiser, with the same bytes."""
from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from generator.markup import Markdown, simple_html

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("Ceasefire", "talks", "élan", "Zoltán", "東京", "2017", "x", "U.N.", "co-operation", "50%", "a/b", "it's", '"quoted"', "(aside)", "end.", "why?", "no!", "ratio:", "semi;", "²",
         "Russian–Turkish", "—", "l’ONU", "« dit »", "“so”", "wait…")
SYNTAX = ("*", "_", "`", "[", "]", "<", ">", "&", "#", "|", "\\", "~", "+", "=", "{", "}", "^", "  ", "\t", "\r", "1.", "-", ":", "    ", "\xa0", "&amp;", "<b>", "---", "===")

# Texts the fast path must take, and texts it must leave to the converter (each gives other HTML).
PLAIN = (
    "",
    "\n\n",
    "Hello world",
    "Line one\nline two\n\n\nPara two\n",
    "\n\nLeading and trailing blank lines\n\n",
    'A "quoted" word, it\'s (aside) 50% a/b; c: d? e! f-g -- h...',
    "Élan, École, 東京, Zoltán and 2017.",
    "Paris meets **convoy talks**, according to [The Guardian](https://news.example.org/a-b_c?d=1#e).\n\nInvolved: *x*.",
    "**Lead** words (*aside*) and [a link](http://example.org/) end **here**.",
    "*Em* first\n[Link](https://x.org/%20) first",
)
SYNTAX_TEXTS = (
    "trailing  \nbreak", "1. a list", "- a list", "Title\n=====", "Title\n-----", "a & b", "snake_case", "a**b**c",
    "Term\n: definition", "    code", "x | y", "a <b>tag</b>", "# Heading", "> quote", "a\xa0b", "[link](ftp://x)",
    "Wow![image](https://x.org/a.png)", "a [b *c*](https://x.org) d", "a [b](https://x.org/?a&b)",
    "a [b](https://x.org \"title\")", "a **b *c* d**", "a ** b **", "a *b **c** d*", "a [b] (https://x.org)", "1. [a](https://x.org)",
)
# Pieces of the spans the fast path takes, and of near misses, for texts made of them.
SPANS = (
    "**", "*", "[", "](", ")", "](https://x.org/a)", "[The Guardian](https://news.example.org/a-b_c?d=1#e)", "**bold words**",
    "*em*", "**2017**", "[x](http://x.org)", "![y](https://x.org/y.png)", "[a **b**](https://x.org)", "(*aside*)",
    "[c](https://x.org/(d))", "[e](HTTPS://x.org)", "[f](https://x.org/g h)", "*i**", "**j*", "*k*l", "m**n**",
)
MARKDOWN = Markdown()


def _same_as_converter(text: str) -> None:
    assert str(Markdown().to_html(text)) == MARKDOWN.converted(text), repr(text)


def test_the_fast_path_takes_plain_text_and_leaves_syntax():
    for text in PLAIN:
        assert simple_html(text) is not None, repr(text)
        _same_as_converter(text)
    for text in SYNTAX_TEXTS:
        assert simple_html(text) is None, repr(text)
        _same_as_converter(text)


def _line(words: list[str]) -> str:
    return " ".join(words)


text_pieces = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(SYNTAX), st.text(max_size=6)), min_size=1, max_size=12)
# A line of a plain text begins with a letter (one that begins with a digit may be a list item).
plain_lines = st.tuples(st.sampled_from([word for word in WORDS if word[0].isalpha()]), st.lists(st.sampled_from(WORDS), max_size=9)).map(
    lambda words: _line([words[0], *words[1]]))
plain_texts = st.tuples(
    st.sampled_from(("", "\n", "\n\n")),
    st.lists(st.tuples(plain_lines, st.sampled_from(("\n", "\n\n", "\n\n\n"))), min_size=1, max_size=6),
    st.sampled_from(("", "\n", "\n\n")),
).map(lambda parts: parts[0] + "".join(line + gap for line, gap in parts[1])[:-1] + parts[2])


span_pieces = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(SPANS), st.sampled_from(SYNTAX)), min_size=1, max_size=12)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(plain_texts, text_pieces.map("".join), text_pieces.map(" ".join), text_pieces.map("\n".join)))
def test_any_text_gives_the_converters_bytes(text):
    _same_as_converter(text)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(span_pieces.map("".join), span_pieces.map(" ".join), span_pieces.map("\n".join), span_pieces.map("\n\n".join)))
def test_texts_with_spans_and_near_misses_give_the_converters_bytes(text):
    _same_as_converter(text)


# Spans the fast path takes, set among words with spaces.
TAKEN_SPANS = ("**bold words**", "*em*", "[The Guardian](https://news.example.org/a-b_c?d=1#e)", "[x](http://x.org)", "(*aside*)",
               "**2017**", "*Élan*", "([Reuters](https://x.org/a/b/))", "**a (b), c**")
simple_lines = st.tuples(
    st.sampled_from([word for word in WORDS + TAKEN_SPANS if word.lstrip("*[")[0].isalpha()]),
    st.lists(st.sampled_from(WORDS + TAKEN_SPANS), max_size=9),
).map(lambda words: _line([words[0], *words[1]]))
simple_texts = st.lists(st.tuples(simple_lines, st.sampled_from(("\n", "\n\n"))), min_size=1, max_size=4).map(
    lambda lines: "".join(line + gap for line, gap in lines))


@settings(max_examples=300, deadline=None)
@given(st.one_of(plain_texts, simple_texts))
def test_varied_plain_texts_take_the_fast_path(text):
    assert simple_html(text) is not None, repr(text)
    _same_as_converter(text)


def test_every_text_of_the_shipped_sites_gives_the_converters_bytes():
    """Summaries and descriptions as authors write them: those of the default content and the test sites."""
    texts = []
    for path in [*ROOT.glob("content/**/*.yml"), *ROOT.glob("tests/sites/**/*.yml")]:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue  # the sites of bad input
        if isinstance(data, dict):
            texts += [value for key, value in data.items() if key in ("summary", "description") and isinstance(value, str)]
    assert len(texts) > 20
    for text in texts:
        _same_as_converter(text)
    assert any(simple_html(text) is not None for text in texts)
