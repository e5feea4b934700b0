"""No personal data in the logs.

Làng Số's own log calls name ids, never people. What this module guards against is the
rest: a library's message (an SMTP error naming the refused address, Django's
"Internal Server Error: <path>" for a path that holds an unsubscribe token, a traceback
quoting a value), and a log call added later without thought. `PersonalDataFilter` sits on
every handler (config/settings/base.py and production.py) and rewrites each record, message
and traceback alike, before it is written:

- e-mail addresses -> `[email]`, Vietnamese mobile numbers -> `[phone]`, 12-digit citizen
  ids -> `[id]`;
- the secret part of a URL: an unsubscribe token in a path, and `secret=`, `token=`,
  `signature=`, `key=`, `password=` values in a query string or a form body -> `[redacted]`.

Every pattern is bounded, so redacting costs time linear in the message. Nothing here is a
reason to log personal data and rely on the filter: it is the second line, not the first.
"""

from __future__ import annotations

import logging
import re

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}")
# 0912345678, +84912345678, 84912345678 (mobile numbers have 9 digits after the prefix).
_PHONE = re.compile(r"(?<![\d+])(?:\+84|84|0)[35789]\d{8}(?!\d)")
_CITIZEN_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")
_SECRET_PATH = re.compile(r"(/unsubscribe/)[^/\s?#\"'<>]{1,512}")
_SECRET_PARAM = re.compile(
    r"(\b(?:secret|token|signature|key|password|tracking_secret)=)[^&\s\"'<>]{1,512}",
    re.IGNORECASE,
)

REDACTED = "[redacted]"
# Any of the above but an e-mail address (which needs an "@"): most texts (an access
# line, a scan's path) hold none, and one search costs far less than five substitutions.
_ANY_BUT_EMAIL = re.compile(
    "|".join(
        f"(?{'i' if p.flags & re.IGNORECASE else ''}:{p.pattern})"
        for p in (_SECRET_PATH, _SECRET_PARAM, _PHONE, _CITIZEN_ID)
    )
)


def redact(text: str) -> str:
    """`text` without e-mail addresses, phone numbers, citizen ids and URL secrets."""
    if not text or ("@" not in text and _ANY_BUT_EMAIL.search(text) is None):
        return text
    text = _SECRET_PATH.sub(r"\1" + REDACTED, text)
    text = _SECRET_PARAM.sub(r"\1" + REDACTED, text)
    text = _EMAIL.sub("[email]", text)
    text = _PHONE.sub("[phone]", text)
    return _CITIZEN_ID.sub("[id]", text)


class PersonalDataFilter(logging.Filter):
    """Rewrites a record's message, traceback and `path` through `redact` (never drops it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is logging's own error to report
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        path = getattr(record, "path", None)
        if isinstance(path, str):
            record.path = redact(path)
        return True


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """django-axes' description of a client in its log lines, without the user name (often a
    phone number or an e-mail address): the address and the path are enough to act on."""
    if isinstance(path_info, list | tuple):
        path_info = path_info[0] if path_info else ""
    return f"{{ip_address: {ip_address!r}, path_info: {redact(str(path_info or ''))!r}}}"
