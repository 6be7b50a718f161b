"""Rendering: content is data, never code; Markdown's HTML is sanitised; links are relative."""
from pathlib import Path

import pytest

from generator.cli import main
from generator.render import Markdown, page_root

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
