"""A page gzipped in pieces decompresses to exactly the page, whatever the fillers."""

import gzip
import zlib

import pytest

from dateline.serving.gzipsplice import SplicedGzip

FIXED = [b"<html><p>" + b"The ferry left at dawn. " * 400, b'<input value="', b'">' * 50]


@pytest.mark.parametrize("fillers", [[b"token123", b"started"], [b"", b""], [b"x" * 70_000, b"y"]])
def test_spliced_pieces_are_one_valid_gzip_member(fillers):
    zipped = SplicedGzip(FIXED).compress(fillers)
    expected = FIXED[0] + fillers[0] + FIXED[1] + fillers[1] + FIXED[2]
    assert gzip.decompress(zipped) == expected
    stream = zlib.decompressobj(wbits=31)  # strict: one member, trailer checked, nothing after
    assert stream.decompress(zipped) == expected and stream.eof and stream.unused_data == b""


def test_the_fixed_parts_stay_compressed():
    zipped = SplicedGzip(FIXED).compress([b"a", b"b"])
    assert len(zipped) < len(b"".join(FIXED)) / 10


def test_fillers_must_fit_between_the_fixed_parts():
    with pytest.raises(ValueError):
        SplicedGzip(FIXED).compress([b"only one"])
