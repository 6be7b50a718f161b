"""A real Chromium page reloads by itself after an edit while `timeline serve` runs."""
import io
from pathlib import Path

from generator.serve import DevServer


def test_open_page_reloads_after_an_edit(browser, minimal_site: Path):
    server = DevServer(minimal_site, port=0, log=io.StringIO()).start()
    try:
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("response", lambda response: errors.append(f"{response.status} {response.url}") if response.status >= 400 else None)
        page.goto(server.url + "events/red-line/index.html")
        page.wait_for_function("document.title.includes('Macron draws a red line')")
        page.evaluate("window.__marker = 'before reload'")
        path = minimal_site / "content/events/red-line.yml"
        path.write_text(path.read_text().replace("title: Macron draws a red line on chemical weapons", "title: Edited while open"))
        page.wait_for_function("document.title.includes('Edited while open')", timeout=20_000)
        assert page.evaluate("window.__marker === undefined")  # a real reload, not a patch
        assert errors == []
        page.close()
    finally:
        server.stop()
