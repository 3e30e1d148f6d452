"""A thread's posts, read from the bodies its forum engine names (`_posts`)."""

from __future__ import annotations

import pytest

from dateline.clipping._body import read_main
from dateline.clipping._parse import load_html
from dateline.clipping.extract import extract_article

POSTS = [
    "Has anyone fitted a folding propeller to a small cruiser? I worry about the vibration.",
    "I fitted one two summers ago and the vibration went away once the shaft was aligned.",
    "Mine came with a spare set of blades, which saved a haul-out when one cracked on a rock.",
]


def _xenforo(url_path: str = "/threads/folding-propellers.4411/") -> tuple[str, str]:
    """A XenForo-style thread: each post wrapped in its author card and signature."""
    posts = "".join(
        f'<article class="message"><div class="message-cell--user">'
        f"<h4>sailor{n}</h4><dl><dt>Joined</dt><dd>Mar 3, 2019</dd><dt>Messages</dt>"
        f"<dd>{n * 131 + 7}</dd></dl></div><div class='message-cell--main'>"
        f'<div class="message-attribution">Posted Jun {n + 2}, 2024 #{n + 1}</div>'
        f'<article class="message-body js-selectToQuote"><div class="bbWrapper">{text}</div>'
        f'</article><aside class="message-signature">Fair winds from sailor{n}, '
        f"skipper of the good ship Number {n}</aside>"
        f'<div class="reactionsBar">Like Reply Report</div></div></article>'
        for n, text in enumerate(POSTS)
    )
    page = (
        '<!DOCTYPE html><html lang="en"><head><title>Folding propellers | Boat Forum</title>'
        "</head><body><header><nav><a href='/'>Forums</a></nav></header>"
        f"<main><h1>Folding propellers</h1>{posts}</main></body></html>"
    )
    return page, f"https://boats.example{url_path}"


def _stack_exchange() -> str:
    """A Q&A page: comments under each post carry schema.org's itemprop="text" too."""
    comments = (
        '<ul class="comments-list"><li class="comment"><span class="comment-copy" '
        'itemprop="text">Which engine do you have, an outboard or an inboard diesel?</span>'
        "</li></ul>"
    )
    posts = "".join(
        f'<div class="post-layout"><div class="votecell">{n * 3 + 1}</div>'
        f'<div class="s-prose js-post-body" itemprop="text"><p>{text}</p></div>'
        f'<div class="user-info">asked by sailor{n} 12.3k 4 gold badges</div>{comments}</div>'
        for n, text in enumerate(POSTS)
    )
    return (
        "<!DOCTYPE html><html><head><title>Folding propellers</title></head><body>"
        f'<div id="content"><h1>Folding propellers</h1>{posts}</div></body></html>'
    )


def _body_text(page: str, url: str) -> tuple[str, str]:
    tree = load_html(page)
    assert tree is not None
    reading = read_main(tree, url)
    return reading.chosen, " ".join(" ".join(reading.body.itertext()).split())


def test_a_threads_posts_are_its_body_without_their_furniture():
    chosen, text = _body_text(*_xenforo())
    assert chosen == "posts"
    for post in POSTS:
        assert post in text
    for furniture in ("Joined", "Fair winds", "Like Reply Report", "Posted Jun", "sailor1"):
        assert furniture not in text


def test_an_engines_own_name_wins_over_schema_orgs_text_on_comments():
    chosen, text = _body_text(_stack_exchange(), "https://qa.example/questions/77/propellers")
    assert chosen == "posts"
    assert all(post in text for post in POSTS)
    assert "Which engine do you have" not in text  # a comment, marked itemprop="text" alone
    assert "gold badges" not in text


def test_a_page_that_is_no_thread_is_not_read_as_posts():
    page, _ = _xenforo()
    chosen, _ = _body_text(page, "https://boats.example/news/propellers")
    assert chosen != "posts"


def test_a_clipped_thread_keeps_every_post():
    page, url = _xenforo()
    article = extract_article(page, url)
    assert all(post in article.body_text for post in POSTS)
    assert "Joined" not in article.body_text


def test_a_reply_leaves_out_the_post_it_quotes_but_a_post_wrapped_in_a_quote_stays():
    reply = "Agreed, and check the blades for cracks every spring before launching."
    page = (
        "<!DOCTYPE html><html><head><title>Folding propellers</title></head><body><main>"
        f'<article class="message-body"><div class="bbWrapper">{POSTS[0]}</div></article>'
        '<article class="message-body"><div class="bbWrapper"><blockquote class="bbCodeBlock">'
        f"sailor0 said: {POSTS[0]} Click to expand...</blockquote>{reply}</div></article>"
        "</main></body></html>"
    )
    _, text = _body_text(page, "https://boats.example/threads/propellers.12/")
    assert text.count(POSTS[0]) == 1 and reply in text
    assert "Click to expand" not in text
    # vBulletin 4 wraps each post's whole text in a blockquote: that is the post.
    wrapped = (
        "<!DOCTYPE html><html><head><title>Folding propellers</title></head><body>"
        + "".join(
            f'<div class="postcontent"><blockquote class="postcontent restore">{text}'
            "</blockquote></div>"
            for text in POSTS
        )
        + "</body></html>"
    )
    _, text = _body_text(wrapped, "https://boats.example/showthread.php?t=12")
    assert all(post in text for post in POSTS)


@pytest.mark.parametrize(
    "wrap",
    [
        '<div class="postbody"><h3>Re: propellers</h3><div class="content">{}</div></div>',  # phpBB
        '<div class="inner" id="msg_{n}">{}</div>',  # Simple Machines
        '<div class="field field-name-comment-body"><p>{}</p></div>',  # Drupal
        '<div class="md-div"><p>{}</p></div>',  # Lemmy
        '<div data-role="commentContent"><p>{}</p></div>',  # Invision
    ],
)
def test_each_engines_post_bodies_are_found(wrap):
    posts = "".join(
        f'<div class="post"><span class="author">sailor{n}</span>'
        + wrap.replace("{n}", str(n)).format(text)
        + "</div>"
        for n, text in enumerate(POSTS)
    )
    page = f"<!DOCTYPE html><html><head><title>T</title></head><body>{posts}</body></html>"
    chosen, text = _body_text(page, "https://boats.example/forum/topics/propellers")
    assert chosen == "posts"
    assert all(post in text for post in POSTS) and "sailor1" not in text
