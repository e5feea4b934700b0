import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trace_bench_settings")

from config.wsgi import application  # noqa: F401 - the production WSGI stack, scan front included
