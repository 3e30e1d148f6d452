"""Shared fixtures: posts shaped like the seed, written with our own prose."""

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone
from PIL import Image

from dateline.posts.models import Label, Post, Source

FIXTURES = Path(__file__).parent / "fixtures"


def png_bytes(color: tuple[int, int, int] = (40, 90, 160)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), color).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, as a fresh server process does."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def harbour_post_file(tmp_path: Path) -> Path:
    """The seed-shaped fixture post, copied beside a lead image it can name."""
    target = tmp_path / "harbour-post.md"
    target.write_text((FIXTURES / "harbour-post.md").read_text())
    (tmp_path / "harbour.png").write_bytes(png_bytes())
    return target


@pytest.fixture
def make_post(db):
    """Create a published post; keyword arguments override any field."""
    counter = {"n": 0}

    def factory(labels: tuple[str, ...] = (), source_url: str = "", **fields) -> Post:
        counter["n"] += 1
        defaults = {
            "title": f"Story number {counter['n']}",
            "body_source": f"Paragraph of story {counter['n']}.",
            "status": Post.Status.PUBLISHED,
            "published_at": timezone.now() - timedelta(days=counter["n"]),
        }
        defaults.update(fields)
        post = Post.objects.create(**defaults)
        if source_url:
            post.source = Source.objects.create(url=source_url, publisher="news.example")
            post.save()
        for name in labels:
            label = Label.objects.filter(name=name).first() or Label.objects.create(name=name)
            post.labels.add(label)
        return post

    return factory


@pytest.fixture
def fast_app():
    """The WSGI application with the fast path, called directly as granian does; as
    Django's test client does, the test's transaction stays open across requests."""
    from django.core import signals
    from django.db import close_old_connections

    from tests.serving.wsgi import fast_page_cache

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield fast_page_cache()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "own_sqlite: runs dateline in subprocesses on a SQLite blog of its own, whatever "
        "database the suite uses, so scripts/test runs it on the SQLite pass only",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL pass, a test marked own_sqlite would repeat the SQLite pass exactly."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    repeat = pytest.mark.skip(reason="own SQLite blog in subprocesses: ran on the SQLite pass")
    for item in items:
        if item.get_closest_marker("own_sqlite"):
            item.add_marker(repeat)
