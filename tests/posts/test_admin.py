"""Authoring in the admin: a staff author writes a Markdown post and sees it rendered."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dateline.posts.models import Label, Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(db) -> Client:
    user = get_user_model().objects.create_superuser("author", "a@example.org", "pw-for-tests")
    client = Client()
    client.force_login(user)
    return client


def test_author_writes_and_publishes_a_post_in_the_admin(author, client):
    malta = Label.objects.create(name="Malta")
    response = author.post(
        "/admin/posts/post/add/",
        {
            "title": "Written in the admin",
            "kind": "post",
            "status": "published",
            "published_at_0": "2024-06-01",
            "published_at_1": "10:00:00",
            "labels": [malta.pk],
            "body_format": "markdown",
            "body_source": "Some *emphasis*.\n\n## A subheading\n\n<script>alert(1)</script>",
            "excerpt": "",
            "lead_image_caption": "",
            "slug": "",
            "path": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get(title="Written in the admin")
    assert post.path == "/2024/06/written-in-the-admin.html"
    assert post.author.username == "author"
    page = client.get(post.path).content.decode()
    assert "<em>emphasis</em>" in page and "<h2>A subheading</h2>" in page
    assert "<script>alert(1)</script>" not in page
    change = author.get(f"/admin/posts/post/{post.pk}/change/").content.decode()
    assert 'class="dateline-preview"' in change and "<em>emphasis</em>" in change


def test_admin_lists_posts_with_their_state(author, make_post):
    from datetime import timedelta

    from django.utils import timezone

    make_post(title="Later", published_at=timezone.now() + timedelta(days=1))
    make_post(title="Unfinished", status="draft")
    listing = author.get("/admin/posts/post/").content.decode()
    assert "scheduled" in listing and "draft" in listing


def test_labels_keep_aliases_and_are_unique_ignoring_case(author):
    Label.objects.create(name="Iran", aliases="Iranian\nTehran\n")
    assert Label.objects.get().alias_list == ["Iranian", "Tehran"]
    response = author.post(
        "/admin/posts/label/add/", {"name": "IRAN", "aliases": "", "description": ""}
    )
    assert response.status_code == 200  # the form is shown again with an error
    assert Label.objects.count() == 1


def test_an_uploaded_lead_image_passes_the_same_checks_as_a_clipped_one(author, settings):
    """A decompression bomb and an SVG are refused with the reason; a PNG is kept."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import png_bytes
    from tests.interchange.test_local_files import bomb_png

    settings.MEDIA_ROOT = settings.DATA_DIR / "media"
    form = {
        "title": "With a picture", "kind": "post", "status": "draft", "body_format": "markdown",
        "body_source": "Text.", "excerpt": "", "lead_image_caption": "", "slug": "", "path": "",
    }  # fmt: skip
    refused = {
        "bomb.png": (bomb_png(10_000, 10_000, pixels=True), "10000x10000 pixels is more than"),
        "logo.svg": (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "Upload a valid image"),
    }
    for name, (data, reason) in refused.items():
        upload = SimpleUploadedFile(name, data, content_type="image/png")
        response = author.post("/admin/posts/post/add/", {**form, "lead_image": upload})
        assert response.status_code == 200, name
        assert reason in response.content.decode(), name
    assert not Post.objects.exists()
    upload = SimpleUploadedFile("harbour.png", png_bytes(), content_type="image/png")
    response = author.post("/admin/posts/post/add/", {**form, "lead_image": upload})
    assert response.status_code == 302
    assert Post.objects.get().lead_image.name.endswith("harbour.png")
