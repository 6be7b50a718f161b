"""The format documentation names every declared field, so the two cannot drift apart."""
import re

import pytest

from generator.schema import ACTOR_FIELDS, CITATION, CORRECTION, EVENT_FIELDS, MEDIA, PLACE_FIELDS, QUOTE, ROLE, SITE_FIELDS, SOURCE_FIELDS

from conftest import REPO

DOC = (REPO / "docs" / "content-format.md").read_text()


@pytest.mark.parametrize("fields", [SITE_FIELDS, EVENT_FIELDS, ACTOR_FIELDS, SOURCE_FIELDS, PLACE_FIELDS, CITATION.fields, QUOTE.fields, ROLE.fields, CORRECTION.fields, MEDIA.fields])
def test_every_field_has_a_row_with_its_help(fields):
    for declared in fields:
        row = re.search(rf"^\| `{re.escape(declared.name)}` \| (yes|no) \|.*\| {re.escape(declared.help)} \|$", DOC, re.MULTILINE)
        assert row, f"docs/content-format.md has no row for {declared.name}"
        assert row.group(1) == ("yes" if declared.required else "no")
