"""Removing personal data from text shown to the public: phone numbers, 12-digit citizen IDs
(and 9-digit old ID cards), e-mail addresses, and names the caller knows about."""

import re

_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
_ID12 = re.compile(r"(?<!\d)\d{12}(?!\d)")
_ID9 = re.compile(r"(?<!\d)\d{9}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

PHONE_MASK = "[số điện thoại]"
ID_MASK = "[số giấy tờ]"
EMAIL_MASK = "[thư điện tử]"
NAME_MASK = "[người gửi]"


def scrub(text: str, *, names: list[str] | tuple[str, ...] = ()) -> str:
    if not text:
        return ""
    out = _EMAIL.sub(EMAIL_MASK, text)
    out = _ID12.sub(ID_MASK, out)
    out = _PHONE.sub(PHONE_MASK, out)
    out = _ID9.sub(ID_MASK, out)
    for name in names:
        name = (name or "").strip()
        if len(name) >= 3:
            out = re.sub(re.escape(name), NAME_MASK, out, flags=re.IGNORECASE)
    return out
