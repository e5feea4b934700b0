"""Test run: same as local, fast hashing, files in a temporary folder, no network."""

import tempfile
from pathlib import Path

from .base import *

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="langso-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="langso-test-static-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Scan counts: written only when a test calls flush_scan_counts(), inside its transaction (a
# count buffered by another test must never reach this test's database).
LANGSO_TRACE_SCAN_FLUSH_SECONDS = 10**9
LANGSO_TRACE_SCAN_FLUSH_IN_BACKGROUND = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
else:
    # Django's backend with a flush that empties only the tables holding rows.
    DATABASES["default"]["ENGINE"] = "langso.core.testing.postgresql"
    # The audit log refuses TRUNCATE (core migration 0006) except where this is on: the
    # flush between transactional tests.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (
        _options.get("options", "") + " -c langso.allow_audit_truncate=on"
    ).strip()
# Every test client request comes from 127.0.0.1: count only in the tests of the limiter.
LANGSO_RATE_LIMIT_ENABLED = False
