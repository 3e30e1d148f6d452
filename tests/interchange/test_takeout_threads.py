"""Takeout replies keep their thread (`blogger:inReplyTo`) whatever the order of the entries,
and a commenter who left no name shows as "Anonymous"."""

import pytest

from dateline.comments.models import Comment
from dateline.interchange.import_file import import_file

pytestmark = pytest.mark.django_db
HEAD = """<?xml version='1.0' encoding='utf-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
<id>tag:blogger.com,1999:blog-7</id>
"""


def comment(number: int, text: str, *, author: str = "Omar", reply_to: int = 0) -> str:
    reply = f"<blogger:inReplyTo>{reply_to}</blogger:inReplyTo>" if reply_to else ""
    name = f"<author><name>{author}</name></author>" if author else "<author></author>"
    return f"""<entry><id>tag:blogger.com,1999:blog-7.post-{number}</id>
<blogger:type>COMMENT</blogger:type><blogger:status>LIVE</blogger:status>{name}
<content type='html'>{text}</content><published>2020-03-0{number % 9 + 1}T10:00:00Z</published>
<blogger:parent>tag:blogger.com,1999:blog-7.post-1</blogger:parent>{reply}</entry>
"""


POST = """<entry><id>tag:blogger.com,1999:blog-7.post-1</id>
<blogger:type>POST</blogger:type><blogger:status>LIVE</blogger:status>
<author><name>Sam</name></author><title>Tankers</title><content type='html'>x</content>
<published>2020-03-01T09:00:00Z</published>
<blogger:filename>/2020/03/tankers.html</blogger:filename></entry>
"""


def feed(tmp_path, *entries: str):
    path = tmp_path / "feed.atom"
    path.write_text(HEAD + "".join(entries) + "</feed>\n")
    return path


@pytest.mark.parametrize("post_first", [True, False])
def test_a_reply_keeps_its_parent_whatever_comes_first(tmp_path, post_first):
    reply = comment(3, "Reply to the first", reply_to=2)
    reply_to_reply = comment(4, "Reply to the reply", reply_to=3)
    first = comment(2, "First")
    entries = [reply_to_reply, reply, first]
    import_file(feed(tmp_path, *([POST, *entries] if post_first else [*entries, POST])))
    parents = dict(Comment.objects.values_list("body", "parent__body"))
    assert parents == {
        "First": None,
        "Reply to the first": "First",
        "Reply to the reply": "Reply to the first",
    }


def test_a_reply_to_a_comment_not_in_the_file_is_kept_on_its_post(tmp_path):
    summary = import_file(feed(tmp_path, comment(3, "Orphan reply", reply_to=99), POST))
    stored = Comment.objects.get()
    assert (stored.body, stored.parent_id, stored.post.title) == ("Orphan reply", None, "Tankers")
    assert summary.notes["reply to a missing comment kept as top-level"] == 1


def test_a_commenter_without_a_name_shows_as_anonymous(tmp_path):
    import_file(feed(tmp_path, POST, comment(2, "Who am I", author="")))
    assert Comment.objects.get().author_name == "Anonymous"
