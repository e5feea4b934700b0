"""Developer machine and the demo: SQLite by default, debug on, a throwaway key."""

import os

from .base import *

DEBUG = os.environ.get("DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-local-demo-key-never-use-in-production")
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]

# The demo serves its own test OpenID Connect provider under /demo-idp/ and shows its
# "VNeID (thử nghiệm)" and "SSO tỉnh (thử nghiệm)" buttons (langso.people.demo_idp,
# docs/sso.md). LANGSO_DEMO_IDP=0 turns it off; production.py never turns it on.
LANGSO_DEMO_IDP = os.environ.get("LANGSO_DEMO_IDP", "1") == "1"
