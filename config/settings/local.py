"""Developer machine and the demo: SQLite by default, debug on, a throwaway key."""

import os

from .base import *

DEBUG = os.environ.get("DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-local-demo-key-never-use-in-production")
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
