"""scripts/faults.py, which measures the fault table in docs/operations.md, still runs.

Its quickest fault (twenty parallel POSTs of a create form against a real gunicorn)
once, in a process of its own, on the PostgreSQL server the tests use: about 40 s,
most of it migrating the script's database.
"""

import importlib.util
import os
import shutil
import subprocess
import sys

import pytest

from tests.processes import ROOT

SCRIPT = ROOT / "scripts" / "faults.py"


def _script():
    spec = importlib.util.spec_from_file_location("faults", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_it_escapes_a_bar_in_a_table_cell():
    assert _script().row("a | b", 3, 0, "–", "ok") == "| a \\| b | 3 | 0 | – | ok |"


@pytest.mark.postgres
@pytest.mark.slow
def test_it_measures_the_double_submit_once():
    if shutil.which("redis-server") is None:
        pytest.skip("no redis-server binary to start a private Redis with")
    url = os.environ["DATABASE_URL"]
    parts = url.split("/")
    env = {**os.environ, "FAULTS_PG_URL": "/".join(parts[:3])}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--only", "double-submit", "--trials", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    rows = done.stdout.strip().splitlines()
    assert rows[0] == "| fault | trials | lost | doubled | what the user saw |"
    assert len(rows) == 4, done.stdout  # the header, its rule, the assessment and the concern
    for row in rows[2:]:
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        assert cells[1:4] == ["1 × 20 POSTs", "0", "0"], row
        assert "20 × 302" in cells[4] or "19 × 302" in cells[4], row
