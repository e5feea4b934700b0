"""A scan page kept as one skeleton shared by many batches plus each batch's own parts.

A million scan pages differ only in a few places (lot, dates, timeline, QR URI); the rest
(head and style, product, producer, growing area, certificates, the province form) is the
same for every batch of a product harvested on the same day. Storing every page whole,
even gzip-compressed, costs ~2.6 KB of Redis a batch (ten events); storing each batch's
parts alone, ~1 KB (a record of ~0.8 KB and its key).

The page must still leave as one gzip body with no compression on the way out (a cache hit
costs a Redis read and a join, not a deflate). DEFLATE makes that possible:

- each piece of the skeleton is deflated on its own once (raw DEFLATE, ended with a sync
  flush: non-final blocks, byte-aligned), so it can stand anywhere in a stream;
- each batch part is deflated when its page is rendered, likewise, with the page text that
  comes before it in the final page as its preset dictionary: its back-references point
  into what the browser has already inflated, so the lot in the QR URI, the repeated
  `<li>` of the timeline and the labels of the skeleton cost a few bits;
- the body is a gzip header, the segments in page order, an empty final block and the
  CRC-32 and length of the whole page, both computed when the record is made.

A record is bytes: a fixed header (format, batch id, skeleton id, CRC-32, length), the
length of each part's segment, then the segments. A skeleton is identified by a hash of
its text, so it never changes under an id; its stored form is its text, zlib-compressed.
"""

from __future__ import annotations

import hashlib
import struct
import zlib

SLOT = "\x1a"  # a control character: never in escaped text from the database
_FORMAT = 1
_HEADER = struct.Struct("<BQ8sII")
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, mtime 0, OS unknown
_FINAL_BLOCK = b"\x03\x00"  # an empty final block (fixed Huffman codes)
_WINDOW = 32 * 1024  # DEFLATE's history window


def _deflate(data: bytes, history: bytes = b"") -> bytes:
    """Raw DEFLATE of `data` as it follows `history` in the stream, ended byte-aligned."""
    window = history[-_WINDOW:]
    compressor = (
        zlib.compressobj(6, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, window)
        if window
        else zlib.compressobj(6, zlib.DEFLATED, -15)
    )
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


class Skeleton:
    """A page with slots: `pieces` (n + 1 byte strings) around `names` (n slot names)."""

    __slots__ = ("blob", "id", "names", "pieces", "segments")

    def __init__(self, text: str):
        parts = text.split(SLOT)
        if len(parts) % 2 != 1:
            raise ValueError("a skeleton's slots are delimited in pairs")
        self.pieces = tuple(part.encode() for part in parts[0::2])
        self.names = tuple(parts[1::2])
        encoded = text.encode()
        self.id = hashlib.blake2b(encoded, digest_size=8).digest()
        self.blob = zlib.compress(encoded, 9)
        self.segments = tuple(_deflate(piece) for piece in self.pieces)

    @classmethod
    def from_blob(cls, blob: bytes) -> Skeleton:
        return cls(zlib.decompress(blob).decode())


def encode(batch_id: int, skeleton: Skeleton, fills: dict[str, str]) -> bytes:
    """The record of one batch's page: its parts, named as the skeleton's slots."""
    segments, lengths = [], []
    text = b""
    for index, name in enumerate(skeleton.names):
        text += skeleton.pieces[index]
        fill = fills[name].encode()
        segment = _deflate(fill, text)
        segments.append(segment)
        lengths.append(len(segment))
        text += fill
    text += skeleton.pieces[-1]
    header = _HEADER.pack(_FORMAT, batch_id, skeleton.id, zlib.crc32(text), len(text) & 0xFFFFFFFF)
    return header + struct.pack(f"<{len(lengths)}I", *lengths) + b"".join(segments)


def header(record: bytes) -> tuple[int, bytes]:
    """(batch id, skeleton id) of a record."""
    version, batch_id, skeleton_id, _crc, _size = _HEADER.unpack_from(record)
    if version != _FORMAT:
        raise ValueError(f"unknown page record format {version}")
    return batch_id, skeleton_id


def gzip_body(record: bytes, skeleton: Skeleton) -> bytes:
    """The whole page, gzip-compressed, from its record and its skeleton: no deflate here."""
    _version, _batch_id, skeleton_id, crc, size = _HEADER.unpack_from(record)
    if skeleton_id != skeleton.id:
        raise ValueError("the record belongs to another skeleton")
    count = len(skeleton.names)
    lengths = struct.unpack_from(f"<{count}I", record, _HEADER.size)
    at = _HEADER.size + 4 * count
    out = [_GZIP_HEADER]
    for index, length in enumerate(lengths):
        out.append(skeleton.segments[index])
        out.append(record[at : at + length])
        at += length
    out += [skeleton.segments[-1], _FINAL_BLOCK, struct.pack("<II", crc, size)]
    return b"".join(out)
