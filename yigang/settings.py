"""Yigang settings: one file, read from environment variables that fail loudly on bad values.

Documented in docs/deployment.md. `make run` sets DEBUG=1; everything else defaults to production-safe.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import dj_database_url
from django.conf import global_settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("YIGANG_VAR_DIR", PROJECT_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    """A boolean variable; anything but the usual spellings is an error, not a silent False."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def envint(name: str, default: int, minimum: int = 0) -> int:
    """A whole-number variable, at least `minimum`."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from exc
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


DEBUG = envbool("DEBUG", False)


def _key_from_file(path: Path) -> str:
    """The random key kept in the data folder: created once (owner-only, 0600), then read on every start."""
    import secrets
    import stat
    import sys

    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(50) + "\n")
        try:
            os.link(temporary, path)  # atomic, and refuses to replace a key another process wrote first
        except FileExistsError:
            pass
        else:
            print(
                f"Yigang: SECRET_KEY is not set; created a random key in {path} (readable by its owner only). "
                "Production takes SECRET_KEY from the environment (docs/deployment.md).",
                file=sys.stderr,
            )
        finally:
            temporary.unlink()
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        try:
            path.chmod(0o600)
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{path} is readable by others and cannot be made private: {exc}"
            ) from exc
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise ImproperlyConfigured(f"{path} holds no usable key: delete it to have a new one created")
    return key


# SECRET_KEY from the environment (production: the WSGI application refuses to start without it unless DEBUG);
# without it, a random key created once in the data folder, so `yigang …` works on a fresh clone.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY_FROM_ENV = bool(SECRET_KEY)
if not SECRET_KEY:
    SECRET_KEY = _key_from_file(SECRET_KEY_FILE)
elif not DEBUG and len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters in production")

# Behind a reverse proxy, the header it sets to the client's address (e.g. X-Real-IP; see deploy/): the audit
# trail records that address. Unset, headers are ignored and the connection's address is recorded.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "").strip()
if CLIENT_IP_HEADER and not CLIENT_IP_HEADER.replace("-", "").isalnum():
    raise ImproperlyConfigured(f"CLIENT_IP_HEADER={CLIENT_IP_HEADER!r} is not a header name (e.g. X-Real-IP)")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API docs' Swagger UI from our static files, not a CDN, and without inline script
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "yigang.towns",
    "yigang.audit",
    "yigang.regulations",
    "yigang.org",
    "yigang.duties",
    "yigang.notify",
    "yigang.workcalendar",
    "yigang.hazards",
    "yigang.signoff",
    "yigang.accidents",
    "yigang.assessment",
    "yigang.places",
    "yigang.overview",
    "yigang.cli",
]

MIDDLEWARE = [
    # `/healthz` for nginx or a load balancer, before anything that needs the database, a host or HTTPS.
    "yigang.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The client address for every audit entry of the request (from CLIENT_IP_HEADER behind a proxy).
    "yigang.audit.log.AuditContextMiddleware",
    # The read-only pages read a replica when one is configured; a session that wrote reads the primary.
    "yigang.replica.ReplicaMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "yigang.towns.middleware.IdleSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Second factor, forced and expired password changes: an account that owes one reaches nothing else.
    "yigang.towns.middleware.AccountPolicyMiddleware",
    "yigang.towns.middleware.CurrentTownMiddleware",
    # An enterprise's own account (企业安全管理人员) reaches only the pages and endpoints its gate names.
    "yigang.towns.enterprise.EnterpriseGateMiddleware",
    # Before any view (and CSRF's process_view) reads the body: its size, then control characters in any field.
    "yigang.middleware.RequestLimitMiddleware",
    "yigang.middleware.InputGuardMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "yigang.urls"
WSGI_APPLICATION = "yigang.wsgi.application"

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
                "yigang.towns.context_processors.town",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'yigang.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_db)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from exc
# `yigang serve` keeps a worker's connection between requests (DB_CONN_MAX_AGE=600 unless set; docs/architecture.md,
# Performance): opening one per request costs a PostgreSQL backend start, or SQLite's pragmas and a cold page
# cache, on every page. Elsewhere the default is 0 — runserver (`make run`, the concurrency test) answers each
# request on a new thread, and a kept connection per thread would exhaust PostgreSQL's max_connections. Django
# checks a kept connection before reusing it, so a restarted database costs one failed check, not an error page.
DATABASES["default"]["CONN_MAX_AGE"] = envint("DB_CONN_MAX_AGE", 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# compute_towns streams a county's credits through a server-side cursor on PostgreSQL; a pooler in transaction mode
# (PgBouncer) cannot keep one open across statements: DB_SERVER_SIDE_CURSORS=0 there (Django then fetches in chunks).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = not envbool("DB_SERVER_SIDE_CURSORS", True)
# A town-year's compliance is kept per process until the next write (yigang/duties/cache.py says why that is
# exact): how many town-years each worker keeps (0: none) and for how many seconds at most.
COMPLIANCE_CACHE_SIZE = envint("COMPLIANCE_CACHE_SIZE", 128)  # about 0.5 MiB a town-year
COMPLIANCE_CACHE_SECONDS = envint("COMPLIANCE_CACHE_SECONDS", 600)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at the start of a
    # transaction so two writers queue on the busy timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": envint("SQLITE_BUSY_TIMEOUT", 20, minimum=1),
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}
# A PostgreSQL streaming replica for the read-only pages (yigang/replica.py says which, and how a user who just
# wrote reads the primary). Without DATABASE_REPLICA_URL everything reads the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL to name a PostgreSQL primary")
    try:
        _replica = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"])
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is not a database URL: {exc}") from exc
    if _replica["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must name a PostgreSQL replica of the primary")
    for _key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "DISABLE_SERVER_SIDE_CURSORS"):
        _replica[_key] = DATABASES["default"][_key]
    # The tests read the primary's test database on the replica's server: it is replicated like any other.
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["yigang.replica.ReplicaRouter"]
# How long a session that wrote (a browser or an API client) reads the primary only (its own writes, whatever
# the replica's lag).
DATABASE_REPLICA_PIN_SECONDS = envint("DATABASE_REPLICA_PIN_SECONDS", 30, minimum=1)
# A replica further behind the primary than this (replay paused, a stalled network, a long recovery conflict):
# its pages read the primary until it catches up (yigang/replica.py, LagGauge).
DATABASE_REPLICA_MAX_LAG_SECONDS = envint("DATABASE_REPLICA_MAX_LAG_SECONDS", 5, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out username before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Django's own list; the last one only checks the demo accounts' quick hashes (yigang.towns.passwords).
PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, "yigang.towns.passwords.DemoPasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "yigang.towns.passwords.CharacterClassValidator"},
    # zxcvbn's guessability estimate: "Password123!" has the classes and the length, and is guessed at once.
    {"NAME": "yigang.towns.passwords.GuessabilityValidator", "OPTIONS": {"min_score": 3}},
    # Not the current password, nor one of the last PASSWORD_HISTORY (hashes kept per account).
    {
        "NAME": "yigang.towns.passwords.PasswordHistoryValidator",
        "OPTIONS": {"keep": envint("PASSWORD_HISTORY", 5)},
    },
]
# Login hardening (等保2.0: limits on failed logins, password change, two-factor login at level 3).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("LOCKOUT_MINUTES", 30, minimum=1))
# The account is locked, from wherever the guesses come. Not by IP address: a town office sits behind one
# NAT address, and five typos across the office would lock everyone out. axes.W006 warns about exactly that
# choice (an IP-less lockout cannot stop one address trying many accounts); docs/security.md says so.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_DISABLE_ACCESS_LOG = True  # our audit trail records logins; axes keeps only the failure counters
AXES_VERBOSE = False
# Imported, demo-created and administrator-reset accounts change their password at first login.
FORCE_PASSWORD_CHANGE = envbool("FORCE_PASSWORD_CHANGE", not DEBUG)
PASSWORD_MAX_AGE_DAYS = envint("PASSWORD_MAX_AGE_DAYS", 90)  # 0: passwords never expire
OTP_REQUIRED = envbool("OTP_REQUIRED", False)  # every account must enrol a TOTP second factor
OTP_TOTP_ISSUER = "Yigang 一岗双责"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
AUDIT_ARCHIVE_DIR = Path(os.environ.get("AUDIT_ARCHIVE_DIR") or VAR_DIR / "audit-archive")
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR") or VAR_DIR / "backups")
MEDIA_ROOT = VAR_DIR / "uploads"  # outside the web root; served only through views that check permission
# Request bodies (docs/deployment.md; the nginx sample's client_max_body_size matches MAX_REQUEST_MB): refused
# from the declared size before a byte is read (yigang.middleware.RequestLimitMiddleware), and counted again while
# a multipart body streams in (UploadLimitHandler, first of the handlers).
MAX_REQUEST_BYTES = envint("MAX_REQUEST_MB", 100, minimum=1) * 1024 * 1024  # a logged-in user's submission
ANONYMOUS_MAX_REQUEST_BYTES = 64 * 1024  # the login form, with room to spare
# The largest file any form takes (an attachment: 20 MiB; a regulation; an import) and slack, so the form can
# still say "too large" in its own words; anything larger is stopped while it streams in.
MAX_UPLOAD_FILE_BYTES = 21 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "yigang.middleware.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields and JSON, files apart

SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
# The age is an idle timeout, not an absolute one: activity pushes the expiry out again — at most once a minute
# (IdleSessionMiddleware), not on every request: a write per page view was a sixth of a kept page's cost.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Scripts only from our own static files: no inline JavaScript, no eval (yigang/static/js/yigang.js handles the
# data attributes that used to be inline handlers). Styles allow inline because ECharts draws its tooltips
# with style attributes; a style cannot run code, and templates escape what users type.
CONTENT_SECURITY_POLICY: dict[str, dict[str, list[str] | bool]] = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS is on unless DEBUG or HTTPS=0 says otherwise on purpose (a deployment without TLS, e.g. behind a proxy
# that talks plain HTTP to the browser: then say so with HTTPS=0 and know `check --deploy` will warn).
HTTPS = envbool("HTTPS", not DEBUG)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Harmless on an intranet name (nobody submits it to the preload list) and keeps `check --deploy` clean.
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

# E-mail for reminders (docs/deployment.md): off until EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = os.environ.get("EMAIL_FROM", "yigang@localhost")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other: set one of them")

# The imported regulation source may be large but never this large.
REGULATION_MAX_UPLOAD_BYTES = envint("REGULATION_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, minimum=1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refusal (403/404) is one line, not a traceback; an unreachable database one line naming it.
    "filters": {"refusals": {"()": "yigang.middleware.RefusalLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.request": {"filters": ["refusals"]},
        "axes": {"level": "WARNING"},  # lockouts go to the audit trail; axes' per-login chatter does not
        # One line per audit entry (id, time, event, hash) to a file off the database: AUDIT_LOG_FILE.
        "yigang.audit.anchor": {"handlers": [], "level": "INFO", "propagate": False},
    },
}
AUDIT_LOG_FILE = os.environ.get("AUDIT_LOG_FILE", "")
if AUDIT_LOG_FILE:
    LOGGING["handlers"]["audit_anchor"] = {  # type: ignore[index]
        "class": "logging.handlers.WatchedFileHandler",
        "filename": AUDIT_LOG_FILE,
        "encoding": "utf-8",
    }
    LOGGING["loggers"]["yigang.audit.anchor"]["handlers"] = ["audit_anchor"]  # type: ignore[index]
