"""The post's admin page shows suggested labels with reasons; the label list shows aliases."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dateline.posts.models import Label
from tests.labelling.conftest import SEED_TEXT, SEED_TITLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def author() -> Client:
    user = get_user_model().objects.create_superuser("author", "a@example.org", "pw-for-tests")
    client = Client()
    client.force_login(user)
    return client


def test_the_post_change_page_lists_suggestions_with_reasons_and_marks_new_ones(author, make_post):
    Label.objects.create(name="Iran", aliases="Iranian\nTehran")
    Label.objects.create(name="Iraq", aliases="Baghdad")
    post = make_post(title=SEED_TITLE, body_source=SEED_TEXT, labels=("Iran",))
    page = author.get(f"/admin/posts/post/{post.pk}/change/").content.decode()
    box = page[page.index('class="dateline-suggested-labels"') :]
    box = box[: box.index("</ul>")]
    assert "<strong>Iran</strong>" not in box  # already on the post: not suggested again
    assert "<strong>Iraq</strong> — " in box and "Baghdad" in box
    assert "<strong>United States</strong> (new label) — " in box
    assert box.index("Iraq</strong>") < box.index("United States</strong>")


def test_the_add_page_has_no_suggestions_box_and_still_saves(author):
    page = author.get("/admin/posts/post/add/").content.decode()
    assert "dateline-suggested-labels" not in page and 'name="labels"' in page


def test_suggestions_are_escaped(author, make_post):
    Label.objects.create(name="<b>Iran</b>", aliases="Iran\nTehran")
    post = make_post(title=SEED_TITLE, body_source=SEED_TEXT)
    page = author.get(f"/admin/posts/post/{post.pk}/change/").content.decode()
    assert "&lt;b&gt;Iran&lt;/b&gt;" in page and "<strong><b>Iran" not in page


def test_the_label_list_shows_aliases(author):
    Label.objects.create(name="Iran", aliases="Iranian\nTehran")
    page = author.get("/admin/posts/label/").content.decode()
    assert "Iranian, Tehran" in page
