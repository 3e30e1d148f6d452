"""Any Markdown file with front matter is read, or refused with a MarkdownFileError."""

import contextlib
import tempfile
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from dateline.core.sanitize import is_clean
from dateline.interchange.errors import ImportFileError
from dateline.interchange.markdown import MarkdownFileError, read_markdown_post
from dateline.interchange.sources import open_records
from dateline.posts.rendering import render_body
from tests.fuzz.strategies import hostile_text

FIELDS = ["title", "published", "date", "updated", "labels", "status", "kind", "path", "slug",
          "author", "excerpt", "image", "image_caption", "source_url", "source_name"]  # fmt: skip
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
values = st.recursive(
    scalars | st.dates(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
front = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), values, max_size=8)


def read(content: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "post.md"
        path.write_bytes(content)
        return read_markdown_post(path)


@given(meta=front, body=hostile_text)
def test_generated_front_matter_is_read_or_refused_by_field(meta: dict, body: str):
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    try:
        record = read(text.encode("utf-8", "surrogatepass"))
    except MarkdownFileError as error:
        assert str(error)
        return
    assert record.title.strip()
    assert is_clean(render_body(record.body, record.body_format))


@given(raw=st.binary(max_size=400) | hostile_text.map(lambda t: t.encode("utf-8", "replace")))
def test_any_bytes_are_read_or_refused(raw: bytes):
    for content in (raw, b"---\n" + raw, b"---\ntitle: T\n---\n" + raw):
        with contextlib.suppress(MarkdownFileError):
            read(content)


def import_markdown(content: bytes) -> list:
    """Through the importer's entry, as `dateline import post.md` reads a file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "post.md"
        path.write_bytes(content)
        return list(open_records(path, skipped=Counter()))


def test_an_impossible_yaml_date_is_refused_as_an_import_error():
    """Found by atheris: YAML's own date type raised a bare ValueError for day 0."""
    with pytest.raises(ImportFileError, match="front matter"):
        import_markdown(b"---\ntitle: T\ndate: 2020-01-00\n---\nBody.\n")


def test_an_impossible_date_in_text_is_refused_by_field():
    """Found by atheris: text shaped like a date and time, with day 54, was a bare ValueError."""
    with pytest.raises(ImportFileError, match="is not a date and time") as refused:
        import_markdown(b"---\ntitle: T\npublished: 2019-08-54 07:3\n---\nBody.\n")
    assert refused.value.entry == "published"


def test_a_front_matter_key_named_self_imports():
    """Found by atheris: the importer's second look at the front matter broke on `self`."""
    (record,) = import_markdown(b"---\ntitle: T\nself: 1\nimport_id: md:x\n---\nBody.\n")
    assert (record.title, record.import_id) == ("T", "md:x")
