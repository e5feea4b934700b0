"""Vietnamese text helpers: search keys without diacritics."""

import re
import unicodedata

from unidecode import unidecode

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """'Tức Tranh' -> 'tuc tranh'; 'Đắk Lắk' -> 'dak lak'. Used for search columns."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", unidecode(text).lower()).strip()


def ascii_upper(text: str | None) -> str:
    """Free text for bank payloads and labels that must be ASCII."""
    return fold(text).upper()
