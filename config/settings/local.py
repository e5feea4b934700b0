"""Developer machine and the demo: SQLite by default, a throwaway key. Debug is off unless
DEBUG=1, so a visitor of the demo meets the Vietnamese error pages, never Django's debug page
(with its URL list and settings); WhiteNoise serves the static files straight from the apps."""

import os
import warnings

from .base import *

DEBUG = os.environ.get("DEBUG", "0") == "1"
WHITENOISE_USE_FINDERS = True  # static files without collectstatic, with DEBUG off
WHITENOISE_AUTOREFRESH = DEBUG
# WhiteNoise warns that STATIC_ROOT does not exist: the demo serves from the apps instead.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-local-demo-key-never-use-in-production")
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]

# The demo serves its own test OpenID Connect provider under /demo-idp/ and shows its
# "VNeID (thử nghiệm)" and "SSO tỉnh (thử nghiệm)" buttons (langso.people.demo_idp,
# docs/sso.md). LANGSO_DEMO_IDP=0 turns it off; production.py never turns it on.
LANGSO_DEMO_IDP = os.environ.get("LANGSO_DEMO_IDP", "1") == "1"

# The demo's terminal: one line per request (runserver's; the JSON access log is for
# production), the task worker's warnings and errors but not a line per task, and none of
# pyHanko's notes about offline revocation info.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"short": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "short"},
        # db_worker raises its loggers to INFO; a handler of level WARNING keeps them quiet
        "problems": {"class": "logging.StreamHandler", "formatter": "short", "level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "langso.request": {"level": "WARNING"},
        "pyhanko": {"level": "ERROR"},
        "django_tasks": {"handlers": ["problems"], "propagate": False},
        "django_tasks_db": {"handlers": ["problems"], "propagate": False},
        "django.utils.autoreload": {"level": "WARNING"},
    },
}
# pyHanko imports cryptography's DSA, deprecated: a warning at every start that nobody can act on
warnings.filterwarnings("ignore", message="DSA is deprecated")
