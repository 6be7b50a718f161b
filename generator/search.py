"""Full-text search: a Pagefind index made from the rendered pages."""
from __future__ import annotations

from typing import Mapping


def search_files(pages: Mapping[str, bytes]) -> tuple[dict[str, bytes], str | None]:
    """The index files to add to the site (path → bytes), and a note when search was skipped."""
    return {}, None
