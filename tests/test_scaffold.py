"""`timeline new` and `timeline init`: files from the declarations, never overwriting."""
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import check_site
from generator.schema import EVENT_FIELDS


def test_new_event_lists_every_field_and_fails_check_until_filled(minimal_site: Path, capsys):
    args = ["new", "event", "Talks in Geneva", "--date", "24 May 2018", "--actor", "Macron", "--site", str(minimal_site)]
    assert main(args) == 0
    path = minimal_site / "content/events/2018/talks-in-geneva.yml"
    text = path.read_text()
    for declared in EVENT_FIELDS:
        assert f"{declared.name}:" in text, declared.name
    assert "date: '2018-05-24'" in text and "actors: [Macron]" in text
    problems = [d for d in check_site(minimal_site).diagnostics if d.path.endswith("talks-in-geneva.yml")]
    assert {d.line for d in problems} == {4, 6}  # summary and sources, each at its own line
    text = text.replace("summary:  #", "summary: Talks were held.  #").replace("sources:  #", "sources: [afp-red-line]  #")
    path.write_text(text)
    assert check_site(minimal_site).timeline is not None


def test_new_refuses_to_overwrite(minimal_site: Path, capsys):
    args = ["new", "source", "Some report", "--site", str(minimal_site)]
    assert main(args) == 0
    path = minimal_site / "content/sources/some-report.yml"
    path.write_text("title: edited by hand\n")
    assert main(args) == 2
    assert "exists already" in capsys.readouterr().err
    assert path.read_text() == "title: edited by hand\n"


def test_new_actor_and_bad_date(minimal_site: Path, capsys):
    assert main(["new", "actor", "Jean-Yves Le Drian", "--kind", "person", "--alias", "Le Drian", "--site", str(minimal_site)]) == 0
    assert "aliases: [Le Drian]" in (minimal_site / "content/actors/jean-yves-le-drian.yml").read_text()
    assert main(["new", "event", "X", "--date", "05/06/2018", "--site", str(minimal_site)]) == 2
    assert "ambiguous" in capsys.readouterr().err


def test_init_makes_a_site_that_builds_at_once(tmp_path: Path):
    site = tmp_path / "demo"
    assert main(["init", str(site)]) == 0
    report = check_site(site)
    assert report.diagnostics == [] and len(report.timeline.events) == 1
    assert main(["build", "--site", str(site)]) == 0
    assert (site / "_site/index.html").exists()
    assert main(["init", str(site)]) == 2  # not empty any more


def readme_commands(prefix: str) -> list[list[str]]:
    """The README's own `timeline ...` example lines that start with `prefix`, as argument lists."""
    import shlex

    from conftest import REPO

    lines = (REPO / "README.md").read_text().splitlines()
    return [shlex.split(line.split("#")[0].split("&&")[0])[1:] for line in lines if line.startswith(prefix)]


def test_the_readme_example_works_on_a_fresh_init(tmp_path: Path, capsys):
    [init] = readme_commands("timeline init ")
    [new] = readme_commands("timeline new event ")
    assert main([*init[:1], str(tmp_path / init[1])]) == 0
    assert main([*new, "--site", str(tmp_path / init[1])]) == 0, capsys.readouterr().err
    written = tmp_path / init[1] / "content/events/2018/talks-in-geneva.yml"
    assert "actors: [E. Person]" in written.read_text()


def test_init_carries_no_hint_of_another_timeline(tmp_path: Path):
    assert main(["init", str(tmp_path / "s")]) == 0
    text = "\n".join(p.read_text() for p in (tmp_path / "s").rglob("*") if p.is_file())
    for word in ("syria", "france", "tass", "macron", "drian", "putin"):
        assert word not in text.casefold(), word


def test_gitignores_leave_out_the_spare_copy_and_the_cache(tmp_path: Path):
    from conftest import REPO

    assert main(["init", str(tmp_path / "s")]) == 0
    for ignore in (tmp_path / "s/.gitignore", REPO / ".gitignore"):
        lines = ignore.read_text().splitlines()
        assert {"_site/", "._site.spare/", ".timeline-cache/"} <= set(lines), ignore


@pytest.mark.parametrize("args,words", [
    (["actor", "X", "--kind", "persn"], 'did you mean "person"'),
    (["source", "X", "--url", "example.org/x"], 'did you mean "https://example.org/x"'),
    (["source", "X", "--url", "ftp://example.org/x"], "only http and https"),
    (["event", "X", "--actor", "Macronn"], 'did you mean "Macron", that is emmanuel-macron'),
    (["event", "X", "--source", "afp-red-lin"], 'did you mean "afp-red-line"'),
    (["event", "X", "--id", "Not A Slug"], "--id:"),
])
def test_new_checks_its_options_and_writes_nothing_when_wrong(minimal_site: Path, capsys, args: list[str], words: str):
    before = sorted(minimal_site.rglob("*"))
    assert main(["new", *args, "--site", str(minimal_site)]) == 2
    assert words in capsys.readouterr().err
    assert sorted(minimal_site.rglob("*")) == before


def test_new_with_an_id(minimal_site: Path):
    assert main(["new", "event", "Talks in Geneva", "--id", "geneva-talks", "--date", "2018-05-24", "--actor", "france", "--site", str(minimal_site)]) == 0
    assert (minimal_site / "content/events/2018/geneva-talks.yml").is_file()


def test_new_event_help_shows_only_the_event_options(capsys):
    with pytest.raises(SystemExit):
        main(["new", "event", "--help"])
    shown = capsys.readouterr().out
    assert "--date" in shown and "--actor" in shown
    assert "--publisher" not in shown and "--alias" not in shown and "--url" not in shown


def test_new_outside_a_site_says_so(tmp_path: Path, capsys):
    assert main(["new", "source", "X", "--site", str(tmp_path)]) == 2
    assert "no site.yml here" in capsys.readouterr().err
    assert not (tmp_path / "content").exists()


def test_new_reports_every_problem_at_once(minimal_site: Path, capsys):
    assert main(["new", "event", "X", "--date", "early May 2018", "--actor", "nobody", "--source", "nothing", "--site", str(minimal_site)]) == 2
    err = capsys.readouterr().err
    assert "--date: 'early May 2018'" in err and "2018-05-01/2018-05-10" in err
    assert '--actor: unknown actor "nobody"' in err and '--source: unknown source "nothing"' in err


def test_init_into_a_folder_that_cannot_be_made_is_a_usage_error(tmp_path: Path, capsys):
    (tmp_path / "file").write_text("x")
    assert main(["init", str(tmp_path / "file" / "site")]) == 2
    assert "cannot write" in capsys.readouterr().err
