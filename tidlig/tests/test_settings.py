import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured

from tidlig.settings import envbool, envint, envlist, envstr
from tidlig.test import PASSWORD

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


def _production_env(tmp_path: Path) -> dict[str, str]:
    """DEBUG off with every secret set, on SQLite: what `check --deploy` judges."""
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "tidlig.example.dk",
        "CPR_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "CPR_HASH_KEY": secrets.token_hex(32),
        "TIDLIG_VAR_DIR": str(tmp_path / "var"),
    }


OIDC_ENV = {
    "OIDC_RP_CLIENT_ID": "tidlig",
    "OIDC_RP_CLIENT_SECRET": "client-secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.example.dk/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.example.dk/token",
    "OIDC_OP_USER_ENDPOINT": "https://login.example.dk/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.example.dk/keys",
}
OIDC_SETTINGS = "s.OIDC_ENABLED, s.AUTHENTICATION_BACKENDS, s.OIDC_CREATE_USER"


def test_it_has_single_sign_on_off_without_a_client_id(tmp_path):
    result = _settings_in_subprocess(_production_env(tmp_path), OIDC_SETTINGS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "(False, ['axes.backends.AxesStandaloneBackend', "
        "'django.contrib.auth.backends.ModelBackend'], False)"
    )


def test_it_turns_single_sign_on_on_with_a_client_id(tmp_path):
    result = _settings_in_subprocess(_production_env(tmp_path) | OIDC_ENV, OIDC_SETTINGS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "(True, ['axes.backends.AxesStandaloneBackend', "
        "'django.contrib.auth.backends.ModelBackend', 'accounts.oidc.TidligOIDCBackend'], False)"
    )


@pytest.mark.parametrize("missing", sorted(set(OIDC_ENV) - {"OIDC_RP_CLIENT_ID"}))
def test_it_refuses_single_sign_on_with_a_setting_missing_in_production(tmp_path, missing):
    env = _production_env(tmp_path) | OIDC_ENV | {missing: ""}
    result = _settings_in_subprocess(env, "'started',")
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {missing} must be set" in result.stderr


def test_it_hashes_passwords_with_the_strong_default_in_production(tmp_path):
    # The tests' MD5 (tests/services.py) must never reach a real process.
    code = (
        "import django; django.setup()\n"
        "from django.contrib.auth.hashers import make_password\n"
        "print(make_password('password-for-tests').split('$')[0])\n"
    )
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "tidlig.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env | _production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "pbkdf2_sha256"


def test_it_hashes_passwords_fast_in_the_tests():
    assert make_password(PASSWORD).startswith("md5$")


def test_it_passes_the_deployment_checks_in_production(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"} | _production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "ERRORS" not in output
    assert "System check identified no issues" in output


def test_it_sends_cookies_over_https_only_in_production(tmp_path):
    result = _settings_in_subprocess(
        _production_env(tmp_path),
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(True, True, True, True, True, True)"


def test_it_logs_no_traceback_and_no_cpr_number_in_production(tmp_path):
    # Through the configured logging, as gunicorn or a Celery worker (which sets up
    # its logging after Django) would log a failure.
    code = (
        "import django, logging; django.setup()\n"
        "try:\n"
        "    raise ValueError('CPR 040321-4001 is not valid for Emma Holm')\n"
        "except ValueError:\n"
        "    logging.getLogger('django.request').error('Failed for 0403214001', exc_info=True)\n"
        "    from celery.utils.log import get_task_logger\n"
        "    from tidlig.celery import app\n"
        "    app.log.setup(loglevel='INFO')\n"
        "    get_task_logger('children.tasks').error('Task for 0403214001', exc_info=True)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "tidlig.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env | _production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    log = result.stderr
    assert "ERROR django.request Failed for ******-**** [ValueError at <string>:3, ref " in log
    assert "ERROR children.tasks Task for ******-**** [ValueError at <string>:3, ref " in log
    assert len(re.findall(r"\[ValueError at <string>:3, ref [0-9a-f]{10}\]", log)) == 2, log
    assert "Traceback" not in log and "Emma" not in log
    assert "4001" not in log and "040321" not in log
