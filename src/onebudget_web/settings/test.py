"""Settings for pytest: the base settings with plain static storage (hashed storage 404s
under ``live_server``) and a throwaway data directory."""

import os
import tempfile

os.environ.setdefault("ONEBUDGET_DATA_DIR", tempfile.mkdtemp(prefix="onebudget-test-"))
# pytest-xdist workers inherit the controller's directory: each gets its own inside it, so
# that kept uploads counted by one test are not another worker's
if worker := os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["ONEBUDGET_DATA_DIR"] = os.path.join(os.environ["ONEBUDGET_DATA_DIR"], worker)
    os.makedirs(os.environ["ONEBUDGET_DATA_DIR"], exist_ok=True)
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-any-deployment-0123456789")

from onebudget_web.settings.base import *  # noqa: F403
from onebudget_web.settings.base import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

# Serve static files straight from the finders: no collectstatic before a test run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Passwords hashed fast: Argon2 is slow by design, and the suite hashes thousands (every
# demo place loaded hashes nine). The service's own hashers are the base settings'; the
# one test of them (tests/web/test_sign_in.py) puts them back and checks Argon2 is first.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
