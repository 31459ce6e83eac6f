"""Production: a real secret key, PostgreSQL, HTTPS only, no demo data.

``manage.py check --deploy --fail-level WARNING`` passes with these settings (CI runs it).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from onebudget_web.settings.base import *  # noqa: F403
from onebudget_web.settings.base import env_bool

if not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY: production never generates its own key.")
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("Set DATABASE_URL to the PostgreSQL database.")

DEBUG = False
ONEBUDGET_ALLOW_DEMO = False

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
