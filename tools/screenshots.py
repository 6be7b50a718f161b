"""Screenshots of a built site for docs/screenshots: home, a year, an actor, a tag, an event and an event's media.

Usage: python tools/screenshots.py SITE_FOLDER [OUT_FOLDER] [--only NAME]

Each page is shot at 1280 and 390 pixels wide, in light, dark and print media, as
PNG of the first screen only, reduced to a 128-colour palette with Pillow so the files
stay small. Needs Playwright and Chromium at /usr/bin/chromium, like the browser tests.
"""
from __future__ import annotations

import argparse
import re
import json
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
SIZES = {"1280": (1280, 900), "390": (390, 844)}
MODES = ("light", "dark", "print")


def chosen_pages(site: Path) -> dict[str, str]:
    """Home, the busiest year, actor and tag, and the first key event (else the first event)."""
    events = json.loads((site / "events.json").read_text())
    events = events.get("events", events) if isinstance(events, dict) else events
    def busiest(folder: str) -> str:
        pages = [p for p in (site / folder).glob("*/index.html")]
        return max(pages, key=lambda p: (p.stat().st_size, p.as_posix())).relative_to(site).as_posix()
    years = sorted(p for p in site.glob("[0-9][0-9][0-9][0-9]/index.html"))
    year = max(years, key=lambda p: p.stat().st_size).relative_to(site).as_posix()
    marked = re.search(r'id="e-([a-z0-9-]+)" class="card[^"]*is-key', (site / "index.html").read_text())
    key = {"id": marked.group(1)} if marked else events[0]
    pages = {
        "home": "index.html", "year": year, "actor": busiest("actors"), "tag": busiest("tags"),
        "event": f"events/{key['id']}/index.html",
    }
    pictured = sorted(p for p in (site / "events").glob("*/index.html") if 'class="media media-image"' in p.read_text())
    if pictured:  # an event's media, shot where they begin
        pages["media"] = pictured[0].relative_to(site).as_posix()
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path, nargs="?", default=Path("docs/screenshots"))
    parser.add_argument("--only", help="shoot only this page (home, year, actor, tag, event, media)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    pages = chosen_pages(args.site)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for name, path in pages.items():
            if args.only and name != args.only:
                continue
            for size, (width, height) in SIZES.items():
                for mode in MODES:
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.emulate_media(color_scheme="dark" if mode == "dark" else "light", media="print" if mode == "print" else "screen")
                    page.goto((args.site / path).resolve().as_uri())
                    if name == "media":
                        page.evaluate("document.querySelector('.event-media').scrollIntoView({behavior: 'instant'})")
                        page.wait_for_function("Array.from(document.querySelectorAll('.event-media img')).every(img => img.complete)")
                    target = args.out / f"{name}-{size}-{mode}.png"
                    page.screenshot(path=str(target))
                    Image.open(target).convert("RGB").quantize(128).save(target, optimize=True)
                    page.close()
                    print(target, target.stat().st_size)
        browser.close()


if __name__ == "__main__":
    main()
