"""Cookie consent banners are left out before extraction reads the page."""

from __future__ import annotations

from dateline.clipping._overlays import drop_overlays
from dateline.clipping._parse import load_html
from dateline.clipping.extract import extract_article

PURPOSE = (
    "These technologies help us measure visits, number {n}, and may store or retrieve"
    " information on your browser, mostly in the form of cookies, about your device."
)
POSTS = (
    '<div class="post"><p>Does anyone know what the two ports on the back of the new case'
    " are for? The manual says nothing about them.</p></div>"
    '<div class="post"><p>I heard the rear one is for an external connection of the'
    " lighting hub.</p></div>"
)


def _thread(consent: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>New case ports</title></head><body>"
        '<header><nav><a href="/">Forums</a></nav></header>'
        f'<div id="content"><h1>New case ports</h1>{POSTS}</div>{consent}</body></html>'
    )


def _consent(container: str) -> str:
    purposes = "".join(f"<p>{PURPOSE.format(n=n)}</p>" for n in range(8))
    return f"{container}<h2>Privacy Preference Center</h2>{purposes}</div>"


def test_a_consent_managers_long_text_stays_out_of_a_short_thread():
    page = _thread(_consent('<div id="onetrust-consent-sdk">'))
    article = extract_article(page, "https://forum.example/forums/topic/188682-new-case/")
    assert "rear one is for an external connection" in article.body_text
    assert "The manual says nothing" in article.body_text
    assert "cookies" not in article.body_text
    assert "Privacy Preference Center" not in article.body_text


def test_banners_are_known_by_their_id_or_class_in_any_case_and_the_text_after_stays():
    tree = load_html(
        "<html><body><p>Before</p>"
        '<div class="Cookie-Banner top"><p>We use cookies</p></div> after the banner'
        '<section id="CybotCookiebotDialog"><p>Allow all</p></section>'
        '<div class="cookie-recipe"><p>Oat cookies with raisins</p></div></body></html>'
    )
    assert tree is not None
    drop_overlays(tree)
    text = " ".join(" ".join(tree.find("body").itertext()).split())
    assert text == "Before after the banner Oat cookies with raisins"


def test_a_page_whose_body_or_wrapper_says_a_banner_is_shown_keeps_its_content():
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Watches</title>'
        '</head><body class="lang-en has-cookie-bar">'
        '<div class="page cookie-banner-visible"><main><h1>Automatic watches</h1>'
        "<p>An automatic watch winds itself from the movement of the wearer's wrist, so it"
        " keeps running as long as it is worn every day or kept on a winder.</p>"
        "<p>Most of them hold a reserve of two days or more once fully wound.</p></main></div>"
        '<div class="cookie-banner"><p>We use cookies to improve your visit.</p></div>'
        "</body></html>"
    )
    article = extract_article(page, "https://watches.example/automatic")
    assert "winds itself from the movement" in article.body_text
    assert "cookies" not in article.body_text
