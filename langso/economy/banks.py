"""Vietnamese banks taking part in NAPAS 247, by BIN (data/banks.json)."""

import json
from functools import cache

from .ocop_rules import DATA_DIR


@cache
def banks() -> tuple[dict, ...]:
    raw = json.loads((DATA_DIR / "banks.json").read_text(encoding="utf-8"))
    return tuple(raw["banks"])


def bank_by_bin(bank_bin: str) -> dict | None:
    return next((b for b in banks() if b["bin"] == bank_bin), None)


def bank_choices() -> list[tuple[str, str]]:
    return [(b["bin"], f"{b['short_name']} ({b['bin']})") for b in banks()]
