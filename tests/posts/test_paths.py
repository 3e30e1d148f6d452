"""Every writer stores paths through one check (security issue, finding 3).

A WXR's `_dateline_path` of `//evil.example/phish` with `_dateline_old_paths` made
`/old-offsite` answer `301 Location: //evil.example/phish`, and listings, feeds and the
sitemap linked offsite; `/admin/` or `/feeds/posts/default` as a path broke the mirror.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from dateline.interchange.import_file import import_file
from dateline.posts.models import Post, Redirect
from dateline.posts.paths import local_path_problem, post_path_problem

GOOD = ["/2007/07/iran-and-iraq.html", "/p/about.html", "/2024/12/zürich-ändert.html"]
BAD = [
    "//evil.example/phish", "/admin/", "/search.html", "/feeds/posts/default",
    "/legacy/no-extension", "/2024/13/x.html", "/2024/1/x.html", "/2024/01/a/b.html",
    "/2024/01/x.html?m=1", "/2024/01/%2e%2e.html", "/2024/01/a b.html", "2024/01/x.html",
    "/p/x.html\n", "/2024/01/" + "x" * 250 + ".html", "/sources/1/", "/media/x.html",
]  # fmt: skip


@pytest.mark.parametrize("path", GOOD)
def test_blogger_shaped_paths_are_addresses(path):
    assert post_path_problem(path) is None


@pytest.mark.parametrize("path", BAD)
def test_anything_else_is_refused(path):
    assert post_path_problem(path)


@pytest.mark.parametrize("path", ["//evil.example/x", "/\\evil.example", "https://e.x/", "x", ""])
def test_a_redirect_end_is_always_a_path_on_this_site(path):
    assert local_path_problem(path)


WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Levant Desk</title><link>https://levant.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version>
<item><title>Port inquiry</title><content:encoded><![CDATA[<p>Text.</p>]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date_gmt>2023-05-12 08:30:00</wp:post_date_gmt>
<wp:post_name>port-inquiry</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<wp:postmeta><wp:meta_key>_dateline_path</wp:meta_key>
<wp:meta_value><![CDATA[{path}]]></wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>_dateline_old_paths</wp:meta_key>
<wp:meta_value><![CDATA[/old-offsite
//evil.example/old]]></wp:meta_value></wp:postmeta>
</item></channel></rss>
"""


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["//evil.example/phish", "/admin/", "/feeds/posts/default"])
def test_an_import_stores_a_bad_path_at_bloggers_address_and_never_offsite(tmp_path, path):
    export = tmp_path / "export.xml"
    export.write_text(WXR.replace("{path}", path))
    summary = import_file(export)
    post = Post.objects.get()
    assert post.path == "/2023/05/port-inquiry.html"
    problem = post_path_problem(path)
    assert summary.notes[f"path {problem}; stored at a new path"] == 1
    offsite = "no redirect from an old address not a path on this site"
    assert summary.notes[f"{offsite} (it must start with a single /)"] >= 1
    response = Client().get("/old-offsite")
    assert response.status_code == 301 and response["Location"] == post.path
    for redirect in Redirect.objects.all():
        assert not local_path_problem(redirect.old_path)
        assert redirect.new_path == post.path
    client = Client()
    for page in ("/", "/feeds/posts/default", "/sitemap.xml"):
        assert b"evil.example" not in client.get(page).content, page


@pytest.mark.django_db
def test_the_admin_refuses_a_path_that_is_not_an_address(admin_client):
    form = {
        "title": "T", "kind": "post", "status": "draft", "body_format": "markdown",
        "body_source": "x", "excerpt": "", "lead_image_caption": "", "slug": "",
        "path": "/search.html",
    }  # fmt: skip
    response = admin_client.post("/admin/posts/post/add/", form)
    assert response.status_code == 200
    assert "not an address of the form /YYYY/MM/name.html or /p/name.html" in (
        response.content.decode()
    )
    assert not Post.objects.exists()
    response = admin_client.post(
        "/admin/posts/redirect/add/", {"old_path": "/old", "new_path": "//evil.example/"}
    )
    assert response.status_code == 200 and not Redirect.objects.exists()


@pytest.mark.django_db
def test_code_that_skips_the_forms_is_held_to_the_same_rules():
    with pytest.raises(ValidationError):
        Post(title="T", path="//evil.example/phish").save()
    with pytest.raises(ValidationError):
        Redirect(old_path="/old", new_path="//evil.example/phish").save()
    assert not Post.objects.exists() and not Redirect.objects.exists()


@pytest.mark.django_db
def test_a_bad_redirect_row_written_around_the_model_is_not_followed():
    Redirect.objects.bulk_create([Redirect(old_path="/old", new_path="//evil.example/")])
    assert Client().get("/old").status_code == 404


@pytest.mark.django_db
def test_a_markdown_path_is_checked_by_the_same_rule(tmp_path):
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: T\npath: /feeds/posts/default\n---\nBody.\n")
    with pytest.raises(CommandError, match=r"post\.md: path: '/feeds/posts/default' is not an"):
        call_command("post", "add", str(post))


@pytest.mark.django_db(transaction=True)
def test_the_migration_repairs_paths_and_redirects_stored_before_the_check():
    executor = MigrationExecutor(connection)
    executor.migrate([("posts", "0002_lead_image_checked")])
    old = executor.loader.project_state([("posts", "0002_lead_image_checked")]).apps
    OldPost, OldRedirect = old.get_model("posts", "Post"), old.get_model("posts", "Redirect")
    from datetime import UTC, datetime

    when = datetime(2023, 5, 12, 8, 30, tzinfo=UTC)
    OldPost.objects.create(title="A", slug="a", status="published", published_at=when,
                           path="//evil.example/phish")  # fmt: skip
    OldPost.objects.create(title="B", slug="b", status="published", published_at=when,
                           path="/legacy/no-extension")  # fmt: skip
    OldPost.objects.create(title="C", slug="c", status="draft", path="/admin/")
    OldPost.objects.create(title="D", slug="d", status="published", published_at=when,
                           path="/2023/05/d.html")  # fmt: skip
    OldRedirect.objects.create(old_path="/x", new_path="//evil.example/")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    paths = dict(Post.objects.values_list("title", "path"))
    assert paths == {"A": "/2023/05/a.html", "B": "/2023/05/b.html", "C": None,
                     "D": "/2023/05/d.html"}  # fmt: skip
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/legacy/no-extension": "/2023/05/b.html"
    }
