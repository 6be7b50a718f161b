"""The command line: exit codes, output formats, no tracebacks."""
import json
import subprocess
import sys
from pathlib import Path

from generator.cli import main

from conftest import write_files


def test_clean_site_exits_0(minimal_site: Path, capsys):
    assert main(["check", "--site", str(minimal_site)]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().err


def test_content_error_exits_1_with_path_line_column(minimal_site: Path, capsys):
    write_files(minimal_site, {"content/events/bad.yml": "title: yes\n"})
    assert main(["check", "--site", str(minimal_site)]) == 1
    err = capsys.readouterr().err
    assert "content/events/bad.yml:1:8: error: title: expected text" in err  # at the value
    assert err.strip().splitlines()[-1].startswith("5 errors")


def test_warning_fails_only_with_strict(minimal_site: Path, capsys):
    write_files(minimal_site, {"content/sources/unread.yml": "title: Unread\n"})
    assert main(["check", "--site", str(minimal_site)]) == 0
    assert main(["check", "--strict", "--site", str(minimal_site)]) == 1
    assert "[--strict]" in capsys.readouterr().err


def test_site_yml_error_exits_2(minimal_site: Path):
    (minimal_site / "site.yml").write_text("titel: x\n")
    assert main(["check", "--site", str(minimal_site)]) == 2


def test_missing_site_yml_exits_2(tmp_path: Path, capsys):
    assert main(["check", "--site", str(tmp_path)]) == 2
    assert "no site.yml" in capsys.readouterr().err


def test_json_and_github_formats(minimal_site: Path, capsys):
    write_files(minimal_site, {"content/events/bad.yml": "title: yes\n"})
    main(["check", "--format", "json", "--site", str(minimal_site)])
    found = json.loads(capsys.readouterr().out)
    assert {"severity", "message", "path", "line", "column"} <= set(found[0])
    main(["check", "--format", "github", "--site", str(minimal_site)])
    assert "::error file=content/events/bad.yml,line=1,col=1::" in capsys.readouterr().err


def test_python_m_generator_and_usage_error(minimal_site: Path):
    done = subprocess.run([sys.executable, "-m", "generator", "check", "--site", str(minimal_site)], capture_output=True, text=True)
    assert done.returncode == 0
    usage = subprocess.run([sys.executable, "-m", "generator", "frobnicate"], capture_output=True, text=True)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def test_the_process_ends_with_its_output_written_and_its_exit_code(minimal_site: Path):
    """The command line ends its process without tearing the heap down: what it printed to a pipe is all there."""
    (minimal_site / "content/events/bad.yml").write_text("title: [unclosed\n")
    found = subprocess.run([sys.executable, "-m", "generator", "check", "--format", "json", "--site", str(minimal_site)],
                           capture_output=True, text=True)
    assert found.returncode == 1
    assert any(d["path"] == "content/events/bad.yml" for d in json.loads(found.stdout))


# --- fuzzing: random event files, valid and broken -----------------------------------

import shutil
import tempfile

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL

scalars = st.one_of(
    st.text(max_size=30), st.integers(-10**6, 10**6), st.booleans(), st.none(), st.floats(allow_nan=False),
    st.sampled_from(["2017-05-29", "2017-05", "2017", "2018-02-30", "05/06/2018", "2017-05-24/2017-05-25", "2017-05~",
                     "france", "emmanuel-macron", "Macron", "afp-red-line", "red-line", "../x", "yes", ""]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["by", "text", "source", "note", "x"]), inner, max_size=3), max_leaves=8)
fields = st.sampled_from(["title", "date", "summary", "actors", "sources", "tags", "location", "quotes", "date_note", "status", "related", "draft", "id", "titel"])
valid_event = st.fixed_dictionaries({
    "title": st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(lambda t: t.strip()),
    "date": st.sampled_from(["2017-05-29", "2017-05", "2016", "2017-05-24/2017-05-25", "2017-05~", "2017-05-29T14:30+02:00"]),
    "actors": st.lists(st.sampled_from(["france", "emmanuel-macron", "Macron"]), min_size=1, max_size=2, unique=True),
    "summary": st.text(min_size=1, max_size=200).filter(lambda t: t.strip()),
    "sources": st.just(["afp-red-line"]),
    "tags": st.lists(st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd")), min_size=1, max_size=12), max_size=3),
})
event_text = st.one_of(
    st.dictionaries(fields, values, max_size=8).map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    valid_event.map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    st.text(max_size=200),
    st.binary(max_size=100).map(lambda b: b.decode("latin-1")),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(event_text, min_size=1, max_size=3))
def test_check_never_crashes_and_valid_trees_build(texts):
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        shutil.copytree(MINIMAL, site)
        for number, text in enumerate(texts):
            (site / "content/events" / f"fuzz-{number}.yml").write_text(text, encoding="utf-8", errors="surrogateescape")
        code = main(["check", "--site", str(site)])
        assert code in (0, 1, 2)
        if code == 0:
            assert main(["build", "--site", str(site), "-q"]) == 0
            assert (site / "_site/index.html").is_file()
