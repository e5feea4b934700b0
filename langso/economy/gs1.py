"""GS1 keys: check digits (mod 10, weights 3,1,3,1... from the right) and GTIN-14."""

GTIN_LENGTHS = (8, 12, 13, 14)


class InvalidGtin(ValueError):
    pass


def check_digit(body: str) -> int:
    """The check digit for `body` (all digits of a GS1 key except the last)."""
    if not body.isdigit() or not body.isascii():
        raise ValueError("GS1 keys are made of the digits 0-9.")
    total = sum(int(ch) * (3 if i % 2 == 0 else 1) for i, ch in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid_key(key: str) -> bool:
    return (
        len(key) >= 2 and key.isascii() and key.isdigit() and check_digit(key[:-1]) == int(key[-1])
    )


def normalize_gtin(value: str) -> str:
    """GTIN-8/12/13/14 -> GTIN-14 (left-padded with zeros), check digit verified.

    Spaces and hyphens typed by people are ignored. Raises InvalidGtin."""
    digits = "".join(ch for ch in (value or "") if ch not in " -")
    if not digits.isascii() or not digits.isdigit():
        raise InvalidGtin("not_digits")
    if len(digits) not in GTIN_LENGTHS:
        raise InvalidGtin("bad_length")
    if not is_valid_key(digits):
        raise InvalidGtin("bad_check_digit")
    return digits.zfill(14)


def with_check_digit(body: str) -> str:
    return body + str(check_digit(body))
