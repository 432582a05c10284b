"""Start real Tidlig processes (Celery worker, beat, gunicorn) and a PostgreSQL
cluster of their own from tests (and from scripts/faults.py).

The child processes get the test database through DATABASE_URL/SQLITE_PATH so
that what they write is visible to a test running with `transaction=True`.
"""

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import psycopg
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def test_database_env() -> dict[str, str]:
    """Environment that points a child process at the database the tests use."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings_dict["USER"] or ""
        password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
        host = settings_dict["HOST"] or "127.0.0.1"
        port = settings_dict["PORT"] or 5432
        url = f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"
        return {"DATABASE_URL": url}
    return {"SQLITE_PATH": str(settings_dict["NAME"])}


def child_env(*, var_dir: Path, redis_url: str | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(test_database_env())
    env["TIDLIG_VAR_DIR"] = str(var_dir)
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


@contextmanager
def _running(command: list[str], *, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def celery(*args: str, env: dict[str, str], log: Path):
    return _running([sys.executable, "-m", "celery", "-A", "tidlig", *args], env=env, log=log)


def gunicorn(port: int, *, env: dict[str, str], log: Path):
    command = [sys.executable, "-m", "gunicorn", "tidlig.wsgi:application", "--workers", "1"]
    command += ["--bind", f"127.0.0.1:{port}", "--no-control-socket"]
    return _running(command, env=env, log=log)


def wait_for(condition: Callable[[], object], *, timeout: float, logs: list[Path]) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.25)
    output = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-4000:]}" for p in logs)
    raise AssertionError(f"condition not met within {timeout}s\n{output}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin() -> Path | None:
    """The folder of PostgreSQL's server programs (initdb, pg_ctl)."""
    if found := shutil.which("pg_ctl"):
        return Path(found).parent
    # Debian and Ubuntu keep the server binaries off the PATH, one folder per version.
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3])
    )
    return versions[-1].parent if versions else None


def cluster_missing() -> str:
    """Why no private cluster can be made here ("" when one can)."""
    bin_dir = pg_bin()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        return "no PostgreSQL server binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run initdb as"
    return ""


class Cluster:
    """A PostgreSQL cluster in a folder of its own, on a free port, database "tidlig"."""

    def __init__(self, folder: Path, bin_dir: Path):
        self.folder, self.bin_dir, self.port = folder, bin_dir, free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/tidlig"

    def run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout}{done.stderr}"

    def pg_ctl(self, action: str, *args: str) -> None:
        data, log = str(self.folder / "data"), str(self.folder / "postgres.log")
        self.run("pg_ctl", action, "-D", data, "-l", log, "-w", *args)

    def start(self) -> None:
        self.run("initdb", "-D", str(self.folder / "data"), "-U", "postgres", "-A", "trust")
        server = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg_ctl("start", "-o", server)
        with psycopg.connect(self._dsn("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE tidlig")

    def query(self, sql: str) -> list[tuple]:
        with psycopg.connect(self._dsn("tidlig")) as conn:
            return conn.execute(sql).fetchall()

    def _dsn(self, name: str) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={name}"


@contextmanager
def private_cluster(prefix: str = "tidlig-pg-") -> Iterator[Cluster]:
    """A started Cluster, stopped and removed afterwards (check cluster_missing first)."""
    bin_dir = pg_bin()
    if reason := cluster_missing():
        raise FileNotFoundError(reason)
    assert bin_dir is not None
    # Not pytest's tmp_path: as root the cluster belongs to the postgres user, who
    # cannot enter root's private temporary folders.
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        os.chown(folder, postgres.pw_uid, postgres.pw_gid)
    cluster = Cluster(folder, bin_dir)
    try:
        cluster.start()
        yield cluster
    finally:
        if (folder / "data" / "postmaster.pid").exists():
            with suppress(AssertionError, subprocess.SubprocessError):
                cluster.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(folder, ignore_errors=True)
