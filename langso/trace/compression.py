"""Decompressing GS1 Digital Link URIs (GS1 Digital Link 1.1+, "compressed" form).

A compressed Digital Link carries its element strings in one path segment of URL-safe
base64 (`https://host/DBHKVAdpQgqrCg`), or only its qualifiers and attributes after an
uncompressed primary key (`https://host/01/09501101530003/AhDK…`). The bits read, in order:
- an AI as 4-bit digits: the first two say, through table P, how long the AI is (2-4
  digits); or a first hex digit A-F: an optimisation code (table Opt) standing for a fixed
  sequence of AIs; or F: a non-GS1 key=value pair (7-bit key length, key in 6-bit base64
  characters, then a value as below with a 7-bit length);
- each AI's value component by component (table F, derived from the GS1 AI table that
  `biip` ships): fixed-length numeric as a binary number of ceil(n·log2 10) bits;
  variable-length numeric with a length field of ceil(log2 max) bits first; alphanumeric
  with a 3-bit encoding (0 digits, 1 lower-case hex, 2 upper-case hex, 3 URL-safe base64,
  4 7-bit ASCII) and, when variable, a length field, then the characters.
Trailing padding (fewer than 8 bits) is ignored. Numeric values keep their leading zeros
(the length field says how many digits there are).

`decompress(segment)` returns the AIs and values in reading order, or raises ValueError.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
SEGMENT = re.compile(r"^[A-Za-z0-9_-]+$")
_HEX = "0123456789ABCDEF"

#: optimisation codes: one 8-bit code stands for these AIs (GS1 Digital Link, table Opt).
#: The values follow each other in the AIs' sorted order, as GS1's prototype toolkit (the
#: one digital-link.js embeds) writes and reads them: "1A" is 01, 10, 17, 21.
_OPT: dict[str, tuple[str, ...]] = {
    "0A": ("01", "22"),
    "0B": ("01", "10"),
    "0C": ("01", "21"),
    "0D": ("01", "17"),
    "0E": ("01", "7003"),
    "0F": ("01", "30"),
    "1A": ("01", "10", "21", "17"),
    "1B": ("01", "15"),
    "1C": ("01", "11"),
    "1D": ("01", "16"),
    "1E": ("01", "91"),
    "1F": ("01", "10", "15"),
    **{f"2{'ABCDEF'[i]}": ("01", f"310{i}") for i in range(6)},
    **{f"3{'ABCDEF'[i]}": ("01", f"320{i}") for i in range(6)},
    "9A": ("8010", "8011"),
    "9B": ("8017", "8019"),
    "9C": ("8018", "8019"),
    "9D": ("414", "254"),
    **{f"A{i}": ("01", f"392{i}") for i in range(10)},
    **{f"C{i}": ("255", f"390{i}") for i in range(10)},
    **{f"C{'ABCD'[i]}": ("255", f"394{i}") for i in range(4)},
}
TABLE_OPT = {code: tuple(sorted(ais)) for code, ais in _OPT.items()}

#: where the compression table of the standard's prototype differs from the AI formats
_FORMAT_OVERRIDES = {
    **{f"723{i}": (("X", None, 30),) for i in range(10)},
    "8007": (("X", None, 24),),
    "8013": (("X", None, 30),),
}


@lru_cache(maxsize=1)
def _ai_table() -> tuple[dict[str, int], dict[str, tuple]]:
    """(table P: first two digits -> AI length, table F: AI -> components), where a
    component is (kind N/X, fixed length or None, maximum length)."""
    import biip

    source = Path(biip.__file__).parent / "gs1_application_identifiers"
    rows = json.loads((source / "_application_identifiers.json").read_text(encoding="utf-8"))
    table_p: dict[str, int] = {}
    table_f: dict[str, tuple] = {}
    for row in rows:
        ai = row["ai"]
        table_p.setdefault(ai[:2], len(ai))
        parts = re.findall(r"(\[?)\+?([NXY])(\.\.)?(\d+)", row["format"])[1:]
        components: list[tuple] = []
        for optional, kind, variable, size in parts:
            kind = "X" if kind == "Y" else kind
            n = int(size)
            fixed = None if (variable or optional) else n
            if components and kind == "N" == components[-1][0] and fixed and components[-1][1]:
                merged = components[-1][1] + fixed  # N14+N2+N2 reads as one N18
                components[-1] = ("N", merged, merged)
            else:
                components.append((kind, fixed, n))
        table_f[ai] = tuple(components)
    table_f.update(_FORMAT_OVERRIDES)
    return table_p, table_f


def _length_bits(maximum: int) -> int:
    return math.ceil(math.log(maximum) / math.log(2) + 0.01)


def _value_bits(digits: int) -> int:
    return math.ceil(digits * math.log(10) / math.log(2) + 0.01)


class _Reader:
    def __init__(self, bits: str):
        self.bits, self.at = bits, 0

    def left(self) -> int:
        return len(self.bits) - self.at

    def take(self, count: int) -> int:
        if count > self.left():
            raise ValueError("compressed Digital Link ends early")
        chunk = self.bits[self.at : self.at + count]
        self.at += count
        return int(chunk, 2) if chunk else 0

    def digits(self, count: int) -> str:
        if count == 0:
            return ""
        number = self.take(_value_bits(count))
        text = str(number).zfill(count)
        if len(text) > count:
            raise ValueError("numeric value longer than its length")
        return text

    def characters(self, encoding: int, count: int) -> str:
        if encoding == 0:
            return self.digits(count)
        if encoding in (1, 2):
            text = "".join(_HEX[self.take(4)] for _ in range(count))
            return text.lower() if encoding == 1 else text
        if encoding == 3:
            return "".join(BASE64URL[self.take(6)] for _ in range(count))
        if encoding == 4:
            return "".join(chr(self.take(7)) for _ in range(count))
        raise ValueError(f"unknown value encoding {encoding}")


def _read_value(reader: _Reader, ai: str, table_f: dict) -> str:
    if ai not in table_f:
        raise ValueError(f"unknown AI {ai}")
    value = ""
    for kind, fixed, maximum in table_f[ai]:
        if kind == "N":
            count = fixed if fixed else reader.take(_length_bits(maximum))
            value += reader.digits(count)
        else:
            encoding = reader.take(3)
            count = fixed if fixed else reader.take(_length_bits(maximum))
            value += reader.characters(encoding, count)
    return value


def decompress(segment: str) -> list[tuple[str, str]]:
    """The (key, value) pairs of a compressed segment, in reading order: numeric GS1 AIs,
    and any non-GS1 keys. Raises ValueError when the segment is not one."""
    if not SEGMENT.match(segment or ""):
        raise ValueError("not URL-safe base64")
    table_p, table_f = _ai_table()
    reader = _Reader("".join(f"{BASE64URL.index(ch):06b}" for ch in segment))
    pairs: list[tuple[str, str]] = []
    while reader.left() > 8:
        h1, h2 = reader.take(4), reader.take(4)
        if h1 <= 9 and h2 <= 9:
            prefix = f"{h1}{h2}"
            if prefix not in table_p:
                raise ValueError(f"no AI starts with {prefix}")
            ai = prefix
            for _ in range(table_p[prefix] - 2):
                digit = reader.take(4)
                if digit > 9:
                    raise ValueError("AI digits must be 0-9")
                ai += str(digit)
            pairs.append((ai, _read_value(reader, ai, table_f)))
        elif f"{_HEX[h1]}{_HEX[h2]}" in TABLE_OPT:
            for ai in TABLE_OPT[f"{_HEX[h1]}{_HEX[h2]}"]:
                pairs.append((ai, _read_value(reader, ai, table_f)))
        elif h1 == 15:
            key_length = (h2 << 3) | reader.take(3)
            key = "".join(BASE64URL[reader.take(6)] for _ in range(key_length))
            encoding = reader.take(3)
            pairs.append((key, reader.characters(encoding, reader.take(7))))
        else:
            raise ValueError(f"no optimisation code {_HEX[h1]}{_HEX[h2]}")
    if not pairs:
        raise ValueError("nothing compressed")
    return pairs


def _encoding(text: str) -> int:
    if text.isascii() and text.isdigit():
        return 0
    if re.fullmatch(r"[0-9A-F]+", text):
        return 2
    if re.fullmatch(r"[0-9a-f]+", text):
        return 1
    if SEGMENT.match(text):
        return 3
    return 4


def _write_characters(text: str, encoding: int) -> str:
    if encoding == 0:
        return f"{int(text):0{_value_bits(len(text))}b}"
    if encoding in (1, 2):
        return "".join(f"{_HEX.index(ch.upper()):04b}" for ch in text)
    if encoding == 3:
        return "".join(f"{BASE64URL.index(ch):06b}" for ch in text)
    if any(ord(ch) > 127 for ch in text):
        raise ValueError("only 7-bit ASCII can be compressed")
    return "".join(f"{ord(ch):07b}" for ch in text)


def _write_value(ai: str, value: str, table_f: dict) -> str:
    bits, rest = "", value
    for kind, fixed, maximum in table_f[ai]:
        part, rest = (rest[:fixed], rest[fixed:]) if fixed else (rest, "")
        if kind == "N":
            if not fixed:
                bits += f"{len(part):0{_length_bits(maximum)}b}"
            bits += f"{int(part or 0):0{_value_bits(len(part))}b}" if part else ""
        else:
            encoding = _encoding(part)
            bits += f"{encoding:03b}"
            if not fixed:
                bits += f"{len(part):0{_length_bits(maximum)}b}"
            bits += _write_characters(part, encoding)
    return bits


def compress(pairs: list[tuple[str, str]]) -> str:
    """The compressed segment of these GS1 AIs (in the AIs' sorted order, without the
    optimisation codes): what GS1's prototype writes with optimisations switched off."""
    _table_p, table_f = _ai_table()
    bits = ""
    for ai, value in sorted(pairs):
        if ai not in table_f:
            raise ValueError(f"unknown AI {ai}")
        bits += "".join(f"{int(d):04b}" for d in ai) + _write_value(ai, value, table_f)
    bits += "0" * (-len(bits) % 6)
    return "".join(BASE64URL[int(bits[i : i + 6], 2)] for i in range(0, len(bits), 6))
