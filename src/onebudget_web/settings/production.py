"""Production: a real secret key, PostgreSQL, named hosts, HTTPS only, no demo data.

Start-up refuses each unsafe setting with one clear line (and exit status 1), never a
traceback: no ``DJANGO_SECRET_KEY``, a ``DATABASE_URL`` that is not PostgreSQL,
``DJANGO_ALLOWED_HOSTS`` that is empty or holds a wildcard, ``ONEBUDGET_REQUIRE_TWO_FACTOR``
off, or an email backend that does not send mail (password-reset links must arrive): mail
goes by SMTP unless ``DJANGO_EMAIL_BACKEND`` names another sending backend.
``manage.py check --deploy --fail-level WARNING`` passes with these settings (CI runs it).
"""

import os
import sys

from onebudget_web.settings.base import *  # noqa: F403
from onebudget_web.settings.base import env_bool, env_list

NOT_SENDING = ("console", "locmem", "dummy", "filebased")


def unsafe() -> str | None:
    """The first unsafe setting, in words, or None."""
    url = os.environ.get("DATABASE_URL", "")
    hosts = env_list("DJANGO_ALLOWED_HOSTS", "")
    if not os.environ.get("DJANGO_SECRET_KEY"):
        return "set DJANGO_SECRET_KEY: production never generates its own key"
    if not url.startswith(("postgres://", "postgresql://")):
        return "set DATABASE_URL to the PostgreSQL database (postgres://...): not SQLite"
    if not hosts or any("*" in h for h in hosts):
        return "set DJANGO_ALLOWED_HOSTS to the service's host names, without wildcards"
    if not env_bool("ONEBUDGET_REQUIRE_TWO_FACTOR", True):
        return "set ONEBUDGET_REQUIRE_TWO_FACTOR on: admins, finance and pool managers need it"
    if any(kind in os.environ.get("DJANGO_EMAIL_BACKEND", "") for kind in NOT_SENDING):
        return "set DJANGO_EMAIL_BACKEND to one that sends mail (SMTP), not the console"
    return None


if (refusal := unsafe()) is not None:
    sys.exit(f"OneBudget will not start in production: {refusal}.")

DEBUG = False
ONEBUDGET_ALLOW_DEMO = False
ONEBUDGET_REQUIRE_TWO_FACTOR = True
EMAIL_BACKEND = (
    os.environ.get("DJANGO_EMAIL_BACKEND") or "django.core.mail.backends.smtp.EmailBackend"
)

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
