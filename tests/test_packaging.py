"""The installed package carries every module, the theme's templates and its static files."""
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from conftest import REPO


def test_every_subpackage_is_declared():
    declared = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "generator").rglob("__init__.py")}
    assert found <= declared, found - declared


def test_wheel_holds_modules_templates_and_static(tmp_path: Path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        check=True, capture_output=True,
    )
    wheel = next(tmp_path.glob("timeline-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (REPO / "templates").rglob("*.html"):
        assert f"generator/templates/{template.relative_to(REPO / 'templates').as_posix()}" in names
    for asset in (REPO / "static").rglob("*"):
        if asset.is_file():
            assert f"generator/static/{asset.relative_to(REPO / 'static').as_posix()}" in names
    for module in (REPO / "generator").rglob("*.py"):
        assert module.relative_to(REPO).as_posix() in names
