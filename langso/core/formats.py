"""Numbers, money, percentages and dates the way Vietnamese readers write them: the one helper
every page, export and PDF uses.

    money(250000)        -> "250.000 đ"
    number(0.15)         -> "0,15"        number(1234567) -> "1.234.567"
    percent(99.44)       -> "99,4%"
    day(date(2026,12,7)) -> "07/12/2026"

Vietnamese groups thousands with "." and writes the decimal comma; these helpers do so
whatever language the page is shown in, so a figure reads the same in the page, its Excel
export and its PDF (DOMAIN.md). Values the helpers cannot read are shown as they are.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

EMPTY = "—"
THOUSANDS = "."
DECIMAL = ","


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return Decimal(int(value))
    try:
        d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError, TypeError):
        return None
    return d if d.is_finite() else None


def _group(digits: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return THOUSANDS.join(parts)


def number(value, places: int | None = None, *, empty: str = EMPTY) -> str:
    """A count or a decimal: thousands grouped with ".", decimal comma. `places=None` keeps
    the significant decimals (0,15; 62,5; 3); an integer `places` rounds half up and pads."""
    d = _decimal(value)
    if d is None:
        return empty if value is None or value == "" else str(value)
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{abs(d):f}"
    else:
        text = f"{abs(d):f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    sign = "-" if d < 0 and any(c not in "0." for c in text) else ""
    return sign + _group(whole) + (DECIMAL + frac if frac else "")


def money(value, *, empty: str = EMPTY) -> str:
    """Đồng, rounded to the đồng: "250.000 đ"."""
    d = _decimal(value)
    if d is None:
        return empty if value is None or value == "" else str(value)
    return number(d, 0) + " đ"


def percent(value, places: int = 1, *, empty: str = EMPTY) -> str:
    """A percentage already in percent: 99.44 -> "99,4%"; trailing zeros dropped (50,0 -> 50)."""
    d = _decimal(value)
    if d is None:
        return empty if value is None or value == "" else str(value)
    text = number(d, places)
    if DECIMAL in text:
        text = text.rstrip("0").rstrip(DECIMAL)
    return text + "%"


def day(value, *, empty: str = EMPTY) -> str:
    """dd/mm/yyyy."""
    if value is None or value == "":
        return empty
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def quantity(value, unit: str = "", *, empty: str = "") -> str:
    """A measured amount with its unit: "12,5 kg"."""
    shown = number(value, empty=empty)
    return f"{shown} {unit}".strip() if shown != empty else empty
