"""The stored blog as plain data, so tests can compare two databases field by field."""

from django.contrib.auth import get_user_model

from dateline.comments.models import Comment
from dateline.posts.models import Label, Post, Redirect, Source

POST_FIELDS = (
    "title", "kind", "status", "path", "slug", "body_source", "body_format", "body_html",
    "excerpt", "published_at", "updated_at", "lead_image_caption",
)  # fmt: skip
COMMENT_FIELDS = (
    "author_name", "author_email", "author_url", "body", "body_html", "created_at", "status",
)  # fmt: skip


def _post(post: Post) -> dict:
    row = {name: getattr(post, name) for name in POST_FIELDS}
    row["lead_image"] = post.lead_image.name or ""
    row["author"] = (post.author.get_username(), post.author.get_full_name()) if post.author else ""
    row["source"] = (post.source.url, post.source.publisher) if post.source else None
    row["labels"] = sorted(label.name for label in post.labels.all())
    return row


def _comment(comment: Comment) -> dict:
    row = {name: getattr(comment, name) for name in COMMENT_FIELDS}
    row["post"] = comment.post.import_ref
    row["parent"] = comment.parent.import_ref if comment.parent else None
    return row


def snapshot() -> dict:
    """Posts and comments by import ref, labels and redirects: everything an import writes."""
    posts = Post.objects.select_related("author", "source").prefetch_related("labels")
    comments = Comment.objects.select_related("post", "parent")
    return {
        "posts": {p.import_ref: _post(p) for p in posts},
        "comments": {c.import_ref: _comment(c) for c in comments},
        "labels": sorted(Label.objects.values_list("name", flat=True)),
        "redirects": sorted(Redirect.objects.values_list("old_path", "new_path")),
    }


def row_counts() -> dict[str, int]:
    models = (Post, Comment, Label, Redirect, Source, Post.labels.through)
    return {model.__name__: model.objects.count() for model in models}


def empty_database() -> None:
    """What a fresh site holds: no posts, comments, labels, redirects, sources or imported
    authors (users who cannot log in)."""
    Comment.objects.all().delete()
    Post.objects.all().delete()
    for model in (Label, Redirect, Source):
        model.objects.all().delete()
    get_user_model().objects.filter(is_active=False).delete()
