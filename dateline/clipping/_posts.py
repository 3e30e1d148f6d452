"""A discussion's posts, found by the names forum software gives their bodies.

On a thread the posts are the content, but trafilatura reads a thread as one article
with comments: it keeps each post's furniture (author cards, join dates, vote counts,
"Click to expand", signatures, the comments under a Stack Exchange answer) or, where
the posts look like a comment section, drops the replies. The common forum engines
each mark a post's own text with one name (XenForo's `message-body`, Stack Exchange's
`js-post-body`, Invision's `data-role="commentContent"`, phpBB's `postbody .content`…),
so on a page known to be a thread (see `_body.is_thread`) those elements are the body.
The names are tried in order, and the first one the page uses wins: an engine's own
name before schema.org's `itemprop="text"`, which many engines also put on comments.
A reply that quotes an earlier post (a `<blockquote>` beside the reply's own text)
says that post again; the quote is left out. A post whose whole text is one blockquote
(vBulletin wraps each post in one) keeps it.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from dateline.clipping._region import WORD, append_blocks


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# One XPath per engine, in the order they are tried.
_ENGINES = tuple(
    etree.XPath(f"//*[{predicate}]")
    for predicate in (
        _has_class("message-body"),  # XenForo 2
        _has_class("messageText"),  # XenForo 1
        _has_class("js-post-body"),  # Stack Exchange
        "@data-role='commentContent'",  # Invision Community
        "@component='post/content'",  # NodeBB
        _has_class("cooked"),  # Discourse
        f"{_has_class('content')} and ancestor::*[{_has_class('postbody')}]",  # phpBB
        "starts-with(@id, 'post_message_')",  # vBulletin 3
        _has_class("postcontent"),  # vBulletin 4
        _has_class("js-post__content-text"),  # vBulletin 5
        _has_class("post_body"),  # MyBB
        f"{_has_class('inner')} and starts-with(@id, 'msg_')",  # Simple Machines
        _has_class("postmsg"),  # FluxBB, PunBB
        _has_class("userContent"),  # Vanilla
        _has_class("Post-body"),  # Flarum
        _has_class("lia-message-body-content"),  # Khoros (Lithium)
        "starts-with(@id, 'postmessage_')",  # Discuz!
        _has_class("usertext-body"),  # Reddit's classic pages
        _has_class("md-div"),  # Lemmy
        " or ".join(  # Drupal: the topic's body field, then each comment's
            _has_class(name)
            for name in (
                "field-name-body",
                "field--name-body",
                "field-name-comment-body",
                "field--name-comment-body",
            )
        ),
        _has_class("post-body"),
        "@itemprop='text'",  # schema.org Comment, Answer, DiscussionForumPosting
    )
)
_QUOTES = frozenset({"blockquote"})
_NONE: frozenset[str] = frozenset()
_TEXT = etree.XPath("string()", smart_strings=False)
_OUTER_QUOTES = etree.XPath(".//blockquote[not(ancestor::blockquote)]")
# Fewer words than this is no thread's text (a template left empty by a script).
_LEAST_WORDS = 10


def thread_posts(tree: HtmlElement) -> etree._Element | None:
    """The posts' text as trafilatura-style XML, or None when no engine's name is found."""
    for engine in _ENGINES:
        found = engine(tree)
        if not found:
            continue
        marked = set(found)
        body = etree.Element("body")
        for post in found:  # a post quoted inside another is read with it, once
            if not any(ancestor in marked for ancestor in post.iterancestors()):
                append_blocks(post, body, _QUOTES if _replies_to_quote(post) else _NONE)
        if sum(len(WORD.findall(block.text or "")) for block in body) >= _LEAST_WORDS:
            return body
    return None


def _replies_to_quote(post: etree._Element) -> bool:
    """The post has words of its own beside its quotes."""
    quotes = _OUTER_QUOTES(post)
    if not quotes:
        return False
    quoted = sum(len(WORD.findall(_TEXT(quote))) for quote in quotes)
    return len(WORD.findall(_TEXT(post))) > quoted
