"""Gzip a page that differs per reader in a few bytes, without compressing it all each time.

A cached post page is the same for every reader but for the comment form's token and start
time. Compressing its 25 KB for every reader cost more than everything else in answering
it. A deflate stream may be cut into independent pieces (each ending in a full flush,
which forgets the history, so no piece refers back into another): the fixed parts are
compressed once, the reader's few bytes go in as a stored (uncompressed) block, which
needs no compressor (making one costs more than compressing the page), and the pieces are
joined under one gzip header and trailer (RFC 1951, 1952).
"""

from __future__ import annotations

import struct
import zlib

_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, mtime 0, OS unknown
_LAST_BLOCK = zlib.compressobj(wbits=-15).flush(zlib.Z_FINISH)  # an empty final block


_STORED_MAX = 0xFFFF


def _piece(data: bytes, level: int) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


def _stored(data: bytes) -> bytes:
    """Non-final stored blocks; a full flush left the stream on a byte boundary."""
    blocks = []
    for start in range(0, len(data), _STORED_MAX):
        chunk = data[start : start + _STORED_MAX]
        blocks.append(struct.pack("<BHH", 0, len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(blocks)


class SplicedGzip:
    """`fixed` parts with a reader's fillers between them: fixed[0] fill[0] fixed[1] …"""

    def __init__(self, fixed: list[bytes], level: int = 6) -> None:
        self.fixed = fixed
        self.pieces = [_piece(part, level) for part in fixed]

    def compress(self, fillers: list[bytes]) -> bytes:
        if len(fillers) != len(self.fixed) - 1:
            raise ValueError("one filler goes between each pair of fixed parts")
        out = [_GZIP_HEADER, self.pieces[0]]
        crc = zlib.crc32(self.fixed[0])
        size = len(self.fixed[0])
        for filler, fixed, piece in zip(fillers, self.fixed[1:], self.pieces[1:], strict=True):
            out += (_stored(filler), piece)
            crc = zlib.crc32(fixed, zlib.crc32(filler, crc))
            size += len(filler) + len(fixed)
        out += (_LAST_BLOCK, struct.pack("<II", crc, size & 0xFFFFFFFF))
        return b"".join(out)
