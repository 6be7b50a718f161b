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
    assert "content/events/bad.yml:1:1: error: title: expected text" in err
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
