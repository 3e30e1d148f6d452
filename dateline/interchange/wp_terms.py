"""A WXR channel's categories and tags: labels even without posts, and their old addresses.

WordPress lists every category and tag at the top of the file (`wp:category`, `wp:tag`,
or `wp:term` with a taxonomy), including those no post uses. Each becomes a label, and
its old addresses (`/?cat=ID`, `/category/nicename/`, `/?tag=slug`, `/tag/slug/`, under
the blog's folder) redirect to the label's page. Our own export writes each label as a
tag carrying exactly the old addresses stored here (`_dateline_old_paths` term meta).
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from lxml import etree

from .common import unique_labels
from .records import SiteRecord

TERM_TAGS = ("category", "tag", "term")
TAXONOMY = {"category": "cat", "post_tag": "tag"}


def text_of(elem: etree._Element, tag: str) -> str:
    return (elem.findtext(tag) or "").strip()


class Terms:
    """Collects the channel's terms as they stream by."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.paths: dict[str, str] = {}
        self.ours: set[str] = set()  # paths our own export wrote, already whole

    def add(self, elem: etree._Element) -> bool:
        """Take a `wp:category`, `wp:tag` or `wp:term`; False for any other element."""
        wp, _, kind = str(elem.tag).rpartition("}")
        if kind not in TERM_TAGS:
            return False
        wp += "}"

        def text(name: str) -> str:
            return (elem.findtext(wp + name) or "").strip()

        if kind == "term":
            taxonomy = TAXONOMY.get(text("term_taxonomy"))
            name, slug = text("term_name"), text("term_slug")
        elif kind == "category":
            taxonomy, name, slug = "cat", text("cat_name"), text("category_nicename")
        else:
            taxonomy, name, slug = "tag", text("tag_name"), text("tag_slug")
        if not taxonomy or not name:
            return True
        self.names.append(name)
        for meta in elem.iterchildren(wp + "termmeta"):  # our own export: exactly these
            if text_of(meta, wp + "meta_key") == "_dateline_old_paths":
                for old in filter(None, text_of(meta, wp + "meta_value").split("\n")):
                    self.paths[old] = name
                    self.ours.add(old)
                return True
        slug = unquote(slug)
        key = text("term_id") if taxonomy == "cat" else slug
        if key:
            self.paths[f"/?{taxonomy}={key}"] = name
        if slug:
            self.paths[f"/{'category' if taxonomy == 'cat' else 'tag'}/{slug}/"] = name
        return True

    def site(self, fields: dict[str, str], blog_url: str) -> SiteRecord:
        """The SiteRecord with every label and its old addresses under the blog's folder."""
        names = unique_labels(self.names)
        return SiteRecord(
            **fields,
            labels=names,
            label_paths=tuple(
                (self._under(blog_url, old), name) for old, name in self.paths.items()
            ),
        )

    def _under(self, blog_url: str, old: str) -> str:
        if old in self.ours:
            return old
        return urlsplit(blog_url).path.rstrip("/") + old
