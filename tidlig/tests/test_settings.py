import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tidlig.settings import envbool, envint, envlist, envstr

ROOT = Path(__file__).resolve().parents[2]


def test_it_reads_booleans_and_fails_loudly_on_nonsense(monkeypatch):
    monkeypatch.setenv("X_FLAG", "False")
    assert envbool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "yes")
    assert envbool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        envbool("X_FLAG", True)


def test_it_reads_integers_and_fails_loudly_on_nonsense(monkeypatch):
    monkeypatch.delenv("X_NUMBER", raising=False)
    assert envint("X_NUMBER", 7) == 7
    monkeypatch.setenv("X_NUMBER", "12")
    assert envint("X_NUMBER", 7) == 12
    monkeypatch.setenv("X_NUMBER", "twelve")
    with pytest.raises(ImproperlyConfigured, match="X_NUMBER"):
        envint("X_NUMBER", 7)


def test_it_reads_strings_and_lists(monkeypatch):
    monkeypatch.setenv("X_HOSTS", "a.example, b.example,")
    assert envlist("X_HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("X_NAME", "")
    assert envstr("X_NAME", "default") == "default"


def _settings_in_subprocess(env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    code = f"import tidlig.settings as s; print(repr(({expression})))"
    base = {"PATH": "/usr/bin:/bin", "TIDLIG_VAR_DIR": str(ROOT / "var" / "test" / "settings")}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base | env, capture_output=True, text=True
    )


def test_it_boots_on_the_embedded_default_with_no_environment():
    result = _settings_in_subprocess(
        {}, "s.DEBUG, s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(True, 'django.db.backends.sqlite3', 'filesystem://')"


def test_it_uses_postgresql_with_a_pool_and_redis_from_the_environment():
    result = _settings_in_subprocess(
        {"DATABASE_URL": "postgres://u:p@db:5432/tidlig", "REDIS_URL": "redis://r:6379/0"},
        "s.DATABASES['default']['ENGINE'], 'pool' in s.DATABASES['default']['OPTIONS'], "
        "s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND']",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "('django.db.backends.postgresql', True, 'redis://r:6379/0', "
        "'django.core.cache.backends.redis.RedisCache')"
    )


@pytest.mark.parametrize(
    "env",
    [
        {"DEBUG": "nope"},
        {"DEBUG": "false"},  # no SECRET_KEY
        {"DATABASE_URL": "mysql://x/y"},
        {"REDIS_URL": "amqp://guest@x//"},
        {"DATABASE_URL": "postgres://u@db/t", "DB_POOL_MAX_SIZE": "many"},
    ],
)
def test_it_refuses_to_start_on_bad_configuration(env):
    result = _settings_in_subprocess(env, "'started',")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "started" not in result.stdout
