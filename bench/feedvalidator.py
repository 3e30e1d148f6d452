"""Run the W3C feed validator itself over every kind of feed Dateline serves.

Usage: .venv/bin/python bench/feedvalidator.py FEEDVALIDATOR_SRC

FEEDVALIDATOR_SRC is the `src` folder of a checkout of github.com/w3c/feedvalidator (its
Python package `feedvalidator`; it needs `rdflib` installed in the venv). Its code is
theirs and not committed here. In a child process with a fresh SQLite data directory, the
script builds a small blog (the demo posts, a clipped-style post with a Source and a lead
image, labels, approved comments, a reply), fetches every feed through Django's test
client, validates each with the validator's "AA" level (what validator.w3.org/feed
shows) and prints one row per feed: errors and warnings by name. Exit status 1 if any
feed has an error.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = "http://blog.example"


def feed_paths(post_id: int) -> list[str]:
    feeds = ["/feeds/posts/default", "/feeds/posts/summary", "/feeds/comments/default",
             "/feeds/comments/summary", f"/feeds/{post_id}/comments/default",
             "/feeds/posts/default/-/Harbours", "/feeds/posts/default/-/Harbours+Weather",
             f"/feeds/posts/default/{post_id}", "/feeds/posts/default?max-results=1",
             "/feeds/posts/default?orderby=updated"]  # fmt: skip
    return [*feeds, *(f"{f}{'&' if '?' in f else '?'}alt=rss" for f in feeds)]


def build_blog() -> int:
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from dateline.comments.models import Comment
    from dateline.posts.models import Label, Post, Source

    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)
    now = timezone.now()
    source = Source.objects.create(url="https://news.example/2026/harbour", publisher="News")
    post = Post.objects.create(
        title="Harbour wall holds in the storm", body_source="Waves topped four metres.",
        status="published", published_at=now - timedelta(hours=2), source=source,
        lead_image_caption="The wall at dawn",
    )  # fmt: skip
    for name in ("Harbours", "Weather"):
        post.labels.add(Label.objects.filter(name=name).first() or Label.objects.create(name=name))
    first = Comment.objects.create(post=post, author_name="Maren", body="It held!",
                                   created_at=now - timedelta(minutes=10),
                                   status="approved")  # fmt: skip
    Comment.objects.create(post=post, parent=first, author_name="Ole", body="Just.",
                           created_at=now - timedelta(minutes=5), status="approved")  # fmt: skip
    return post.pk


def _named(event: object) -> str:
    """An error's name and where: the element, attribute or value it is about."""
    params = getattr(event, "params", {}) or {}
    where = ", ".join(f"{key}={value}" for key, value in sorted(params.items())
                      if key in ("parent", "element", "attr", "value", "line"))  # fmt: skip
    return f"{type(event).__name__} ({where})" if where else type(event).__name__


def validate_all(src: Path) -> int:
    import django

    django.setup()
    sys.path.insert(0, str(src))
    import feedvalidator
    from django.test import Client
    from feedvalidator import compatibility

    post_id = build_blog()
    client, failed = Client(SERVER_NAME="blog.example"), 0
    print("| feed | status | errors | warnings |\n| --- | --- | --- | --- |")
    for path in feed_paths(post_id):
        response = client.get(path)
        if response.status_code != 200:
            print(f"| {path} | {response.status_code} | (no feed) | |")
            failed += 1
            continue
        try:
            result = feedvalidator.validateString(response.content, firstOccurrenceOnly=1,
                                                  base=BASE + path)  # fmt: skip
            events = compatibility.AA(result["loggedEvents"])
        except feedvalidator.logging.ValidationFailure as failure:
            events = [failure.event]
        errors = sorted({_named(e) for e in events if isinstance(e, feedvalidator.logging.Error)})
        warnings = sorted({type(e).__name__ for e in events
                           if isinstance(e, feedvalidator.logging.Warning)})  # fmt: skip
        failed += bool(errors)
        print(f"| {path} | 200 | {', '.join(errors) or '0'} | {', '.join(warnings) or '0'} |")
    print(f"\n{failed} feed(s) with errors.")
    return 1 if failed else 0


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        sys.exit(validate_all(Path(sys.argv[2])))
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with tempfile.TemporaryDirectory() as data:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(DATELINE_DATA_DIR=data, DJANGO_SETTINGS_MODULE="dateline.settings.dev",
                   DATELINE_ALLOWED_HOSTS="blog.example",
                   DATELINE_LOG_LEVEL="ERROR")  # fmt: skip
        done = subprocess.run([sys.executable, __file__, "--child", sys.argv[1]], env=env,
                              cwd=ROOT, check=False)  # fmt: skip
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
