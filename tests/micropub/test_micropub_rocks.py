"""micropub.rocks' server tests (100-804), re-created here and run over real HTTP against
the live server: what each asks of a Micropub endpoint, checked on the post it made."""

import io
import json
from datetime import timedelta

import mf2py
import pytest
import requests
from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image

from dateline.micropub.models import Token
from dateline.micropub.tokens import create_token
from dateline.people.roles import AUTHOR, set_role
from dateline.posts.models import Post
from tests.conftest import png_bytes

pytestmark = pytest.mark.django_db(transaction=True)
ALL = ["create", "update", "delete", "media"]


def image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (10, 120, 30)).save(buffer, format=kind)
    return buffer.getvalue()


class Client:
    """A Micropub client: the endpoint found from the home page's rel=micropub link."""

    def __init__(self, base: str, token: str):
        self.base, self.token = base, token
        home = mf2py.parse(url=base + "/")  # as a client discovers it
        self.endpoint = home["rels"]["micropub"][0]

    def auth(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    def form(self, data, **kwargs) -> requests.Response:
        return requests.post(self.endpoint, data=data, headers=self.auth(), timeout=30,
                             allow_redirects=False, **kwargs)  # fmt: skip

    def json(self, body: dict) -> requests.Response:
        return requests.post(self.endpoint, json=body, headers=self.auth(), timeout=30,
                             allow_redirects=False)  # fmt: skip

    def query(self, **params) -> requests.Response:
        return requests.get(self.endpoint, params=params, headers=self.auth(), timeout=30)

    def entry(self, response: requests.Response) -> dict:
        """The h-entry at the Location a create answered (201)."""
        assert response.status_code == 201, response.text
        page = requests.get(response.headers["Location"], timeout=30)
        assert page.status_code == 200
        parsed = mf2py.parse(doc=page.text, url=response.headers["Location"])
        [entry] = [item for item in parsed["items"] if item["type"] == ["h-entry"]]
        return entry["properties"]


@pytest.fixture
def author(db):
    user = get_user_model().objects.create_user("writer", first_name="Wri")
    set_role(user, AUTHOR)
    return user


@pytest.fixture
def client(live_server, author) -> Client:
    return Client(live_server.url, create_token(author, ALL, "tests")[1])


def test_100_create_form_encoded(client):
    entry = client.entry(client.form({"h": "entry", "content": "Hello World"}))
    assert "Hello World" in entry["content"][0]["value"]


def test_101_and_107_categories_form_encoded(client):
    entry = client.entry(client.form({"h": "entry", "content": "Tags",
                                      "category[]": ["one", "two"]}))  # fmt: skip
    assert entry["category"] == ["one", "two"]
    entry = client.entry(client.form({"h": "entry", "content": "Tag", "category": "solo"}))
    assert entry["category"] == ["solo"]


def test_104_photo_by_url_form_encoded(client):
    entry = client.entry(client.form({"h": "entry", "content": "Look",
                                      "photo": "https://img.example/a.jpg"}))  # fmt: skip
    assert "https://img.example/a.jpg" in entry["content"][0]["html"]


def test_200_201_create_json_with_categories(client):
    body = {"type": ["h-entry"], "properties": {"content": ["JSON hello"],
                                                "category": ["a", "b"]}}  # fmt: skip
    entry = client.entry(client.json(body))
    assert "JSON hello" in entry["content"][0]["value"] and entry["category"] == ["a", "b"]


def test_202_html_content_json(client):
    body = {"type": ["h-entry"],
            "properties": {"content": [{"html": "<p>Hello <b>World</b></p>"}]}}  # fmt: skip
    entry = client.entry(client.json(body))
    assert "<strong>World</strong>" in entry["content"][0]["html"]


def test_203_205_206_photos_by_url_with_alt_json(client):
    body = {"type": ["h-entry"], "properties": {
        "content": ["Photos"],
        "photo": [{"value": "https://img.example/b.jpg", "alt": "A bridge"},
                  "https://img.example/c.jpg"],
    }}  # fmt: skip
    html = client.entry(client.json(body))["content"][0]["html"]
    assert 'src="https://img.example/b.jpg"' in html and 'alt="A bridge"' in html
    assert 'src="https://img.example/c.jpg"' in html


def test_204_a_nested_object_is_accepted(client):
    body = {"type": ["h-entry"], "properties": {
        "content": ["Checked in"],
        "location": [{"type": ["h-card"], "properties": {"name": ["Harbour"]}}],
    }}  # fmt: skip
    assert client.entry(client.json(body))["content"]


def test_300_301_photos_multipart(client):
    files = [("photo", ("a.png", png_bytes(), "image/png")),
             ("photo", ("b.jpg", image("JPEG"), "image/jpeg"))]  # fmt: skip
    response = client.form({"h": "entry", "content": "Two photos"}, files=files)
    entry = client.entry(response)
    assert entry["photo"][0]["value"].startswith(client.base + "/media/")
    assert entry["content"][0]["html"].count("<img") == 1  # the second, in the body


def created(client, **properties) -> str:
    body = {"type": ["h-entry"], "properties": {"content": ["Original"], **properties}}
    response = client.json(body)
    assert response.status_code == 201
    return response.headers["Location"]


def test_400_to_404_updates(client):
    url = created(client, category=["keep", "drop"])
    assert client.json({"action": "update", "url": url,
                        "replace": {"content": ["Replaced"]}}).status_code == 200  # fmt: skip
    assert client.json({"action": "update", "url": url,
                        "add": {"category": ["added"]}}).status_code == 200  # fmt: skip
    assert client.json({"action": "update", "url": url,
                        "delete": {"category": ["drop"]}}).status_code == 200  # fmt: skip
    source = client.query(q="source", url=url).json()["properties"]
    assert source["content"] == ["Replaced"]
    assert source["category"] == ["added", "keep"]  # labels by name
    assert client.json({"action": "update", "url": url, "delete": ["category"]}).status_code == 200
    assert client.query(q="source", url=url).json()["properties"]["category"] == []


def test_405_an_operation_that_is_not_an_array_is_refused(client):
    url = created(client)
    response = client.json({"action": "update", "url": url, "replace": {"content": "x"}})
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


@pytest.mark.parametrize("encoding", ["form", "json"])
def test_500_to_503_delete_and_undelete(client, encoding):
    url = created(client)
    send = client.form if encoding == "form" else client.json
    assert send({"action": "delete", "url": url}).status_code == 204
    assert requests.get(url, timeout=30).status_code == 404
    assert send({"action": "undelete", "url": url}).status_code == 204
    assert requests.get(url, timeout=30).status_code == 200


def test_600_601_config_and_syndication_queries(client):
    config = client.query(q="config").json()
    assert config["media-endpoint"] == client.base + "/micropub/media"
    assert config["syndicate-to"] == []
    assert client.query(q="syndicate-to").json() == {"syndicate-to": []}


def test_602_603_source_queries(client):
    url = created(client, name=["A title"], category=["x"])
    whole = client.query(q="source", url=url).json()
    assert whole["type"] == ["h-entry"] and whole["properties"]["name"] == ["A title"]
    some = client.query(q="source", url=url, **{"properties[]": ["name", "category"]}).json()
    assert some == {"properties": {"name": ["A title"], "category": ["x"]}}


@pytest.mark.parametrize(("kind", "mime"), [("JPEG", "image/jpeg"), ("PNG", "image/png"),
                                            ("GIF", "image/gif")])  # fmt: skip
def test_700_701_702_media_endpoint(client, kind, mime):
    media = client.query(q="config").json()["media-endpoint"]
    files = {"file": (f"x.{kind.lower()}", image(kind), mime)}
    response = requests.post(media, files=files, headers=client.auth(), timeout=30)
    assert response.status_code == 201
    stored = requests.get(response.headers["Location"], timeout=30)
    assert stored.status_code == 200 and stored.content == image(kind)


def test_800_801_token_in_header_or_body_but_not_both(client):
    assert client.form({"h": "entry", "content": "Header"}).status_code == 201
    data = {"h": "entry", "content": "Body", "access_token": client.token}
    body = requests.post(client.endpoint, data=data, timeout=30, allow_redirects=False)
    assert body.status_code == 201
    both = client.form({"h": "entry", "content": "Both", "access_token": client.token})
    assert both.status_code == 400 and both.json()["error"] == "invalid_request"


def test_802_the_token_is_not_stored_as_a_property(client):
    data = {"h": "entry", "content": "Private", "access_token": client.token}
    response = requests.post(client.endpoint, data=data, timeout=30, allow_redirects=False)
    post = Post.objects.get(body_source="Private")
    assert client.token not in post.body_html and response.status_code == 201
    source = client.query(q="source", url=response.headers["Location"]).json()
    assert client.token not in json.dumps(source)


def test_803_804_unauthenticated_and_unauthorized(client, author):
    none = requests.post(client.endpoint, data={"h": "entry", "content": "x"}, timeout=30)
    assert none.status_code == 401 and none.json()["error"] == "unauthorized"
    wrong = requests.post(client.endpoint, data={"h": "entry", "content": "x"}, timeout=30,
                          headers={"Authorization": "Bearer dlmp_nonsense"})  # fmt: skip
    assert wrong.status_code == 401
    _, media_only = create_token(author, ["media"], "media only")
    scoped = requests.post(client.endpoint, data={"h": "entry", "content": "x"}, timeout=30,
                           headers={"Authorization": f"Bearer {media_only}"})  # fmt: skip
    assert scoped.status_code == 401 and scoped.json()["error"] == "insufficient_scope"
    assert Post.objects.filter(body_source="x").count() == 0


def test_a_draft_token_makes_drafts_and_a_revoked_token_nothing(live_server, author):
    token, raw = create_token(author, ["draft"], "drafts")
    drafts = Client(live_server.url, raw)
    response = drafts.form({"h": "entry", "content": "Only a draft"})
    assert response.status_code == 201 and "/desk/posts/" in response.headers["Location"]
    assert Post.objects.get(body_source="Only a draft").state == "draft"
    Token.objects.filter(pk=token.pk).update(revoked_at=token.created_at)
    assert drafts.form({"h": "entry", "content": "No"}).status_code == 401


def test_tokens_are_stored_hashed(client):
    assert not Token.objects.filter(digest=client.token).exists()
    assert client.token not in str(list(Token.objects.values_list()))


def test_creates_are_rate_limited_per_author(client, monkeypatch):
    monkeypatch.setattr("dateline.micropub.views.MAX_CREATES", 2)
    for n in range(2):
        assert client.form({"h": "entry", "content": f"Post {n}"}).status_code == 201
    refused = client.form({"h": "entry", "content": "One too many"})
    assert refused.status_code == 429 and refused.json()["error"] == "rate_limited"
    assert not Post.objects.filter(body_source="One too many").exists()


def test_an_update_keeps_a_scheduled_post_scheduled(client, author):
    later = timezone.now() + timedelta(days=2)
    post = Post.objects.create(title="Later", body_source="Soon.", status="published",
                               published_at=later, author=author)  # fmt: skip
    url = f"{client.base}/desk/posts/{post.pk}/"
    response = client.json({"action": "update", "url": url, "replace": {"content": ["Sooner."]}})
    assert response.status_code == 200
    post.refresh_from_db()
    assert post.state == "scheduled" and post.body_source == "Sooner."
    assert abs(post.published_at - later) < timedelta(minutes=1)


def test_a_published_date_reaches_the_static_mirror(client, settings, tmp_path, monkeypatch):
    """The `published` property is the post's time from its first save: its address is of
    that month, and its pages, the caches and the mirror show that date."""
    from dateline.siteexport import hooks
    from dateline.siteexport.build import build_site

    mirror = tmp_path / "mirror"
    build_site(mirror, client.base)
    settings.DATELINE_STATIC_MIRROR = str(mirror)
    monkeypatch.setattr(hooks, "RUN_IN_THREAD", False)  # each commit's update, in turn
    body = {
        "type": ["h-entry"],
        "properties": {"content": ["Back-dated"], "published": ["2019-03-04T05:06:07+00:00"]},
    }
    response = client.json(body)
    assert response.status_code == 201
    post = Post.objects.get(body_source="Back-dated")
    page = (mirror / post.path.lstrip("/")).read_text()
    [entry] = [item for item in mf2py.parse(doc=page)["items"] if item["type"] == ["h-entry"]]
    assert entry["properties"]["published"][0].startswith("2019-03-04")
    assert post.path.startswith("/2019/03/")


@pytest.mark.parametrize("published", ["yesterday", "2019-02-30T00:00:00Z", ""])
def test_a_bad_published_date_is_refused_and_nothing_is_written(client, published):
    body = {"type": ["h-entry"], "properties": {"content": ["Dated"], "published": [published]}}
    response = client.json(body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert "published is not a date and time" in response.json()["error_description"]
    assert not Post.objects.filter(body_source="Dated").exists()


def test_a_future_published_date_schedules_the_post(client):
    later = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    body = {
        "type": ["h-entry"],
        "properties": {"content": ["Soon"], "published": [later.isoformat()]},
    }
    assert client.json(body).status_code == 201
    post = Post.objects.get(body_source="Soon")
    assert post.state == "scheduled" and post.published_at == later
