"""A small blog of our own prose, and a helper that builds its mirror."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from dateline.comments.models import Comment
from dateline.posts.models import Label, Post
from dateline.siteexport import collect
from dateline.siteexport.build import build_site
from dateline.siteexport.write import MANIFEST

BASE_URL = "http://testserver"

STORIES = [
    ("Ferry timetable shrinks for the winter", ("Harbours", "North Sea"),
     "The island ferry drops to two sailings a day from November.\n\n"
     "> Fewer crossings, but the same crew.\n\nLocal shops plan for quieter weeks."),
    ("Night trains return to the coast line", ("Rail",),
     "Sleeper carriages run again after a decade in storage.\n\n- Fridays\n- Sundays"),
    ("Storm surge tests the new harbour wall", ("Harbours", "Weather"),
     "Waves topped four metres on Tuesday; the wall held.\n\n### What the engineers said\n\n"
     "The concrete was poured for exactly this."),
    ("Lighthouse keepers' cottages go up for rent", ("Harbours",),
     "Three cottages on the point open to walkers next spring."),
    ("Café owners count the cost of the closed pier", ("Weather", "Harbours"),
     "A café by the pier lost most of its summer trade to repairs."),
]  # fmt: skip


@pytest.fixture
def blog(db, settings) -> dict[str, Post]:
    """Five posts over three months, a static page, labels and comments; two per page."""
    settings.DATELINE_PAGE_SIZE = 2
    now = timezone.now().replace(microsecond=0)
    posts: dict[str, Post] = {}
    for number, (title, labels, body) in enumerate(STORIES):
        post = Post.objects.create(
            title=title, body_source=body, status=Post.Status.PUBLISHED,
            published_at=now - timedelta(days=20 * number + 1),
        )  # fmt: skip
        for name in labels:
            label = Label.objects.filter(name=name).first() or Label.objects.create(name=name)
            post.labels.add(label)
        posts[title.split()[0].lower()] = post
    Comment.objects.create(post=posts["ferry"], author_name="Maren", body="Two a day is plenty.",
                           created_at=now, status=Comment.Status.APPROVED)  # fmt: skip
    posts["about"] = Post.objects.create(
        title="About this blog", kind=Post.Kind.PAGE, status=Post.Status.PUBLISHED,
        body_source="Coastal news, clipped with its sources.", published_at=now - timedelta(days=1),
    )  # fmt: skip
    Post.objects.create(title="Unfinished draft about tides", body_source="Not yet.")
    return posts


@pytest.fixture
def mirror(tmp_path: Path, blog) -> Path:
    root = tmp_path / "mirror"
    build_site(root, BASE_URL)
    return root


def stored_state(root: Path) -> collect.SiteState:
    return collect.SiteState.from_json(json.loads((root / MANIFEST).read_text())["state"])


def mirrored_urls(root: Path) -> dict[str, str]:
    """Every URL the mirror answers and its file, from the state its manifest records."""
    return {url: collect.file_for(url) for url in collect.all_urls(stored_state(root))}
