"""The one HTML policy: everything we store or show passes through here.

nh3 (Ammonia) parses with html5ever and rebuilds the tree from an allow-list,
so anything not named below (scripts, event handlers, styles, javascript: URLs)
cannot survive.
"""

import re

import nh3

from dateline.core.text import strip_control_chars

POST_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "audio", "b", "blockquote", "br", "caption", "cite", "code", "del", "dd",
        "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6",
        "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
        "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
        "th", "thead", "time", "tr", "u", "ul", "video",
    }
)  # fmt: skip

POST_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "ol": {"start", "reversed"},
    "q": {"cite"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "audio": {"src", "controls", "preload"},
    "video": {"src", "width", "height", "controls", "preload"},
}
# Audio and video play only from this site's own paths (the CSP's media-src is 'self'),
# with controls and nothing fetched before the reader asks; one left without a source is
# unwrapped to its fallback content, so no empty player shows.
# nh3's output quotes every attribute value with " (a " inside is &quot;), so a tag's
# attributes are exactly runs of `name="value"`.
_ATTRS = r'((?:\s[\w-]+(?:="[^"]*")?)*)'
_MEDIA_OPEN = re.compile(rf"<(audio|video){_ATTRS}>")
_ATTR_NAME = re.compile(r'\s([\w-]+)(?:="[^"]*")?')


def _local_media_only(tag: str, attribute: str, value: str) -> str | None:
    if tag in ("audio", "video"):
        if attribute == "src":
            return value if value.startswith("/") and not value.startswith("//") else None
        return {"controls": "", "preload": "none"}.get(attribute, value)
    return value


def _with_controls(match: re.Match[str]) -> str:
    tag, attrs = match.groups()
    names = set(_ATTR_NAME.findall(attrs))
    if "src" not in names:  # its fallback content stays; the closing tag is dropped below
        return ""
    attrs += "" if "controls" in names else ' controls=""'
    attrs += "" if "preload" in names else ' preload="none"'
    return f"<{tag}{attrs}>"


def _media_fixed(cleaned: str) -> str:
    """A player without a source unwrapped (no empty box shows), and every player with
    controls, loading nothing until asked. Runs on nh3's output, whose tags are regular."""
    opened = _MEDIA_OPEN.sub(_with_controls, cleaned)
    if opened.count("<audio") + opened.count("<video") == cleaned.count("<audio") + cleaned.count(
        "<video"
    ):
        return opened
    return _drop_unmatched_closers(opened)


def _drop_unmatched_closers(html: str) -> str:
    """Remove the closing tag of each player whose opening tag was dropped."""
    out: list[str] = []
    open_tags = {"audio": 0, "video": 0}
    parts = re.split(r"(<(?:audio|video)[\s>]|</(?:audio|video)>)", html)
    for number, part in enumerate(parts):
        if number % 2:  # a token the pattern captured, not text between them
            if part.startswith("</"):
                tag = part[2:-1]
                if not open_tags[tag]:
                    continue
                open_tags[tag] -= 1
            else:
                open_tags[part[1:6]] += 1
        out.append(part)
    return "".join(out)


MAX_PASSES = 4  # a fixed point is reached in two; more would mean a sanitizer bug

URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

COMMENT_TAGS: frozenset[str] = frozenset({"a", "br", "p"})

# Built once: `nh3.clean` builds the same policy again on every call, which costs
# more than the cleaning itself on a short comment (an import sanitizes 50,000).
_POST_CLEANER = nh3.Cleaner(
    tags=set(POST_TAGS),
    attributes={tag: set(attrs) for tag, attrs in POST_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener noreferrer",
    strip_comments=True,
    attribute_filter=_local_media_only,
)
_COMMENT_CLEANER = nh3.Cleaner(
    tags=set(COMMENT_TAGS),
    attributes={"a": {"href"}},
    url_schemes={"http", "https"},
    link_rel="nofollow ugc noopener noreferrer",
    strip_comments=True,
)


def sanitize_post_html(html: str) -> str:
    """Sanitize a post body (or clipped article) for storage and display.

    Cleaned until nothing changes (fuzzing found inputs, such as nested leftovers of removed
    elements, where one nh3 pass is not yet a fixed point), so stored HTML always passes
    `is_clean`. A first pass that changes nothing is already that fixed point.
    """
    cleaned = _clean_post_once(html)
    if cleaned == html:
        return cleaned
    for _ in range(MAX_PASSES):
        again = _clean_post_once(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def _clean_post_once(html: str) -> str:
    cleaned = _POST_CLEANER.clean(strip_control_chars(html).lstrip("\ufeff"))
    return _media_fixed(cleaned) if "</audio>" in cleaned or "</video>" in cleaned else cleaned


def sanitize_comment_html(html: str) -> str:
    """Sanitize rendered comment text: paragraphs, line breaks and untrusted links only."""
    return _COMMENT_CLEANER.clean(strip_control_chars(html))


def is_clean(html: str) -> bool:
    """True when sanitizing `html` again would change nothing (a test and audit helper)."""
    return sanitize_post_html(html) == html
