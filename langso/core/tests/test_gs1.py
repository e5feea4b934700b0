import pytest
from biip.gln import Gln
from biip.gtin import Gtin
from biip.sscc import Sscc

from langso.core import gs1

SAMPLES = [
    "96385074",
    "036000291452",
    "8934563138165",
    "4006381333931",
    "10614141000415",
    "8935049500209",
    "00012345600012",
]


@pytest.mark.parametrize("code", SAMPLES)
def test_gs1_check_digit_agrees_with_biip(code):
    parsed = Gtin.parse(code)
    assert gs1.is_valid_key(code)
    assert gs1.normalize_gtin(code) == parsed.as_gtin_14()


def test_check_digit_follows_weights_three_one_from_the_right():
    assert gs1.check_digit("893456313816") == 5
    assert gs1.check_digit("629104150021") == 3  # GS1's worked example
    assert gs1.with_check_digit("401234500001") == "4012345000016"


@pytest.mark.parametrize("code", ["8934563138166", "4006381333932", "96385075"])
def test_wrong_check_digit_is_refused(code):
    with pytest.raises(gs1.InvalidKey, match="bad_check_digit"):
        gs1.normalize_gtin(code)


@pytest.mark.parametrize(
    "code,reason",
    [
        ("12345", "bad_length"),
        ("893456313816A", "not_digits"),
        ("８９３４５６３１３８１６５", "not_digits"),
        ("89345631381²5", "not_digits"),
        ("", "not_digits"),
    ],
)
def test_bad_shapes_are_refused_with_a_reason(code, reason):
    with pytest.raises(gs1.InvalidKey, match=reason) as caught:
        gs1.normalize_gtin(code)
    assert caught.value.reason == reason


def test_gtin_typed_with_spaces_is_normalised_to_fourteen_digits():
    assert gs1.normalize_gtin("893 4563 138165") == "08934563138165"
    assert gs1.normalize_gtin("893-4563-138165") == "08934563138165"


def test_a_gln_is_thirteen_digits_with_its_check_digit():
    gln = gs1.with_check_digit("893850316800")
    assert gs1.normalize_gln(gln) == gln == Gln.parse(gln).value
    with pytest.raises(gs1.InvalidKey, match="bad_length"):
        gs1.normalize_gln("0" + gln)
    with pytest.raises(gs1.InvalidKey, match="bad_check_digit"):
        gs1.normalize_gln(gln[:-1] + str((int(gln[-1]) + 1) % 10))


def test_an_sscc_is_eighteen_digits_with_its_check_digit():
    assert gs1.normalize_sscc("106141412345678908") == Sscc.parse("106141412345678908").value
    with pytest.raises(gs1.InvalidKey, match="bad_check_digit"):
        gs1.normalize_sscc("106141412345678909")
    with pytest.raises(gs1.InvalidKey, match="bad_length"):
        gs1.normalize_sscc("10614141234567890")
