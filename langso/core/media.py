"""Uploaded files: which are public, and how they are served.

Public files are served at MEDIA_URL by `public_media`, in production too (a reverse proxy
may serve the same prefixes itself, see docs/production.md): product photos, shown on the
market and the scan pages, photos of features of the public map, and the attachments of
published announcements (also in the RSS feed).

Every other upload is private and never served at MEDIA_URL, whatever its path: dossier
attachments and results (`procedures:file`, `procedures:result`), signed documents
(`documents:download`), OCOP dossier files (`economy:ocop_file`), residents' feedback photos
(`engage:feedback_photo`), evidence of the criteria (`monitor:evidence`). Each of those views
checks that the reader may see the object it belongs to, through the app's `*_visible_to`
door, and writes an audit line for a read of personal data. Files without a page (survey
answer files, XLSForm sources, certificate scans) are not served at all.

`langso/core/tests/test_media.py` fails when a model gains a file field that is in neither list.
"""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

PUBLIC_MEDIA_PREFIXES = ("products/", "society/map/", "engage/announcements/")
# Upload folders of private files (served only by a view that checks permission).
PRIVATE_MEDIA_PREFIXES = (
    "procedures/",
    "documents/",
    "ocop/",
    "engage/feedback/",
    "engage/survey-answers/",
    "engage/xlsforms/",
    "certificates/",
    "monitor/evidence/",
)


def is_public(path: str) -> bool:
    clean = posixpath.normpath(path).lstrip("/")
    if clean.startswith("..") or "\\" in path or "\x00" in path:
        return False
    return clean.startswith(PUBLIC_MEDIA_PREFIXES)


def public_media(request, path: str):
    """A public upload (a product photo...), else 404: private files have their own views."""
    if not is_public(path):
        raise Http404
    response = serve(request, posixpath.normpath(path), document_root=str(settings.MEDIA_ROOT))
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
