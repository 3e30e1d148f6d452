"""Any Markdown file with front matter is read, or refused with a MarkdownFileError."""

import contextlib
import tempfile
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from dateline.core.sanitize import is_clean
from dateline.interchange.markdown import MarkdownFileError, read_markdown_post
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
