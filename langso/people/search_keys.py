"""The search keys of households and residents, written once for every writer (the actions,
the admin, the population import and the demo): folded text that the directory search
(`queries.search_households`) matches word by word."""

from functools import lru_cache

from langso.core.text import fold

HOUSEHOLD_KEY_LENGTH = 300
RESIDENT_KEY_LENGTH = 200


@lru_cache(maxsize=20000)
def _fold_word(word: str) -> str:
    return fold(word)


def fold_name(text: str) -> str:
    """`fold()` one word at a time, with the same result: ASCII words (codes, house numbers)
    only need lower(), the others go through a cache, since names repeat the same few
    syllables and unidecode is otherwise the slowest step of an import."""
    return " ".join([w.lower() if w.isascii() else _fold_word(w) for w in text.split()])


def household_search_key(code: str, address_line: str, head_name: str = "") -> str:
    return fold_name(f"{code} {address_line} {head_name}")[:HOUSEHOLD_KEY_LENGTH]


def resident_search_key(full_name: str) -> str:
    return fold_name(full_name)[:RESIDENT_KEY_LENGTH]
