"""A classic-editor WordPress body as WordPress shows it: paragraphs, figures, media links.

WordPress stores classic posts with blank lines for paragraphs and shortcodes for
figures and media, and builds the HTML when it shows the page (`wpautop`,
`do_shortcode`). We store HTML, so the import does that once: `[caption]` becomes a
`<figure>` with a `<figcaption>`, `[gallery]` a figure of its images (attachments found
by id, or those attached to the post), `[audio]`, `[video]` and `[embed]` a link to the
file or page (a link card: nothing from another site runs or loads in our pages), a
URL alone on a line a link, and blank lines paragraphs. Block-editor posts (with
`<!-- wp:` comments) already carry their paragraphs; only their shortcodes (a
"shortcode" block) are expanded, as WordPress does when it shows them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .import_media import media_link

BLOCKS = (
    "address|article|aside|audio|blockquote|canvas|caption|col|colgroup|dd|details|div|dl|dt|"
    "embed|fieldset|figcaption|figure|footer|form|h[1-6]|header|hgroup|hr|iframe|legend|li|"
    "map|math|menu|nav|noscript|object|ol|p|picture|pre|section|source|style|summary|table|"
    "tbody|td|tfoot|th|thead|tr|track|ul|video"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{BLOCKS})[\s/>])", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</(?:{BLOCKS})>)", re.IGNORECASE)
_STARTS_BLOCK = re.compile(rf"^</?(?:{BLOCKS})[\s/>]", re.IGNORECASE)
_ENDS_CLOSED = re.compile(rf"(?:</(?:{BLOCKS})>\s*)+$", re.IGNORECASE)
_CAPTIONED = re.compile(r"\s*((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*</a>)?)(.*)", re.DOTALL)
_BR_AFTER_BLOCK = re.compile(rf"(</?(?:{BLOCKS})(?:\s[^>]*)?/?>)<br>\n", re.IGNORECASE)
_BR_BEFORE_BLOCK = re.compile(rf"<br>\n(</?(?:{BLOCKS})[\s/>])", re.IGNORECASE)
_LINE_BREAK = re.compile(r"(<br\s*/?>)?[ \t]*\n[ \t]*", re.IGNORECASE)  # one <br> a line
_PRE = re.compile(r"<pre[\s>].*?</pre>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_BARE_URL = re.compile(r"https?://[^\s<>\"']+")
SHORTCODES = ("caption", "wp_caption", "gallery", "audio", "video", "embed")
_SHORTCODE = re.compile(
    r"\[(?P<name>" + "|".join(SHORTCODES) + r")(?=[\s\]/])(?P<attrs>[^\]]*?)/?\]"
    r"(?:(?P<body>(?:(?!\[(?:" + "|".join(SHORTCODES) + r")[\s\]]).)*?)\[/(?P=name)\])?",
    re.DOTALL,
)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))|"([^"]*)"|(\S+)""")
MEDIA_EXTENSIONS = ("mp3", "m4a", "ogg", "oga", "wav", "flac", "mp4", "m4v", "webm", "ogv", "mov")


@dataclass(frozen=True)
class Attachment:
    """A WordPress attachment item: the file's address, title, caption and its post."""

    url: str
    title: str = ""
    caption: str = ""
    parent: str = ""


def is_block_editor(body: str) -> bool:
    """Gutenberg marks every block with an HTML comment; its HTML needs no paragraphs."""
    return "<!-- wp:" in body


def wordpress_body(
    body: str, post_id: str = "", attachments: Mapping[str, Attachment] | None = None
) -> str:
    """The HTML WordPress would show for a stored body (see the module docstring)."""
    expanded = expand_shortcodes(body, post_id, attachments or {})
    return expanded if is_block_editor(body) else autop(expanded)


def _attributes(text: str) -> tuple[dict[str, str], list[str]]:
    named: dict[str, str] = {}
    positional: list[str] = []
    for match in _ATTR.finditer(html.unescape(text)):
        key, dq, sq, bare, pos_q, pos = match.groups()
        if key:
            named[key.lower()] = next(v for v in (dq, sq, bare) if v is not None)
        else:
            positional.append(pos_q if pos_q is not None else pos)
    return named, positional


def expand_shortcodes(body: str, post_id: str, attachments: Mapping[str, Attachment]) -> str:
    """Replace the shortcodes WordPress ships for media with plain HTML."""
    handlers: dict[str, Callable[[dict[str, str], list[str], str], str]] = {
        "caption": _caption,
        "wp_caption": _caption,
        "gallery": lambda a, p, b: _gallery(a, post_id, attachments),
        "audio": lambda a, p, b: _media("Audio", a, p, b),
        "video": lambda a, p, b: _media("Video", a, p, b),
        "embed": lambda a, p, b: _media("Embedded page", a, p, b),
    }

    def replace(match: re.Match[str]) -> str:
        named, positional = _attributes(match.group("attrs"))
        return handlers[match.group("name")](named, positional, match.group("body") or "")

    return _SHORTCODE.sub(replace, body)


def _caption(attrs: dict[str, str], _positional: list[str], body: str) -> str:
    """`[caption]<a><img></a> Text[/caption]`: the (linked) image, then the caption."""
    if match := _CAPTIONED.match(body):
        media, text = match.group(1), match.group(2).strip()
    else:
        media, text = body.strip(), ""
    text = text or html.escape(attrs.get("caption", ""))
    caption = f"<figcaption>{text}</figcaption>" if text else ""
    return f"\n\n<figure>{media}{caption}</figure>\n\n"


def _gallery(attrs: dict[str, str], post_id: str, attachments: Mapping[str, Attachment]) -> str:
    ids = [i.strip() for i in attrs.get("ids", attrs.get("include", "")).split(",") if i.strip()]
    if ids:
        images = [attachments[i] for i in ids if i in attachments]
    else:
        images = [a for a in attachments.values() if post_id and a.parent == post_id]
    if not images:
        return ""
    parts = [
        f'<a href="{html.escape(a.url)}"><img src="{html.escape(a.url)}" '
        f'alt="{html.escape(a.caption or a.title)}"></a>'
        for a in images
    ]
    return "\n\n<figure>" + "".join(parts) + "</figure>\n\n"


def _media(kind: str, attrs: dict[str, str], positional: list[str], body: str) -> str:
    sources = [attrs.get("src", "")] + [attrs.get(ext, "") for ext in MEDIA_EXTENSIONS]
    sources += [body.strip()] + [p for p in positional if p.startswith(("http://", "https://"))]
    url = next((s for s in sources if s.startswith(("http://", "https://", "/"))), "")
    return f"\n\n{media_link(url, kind)}\n\n" if url else ""


def autop(text: str) -> str:
    """Blank lines → paragraphs, single line breaks → `<br>`, block elements left alone.

    An idea of WordPress's `wpautop`, written small: `<pre>` is kept as it is, blank
    lines are put around block elements so each starts its own chunk, a chunk that is
    not a block element becomes a paragraph, and a URL alone on a line becomes a link.
    """
    if not text.strip():
        return text
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\n\n<pre>\x00{len(kept) - 1}\x00</pre>\n\n"

    text = _PRE.sub(keep, text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _TAG.sub(lambda m: m.group(0).replace("\n", " "), text)  # no <br> inside a tag
    text = _BLOCK_CLOSE.sub(r"\1\n\n", _BLOCK_OPEN.sub(r"\n\n\1", text))
    chunks = [c.strip() for c in re.split(r"\n\s*\n", text) if c.strip()]
    out = [_chunk(chunk) for chunk in chunks]
    result = "\n".join(out)
    for number, pre in enumerate(kept):
        result = result.replace(f"<pre>\x00{number}\x00</pre>", pre)
    return result


def _chunk(chunk: str) -> str:
    if _BARE_URL.fullmatch(chunk):
        return media_link(chunk)
    chunk = _LINE_BREAK.sub(lambda m: (m.group(1) or "<br>") + "\n", chunk)
    chunk = _BR_BEFORE_BLOCK.sub(r"\1", _BR_AFTER_BLOCK.sub(r"\1", chunk))
    if _STARTS_BLOCK.match(chunk):
        return chunk
    closers = _ENDS_CLOSED.search(chunk)  # "text</blockquote>": the paragraph ends first
    cut = closers.start() if closers else len(chunk)
    return f"<p>{chunk[:cut]}</p>{chunk[cut:]}"
