"""Damaged Blogger and WordPress exports are read or refused with ImportFileError, quickly.

Small valid exports are written by our own writers, then truncated, bit-flipped, or
given DTDs, entities and stray markup; the readers must never crash another way,
never resolve an entity, and never hang (the profile's per-example deadline).
"""

import io
import re
from collections import Counter
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dateline.core.sanitize import is_clean
from dateline.interchange.blogger_writer import write_blogger
from dateline.interchange.detect import read_export
from dateline.interchange.errors import ImportFileError
from dateline.interchange.records import CommentRecord, PostRecord
from dateline.interchange.wxr_writer import write_wxr
from dateline.posts.rendering import render_body
from tests.fuzz.strategies import FRAGMENTS


def _records():
    when = datetime(2007, 7, 1, 12, tzinfo=UTC)
    for n in range(3):
        yield PostRecord(import_id=f"blogger:{n}", title=f"Post {n} <b>bold</b>",
                         body=f"<p>Body {n} &amp; more</p>", published=when, updated=when,
                         labels=("Iran", "Iraq"), path=f"/2007/07/post-{n}.html")  # fmt: skip
        yield CommentRecord(import_id=f"blogger:c{n}", post_import_id=f"blogger:{n}",
                            author_name="R", body="Nice <i>post</i>", published=when)  # fmt: skip


def _export(writer) -> bytes:
    out = io.BytesIO()
    writer(_records(), out, **({"blog_id": "1"} if writer is write_blogger else {}))
    return out.getvalue()


EXPORTS = {"blogger": _export(write_blogger), "wxr": _export(write_wxr)}
HOSTILE_XML = [
    b'<!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>', b"&x;", b"&amp;", b"&#0;",
    b'<!ENTITY a "aaaaaaaaaa">', b"<![CDATA[<script>alert(1)</script>]]>", b"\xff\xfe", b"\x00",
    b"<?xml-stylesheet href='x'?>", b"<content type='html'>&lt;script&gt;</content>", b"</feed>",
    b'xmlns:x="http://evil.example/"', b"<!--", b"]]>", b"<",
] + [fragment.encode("utf-8", "surrogatepass") for fragment in FRAGMENTS[:12]]  # fmt: skip


def read(data: bytes) -> list:
    """Every record, or ImportFileError; and whatever is read renders clean."""
    try:
        records = list(read_export(io.BytesIO(data), skipped=Counter()))
    except ImportFileError as error:
        assert str(error)
        return []
    for record in records:
        if isinstance(record, PostRecord):
            assert is_clean(render_body(record.body, record.body_format))
    return records


def test_the_unmutated_exports_are_read():
    assert all(len(read(data)) >= 6 for data in EXPORTS.values())


@given(kind=st.sampled_from(sorted(EXPORTS)), cut=st.floats(0, 1))
def test_a_truncated_export_is_read_or_refused(kind: str, cut: float):
    data = EXPORTS[kind]
    read(data[: int(len(data) * cut)])


@given(kind=st.sampled_from(sorted(EXPORTS)), flips=st.lists(st.tuples(st.floats(0, 1),
       st.integers(0, 255)), min_size=1, max_size=8))  # fmt: skip
def test_flipped_bytes_are_read_or_refused(kind: str, flips: list[tuple[float, int]]):
    data = bytearray(EXPORTS[kind])
    for where, value in flips:
        data[min(len(data) - 1, int(len(data) * where))] = value
    read(bytes(data))


@given(kind=st.sampled_from(sorted(EXPORTS)), where=st.floats(0, 1),
       inserted=st.lists(st.sampled_from(HOSTILE_XML) | st.binary(max_size=12), min_size=1,
                         max_size=4).map(b"".join))  # fmt: skip
def test_inserted_markup_and_entities_are_read_or_refused(kind: str, where: float, inserted: bytes):
    data = EXPORTS[kind]
    at = int(len(data) * where)
    records = read(data[:at] + inserted + data[at:])
    for record in records:  # no entity is ever resolved, whatever was declared
        assert "root:" not in str(record)


@given(entities=st.integers(1, 30))
def test_entity_expansion_is_refused(entities: int):
    declarations = "".join(f'<!ENTITY e{n} "&e{n - 1};&e{n - 1};">' for n in range(1, entities))
    bomb = f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY e0 "boom">{declarations}]>'.encode()
    assert read(bomb + EXPORTS["blogger"].split(b"?>", 1)[-1]) == []


def strict_read(data: bytes) -> ImportFileError:
    with pytest.raises(ImportFileError) as refused:
        list(read_export(io.BytesIO(data), skipped=Counter()))
    return refused.value


def test_a_malformed_blogger_date_is_refused_as_an_import_error():
    """Found by fuzzing: a bad date used to escape as a bare ValueError (a traceback)."""
    error = strict_read(
        re.sub(rb"(<published>2007-07-01T)12", rb"\1&amp;12", EXPORTS["blogger"], count=1)
    )
    assert error.line and "is not a date and time" in str(error)


def test_a_malformed_wordpress_date_is_refused_as_an_import_error():
    error = strict_read(
        re.sub(rb"(post_date_gmt>(<!\[CDATA\[)?2007-07-01) ", rb"\1x", EXPORTS["wxr"], count=1)
    )
    assert error.line and "is not a date and time" in str(error)


def test_a_namespace_with_a_closing_brace_is_refused_as_an_import_error():
    """Found by atheris: naming the wrong root element broke on a namespace holding "}"."""
    data = EXPORTS["blogger"].replace(b"http://www.w3.org/2005/Atom", b"http://w3.example/A}om", 1)
    error = strict_read(data)
    assert "starts with <feed>" in str(error)
