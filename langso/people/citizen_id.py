"""Vietnamese citizen identity numbers (CCCD, 12 digits).

Structure (Circular 07/2016/TT-BCA, Circular 59/2021/TT-BCA): 3 digits of the province of
birth registration (001-096), 1 digit for century and sex (0/1 = 20th century male/female,
2/3 = 21st, 4/5 = 22nd, ...), 2 digits of the year of birth, 6 random digits.
"""

from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Province codes of the legacy 63 provinces (CCCD prefixes stay on the old codes).
PROVINCE_PREFIXES = {
    "001",
    "002",
    "004",
    "006",
    "008",
    "010",
    "011",
    "012",
    "014",
    "015",
    "017",
    "019",
    "020",
    "022",
    "024",
    "025",
    "026",
    "027",
    "030",
    "031",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "040",
    "042",
    "044",
    "045",
    "046",
    "048",
    "049",
    "051",
    "052",
    "054",
    "056",
    "058",
    "060",
    "062",
    "064",
    "066",
    "067",
    "068",
    "070",
    "072",
    "074",
    "075",
    "077",
    "079",
    "080",
    "082",
    "083",
    "084",
    "086",
    "087",
    "089",
    "091",
    "092",
    "093",
    "094",
    "095",
    "096",
}


def century_digit(*, sex: str, birth_year: int) -> str:
    century_index = (birth_year // 100) - 19  # 1900s -> 0, 2000s -> 1
    return str(century_index * 2 + (1 if sex == "F" else 0))


@lru_cache(maxsize=1024)
def _sex_and_year_digits(sex: str, birth_year: int) -> str:
    """Digits 4-6 of a valid number: computed once per sex and year of birth, since an
    import checks many thousands of numbers against the same few hundred pairs."""
    return century_digit(sex=sex, birth_year=birth_year) + f"{birth_year % 100:02d}"


def validate_citizen_id(
    value: str, *, sex: str | None = None, date_of_birth: date | None = None
) -> None:
    if not (len(value) == 12 and value.isdigit()):
        raise ValidationError(_("Số CCCD phải gồm đúng 12 chữ số."), code="cccd_format")
    if value[:3] not in PROVINCE_PREFIXES:
        raise ValidationError(
            _("Mã tỉnh %(code)s ở đầu số CCCD không tồn tại.") % {"code": value[:3]},
            code="cccd_province",
        )
    if value[3] not in "0123456789":
        raise ValidationError(_("Số CCCD không hợp lệ."), code="cccd_format")
    if date_of_birth is not None and sex in ("M", "F"):
        expected = _sex_and_year_digits(sex, date_of_birth.year)
        if value[3:6] != expected:
            raise ValidationError(
                _("Số CCCD không khớp giới tính và năm sinh (chữ số 4-6 phải là %(expected)s).")
                % {"expected": expected},
                code="cccd_mismatch",
            )


def mask_citizen_id(value: str | None) -> str:
    """'001088012345' -> '0010******45'."""
    if not value:
        return ""
    return f"{value[:4]}{'*' * (len(value) - 6)}{value[-2:]}"
