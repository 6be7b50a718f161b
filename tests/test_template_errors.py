"""A site's broken templates: file and line for each, no traceback, the last good site kept."""
from pathlib import Path

import pytest

from generator.cli import main

from conftest import write_files
from test_build import snapshot

EVENT_SYNTAX = '{% extends "base.html" %}\n{% block main %}{{ event.title }\n{% endblock %}\n'
HOME_SYNTAX = '{% if x %}\n<p>never closed</p>\n'
UNKNOWN_FIELD = '{% extends "base.html" %}\n{% block main %}\n<p>{{ event.nothing.more }}</p>\n{% endblock %}\n'


def test_every_syntax_error_is_reported_with_its_file_and_line_and_nothing_is_written(minimal_site: Path, capsys):
    assert main(["build", "--site", str(minimal_site)]) == 0
    before = snapshot(minimal_site / "_site")
    capsys.readouterr()
    write_files(minimal_site, {"templates/event.html": EVENT_SYNTAX, "templates/home.html": HOME_SYNTAX})
    assert main(["build", "--site", str(minimal_site)]) == 1
    err = capsys.readouterr().err
    assert "templates/event.html:2: unexpected '}'" in err
    assert "templates/home.html:2: Unexpected end of template" in err
    assert "Traceback" not in err and "nothing written" in err
    assert snapshot(minimal_site / "_site") == before


def test_an_error_while_rendering_names_the_template_line_and_the_page(minimal_site: Path, capsys):
    write_files(minimal_site, {"templates/event.html": UNKNOWN_FIELD})
    assert main(["build", "--site", str(minimal_site)]) == 1
    err = capsys.readouterr().err
    assert "templates/event.html:3:" in err and "has no attribute 'nothing'" in err
    assert "(while making events/" in err and "Traceback" not in err
    assert not (minimal_site / "_site").exists()


@pytest.mark.parametrize("call", ["time_view(timeline.events)", "by_year(3)", "plural()"])
def test_a_helper_handed_what_it_cannot_take_is_reported_at_the_templates_line(minimal_site: Path, capsys, call: str):
    """A site's template that calls a helper wrongly fails in the helper's Python: still a message, not a traceback."""
    assert main(["build", "--site", str(minimal_site)]) == 0
    before = snapshot(minimal_site / "_site")
    capsys.readouterr()
    write_files(minimal_site, {"templates/actor.html": f'{{% extends "term.html" %}}\n{{% block before %}}\n{{{{ {call} }}}}\n{{% endblock %}}\n'})
    assert main(["build", "--site", str(minimal_site)]) == 1
    err = capsys.readouterr().err
    assert "templates/actor.html:3: " in err and "(while making actors/" in err and "cannot take" in err
    assert "Traceback" not in err and "nothing written" in err
    assert snapshot(minimal_site / "_site") == before


def test_check_reports_template_syntax_errors_beside_content_diagnostics(minimal_site: Path, capsys):
    write_files(minimal_site, {"templates/home.html": HOME_SYNTAX})
    assert main(["check", "--site", str(minimal_site)]) == 1
    err = capsys.readouterr().err
    assert "templates/home.html:2:" in err and "1 error" in err


def test_check_accepts_a_site_template_that_uses_the_themes_filters(minimal_site: Path, capsys):
    write_files(minimal_site, {"templates/event.html": '{% extends "base.html" %}\n{% block main %}{{ event.summary|markdown }}{% endblock %}\n'})
    assert main(["check", "--site", str(minimal_site)]) == 0
    assert main(["build", "--site", str(minimal_site)]) == 0
