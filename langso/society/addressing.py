"""The digital address code scheme (documented in docs/society.md).

    CCCCC-GGGGGGS-K    e.g. 05641-PQ6C232-R

CCCCC   the 2025 commune code at issue time;
GGGGGG  characters 5-10 of the point's Open Location Code: a cell of about 14 x 14 m,
        unique within the 1° x 1° area the commune lies in;
S       a disambiguator from the OLC alphabet ('2' for the first address of the cell,
        then '3', '4'... for neighbours in the same cell);
K       a check character (Luhn mod 22 over the characters, hyphens ignored), so that one
        mistyped character or two swapped neighbours are caught before a lookup.
"""

from openlocationcode import openlocationcode as olc

OLC_ALPHABET = "23456789CFGHJMPQRVWX"
CHECK_ALPHABET = "0123456789CFGHJMPQRVWX"


def open_location_code(latitude: float, longitude: float) -> str:
    return olc.encode(latitude, longitude, 11)


def grid_of(latitude: float, longitude: float) -> str:
    return olc.encode(latitude, longitude, 10).replace("+", "")[4:10]


def check_char(payload: str) -> str:
    n = len(CHECK_ALPHABET)
    total, factor = 0, 2
    for ch in reversed(payload.replace("-", "")):
        addend = factor * CHECK_ALPHABET.index(ch)
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return CHECK_ALPHABET[(n - total % n) % n]


def make_code(commune_code: str, grid: str, disambiguator: str) -> str:
    payload = f"{commune_code}-{grid}{disambiguator}"
    return f"{payload}-{check_char(payload)}"


def normalize(code: str) -> str:
    return "".join(code.split()).upper().replace("_", "-")


def is_well_formed(code: str) -> bool:
    parts = code.split("-")
    if len(parts) != 3 or len(parts[2]) != 1:
        return False
    if any(ch not in CHECK_ALPHABET for ch in parts[0] + parts[1] + parts[2]):
        return False
    return check_char(f"{parts[0]}-{parts[1]}") == parts[2]


def next_free_code(
    commune_code: str, latitude: float, longitude: float, used: set[str]
) -> str | None:
    """The first code of the point's cell not in `used` (None when all 20 are taken)."""
    grid = grid_of(latitude, longitude)
    for s in OLC_ALPHABET:
        code = make_code(commune_code, grid, s)
        if code not in used:
            return code
    return None
