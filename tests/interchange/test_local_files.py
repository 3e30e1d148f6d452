"""An import reads local files only inside the folder being imported (security issue, #1).

A WXR item's `_dateline_lead_image` and a Markdown `image:` once read any path on the
server (the SQLite database, its WAL, the secret key) and published it under /media/;
`/dev/zero` exhausted the worker's memory. Every case below was read before the fix.
"""

import os
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from dateline.interchange.import_file import import_file
from dateline.posts.models import Post
from tests.conftest import png_bytes
from tests.interchange.test_admin_import import upload

pytestmark = pytest.mark.django_db

WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Levant Desk</title><link>https://levant.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version>
<item><title>Port inquiry</title><content:encoded><![CDATA[<p>Text.</p>]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date_gmt>2023-05-12 08:30:00</wp:post_date_gmt>
<wp:post_name>port-inquiry</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<wp:postmeta><wp:meta_key>_dateline_lead_image</wp:meta_key>
<wp:meta_value><![CDATA[{image}]]></wp:meta_value></wp:postmeta>
</item></channel></rss>
"""


def wxr_naming(folder: Path, image: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    export = folder / "export.xml"
    export.write_text(WXR.replace("{image}", image))
    return export


def media_bytes() -> list[bytes]:
    root = Path(default_storage.location)
    return [p.read_bytes() for p in root.rglob("*") if p.is_file()] if root.exists() else []


def bomb_png(width: int = 100_000, height: int = 100_000, pixels: bool = False) -> bytes:
    """A valid one-bit PNG of a huge bitmap in a few kilobytes (`pixels`: with its data,
    so that verify() passes; without, only the header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(bytes(1 + (width + 7) // 8) * height, 9) if pixels else b""
    data = chunk(b"IDAT", rows) if pixels else b""
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + data + chunk(b"IEND", b"")


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """An image outside the imported folder: reading it would be the leak."""
    outside = tmp_path / "outside" / "secret.png"
    outside.parent.mkdir()
    outside.write_bytes(png_bytes((1, 2, 3)))
    return outside


def lead_image_of(export: Path) -> tuple[str, dict]:
    summary = import_file(export)
    return Post.objects.get().lead_image.name, dict(summary.notes)


def test_an_absolute_path_outside_the_folder_is_not_read(tmp_path, secret):
    image, notes = lead_image_of(wxr_naming(tmp_path / "blog", str(secret)))
    assert image == ""
    assert notes == {"lead image not read: outside the imported folder": 1}
    assert secret.read_bytes() not in media_bytes()


def test_the_database_and_secret_key_are_never_copied_into_media(tmp_path, settings):
    for name in ("db.sqlite3-wal", "secret_key"):
        target = Path(settings.DATA_DIR) / name
        target.write_bytes(b"session key 0123456789")
        image, notes = lead_image_of(wxr_naming(tmp_path / name, str(target)))
        assert image == "" and sum(notes.values()) == 1
        assert b"session key 0123456789" not in media_bytes()
        Post.objects.all().delete()


def test_dotdot_and_symlinks_out_of_the_folder_are_refused(tmp_path, secret):
    folder = tmp_path / "blog"
    folder.mkdir()
    (folder / "link.png").symlink_to(secret)
    _, notes = lead_image_of(wxr_naming(folder, "link.png"))
    assert notes == {"lead image not read: outside the imported folder": 1}
    Post.objects.all().delete()
    (folder / "images").mkdir()
    (folder / "images" / "inner.png").write_bytes(png_bytes())
    _, notes = lead_image_of(wxr_naming(folder, "images/../images/inner.png"))
    assert notes == {"lead image not read: a path with '..' is not followed": 1}


def test_devices_fifos_and_folders_are_not_read(tmp_path):
    folder = tmp_path / "blog"
    folder.mkdir()
    (folder / "zero.png").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe.png")
    (folder / "dir.png").mkdir()
    expected = {
        "zero.png": "outside the imported folder",
        "pipe.png": "not a regular file",
        "dir.png": "not a regular file",
        "/dev/zero": "outside the imported folder",
    }
    for name, reason in expected.items():
        _, notes = lead_image_of(wxr_naming(folder, name))
        assert notes == {f"lead image not read: {reason}": 1}, name
        Post.objects.all().delete()


def test_a_file_inside_must_still_be_a_real_image_within_the_limits(tmp_path, settings):
    folder = tmp_path / "blog"
    folder.mkdir()
    (folder / "notes.png").write_text("not an image")
    (folder / "bomb.png").write_bytes(bomb_png(10_000, 10_000))
    (folder / "huge.png").write_bytes(bomb_png())  # past Pillow's own limit too
    (folder / "big.png").write_bytes(png_bytes())
    settings.DATELINE_IMAGE_MAX_BYTES = len(png_bytes()) - 1
    expected = {
        "notes.png": "not a readable PNG, JPEG, GIF or WebP image",
        "bomb.png": "10000x10000 pixels is more than 50,000,000 pixels",
        "huge.png": "more than 50,000,000 pixels",
        "big.png": f"larger than {len(png_bytes()) - 1:,} bytes",
    }
    for name, reason in expected.items():
        _, notes = lead_image_of(wxr_naming(folder, name))
        assert notes == {f"lead image not read: {reason}": 1}, name
        Post.objects.all().delete()


def test_an_image_inside_the_folder_is_still_imported(tmp_path):
    folder = tmp_path / "blog"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "harbour.png").write_bytes(png_bytes())
    for reference in ("images/harbour.png", str(folder / "images" / "harbour.png")):
        image, notes = lead_image_of(wxr_naming(folder, reference))
        assert image.endswith("-harbour.png") and notes == {}
        assert default_storage.open(image).read() == png_bytes()


def test_an_uploaded_export_reads_no_local_file(
    admin_client, django_capture_on_commit_callbacks, settings
):
    settings.DATA_DIR = Path(settings.DATA_DIR)
    neighbour = settings.DATA_DIR / "imports" / "neighbour.png"
    neighbour.parent.mkdir(parents=True, exist_ok=True)
    neighbour.write_bytes(png_bytes())
    export = WXR.replace("{image}", "neighbour.png").encode()
    _, job = upload(admin_client, "export.xml", export, django_capture_on_commit_callbacks)
    assert job.state == "done"
    assert Post.objects.get().lead_image.name == ""
    assert job.summary["notes"] == {
        "lead image not read: local files are not read from an uploaded export": 1
    }


def test_a_markdown_image_outside_its_folder_is_refused_by_name(tmp_path, secret):
    folder = tmp_path / "posts"
    folder.mkdir()
    for image in (str(secret), "../outside/secret.png"):
        post = folder / "post.md"
        post.write_text(f"---\ntitle: Harbour\nimage: {image}\n---\nBody.\n")
        with pytest.raises(CommandError, match=r"post\.md: image: .*(outside|'\.\.')"):
            call_command("post", "add", str(post))
        with pytest.raises(CommandError, match=r"post\.md.*image"):
            call_command("import", str(folder), "--strict")
    assert not Post.objects.exists()
    assert secret.read_bytes() not in media_bytes()
