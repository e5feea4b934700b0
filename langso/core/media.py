"""Uploaded files: which are public, and how they are served.

Public files are served at MEDIA_URL by `public_media`, in production too (a reverse proxy
may serve the same prefixes itself, see docs/production.md): product photos, shown on the
market and the scan pages, photos of features of the public map, and the attachments of
published announcements (also in the RSS feed). A folder may also have a gate, registered by
the app that owns its files (`register_gate`): the announcements' gate answers an attachment
of a draft or withdrawn announcement only to the commune's officials (never cached by a
proxy), and 404 to everyone else.

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
from collections.abc import Callable
from typing import Literal

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


Access = Literal["public", "private"] | None
# folder -> gate(request, path): "public" (anyone, cacheable), "private" (this reader only,
# not cached) or None (404)
_GATES: dict[str, Callable[..., Access]] = {}


def register_gate(prefix: str, gate: Callable[..., Access]) -> None:
    if not prefix.startswith(PUBLIC_MEDIA_PREFIXES):
        raise ValueError(f"{prefix} is not a public folder")
    _GATES[prefix] = gate


def access(request, path: str) -> Access:
    """Who may have this file at MEDIA_URL: see the module docstring."""
    if not is_public(path):
        return None
    clean = posixpath.normpath(path).lstrip("/")
    for prefix, gate in _GATES.items():
        if clean.startswith(prefix):
            return gate(request, clean)
    return "public"


def is_public(path: str) -> bool:
    clean = posixpath.normpath(path).lstrip("/")
    if clean.startswith("..") or "\\" in path or "\x00" in path:
        return False
    return clean.startswith(PUBLIC_MEDIA_PREFIXES)


def public_media(request, path: str):
    """A public upload (a product photo...), else 404: private files have their own views."""
    allowed = access(request, path)
    if allowed is None:
        raise Http404
    response = serve(request, posixpath.normpath(path), document_root=str(settings.MEDIA_ROOT))
    response["Cache-Control"] = (
        "public, max-age=86400" if allowed == "public" else "private, no-store"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
