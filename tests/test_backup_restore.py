"""The backup runbook (docs/operations.md), run: dump, restore, verify.

The demo municipality is seeded into the test database with its archived
quarterly report and a reminder sweep, dumped with `pg_dump -Fc`, restored with
`pg_restore` into a new database, its media folder copied beside it, and
`manage.py verify_restore` run against the copy in a process of its own with the
same keys: the copy must pass with the same counts as the original. Without the
CPR key the copy must fail — the dump alone is not a backup.
"""

import os
import shutil
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tests.processes import ROOT

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _pg_env() -> dict[str, str]:
    """libpq's variables for the server the tests use."""
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        PGHOST=db["HOST"] or "127.0.0.1",
        PGPORT=str(db["PORT"] or 5432),
        PGUSER=db["USER"] or "postgres",
    )
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{db['USER'] or 'postgres'}{password}@{host}:{db['PORT'] or 5432}/{name}"


def _pg(*command: str) -> None:
    subprocess.run(command, env=_pg_env(), check=True, capture_output=True, timeout=120)


def _verify_in_a_process(database: str, var_dir: Path, **keys: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MEDIA_ROOT")}
    env.update(
        DATABASE_URL=_url(database),
        TIDLIG_VAR_DIR=str(var_dir),
        SECRET_KEY=settings.SECRET_KEY,
        CPR_ENCRYPTION_KEYS=",".join(settings.CPR_ENCRYPTION_KEYS),
        CPR_HASH_KEY=settings.CPR_HASH_KEY,
    )
    env.update(keys)
    return subprocess.run(
        [sys.executable, "manage.py", "verify_restore"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _checks(output: str) -> list[str]:
    """The report without its first line, which names the database."""
    return output.strip().splitlines()[1:]


def test_a_dump_restores_into_a_new_database_that_verifies(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore need PostgreSQL")
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--quiet", "--force", "--children", "30")
    call_command("send_reminders", stdout=StringIO())
    original = StringIO()
    call_command("verify_restore", stdout=original)

    dump = tmp_path / "tidlig.dump"
    restored = f"tidlig_restore_{os.getpid()}"
    started = time.monotonic()
    _pg("pg_dump", "--format=custom", f"--file={dump}", connection.settings_dict["NAME"])
    dumped = time.monotonic()
    try:
        _pg("createdb", restored)
        _pg("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump))
        restored_at = time.monotonic()
        # The media folder is backed up beside the dump and restored with it.
        shutil.copytree(tmp_path / "media", tmp_path / "restored" / "media")

        result = _verify_in_a_process(restored, tmp_path / "restored")
        verified = time.monotonic()
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"databasen {restored} (postgresql)" in result.stdout
        assert _checks(result.stdout) == _checks(original.getvalue())
        print(
            f"dump {dump.stat().st_size / 1024:.0f} KiB in {dumped - started:.1f} s, "
            f"restore {restored_at - dumped:.1f} s, verify {verified - restored_at:.1f} s"
        )

        without_the_key = _verify_in_a_process(
            restored, tmp_path / "restored", CPR_ENCRYPTION_KEYS=Fernet.generate_key().decode()
        )
        assert without_the_key.returncode != 0
        assert "kan ikke dekrypteres med CPR_ENCRYPTION_KEYS" in without_the_key.stdout
    finally:
        _pg("dropdb", "--if-exists", "--force", restored)
