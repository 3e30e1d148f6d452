"""Every page a reader or an author sees passes the Nu HTML checker with no errors."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from dateline.comments.models import Comment
from dateline.people.roles import EDITOR, set_role
from dateline.posts.models import Post
from tests.e2e.nu import nu_errors


def pages_of(client: Client, paths: list[str]) -> dict[str, bytes]:
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        pages[path] = response.content
    return pages


def test_public_pages_have_no_nu_errors(blog):
    post = next(iter(blog.values()))
    moment = timezone.now().replace(microsecond=123456)  # as the admin stores it
    Post.objects.filter(pk=post.pk).update(published_at=moment - timedelta(days=1))
    Comment.objects.create(post=post, author_name="Maren", body="Seen it too.",
                           created_at=moment, status=Comment.Status.APPROVED)  # fmt: skip
    label = post.labels.first()
    year = post.published_at.year
    paths = ["/", "/?page=2", post.path, f"/search/label/{label.name}", f"/{year}/",
             "/search?q=the", "/no-such-page"]  # fmt: skip
    errors = nu_errors(pages_of(Client(), paths))
    assert not errors, "\n".join(errors)


def test_author_pages_have_no_nu_errors(blog):
    post = next(iter(blog.values()))
    Comment.objects.create(post=post, author_name="Maren", body="Waiting <b>here</b>.",
                           created_at=timezone.now())  # fmt: skip
    draft = Post.objects.create(title="A draft", body_source="Not yet.")
    _dead_source(post)
    author = get_user_model().objects.create_user("hana", "h@example.org", "pw", is_staff=True)
    set_role(author, EDITOR)
    client = Client()
    client.force_login(author)
    paths = ["/desk/", "/desk/comments/", "/desk/comments/?status=approved", "/clip/",
             "/desk/settings/", "/desk/people/", "/desk/profile/",
             "/desk/posts/", "/desk/posts/new/", f"/desk/posts/{draft.pk}/",
             f"/desk/posts/{post.pk}/", f"/desk/posts/{post.pk}/revisions/",
             "/desk/sources/", "/desk/sources/?state=dead", "/desk/tokens/"]  # fmt: skip
    pages = pages_of(client, paths)
    made = client.post("/desk/tokens/", {"name": "Quill", "scopes": ["create"]}, follow=True)
    pages["/desk/tokens/ (a token made)"] = made.content
    errors = nu_errors(pages)
    assert not errors, "\n".join(errors)


def _dead_source(post: Post) -> None:
    """A clipped source found gone three times: the Sources page with a history."""
    from dateline.posts.models import Source
    from dateline.sources.checking import record
    from dateline.sources.probe import Finding
    from dateline.sources.states import Outcome

    source = Source.objects.create(url="https://gone.example/story", fetched_at=timezone.now())
    post.source = source
    post.save()
    for _ in range(3):
        record(source, Finding(Outcome.GONE, "The page is gone (HTTP 404).", 404))
