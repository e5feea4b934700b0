"""Masking personal data must stay linear in the text: the feedback form is anonymous."""

import time

import pytest

from langso.engage.privacy import EMAIL_MASK, ID_MASK, PHONE_MASK, scrub


def _best_times(small: str, large: str, rounds: int = 5) -> tuple[float, float]:
    """The best time of each text over a few rounds, the two measured in turn, so that a
    burst of load on a busy machine slows both rather than one."""
    best = {small: float("inf"), large: float("inf")}
    for _ in range(rounds):
        for text in (small, large):
            start = time.perf_counter()
            scrub(text, names=["Nguyễn Văn An"])
            best[text] = min(best[text], time.perf_counter() - start)
    return best[small], best[large]


@pytest.mark.parametrize(
    "unit",
    ["a", "0", "a.", "1 ", "0.", "ạ", "@a."],
    ids=["letters", "digits", "dotted", "spaced-digits", "dotted-digits", "vietnamese", "at"],
)
def test_masking_ten_times_the_text_costs_about_ten_times_as_much(unit):
    # A ratio, not a wall-clock limit: linear gives about 10, the old backtracking about 100
    # (sizes large enough that the small text does not fit the CPU cache either).
    # the tail makes every pattern run (scrub skips one that cannot match)
    small = unit * (100_000 // len(unit)) + " @ 0"
    large = unit * (1_000_000 // len(unit)) + " @ 0"
    scrub(small)
    small_time, large_time = _best_times(small, large)
    ratio = large_time / max(small_time, 1e-6)
    assert ratio < 30, f"{unit!r}: 10x the text took {ratio:.0f}x the time"


def test_masking_still_finds_what_it_masked_before():
    text = "Gọi 0912 345 678 hoặc an.nguyen+pa@mail.example.vn, CCCD 001203004567, CMND 123456789."
    out = scrub(text)
    assert out == (f"Gọi {PHONE_MASK} hoặc {EMAIL_MASK}, CCCD {ID_MASK}, CMND {ID_MASK}.")
    # the address is masked whole, from the start of its run of characters
    assert scrub("x" * 50 + "@mail.vn") == EMAIL_MASK
    assert scrub("gửi a.b@c.vn nhé") == f"gửi {EMAIL_MASK} nhé"
    assert scrub("no at sign here.vn") == "no at sign here.vn"
