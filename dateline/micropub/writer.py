"""Micropub's h-entry properties onto posts, through the desk's own writer.

A post is created and updated with the editor's form and `save_post` (desk.editing), so
titles, bodies, labels, lead images and revisions are checked and kept as every other
path keeps them. `content` becomes the Markdown body (HTML content is converted, as the
editor converts it); `name` the title (a note gets its first words); `category` the
labels; the first uploaded `photo` the lead image (its alt the caption), photo URLs
images in the body; `post-status: draft` a draft; `published` the publication time;
`mp-slug` the address's last part. A deletion hides the post (a draft) and can be undone.
"""

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import Truncator, slugify

from dateline.core.links import linkable_url
from dateline.core.rasters import RasterRefused, check_raster
from dateline.desk.editing import PostEditForm, save_post
from dateline.micropub.models import Deletion
from dateline.micropub.requests import MicropubError, MicropubRequest
from dateline.posts.models import Post
from dateline.posts.rendering import text_head
from dateline.posts.services import stored_image_name
from dateline.posts.tomarkdown import html_to_markdown

TITLE_WORDS = 10


def _text(value: Any) -> str:
    if isinstance(value, dict):
        if "html" in value:
            return html_to_markdown(str(value["html"]))
        return str(value.get("value", ""))
    return str(value)


def _photo(value: Any) -> tuple[str, str]:
    """(url, alt) of a photo given as a URL or as {"value": url, "alt": text}."""
    if isinstance(value, dict):
        return str(value.get("value", "")), str(value.get("alt", ""))
    return str(value), ""


def _when(properties: dict[str, list]) -> datetime | None:
    raw = properties.get("published", [None])[0]
    if raw is None:
        return None
    try:
        when = parse_datetime(str(raw))
    except ValueError:
        when = None
    if when is None:
        raise MicropubError("invalid_request", f"published is not a date and time: {raw!r}.")
    return when if timezone.is_aware(when) else timezone.make_aware(when)


def _form_data(properties: dict[str, list], post: Post | None) -> QueryDict:
    body = "\n\n".join(_text(value) for value in properties.get("content", []))
    photos = [_photo(value) for value in properties.get("photo", [])]
    images = [f"![{alt}]({url})" for url, alt in photos if linkable_url(url)]
    body = "\n\n".join([*images, body]) if images else body
    name = " ".join(_text(value) for value in properties.get("name", [])).strip()
    if not name:
        words = text_head(body, TITLE_WORDS) if body else ""
        name = Truncator(" ".join(words.split())).words(TITLE_WORDS) or "Note"
    data = QueryDict(mutable=True)
    data.update({"title": name[:300], "body_source": body, "kind": "post",
                 "excerpt": " ".join(_text(v) for v in properties.get("summary", []))})  # fmt: skip
    data.setlist("labels", [str(value) for value in properties.get("category", [])])
    if post is not None and post.lead_image_caption:
        data["lead_image_caption"] = post.lead_image_caption
    return data


def _save(form: PostEditForm, user: AbstractBaseUser, published_at: datetime | None = None) -> Post:
    if not form.is_valid():
        problems = "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()
        )
        raise MicropubError("invalid_request", problems)
    return save_post(form, user, published_at=published_at)


def _checked_photo(data: bytes) -> tuple[bytes, str]:
    try:
        return data, check_raster(data)
    except RasterRefused as refusal:
        raise MicropubError("invalid_request", f"photo: {refusal}.") from None


def create(request: MicropubRequest, user: AbstractBaseUser, drafts_only: bool) -> Post:
    if request.kind != "entry":
        raise MicropubError("invalid_request", f"Only h-entry can be posted, not h-{request.kind}.")
    properties = request.properties
    draft = drafts_only or "draft" in [str(v) for v in properties.get("post-status", [])]
    data = _form_data(properties, None)
    files = {}
    checked = [_checked_photo(upload.read()) for upload in request.files.get("photo", [])]
    if checked:  # the first is the lead image; the others go into the body
        photo, extension = checked[0]
        files["lead_image"] = ContentFile(photo, name=f"micropub.{extension}")
        data["lead_image_caption"] = " ".join(str(v) for v in properties.get("mp-photo-alt", []))
        more = [f"![]({default_storage.url(stored_image_name(d, 'photo', e))})"
                for d, e in checked[1:]]  # fmt: skip
        data["body_source"] = "\n\n".join([*more, data["body_source"]])
    form = PostEditForm(data, files, instance=Post(), action="draft" if draft else "publish")
    slug = slugify(" ".join(str(v) for v in properties.get("mp-slug", [])), allow_unicode=True)
    if slug:
        form.instance.slug = slug[:80]
    when = _when(properties)  # a bad date is refused before anything is written
    return _save(form, user, published_at=None if draft else when)


def post_for(url: str) -> Post:
    """The post a Micropub URL names: its public address, or the desk's for a draft."""
    path = urlsplit(url).path
    if path.startswith("/desk/posts/"):
        number = path.removeprefix("/desk/posts/").strip("/").split("/")[0]
        post = Post.objects.filter(pk=int(number)).first() if number.isdigit() else None
    else:
        post = Post.objects.filter(path=path).first() if path else None
    if post is None:
        raise MicropubError("invalid_request", f"No post at {url[:200]!r}.")
    return post


def source(post: Post) -> dict[str, list]:
    """The post's properties as Micropub's q=source gives them."""
    properties: dict[str, list] = {"name": [post.title], "content": [post.body_source]}
    if post.published_at:
        properties["published"] = [post.published_at.isoformat()]
    properties["category"] = [label.name for label in post.labels.all()]
    properties["post-status"] = ["draft" if post.state == "draft" else "published"]
    if post.path:
        properties["url"] = [post.path]
    return properties


def update(post: Post, changes: dict[str, Any], user: AbstractBaseUser) -> Post:
    """Replace, add and delete properties, as the spec's JSON update says."""
    properties = source(post)
    replace, add, delete = (changes.get(key, {}) for key in ("replace", "add", "delete"))
    if not isinstance(replace, dict) or not isinstance(add, dict):
        raise MicropubError("invalid_request", "replace and add must be objects.")
    for name, values in replace.items():
        if not isinstance(values, list):
            raise MicropubError("invalid_request", f"replace.{name} must be a list.")
        properties[name] = values
    for name, values in add.items():
        if not isinstance(values, list):
            raise MicropubError("invalid_request", f"add.{name} must be a list.")
        properties[name] = properties.get(name, []) + values
    if isinstance(delete, list):
        for name in delete:
            properties.pop(str(name), None)
    elif isinstance(delete, dict):
        for name, values in delete.items():
            gone = {str(value) for value in values} if isinstance(values, list) else set()
            properties[name] = [v for v in properties.get(name, []) if str(v) not in gone]
    else:
        raise MicropubError("invalid_request", "delete must be a list or an object.")
    data, action = _form_data(properties, post), "draft" if post.state == "draft" else "publish"
    if post.state == "scheduled":  # stays scheduled for its time (publish would send it now)
        local = timezone.localtime(post.published_at)
        data.update({"publish_date": f"{local:%Y-%m-%d}", "publish_time": f"{local:%H:%M}"})
        action = "schedule"
    return _save(PostEditForm(data, instance=post, action=action), user)


def delete(post: Post) -> None:
    """Hide the post from readers, remembering how it was (undelete restores it)."""
    Deletion.objects.update_or_create(post=post, defaults={"status_before": post.status})
    post.status = Post.Status.DRAFT
    post.save()


def undelete(post: Post) -> None:
    deletion = Deletion.objects.filter(post=post).first()
    if deletion is None:
        raise MicropubError("invalid_request", "That post was not deleted.")
    post.status = deletion.status_before
    post.save()
    deletion.delete()
