"""`--fetch-images`: remote images come home into media, from the real 127.0.0.1 test server."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from dateline.interchange.models import ImportJob
from dateline.interchange.remote_images import rewrite_urls
from dateline.posts.models import Post
from tests.clipping.clipsite import (  # noqa: F401 - fixtures
    CROSSING_PNG,
    LEAD_PNG,
    clip_storage_fixture,
    news_site_fixture,
    stored_files,
)
from tests.clipping.conftest import _server, server  # noqa: F401 - fixtures
from tests.clipping.conftest import connections as connections_fixture  # noqa: F401
from tests.interchange.dbstate import row_counts, snapshot

pytestmark = pytest.mark.django_db
WXR_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
    "<channel><title>Dale Desk</title><wp:wxr_version>1.2</wp:wxr_version>\n"
)


def item(number: int, body: str, lead: str = "") -> str:
    meta = (
        f"<wp:postmeta><wp:meta_key>_dateline_lead_image</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{lead}]]></wp:meta_value></wp:postmeta>"
        if lead
        else ""
    )
    return (
        f"<item><title>Story {number}</title><content:encoded><![CDATA[{body}]]></content:encoded>"
        f"<wp:post_id>{number}</wp:post_id><wp:post_date_gmt>2024-06-1{number} 08:00:00"
        f"</wp:post_date_gmt><wp:post_name>story-{number}</wp:post_name>"
        "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
        f"{meta}</item>\n"
    )


def wxr(tmp_path: Path, *items: str) -> Path:
    path = tmp_path / "dale.xml"
    path.write_text(WXR_HEAD + "".join(items) + "</channel></rss>\n", encoding="utf-8")
    return path


def site_file(tmp_path: Path, site) -> Path:
    """Two posts sharing one picture, a lead image, and four images that cannot come home."""
    crossing = site.url("/img/ferry-crossing.png")
    return wxr(
        tmp_path,
        item(1, f'<p>Morning.</p><p><img src="{site.url("/img/ferry-morning.png")}" alt="m"></p>'
                f'<p><a href="{crossing}"><img src="{crossing}" alt="c"></a></p>',
             lead=site.url("/img/ferry-morning.png")),
        item(2, f'<p><img src="{crossing}" alt="again"></p>'
                f'<p><img src="{site.url("/img/missing.png")}" alt="gone"></p>'
                f'<p><img src="{site.url("/stories/rope-ferry")}" alt="a page"></p>'
                '<p><img src="http://169.254.169.254/latest/x.png" alt="metadata"></p>'
                f'<p><img src="{site.url("/img/huge.png")}" alt="huge"></p>'),
    )  # fmt: skip


def run_import(*args: str, capsys) -> dict:
    call_command("import", *args, "--json")
    return json.loads(capsys.readouterr().out)


def test_remote_images_are_downloaded_and_the_posts_point_at_our_copies(
    tmp_path, news_site, clip_storage, capsys
):
    path = site_file(tmp_path, news_site)
    call_command("import", str(path), "--fetch-images")
    out = capsys.readouterr().out
    first, second = Post.objects.order_by("import_ref")
    assert news_site.url("") not in first.body_html  # links to the same picture too
    assert first.body_html.count('src="/media/images/') == 2
    assert 'href="/media/images/' in first.body_html
    assert first.lead_image.name.startswith("images/")
    assert Path(first.lead_image.path).read_bytes() == LEAD_PNG
    media = sorted(p.read_bytes() for p in (clip_storage / "media").rglob("*.png"))
    assert media == sorted([LEAD_PNG, CROSSING_PNG])  # each picture once
    crossing = news_site.url("/img/ferry-crossing.png")
    assert crossing not in second.body_html and "/media/images/" in second.body_html
    for kept in ("/img/missing.png", "/stories/rope-ferry", "/img/huge.png"):
        assert news_site.url(kept) in second.body_html  # failures keep their address
    assert "notes: 2 images downloaded into media" in out
    for reason in (
        "That address is not allowed: it points at a cloud metadata service",
        "That address is not an image (content type text/html)",
        "The image is larger than 5 MB",
        "The page was not found (HTTP 404)",
    ):
        assert f"notes: 1 image not downloaded, its address kept: {reason}\n" in out


def test_a_second_run_downloads_the_same_files_and_changes_nothing(
    tmp_path, news_site, clip_storage, capsys
):
    path = site_file(tmp_path, news_site)
    run_import(str(path), "--fetch-images", capsys=capsys)
    before, counts, files = snapshot(), row_counts(), stored_files(clip_storage)
    run_import(str(path), "--fetch-images", capsys=capsys)
    assert snapshot() == before and row_counts() == counts
    assert stored_files(clip_storage) == files


def test_an_import_that_fails_removes_the_images_it_downloaded(
    tmp_path, news_site, clip_storage, capsys
):
    good = item(1, f'<p><img src="{news_site.url("/img/ferry-morning.png")}" alt="m"></p>')
    path = wxr(tmp_path, good, good)  # the same post id twice: refused at the second
    counts = row_counts()
    with pytest.raises(CommandError, match="the same id appears twice"):
        call_command("import", str(path), "--fetch-images", "--strict")
    assert row_counts() == counts
    assert [p for p in stored_files(clip_storage) if p.suffix == ".png"] == []


def test_a_hostile_file_is_refused_before_any_image_is_fetched(
    tmp_path,
    news_site,
    clip_storage,
    connections_fixture,  # noqa: F811 - the fixture
):
    path = tmp_path / "x.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        + WXR_HEAD.split("\n", 1)[1]
        + item(1, f'<img src="{news_site.url("/img/ferry-morning.png")}">')
    )
    with pytest.raises(CommandError, match="DOCTYPE"):
        call_command("import", str(path), "--fetch-images")
    assert connections_fixture == [] and news_site.requests == []  # no socket was opened


def test_a_dry_run_fetches_nothing_and_says_how_many_images_there_are(
    tmp_path, news_site, clip_storage, capsys
):
    call_command("import", str(site_file(tmp_path, news_site)), "--fetch-images", "--dry-run")
    out = capsys.readouterr().out
    assert "notes: 6 images on other sites (not downloaded on a dry run)" in out
    assert news_site.requests == [] and Post.objects.count() == 0


def test_the_admin_checkbox_fetches_images_too(
    tmp_path, news_site, clip_storage, admin_client, settings, django_capture_on_commit_callbacks
):
    settings.DATA_DIR = tmp_path
    content = site_file(tmp_path, news_site).read_bytes()
    data = {"file": SimpleUploadedFile("dale.xml", content), "fetch_images": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:interchange_importjob_add"), data)
    job = ImportJob.objects.get()
    assert job.state == "done" and job.fetch_images
    assert job.summary["notes"]["images downloaded into media"] == 2
    page = admin_client.get(response["Location"]).content.decode()
    assert "2 images downloaded into media" in page and "its address kept" in page


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<img src="http://a.example/p.png">', '<img src="/media/p.png">'),
        ("![x](http://a.example/p.png)", "![x](/media/p.png)"),
        ('<img src="http://a.example/p.png?a=1&amp;b=2">', '<img src="/media/q.png">'),
        ('<a href="http://a.example/p.png.html">', '<a href="http://a.example/p.png.html">'),
        ("see http://a.example/p.png, then", "see http://a.example/p.png, then"),
    ],
)
def test_only_whole_urls_are_rewritten(text, expected):
    mapping = {
        "http://a.example/p.png": "/media/p.png",
        "http://a.example/p.png?a=1&b=2": "/media/q.png",
    }
    assert rewrite_urls(text, mapping) == expected
