"""The media files events use, as outputs of the build: each image in its responsive widths, other files as they are.

Each copy is an export of its own that reads only `media:<file>` (the digest of the
source file's bytes), so the record keeps it from build to build and an image is
resized again only when its bytes change (or a new width is wanted).
"""
from __future__ import annotations

from functools import partial
from typing import Iterator

from generator.exports.common import ExportTools
from generator.media import MEDIA_FOLDER, published_path, resized_bytes, resized_path, widths_for
from generator.model import Timeline
from generator.reads import record


def media_outputs(timeline: Timeline) -> Iterator[tuple[str, object]]:
    """(site path, maker) for every media file of the events, each once, in the events' order."""
    seen: set[str] = set()
    for event in timeline.events:
        for item in event.media:
            if not item.file or item.file in seen:
                continue
            seen.add(item.file)
            if item.kind == "image":
                for width in widths_for(item.width):
                    yield resized_path(item.file, width), partial(resized_image, item.file, width)
            else:
                yield published_path(item.file), partial(media_file, item.file)


def resized_image(file: str, width: int, timeline: Timeline, tools: ExportTools) -> bytes:
    record(f"media:{file}")
    return resized_bytes(_source(tools, file), width)


def media_file(file: str, timeline: Timeline, tools: ExportTools) -> bytes:
    record(f"media:{file}")
    return _source(tools, file).read_bytes()


def _source(tools: ExportTools, file: str):
    if tools.site_root is None:
        raise ValueError("media files are made only in a build, which knows the site's folder")
    return tools.site_root / MEDIA_FOLDER / file
