"""The layering of the apps is a checked contract (import-linter, `make lint`).

These tests show that the contract bites: an app that imports one above it
breaks it. They run `lint-imports` on a copy of the source, so the working tree
is never touched.
"""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def layers() -> list[str]:
    (contract,) = [c for c in CONFIG["contracts"] if c["type"] == "layers"]
    return contract["layers"]


def copy_of_the_source(tmp_path: Path) -> Path:
    for package in CONFIG["root_packages"]:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=lambda folder, names: [
                n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()
            ],
        )
    return tmp_path


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    return copy_of_the_source(tmp_path_factory.mktemp("source"))


def test_the_source_keeps_the_contracts(source):
    result = lint_imports(source)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("lower", "upper"),
    [
        ("children", "followups.models"),
        ("ruler", "loeft.models"),
        ("reports", "desk.views"),
        ("tidlig/lib", "children.models"),
    ],
)
def test_an_upward_import_breaks_the_layers(source, lower, upper):
    probe = source / lower / "upward_probe.py"
    probe.write_text(f"import {upper}\n")
    try:
        result = lint_imports(source)
    finally:
        probe.unlink()
    assert result.returncode != 0
    layer, imported = lower.replace("/", "."), upper.split(".")[0]
    assert f"{layer} is not allowed to import {imported}" in result.stdout


def test_the_readme_lists_the_apps_in_the_order_of_the_layers():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## How the code is laid out", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `([\w/]+?)/?` \|", section, flags=re.MULTILINE)
    assert [name.replace("/", ".") for name in listed] == layers()
