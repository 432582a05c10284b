"""docker-compose.yml, the Dockerfile and .env.example agree with the settings.

There is no Docker engine on the machines that run the tests, so the production
files are checked by reading them, and the parts that run Python are run here the
way the image runs them: collectstatic with the Dockerfile's build-time values,
then gunicorn with the compose environment (filled from .env.example) and the
web service's own health check against it. None of it needs a database server:
Django connects lazily and the login page does not touch the database.
"""

import re
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text()
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES = COMPOSE["services"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
APP_SERVICES = ("migrate", "web", "worker", "beat")
# Read by gunicorn, not by the settings.
NOT_SETTINGS = {"WEB_CONCURRENCY"}
SECRET_NAME = re.compile(r"SECRET|PASSWORD|KEY")
INTERPOLATION = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?:(:[-?])([^}]*))?\}")


def settings_variables() -> set[str]:
    source = (ROOT / "tidlig" / "settings.py").read_text()
    pattern = r'(?:envbool|envint|envstr|envlist|os\.getenv|os\.environ\.get)\(\s*"([A-Z0-9_]+)"'
    return set(re.findall(pattern, source))


def command(service: str) -> str:
    value = SERVICES[service]["command"]
    return " ".join(value) if isinstance(value, list) else value


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip().strip('"')
    return values


def interpolate(value: str, env: dict[str, str]) -> str:
    """Substitute ${NAME}, ${NAME:-default} and ${NAME:?message} as compose does."""

    def substitute(match: re.Match) -> str:
        name, operator, argument = match.groups()
        if env.get(name):
            return env[name]
        if operator == ":?":
            raise KeyError(f"{name} is required: {argument}")
        return argument or ""

    return INTERPOLATION.sub(substitute, value)


def compose_environment(service: str, tmp_path: Path) -> dict[str, str]:
    """The service's environment as `docker compose up` with .env.example would set it."""
    example = env_example()
    env = {
        name: interpolate(str(value), example)
        for name, value in SERVICES[service]["environment"].items()
    }
    # Only the paths inside the image are swapped for ones on this machine.
    env.update(PATH="/usr/bin:/bin", TIDLIG_VAR_DIR=str(tmp_path / "var"))
    return env


def dockerfile_instructions() -> list[str]:
    joined = re.sub(r"\\\n", " ", DOCKERFILE)
    lines = [line.strip() for line in joined.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def dockerfile_build_environment() -> dict[str, str]:
    """The throwaway values the Dockerfile gives `collectstatic` on its RUN line."""
    (run,) = [line for line in dockerfile_instructions() if "collectstatic" in line]
    assignments = run.removeprefix("RUN ").split("python manage.py collectstatic")[0]
    return dict(re.findall(r"([A-Z_]+)=(\S+)", assignments))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def collect_static(root: Path) -> Path:
    """STATIC_ROOT filled the way the Dockerfile fills it at build time."""
    env = {
        **dockerfile_build_environment(),
        "PATH": "/usr/bin:/bin",
        "TIDLIG_VAR_DIR": str(root / "build-var"),
        "STATIC_ROOT": str(root / "static"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return root / "static"


def test_it_has_the_production_services():
    assert set(SERVICES) == {"db", "redis", "migrate", "web", "worker", "beat"}


def test_it_waits_for_healthy_database_and_redis():
    assert "pg_isready" in " ".join(SERVICES["db"]["healthcheck"]["test"])
    assert "ping" in SERVICES["redis"]["healthcheck"]["test"]
    for name in APP_SERVICES:
        depends = SERVICES[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name


def test_it_migrates_once_before_the_app_starts():
    assert "manage.py migrate --noinput" in command("migrate")
    assert SERVICES["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        condition = SERVICES[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name


def test_it_runs_gunicorn_worker_and_beat():
    assert command("web").startswith("gunicorn tidlig.wsgi:application")
    assert command("worker").startswith("celery -A tidlig worker")
    assert command("beat").startswith("celery -A tidlig beat")
    assert "--scheduler django_celery_beat.schedulers:DatabaseScheduler" in command("beat")


def test_it_gives_every_app_service_the_same_image_and_environment():
    for name in APP_SERVICES:
        assert SERVICES[name]["image"] == SERVICES["web"]["image"], name
        assert SERVICES[name]["environment"] == SERVICES["web"]["environment"], name


def test_it_sets_only_variables_the_settings_read():
    known = settings_variables() | NOT_SETTINGS
    unknown = set(SERVICES["web"]["environment"]) - known
    assert not unknown, f"variables the settings never read: {unknown}"


def test_it_sets_what_production_requires():
    env = SERVICES["web"]["environment"]
    assert env["DEBUG"] == "false"
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "CPR_ENCRYPTION_KEYS", "CPR_HASH_KEY"):
        assert env[name].startswith(f"${{{name}:?"), name
    assert env["DATABASE_URL"].startswith("postgres://tidlig:")
    assert env["DATABASE_URL"].endswith("@db:5432/tidlig")
    assert env["REDIS_URL"].startswith("redis://redis:6379/")


def test_it_hard_codes_no_secret():
    for service in SERVICES.values():
        for name, value in service.get("environment", {}).items():
            if SECRET_NAME.search(name):
                # Either required from the environment or empty unless given.
                assert re.fullmatch(rf"\$\{{{name}(:\?[^}}]+|:-)\}}", value), name
    assert "${POSTGRES_PASSWORD:?" in SERVICES["web"]["environment"]["DATABASE_URL"]


def test_it_documents_every_variable_in_the_example_env_file():
    example = env_example()
    used = {name for name, _, _ in INTERPOLATION.findall(COMPOSE_TEXT)}
    assert used - set(example) == set(), "add these to .env.example"
    assert set(example) - used == set(), "docker-compose.yml never uses these"
    for name, value in example.items():
        if SECRET_NAME.search(name) and value:
            assert value == "change-me", f"{name}: only placeholders in .env.example"


def test_it_builds_from_the_lock_file_as_a_non_root_user():
    instructions = dockerfile_instructions()
    assert instructions[0].startswith("FROM python:3.11-slim-bookworm")
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert ">=3.11" in requires
    # The lock file is copied on its own first, so a code change reuses the installed layer.
    sync = next(i for i, line in enumerate(instructions) if "uv sync" in line)
    assert "uv sync --frozen --no-dev" in instructions[sync]
    assert instructions[sync - 1] == "COPY pyproject.toml uv.lock ./"
    assert "COPY . ." in instructions[sync:]
    users = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert users[-1] == "tidlig"
    # A HEALTHCHECK in the image would also apply to worker, beat and migrate.
    assert not any(line.startswith("HEALTHCHECK") for line in instructions)


def test_it_boots_django_with_the_compose_environment(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=compose_environment("web", tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_it_collects_static_files_at_build_time_and_passes_its_own_web_healthcheck(tmp_path: Path):
    # One test: compressing the static files takes seconds, and a fixture shared
    # by two tests would be made again on each pytest-xdist worker running one.
    assert "collectstatic --noinput" in DOCKERFILE
    static_root = collect_static(tmp_path / "image")
    assert (static_root / "staticfiles.json").exists()
    port = free_port()
    env = compose_environment("web", tmp_path)
    env.update(STATIC_ROOT=str(static_root), WEB_CONCURRENCY="1")
    gunicorn = command("web").replace("0.0.0.0:8000", f"127.0.0.1:{port}").split()
    assert gunicorn[0] == "gunicorn"
    check = SERVICES["web"]["healthcheck"]["test"]
    assert check[:3] == ["CMD", "python", "-c"]
    probe = check[3].replace("127.0.0.1:8000", f"127.0.0.1:{port}")

    server = subprocess.Popen(
        [sys.executable, "-m", *gunicorn],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            result = subprocess.run(
                [sys.executable, "-c", probe], env=env, capture_output=True, text=True
            )
            if result.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.3)
    finally:
        server.terminate()
        _, log = server.communicate(timeout=10)
    assert result.returncode == 0, result.stderr + log
