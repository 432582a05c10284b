"""Tidlig settings: one file, driven by environment variables.

With no environment at all the app boots on its embedded default: SQLite in
var/, DEBUG on, Celery on the filesystem broker. Setting DATABASE_URL and
REDIS_URL switches to PostgreSQL and Redis. Every helper below raises
ImproperlyConfigured on a value it does not understand, so a typo in the
environment stops the process instead of silently running with a default.
"""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_VALUES = ("true", "1", "yes", "on")
FALSE_VALUES = ("false", "0", "no", "off")


def envbool(name: str, default: bool) -> bool:
    value = os.getenv(name)
    if value is None or value == "":
        return default
    if value.lower() in TRUE_VALUES:
        return True
    if value.lower() in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: use one of true/false, 1/0, yes/no, on/off")


def envint(name: str, default: int) -> int:
    value = os.getenv(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number") from None


def envstr(name: str, default: str) -> str:
    value = os.getenv(name)
    return default if value is None or value == "" else value


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.getenv(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


VAR_DIR = Path(envstr("TIDLIG_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", True)

SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    SECRET_KEY = "insecure-development-key-only-for-the-embedded-default"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

# CPR numbers are encrypted at rest (Fernet keys, newest first: older keys only
# decrypt, see docs/security.md on rotation) and looked up through an HMAC with
# CPR_HASH_KEY. The development defaults are derived from the development
# SECRET_KEY and are refused when DEBUG is off.
CPR_ENCRYPTION_KEYS = envlist("CPR_ENCRYPTION_KEYS", [])
CPR_HASH_KEY = envstr("CPR_HASH_KEY", "")
if not CPR_ENCRYPTION_KEYS or not CPR_HASH_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "CPR_ENCRYPTION_KEYS and CPR_HASH_KEY must be set when DEBUG is false"
        )
    _dev = hashlib.sha256(("tidlig-cpr:" + SECRET_KEY).encode()).digest()
    CPR_ENCRYPTION_KEYS = CPR_ENCRYPTION_KEYS or [base64.urlsafe_b64encode(_dev).decode()]
    CPR_HASH_KEY = CPR_HASH_KEY or hashlib.sha256(b"hash:" + _dev).hexdigest()

MUNICIPALITY_NAME = envstr("MUNICIPALITY_NAME", "Tidlig Kommune")
SITE_ROOT = envstr("SITE_ROOT", "http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "django_htmx",
    "auditlog",
    "template_partials",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "tidlig",
    "accounts",
    "children",
    "ruler",
    "loeft",
    "forum",
    "followups",
    "reports",
    "desk",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tidlig.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tidlig.middleware.PrivacyHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "tidlig.middleware.SessionTimeoutMiddleware",
    # After the timeouts: a session they have ended is not asked for a code.
    "accounts.mfa.MFARequiredMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tidlig.urls"
WSGI_APPLICATION = "tidlig.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tidlig.context_processors.site",
                "accounts.context_processors.navigation",
                "followups.context_processors.notifications",
            ],
        },
    },
]

# Database: PostgreSQL through DATABASE_URL (psycopg 3 with its connection pool),
# otherwise SQLite in var/ tuned for a web process, a worker and beat sharing it.
DATABASE_URL = os.getenv("DATABASE_URL", "")
if DATABASE_URL:
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// or postgresql:// URL")
    default_db = dj_database_url.parse(DATABASE_URL)
    default_db["OPTIONS"] = {
        "pool": {
            "min_size": envint("DB_POOL_MIN_SIZE", 2),
            "max_size": envint("DB_POOL_MAX_SIZE", 10),
            "timeout": envint("DB_POOL_TIMEOUT", 10),
        },
    }
    # The pool checks each connection as it hands it out: with CONN_HEALTH_CHECKS
    # Django 5.2 passes check=ConnectionPool.check_connection to psycopg_pool (it
    # passes check= itself, so a "check" key in the pool options is a TypeError).
    # Without it every connection the pool kept is dead after PostgreSQL restarts and
    # the first request or task on each fails (tests/test_db_restart.py).
    default_db["CONN_HEALTH_CHECKS"] = True
    default_db["TEST"] = {"NAME": envstr("DATABASE_TEST_NAME", "test_" + default_db["NAME"])}
else:
    default_db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": envstr("SQLITE_PATH", str(VAR_DIR / "tidlig.sqlite3")),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        # A file, not :memory:, so that a real worker started by the tests shares it.
        "TEST": {"NAME": str(VAR_DIR / "test-tidlig.sqlite3")},
    }
DATABASES = {"default": default_db}

# An optional read replica (a PostgreSQL streaming replica of the primary): the
# quarterly figures, the report dashboards and the audit viewer read from it, all
# else uses the primary (tidlig.lib.replica). In tests it mirrors "default".
DATABASE_REPLICA_URL = os.getenv("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    if not DATABASE_URL:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL (PostgreSQL)")
    if not DATABASE_REPLICA_URL.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be a postgres:// URL")
    replica_db = dj_database_url.parse(DATABASE_REPLICA_URL)
    replica_db["OPTIONS"] = {"pool": dict(default_db["OPTIONS"]["pool"])}
    replica_db["CONN_HEALTH_CHECKS"] = True
    replica_db["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = replica_db
DATABASE_ROUTERS = ["tidlig.lib.replica.ReplicaRouter"]
REPLICA_READS = envbool("TIDLIG_REPLICA_READS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis through REDIS_URL: Celery broker and cache. Otherwise Celery's filesystem
# broker and a file cache, both in var/, so no server is needed.
REDIS_URL = os.getenv("REDIS_URL", "")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("REDIS_URL must be a redis:// or rediss:// URL")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tidlig",
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 3600}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CELERY_BROKER_DIR = VAR_DIR / "celery-broker"
    CELERY_BROKER_URL = "filesystem://"
    # kombu's filesystem transport with each message renamed into the queue folder
    # once written: a worker could otherwise read a half-written one and die.
    CELERY_BROKER_TRANSPORT = "tidlig.lib.filesystem_broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    for folder in ("queue", "control"):
        (CELERY_BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)

CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Copenhagen"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
HEARTBEAT_INTERVAL_SECONDS = envint("HEARTBEAT_INTERVAL_SECONDS", 30)
# The reminder sweep runs every morning at 06:00; a number of seconds here runs it
# that often instead (the integration tests use 1).
REMINDER_SWEEP_SECONDS = envint("REMINDER_SWEEP_SECONDS", 0)

# Audit trail (django-auditlog): entries older than this are deleted nightly.
AUDIT_RETENTION_MONTHS = envint("AUDIT_RETENTION_MONTHS", 24)
# django-axes' record of logins and wrong passwords (with IP addresses) is deleted
# after this many months, by the same nightly task (accounts.logins).
LOGIN_LOG_RETENTION_MONTHS = envint("LOGIN_LOG_RETENTION_MONTHS", 6)
# The administrators are emailed when one user reads more than this many different
# children within this many minutes (children/alerts.py, checked every 5 minutes).
AUDIT_BULK_READ_LIMIT = envint("AUDIT_BULK_READ_LIMIT", 30)
AUDIT_BULK_READ_MINUTES = envint("AUDIT_BULK_READ_MINUTES", 10)

# A leader's front page lists the unit's children in zone 4–5 with nothing done
# about them for this many days: no LØFT dialogue, next step, escalation,
# underretning or case (desk/front.py).
FRONT_PAGE_ACTION_DAYS = envint("FRONT_PAGE_ACTION_DAYS", 30)
# The participants of a tværfagligt forum's meeting, and those who brought its cases,
# are reminded this many hverdage before it (followups.reminders).
FORUM_REMINDER_WORKDAYS = envint("FORUM_REMINDER_WORKDAYS", 2)

# Absence (fravær) as a signal (children/absence.py, docs/import.md): a child whose
# absence was at least this many per cent in its latest complete month, or over the
# last three months, and about whom no concern was observed and no assessment made
# for ABSENCE_FLAG_QUIET_DAYS, is flagged in the unit overview and on the front page.
ABSENCE_FLAG_LAST_MONTH_PCT = envint("ABSENCE_FLAG_LAST_MONTH_PCT", 10)
ABSENCE_FLAG_THREE_MONTHS_PCT = envint("ABSENCE_FLAG_THREE_MONTHS_PCT", 15)
ABSENCE_FLAG_QUIET_DAYS = envint("ABSENCE_FLAG_QUIET_DAYS", 60)

# Børn & Ungerådgivningen's intake (docs/access.md): off, the municipality's intake
# is one team and every caseworker and leader of a rådgivning unit sees every waiting
# escalation and open underretning; on, a rådgivning unit with a district handles the
# children enrolled in that district's units (and those enrolled in none), a
# rådgivning unit without a district the whole municipality (children.access).
INTAKE_BY_DISTRICT = envbool("INTAKE_BY_DISTRICT", False)

# Retention (children/retention.py, nightly; docs/security.md). A child is deleted
# with everything about it this many years after its last enrollment ended, unless
# it has an open case or one closed less than RETENTION_CLOSED_CASE_YEARS ago.
# Reminders are deleted this many months after their day.
RETENTION_CHILD_YEARS = envint("RETENTION_CHILD_YEARS", 5)
RETENTION_CLOSED_CASE_YEARS = envint("RETENTION_CLOSED_CASE_YEARS", 5)
RETENTION_REMINDER_MONTHS = envint("RETENTION_REMINDER_MONTHS", 12)
# The quarterly status on screen is computed from the data, which takes a moment in
# a large municipality; the same figures are reused for this many seconds.
REPORT_CACHE_SECONDS = envint("REPORT_CACHE_SECONDS", 600)
AUDITLOG_DISABLE_REMOTE_ADDR = False
# auditlog's default, stated because children.importer writes its log entries itself.
AUDITLOG_STORE_JSON_CHANGES = False

# Authentication
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes watches every login first and refuses a locked account, whatever
# the password; Django's own backend then checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# An account is locked after this many wrong passwords, for this many hours (or
# until an administrator unlocks it with `manage.py axes_reset_username`). Locked
# per username, never per IP address: a whole town hall shares one address behind
# its NAT, and one mistyping colleague must not lock out the others. Every attempt
# is kept in axes' AccessAttempt, AccessLog and AccessFailureLog tables.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(hours=envint("AXES_COOLOFF_HOURS", 24))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns that username alone lets a guesser try many usernames; each of them is
# still locked after AXES_FAILURE_LIMIT tries, and locking by IP is the worse harm.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
AXES_USERNAME_CALLABLE = "accounts.views.axes_username"
# A session ends after this many minutes without a request (a warning dialog
# comes two minutes before), and in any case this many hours after the login
# (tidlig.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 30)
SESSION_ABSOLUTE_HOURS = envint("SESSION_ABSOLUTE_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600
# Multi-factor login (django-otp): after the password every user gives a code from
# an authenticator app (TOTP) or a one-time recovery code before any other page
# (accounts.mfa). The app shows the account under this name.
OTP_TOTP_ISSUER = envstr("OTP_TOTP_ISSUER", "Tidlig")
# How many recovery codes a user gets at a time.
MFA_RECOVERY_CODES = 10
# Single sign-on through the municipality's identity provider (OpenID Connect, e.g.
# Entra ID; mozilla-django-oidc and accounts.oidc), on when OIDC_RP_CLIENT_ID is set.
# The provider only says who someone is: OIDC_USERNAME_CLAIM names the claim that
# must match exactly one active Tidlig user ("email" against User.email, any other
# claim against User.username). No user is ever created from a login, and roles
# come from Tidlig's own memberships. With OIDC_TRUST_IDP_MFA, a login the
# provider reports as multi-factor ("mfa" in the amr claim) needs no Tidlig code.
# The provider's redirect URI is https://<host>/oidc/callback/.
OIDC_RP_CLIENT_ID = envstr("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = envstr("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = envstr("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = envstr("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = envstr("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = envstr("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = envstr("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = envstr("OIDC_RP_SCOPES", "openid email profile")
OIDC_USERNAME_CLAIM = envstr("OIDC_USERNAME_CLAIM", "email")
OIDC_TRUST_IDP_MFA = envbool("OIDC_TRUST_IDP_MFA", True)
# The URLs are mounted in the "oidc" namespace (tidlig/urls.py); a failed login
# lands on the login page, which then explains it.
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc:oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "/login/?sso=afvist"
# Seconds to wait for the provider's token, key and userinfo endpoints.
OIDC_TIMEOUT = 10
OIDC_CREATE_USER = False
if OIDC_ENABLED:
    if not DEBUG:
        for _name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        ):
            if not globals()[_name]:
                raise ImproperlyConfigured(f"{_name} must be set when OIDC_RP_CLIENT_ID is set")
    AUTHENTICATION_BACKENDS.append("accounts.oidc.TidligOIDCBackend")
# A "Glemt adgangskode?" link works for one hour (Django's default is three days).
PASSWORD_RESET_TIMEOUT = 3600
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Danish first, English available.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("Engelsk"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

# Static files: vendored design system and htmx, served by WhiteNoise in production.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))

# Email: printed to the console unless an SMTP server is configured.
EMAIL_HOST = envstr("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
elif envstr("EMAIL_FILE_PATH", ""):
    # Each email as a file in this folder (the integration tests read them there).
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = envstr("EMAIL_FILE_PATH", "")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Tidlig <tidlig@localhost>")

# Security. Cookies only over HTTPS outside development, never readable by scripts.
# SameSite=Lax, not Strict: a link in a reminder email must open the page logged in.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    # Behind a TLS-terminating proxy that redirects itself and sends no
    # X-Forwarded-Proto, SECURE_SSL_REDIRECT=false stops a redirect loop.
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from our own
# static files only. No 'unsafe-inline': no template may carry inline script or style,
# nor may the SVG charts (tests/test_layout.py, tidlig/tests/test_headers.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Browser features no page of Tidlig uses, refused to every page (tidlig.middleware).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Logs carry no tracebacks and no CPR numbers (tidlig/lib/logs.py): the one console
# handler filters every record, Django's own loggers included (their default handlers,
# which would print twice or mail a traceback to ADMINS, are replaced). In development
# the tracebacks stay; the data there is made up.
LOG_LEVEL = envstr("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"privacy": {"()": "tidlig.lib.logs.PrivacyFilter", "tracebacks": DEBUG}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["privacy"]}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint reports every rendering step and font subset at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
