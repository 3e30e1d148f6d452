"""The hostile blog the feed tests share (tests/posts/hostile_feeds.py)."""

from tests.posts.hostile_feeds import hostile_blog  # noqa: F401  (a fixture)
