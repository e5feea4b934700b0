"""How long free text may be: one table for every form, API schema and model.

A limit is enforced three times, so that no interface can skip it: the form field and the
API schema refuse the text before any work is done (with a Vietnamese message; in the API
the stable code `<app>.text_too_long`, HTTP 422), and the model field refuses it in
`full_clean()`, which every action calls. Django's TextField passes `max_length` only to
its form field, so `BoundedTextField` adds the validator the way CharField does.

Request bodies are capped per route as well (`BODY_LIMITS`, applied by
`langso.core.uploads.RequestSizeLimitMiddleware`), so that no text step ever sees more than
its route can carry. Limits are in characters; body limits in bytes.
"""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext as _

from .exceptions import ValidationFailed

#: a line: a name, a title, a code, a search box
LINE = 200
#: a remark: a reason, a comment, a note, a rating's comment, a message to a producer
NOTE = 2000
#: a description: of a dossier request, a product, a producer, a demand, a layer
DESCRIPTION = 4000
#: a resident's feedback and the commune's answer to it
FEEDBACK = 5000
#: a long text written by officials: an announcement, a document, a procedure's documents
BODY = 20000
#: a GeoJSON boundary typed or pasted into a form
GEOJSON = 200_000
#: any other string in an API body (a safety net under the per-field limits)
API_STRING = BODY

KB = 1024
MB = 1024 * KB

#: caps on a request body that is not multipart (a form without files, JSON, XML), per path
#: prefix, the longest prefix wins. Multipart bodies get the same cap, except on the routes
#: that take files (`langso.core.uploads.accepts_files`, the admin, the API's procedures,
#: documents and people), which keep the global LANGSO_MAX_REQUEST_BYTES and the limits per
#: file kind (`LANGSO_UPLOAD_MAX_BYTES`). A page's
#: form fits in 256 KB even with every field at its limit in Vietnamese (up to 9 bytes a
#: character once percent-encoded, FEEDBACK x 9 = 45 KB); only machine interfaces that take
#: documents (EPCIS capture, DHIS2 data values) get more.
BODY_LIMITS: dict[str, int] = {
    "/": 256 * KB,
    "/admin/": 2 * MB,
    "/api/": 1 * MB,
    "/api/trace/": 10 * MB,
    "/api/monitor/": 10 * MB,
}


#: the longest query string (as sent, percent-encoded): a search box and every filter fit,
#: and reverse proxies refuse longer request lines anyway (nginx: 8 KB)
QUERY_LIMIT = 8 * KB


def body_limit(path: str) -> int:
    """The cap on a body that is not multipart for a request to `path`."""
    best = "/"
    for prefix in BODY_LIMITS:
        if path.startswith(prefix) and len(prefix) > len(best):
            best = prefix
    return BODY_LIMITS[best]


class BoundedTextField(models.TextField):
    """A TextField whose max_length is checked by full_clean(), not only by the form."""

    def __init__(self, *args, **kwargs):
        if kwargs.get("max_length") is None:
            raise TypeError("BoundedTextField needs max_length")
        super().__init__(*args, **kwargs)
        self.validators.append(MaxLengthValidator(kwargs["max_length"]))


class TextTooLong(ValidationFailed):
    code = "core.text_too_long"


def check_length(value: str | None, *, limit: int, label: str, app: str) -> str:
    """Refuse text over `limit` characters before any work is done on it."""
    value = value or ""
    if len(value) > limit:
        raise TextTooLong(too_long_message(label, limit), code=f"{app}.text_too_long")
    return value


def too_long_message(label: str, limit: int) -> str:
    return _("%(field)s quá dài: tối đa %(max)s ký tự.") % {
        "field": label[:1].upper() + label[1:],
        "max": f"{limit:,}".replace(",", "."),
    }
