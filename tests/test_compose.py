"""docker-compose.yml and the Dockerfile agree with the settings.

There is no Docker engine here, so the production compose file is checked by
reading it: the services, their commands and health checks, and that every
variable it sets is one tidlig/settings.py reads (and the required ones are set).
"""

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ("migrate", "web", "worker", "beat")
# Read by gunicorn, not by the settings.
NOT_SETTINGS = {"WEB_CONCURRENCY"}


def settings_variables() -> set[str]:
    source = (ROOT / "tidlig" / "settings.py").read_text()
    pattern = r'(?:envbool|envint|envstr|envlist|os\.getenv|os\.environ\.get)\(\s*"([A-Z_]+)"'
    return set(re.findall(pattern, source))


def command(service: str) -> str:
    value = SERVICES[service]["command"]
    return " ".join(value) if isinstance(value, list) else value


def test_it_has_the_production_services():
    assert set(SERVICES) == {"db", "redis", "migrate", "web", "worker", "beat"}


def test_it_checks_the_database_and_redis_health():
    assert "pg_isready" in " ".join(SERVICES["db"]["healthcheck"]["test"])
    assert "ping" in SERVICES["redis"]["healthcheck"]["test"]
    for name in APP_SERVICES:
        depends = SERVICES[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name


def test_it_migrates_once_before_the_app_starts():
    assert "manage.py migrate" in command("migrate")
    assert SERVICES["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        condition = SERVICES[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name


def test_it_runs_gunicorn_worker_and_beat():
    assert "gunicorn tidlig.wsgi:application" in command("web")
    assert command("worker").startswith("celery -A tidlig worker")
    assert command("beat").startswith("celery -A tidlig beat")
    assert "django_celery_beat.schedulers:DatabaseScheduler" in command("beat")


def test_it_sets_only_variables_the_settings_read():
    known = settings_variables() | NOT_SETTINGS
    for name in APP_SERVICES:
        unknown = set(SERVICES[name]["environment"]) - known
        assert not unknown, f"{name} sets variables the settings never read: {unknown}"


def test_it_sets_what_production_requires():
    env = SERVICES["web"]["environment"]
    assert env["DEBUG"] == "false"
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"):
        assert env.get(name), name
    for name in ("CPR_ENCRYPTION_KEYS", "CPR_HASH_KEY"):
        assert env.get(name), name
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["REDIS_URL"].startswith("redis://redis:")


def test_it_hard_codes_no_secret():
    env = SERVICES["web"]["environment"]
    for name in ("SECRET_KEY", "CPR_ENCRYPTION_KEYS", "CPR_HASH_KEY"):
        assert env[name].startswith("${") and ":?" in env[name], name
    assert "${POSTGRES_PASSWORD:?" in env["DATABASE_URL"]
    assert SERVICES["db"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_it_builds_from_the_lock_file_as_a_non_root_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "uv sync --frozen --no-dev" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert re.search(r"^USER tidlig$", dockerfile, re.M)


def _interpolate(value: str) -> str:
    # ${NAME:?message} and ${NAME:-default} with dummy values for the secrets.
    value = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)
    return re.sub(r"\$\{([A-Z_]+):\?[^}]*\}", lambda m: f"dummy-{m.group(1).lower()}", value)


def test_it_boots_django_with_the_compose_environment(tmp_path):
    env = {name: _interpolate(str(value)) for name, value in SERVICES["web"]["environment"].items()}
    env.update(PATH="/usr/bin:/bin", TIDLIG_VAR_DIR=str(tmp_path), STATIC_ROOT=str(tmp_path / "s"))
    # Django connects lazily: `check` needs no database server.
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
