import pytest
from biip.gtin import Gtin

from langso.economy import gs1

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
    assert gs1.with_check_digit("401234500001") == "4012345000016"


@pytest.mark.parametrize("code", ["8934563138166", "4006381333932", "96385075"])
def test_wrong_check_digit_is_refused(code):
    with pytest.raises(gs1.InvalidGtin, match="bad_check_digit"):
        gs1.normalize_gtin(code)


@pytest.mark.parametrize(
    "code,reason",
    [
        ("12345", "bad_length"),
        ("893456313816A", "not_digits"),
        ("８９３４５６３１３８１６５", "not_digits"),
    ],
)
def test_bad_shapes_are_refused_with_a_reason(code, reason):
    with pytest.raises(gs1.InvalidGtin, match=reason):
        gs1.normalize_gtin(code)


def test_gtin_typed_with_spaces_is_normalised_to_fourteen_digits():
    assert gs1.normalize_gtin("893 4563 138165") == "08934563138165"
