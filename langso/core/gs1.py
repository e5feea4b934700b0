"""GS1 keys, one set of rules for every app: check digits and normalised forms.

- Check digit (GS1 General Specifications §7.9): weights 3, 1, 3, 1… from the rightmost
  digit of the body; check = (10 − sum mod 10) mod 10.
- GTIN: 8, 12, 13 or 14 digits, stored as GTIN-14 (left-padded with zeros).
- GLN: 13 digits. SSCC: 18 digits.
- Spaces and hyphens that people type between digit groups are ignored; any other
  character (letters, full-width or superscript digits) is refused.

Errors are `InvalidKey` (a `ValueError`) whose message is a stable reason: `not_digits`,
`bad_length` or `bad_check_digit`; the apps turn it into their own `DomainError` with a
Vietnamese message.
"""

from __future__ import annotations

GTIN_LENGTHS = (8, 12, 13, 14)
GLN_LENGTH = 13
SSCC_LENGTH = 18


class InvalidKey(ValueError):
    """A GS1 key with the wrong characters, length or check digit."""

    @property
    def reason(self) -> str:
        return str(self)


def _digits(value: str) -> bool:
    return value.isascii() and value.isdigit()


def check_digit(body: str) -> int:
    """The check digit for `body` (every digit of a GS1 key but the last)."""
    if not _digits(body):
        raise InvalidKey("not_digits")
    total = sum(int(ch) * (3 if i % 2 == 0 else 1) for i, ch in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def with_check_digit(body: str) -> str:
    return body + str(check_digit(body))


def is_valid_key(key: str) -> bool:
    """Digits only, at least two, and the last one is the right check digit."""
    return len(key) >= 2 and _digits(key) and check_digit(key[:-1]) == int(key[-1])


def _normalize(value: str, lengths: tuple[int, ...]) -> str:
    digits = "".join(ch for ch in (value or "") if ch not in " -")
    if not _digits(digits):
        raise InvalidKey("not_digits")
    if len(digits) not in lengths:
        raise InvalidKey("bad_length")
    if not is_valid_key(digits):
        raise InvalidKey("bad_check_digit")
    return digits


def normalize_gtin(value: str) -> str:
    """GTIN-8/12/13/14 -> GTIN-14, check digit verified. Raises InvalidKey."""
    return _normalize(value, GTIN_LENGTHS).zfill(14)


def normalize_gln(value: str) -> str:
    """A GLN (13 digits), check digit verified. Raises InvalidKey."""
    return _normalize(value, (GLN_LENGTH,))


def normalize_sscc(value: str) -> str:
    """An SSCC (18 digits), check digit verified. Raises InvalidKey."""
    return _normalize(value, (SSCC_LENGTH,))
