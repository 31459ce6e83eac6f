"""Settings read from the environment, with embedded defaults for a laptop.

- ``ONEBUDGET_DATA_DIR``: where the SQLite database, collected static files and the
  generated secret key live: one place whatever the current directory, by default
  ``$XDG_DATA_HOME/onebudget`` (``~/.local/share/onebudget``); ``make demo`` sets
  ``./var`` of the checkout.
- ``DATABASE_URL``: a PostgreSQL URL for a real deployment; SQLite in the data dir if unset
  (in WAL mode, write transactions queued rather than refused: ADR 0015).
- ``DJANGO_SECRET_KEY``, ``DJANGO_DEBUG``, ``DJANGO_ALLOWED_HOSTS``: as usual.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def default_data_dir() -> Path:
    """The user's data directory (XDG), never the directory the service was started from:
    started from ``src/`` it once made ``src/var/secret_key``, which was then committed."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "onebudget"


DATA_DIR = Path(os.environ.get("ONEBUDGET_DATA_DIR") or default_data_dir()).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """A key generated once per data directory, so a laptop never runs on a shared default."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or local_secret_key()
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# Demo data (fixed, printed passwords) may be loaded only where this is on.
ONEBUDGET_ALLOW_DEMO = env_bool("ONEBUDGET_ALLOW_DEMO", True)
# Trust X-Forwarded-For for the audit log's "from where" only behind a known proxy.
ONEBUDGET_TRUST_X_FORWARDED_FOR = env_bool("ONEBUDGET_TRUST_X_FORWARDED_FOR", False)
# Map tiles for the place builder: none unless a tile server is configured (no calls out).
ONEBUDGET_MAP_TILES = os.environ.get(
    "ONEBUDGET_MAP_TILES", ""
)  # e.g. https://{s}.tile.../{z}/{x}/{y}.png
ONEBUDGET_MAP_ATTRIBUTION = os.environ.get("ONEBUDGET_MAP_ATTRIBUTION", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",
    "onebudget_web.core",
    "onebudget_web.audit",
    "onebudget_web.accounts",
    "onebudget_web.places",
    "onebudget_web.funds",
    "onebudget_web.spend",
    "onebudget_web.allocation",
    "onebudget_web.bcf",
    "onebudget_web.contracts",
    "onebudget_web.scenarios",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "onebudget_web.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
    # before any view or the CSRF check reads the body: size-checked, kept in memory
    "onebudget_web.core.uploads.UploadLimitMiddleware",
    "onebudget_web.core.form_text.NoNulInFormsMiddleware",
    "onebudget_web.core.headers.NoStoreMiddleware",
    "onebudget_web.core.headers.ContentSecurityPolicyMiddleware",
    "onebudget_web.core.sessions.AbsoluteTimeoutMiddleware",
    "onebudget_web.core.refusals.RefusalMiddleware",  # NotPermitted -> 403, in one place
    # last: a signed-in person who still owes the second factor reaches only its pages
    "onebudget_web.accounts.two_factor.middleware.TwoFactorMiddleware",
]

ROOT_URLCONF = "onebudget_web.urls"
WSGI_APPLICATION = "onebudget_web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onebudget_web.core.context_processors.service",
            ],
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # the embedded database lives here
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'onebudget.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Many writers at once on the embedded database (ADR 0015): readers never wait for a
    # writer (WAL); a write transaction takes the write lock when it begins (IMMEDIATE), so
    # SQLite's busy handler queues it for up to ``timeout`` seconds instead of failing it.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    } | DATABASES["default"].get("OPTIONS", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): five failures for an account (from anywhere), or from one
# address (across accounts: password spraying), refuse that account or address for 15
# minutes; a successful login resets the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Two-factor sign-in (django-otp, ADR 0017): an authenticator app's code (TOTP) after the
# password, or a one-time recovery code. Required for admins, finance and pool managers
# (onebudget.roles.needs_two_factor) unless this is off, which production refuses; the demo
# turns it off (its users share a published password). Offered to everyone either way.
ONEBUDGET_REQUIRE_TWO_FACTOR = env_bool("ONEBUDGET_REQUIRE_TWO_FACTOR", True)
OTP_TOTP_ISSUER = "OneBudget"
# Wrong codes make the next try wait 1, 2, 4, 8... seconds, per device (django-otp's own
# throttling; 0 would turn it off)
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# A password-reset link (emailed; never says whether an account exists) works once, this long
PASSWORD_RESET_TIMEOUT = 60 * 60

SESSION_COOKIE_HTTPONLY = True
# Signed out after ONEBUDGET_IDLE_MINUTES without a request (each request renews the
# session), and ONEBUDGET_ABSOLUTE_HOURS after signing in whatever happens (core.sessions)
# A personal API token expires this many days after it is issued
ONEBUDGET_TOKEN_DAYS = int(os.environ.get("ONEBUDGET_TOKEN_DAYS", 90))
ONEBUDGET_IDLE_MINUTES = int(os.environ.get("ONEBUDGET_IDLE_MINUTES", 30))
ONEBUDGET_ABSOLUTE_HOURS = int(os.environ.get("ONEBUDGET_ABSOLUTE_HOURS", 10))
SESSION_COOKIE_AGE = ONEBUDGET_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
# An invitation to join an organisation: its one-time link works this many days
ONEBUDGET_INVITATION_DAYS = int(os.environ.get("ONEBUDGET_INVITATION_DAYS", 7))
# Mail (invitation links, when the person has an address). Django's default would try an SMTP
# server on localhost; without one configured, mail is written to the service's console
# output instead (the admin is shown the link anyway). A deployment sets
# DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the DJANGO_EMAIL_*.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", 587))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "OneBudget <noreply@localhost>")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_client_errors": {"()": "onebudget_web.core.logs.OneLineClientErrors"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["one_line_client_errors"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("ONEBUDGET_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 100

# Every upload (actuals, ledgers, mappings, agreements, budgets, sessions): a year's general
# ledger extract is tens of MB; anything larger is refused before it is read (core.uploads)
ONEBUDGET_MAX_UPLOAD_BYTES = int(os.environ.get("ONEBUDGET_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))
