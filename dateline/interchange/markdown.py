"""Markdown files with YAML front matter (the seed-post.md shape) → PostRecord.

Pure: reads one file, validates every field, and names the file and field in
any error, so `dateline post add` can refuse a bad file before storing anything.
"""

from datetime import date, datetime, time
from pathlib import Path

import frontmatter
import yaml
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dateline.core.text import clean_text
from dateline.interchange.local_files import LocalFileRefused, LocalFiles
from dateline.interchange.records import PostRecord
from dateline.posts.paths import post_path_problem

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TITLE_LENGTH = 300


class MarkdownFileError(ValueError):
    """A Markdown post that cannot be stored; the message names the file and the field."""

    def __init__(self, path: Path, field: str, problem: str) -> None:
        super().__init__(f"{path}: {field}: {problem}")
        self.path, self.field, self.problem = path, field, problem


def _text(path: Path, meta: dict, field: str, required: bool = False) -> str:
    value = meta.get(field)
    if value is not None and not isinstance(value, str | int | float):
        raise MarkdownFileError(path, field, f"must be text, not {type(value).__name__}")
    text = "" if value is None else clean_text(str(value)).strip()
    if required and not text:
        # Checked after cleaning: a title of blanks or control characters is no title.
        raise MarkdownFileError(path, field, "missing (every post needs one)")
    return text


def _moment(path: Path, meta: dict, field: str) -> datetime | None:
    value = meta.get(field)
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(0, 0))
    else:
        try:
            moment = parse_datetime(str(value).strip())
        except ValueError:  # the right shape, an impossible date: 2019-08-54 (found by atheris)
            moment = None
        if moment is None:
            raise MarkdownFileError(path, field, f"{value!r} is not a date and time")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _labels(path: Path, meta: dict) -> tuple[str, ...]:
    value = meta.get("labels", meta.get("tags"))
    if value is None or value == "":
        return ()
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str | int) for item in items):
        raise MarkdownFileError(path, "labels", "must be a list of names, e.g. [Iran, Iraq]")
    names = [" ".join(clean_text(str(item)).split()) for item in items]
    if any(len(name) > 100 for name in names):
        raise MarkdownFileError(path, "labels", "a label name is longer than 100 characters")
    return tuple(dict.fromkeys(name for name in names if name))


def _source_url(path: Path, meta: dict) -> str:
    url = _text(path, meta, "source_url")
    if url and not url.lower().startswith(("http://", "https://")):
        raise MarkdownFileError(path, "source_url", f"{url!r} is not an http(s) address")
    return url


def _image(path: Path, meta: dict, root: Path) -> str:
    """The image's real path, if it is a file inside the folder being imported."""
    name = _text(path, meta, "image")
    if not name:
        return ""
    try:
        return str(LocalFiles.of(root).locate(name, relative_to=path.parent))
    except LocalFileRefused as refused:
        raise MarkdownFileError(path, "image", f"{name!r}: {refused}") from None


def _choice(path: Path, meta: dict, field: str, allowed: tuple[str, ...]) -> str:
    value = _text(path, meta, field) or allowed[0]
    if value not in allowed:
        raise MarkdownFileError(path, field, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _post_path(path: Path, meta: dict) -> str:
    value = _text(path, meta, "path")
    if value and (problem := post_path_problem(value)):
        raise MarkdownFileError(path, "path", f"{value!r} is {problem}")
    return value


def _load(path: Path) -> tuple[dict, str]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise MarkdownFileError(path, "file", "larger than 10 MB")
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise MarkdownFileError(path, "file", error.strerror or str(error)) from None
    except UnicodeDecodeError:
        raise MarkdownFileError(path, "file", "is not UTF-8 text") from None
    try:
        # parse(), not loads(): loads() builds a Post(**metadata), which a key such as
        # "self" breaks (found by fuzzing).
        metadata, content = frontmatter.parse(text)
    except (yaml.YAMLError, ValueError) as error:
        # ValueError: YAML that parses but names an impossible date, e.g. 2020-01-00
        # (found by fuzzing with atheris).
        raise MarkdownFileError(path, "front matter", f"not valid YAML ({error})") from None
    if not isinstance(metadata, dict) or not metadata:
        raise MarkdownFileError(path, "front matter", "missing: start the file with --- lines")
    return metadata, content


def read_markdown_post(path: Path, root: Path | None = None) -> PostRecord:
    """Read and validate one post file; raise MarkdownFileError naming the bad field.

    Its image must lie inside `root`, the folder being imported (by default the file's).
    """
    path = Path(path)
    meta, body = _load(path)
    published = _moment(path, meta, "published") or _moment(path, meta, "date")
    title = _text(path, meta, "title", required=True)
    if len(title) > MAX_TITLE_LENGTH:
        raise MarkdownFileError(path, "title", f"longer than {MAX_TITLE_LENGTH} characters")
    return PostRecord(
        import_id=f"markdown:{path.resolve()}",
        title=title,
        body=clean_text(body),
        body_format="markdown",
        kind=_choice(path, meta, "kind", ("post", "page")),
        status=_choice(path, meta, "status", ("published", "draft")),
        published=published,
        updated=_moment(path, meta, "updated"),
        path=_post_path(path, meta),
        slug=_text(path, meta, "slug"),
        labels=_labels(path, meta),
        author_name=_text(path, meta, "author"),
        excerpt=_text(path, meta, "excerpt"),
        lead_image=_image(path, meta, root or path.parent),
        lead_image_caption=_text(path, meta, "image_caption"),
        source_url=_source_url(path, meta),
        source_name=_text(path, meta, "source_name"),
    )
