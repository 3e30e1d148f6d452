"""Records → a folder of Markdown files with YAML front matter, one per post or page.

The files are what `read_markdown_post` (and `dateline post add`) read, with
lead images copied beside them under `images/`. Three extra front-matter
fields keep a round trip exact: `import_id`, `body_format: html` (an HTML
body is written as is; Markdown allows raw HTML) and `old_paths`; the import
command reads them (see `sources.read_markdown`). Comments have no place in
a Markdown post and are counted as left out.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import yaml

from dateline.posts import paths

from .common import format_iso
from .records import PostRecord, Record, SiteRecord

_HASHED_NAME = re.compile(r"^[0-9a-f]{16}-(.+)$")
_UNSAFE = re.compile(r"[^\w.-]+")


def _file_stem(post: PostRecord) -> str:
    """`/2007/07/us-and-iran.html` → `2007-07-us-and-iran`; drafts by status and slug."""
    if post.path:
        stem = post.path.strip("/").removesuffix(".html").replace("/", "-")
    else:
        stem = f"{post.status}-{post.slug or paths.slug_for(post.title)}"
    return _UNSAFE.sub("-", stem).strip("-.") or "post"


def _image_name(source: Path) -> str:
    """The name the author gave the image, without our content-hash prefix."""
    match = _HASHED_NAME.match(source.name)
    return match.group(1) if match else source.name


def _front_matter(post: PostRecord, image: str) -> dict[str, object]:
    meta: dict[str, object] = {
        "title": post.title,
        "import_id": post.import_id,
        "kind": post.kind,
        "status": post.status,
        "published": format_iso(post.published) if post.published else "",
        "updated": format_iso(post.updated) if post.updated else "",
        "path": post.path,
        "slug": post.slug,
        "labels": list(post.labels),
        "author": post.author_name,
        "author_login": post.author_login,  # finds the same user again
        "author_email": post.author_email,
        "excerpt": post.excerpt,
        "image": image,
        "image_caption": post.lead_image_caption,
        "source_url": post.source_url,
        "source_name": post.source_name,
        "body_format": "html" if post.body_format == "html" else "",
        "old_paths": list(post.old_paths),
    }
    return {key: value for key, value in meta.items() if value}


def _copy_image(post: PostRecord, directory: Path, stem: str) -> str:
    if not post.lead_image:
        return ""
    source = Path(post.lead_image)
    relative = Path("images") / stem / _image_name(source)
    (directory / relative).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, directory / relative)
    return relative.as_posix()


def _unique(stem: str, used: set[str]) -> str:
    candidate, suffix = stem, 2
    while candidate in used:
        candidate, suffix = f"{stem}-{suffix}", suffix + 1
    used.add(candidate)
    return candidate


def write_post(post: PostRecord, directory: Path, stem: str) -> Path:
    """Write one post as `stem.md` (and its image); return the file written."""
    image = _copy_image(post, directory, stem)
    header = yaml.safe_dump(
        _front_matter(post, image), allow_unicode=True, sort_keys=False, width=1000
    )
    target = directory / f"{stem}.md"
    target.write_text(f"---\n{header}---\n{post.body}\n", encoding="utf-8")
    return target


def write_markdown(records: Iterable[Record], directory: Path) -> Counter[str]:
    """Write every post and page into `directory` (created; must be empty if it exists)."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise FileExistsError(f"{directory} is not empty; export into a new folder")
    directory.mkdir(parents=True, exist_ok=True)
    counts: Counter[str] = Counter()
    used: set[str] = set()
    for record in records:
        if isinstance(record, SiteRecord):
            continue
        if isinstance(record, PostRecord):
            write_post(record, directory, _unique(_file_stem(record), used))
            counts[f"{record.kind}s"] += 1
        else:
            counts["skipped comment (Markdown files carry posts only)"] += 1
    return counts
