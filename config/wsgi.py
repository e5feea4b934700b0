import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django_application = get_wsgi_application()

from langso.trace.front import ScanPageFront  # noqa: E402 - needs the apps loaded above

# cached scan pages (the QR codes on products) are answered before Django: see front.py
application = ScanPageFront(django_application)
