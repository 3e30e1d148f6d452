"""Embedded media in an imported body: kept where it is safe, a link where not, and every
removal said.

The sanitizer drops frames, scripts, plugins and `data:` images, and plays audio and
video only from this site's own paths. Before it runs on an imported HTML body, a frame
becomes a link card (a known video site's player a link to the video's own page: nothing
of theirs loads or runs here, and the CSP allows no frames), audio or video from another
site becomes a link to the file, and ours stays a player. What the sanitizer will still
drop is counted, so the summary lists each post whose body lost something.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from urllib.parse import urlsplit

IFRAME = re.compile(r"<iframe\b(?P<attrs>[^>]*)>(?:.*?</iframe\s*>)?", re.IGNORECASE | re.DOTALL)
MEDIA = re.compile(
    r"<(?P<tag>audio|video)\b(?P<attrs>[^>]*)>(?P<inner>.*?)</(?P=tag)\s*>",
    re.IGNORECASE | re.DOTALL,
)
SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.IGNORECASE)
DROPPED = re.compile(
    r"<(script|style|object|embed|applet|form|input|button|select|textarea|svg|math|frame"
    r"|frameset|iframe)\b",
    re.IGNORECASE,
)
DATA_IMAGE = re.compile(r"""<img\b[^>]*\bsrc\s*=\s*["']?\s*data:""", re.IGNORECASE)
PLAYERS = (
    (re.compile(r"(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]+)"), "https://www.youtube.com/watch?v={}"),
    (re.compile(r"player\.vimeo\.com/video/(\d+)"), "https://vimeo.com/{}"),
    (re.compile(r"(?:www\.)?dailymotion\.com/embed/video/(\w+)"), "https://www.dailymotion.com/video/{}"),
)  # fmt: skip
VIDEO_HOSTS = {
    "youtube.com": "YouTube",
    "youtube-nocookie.com": "YouTube",
    "youtu.be": "YouTube",
    "vimeo.com": "Vimeo",
    "dailymotion.com": "Dailymotion",
    "videopress.com": "VideoPress",
    "ted.com": "TED",
}


def _src(attrs: str) -> str:
    match = SRC.search(attrs)
    if not match:
        return ""
    return html.unescape(next(g for g in match.groups() if g is not None)).strip()


def _page_of_player(url: str) -> str:
    """A video site's player address → the video's own page, which a reader can open."""
    for pattern, page in PLAYERS:
        if match := pattern.search(url):
            return page.format(match.group(1))
    return url


def media_link(url: str, kind: str = "") -> str:
    """A link card for a media file or a page on another site: nothing of theirs loads here."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    name = next((n for h, n in VIDEO_HOSTS.items() if host == h or host.endswith("." + h)), "")
    label = f"{name} video" if name else (kind or "Link")
    file_name = parts.path.rsplit("/", 1)[-1]
    shown = file_name if kind in ("Audio", "Video") and file_name else url
    return f'<p><a href="{html.escape(url)}">{label}: {html.escape(shown)}</a></p>'


def _is_local(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


def safe_media(body: str) -> tuple[str, tuple[str, ...]]:
    """The body with frames and foreign media made links, and what changed or will be
    dropped by the sanitizer, said for a person ("1 frame made a link")."""
    if "<" not in body:
        return body, ()
    said: Counter[str] = Counter()

    def frame(match: re.Match[str]) -> str:
        url = _page_of_player(_src(match.group("attrs")))
        if not url.startswith(("http://", "https://")):
            said["frame without an address removed"] += 1
            return ""
        said["embedded frame made a link"] += 1
        return media_link(url, "Embedded page")

    def media(match: re.Match[str]) -> str:
        tag, inner = match.group("tag").lower(), match.group("inner")
        url = _src(match.group("attrs")) or _src(inner)
        if _is_local(url):
            return f'<{tag} src="{html.escape(url)}"></{tag}>'
        if url.startswith(("http://", "https://")):
            said[f"{tag} from another site made a link"] += 1
            return media_link(url, tag.capitalize())
        said[f"{tag} without a source removed"] += 1
        return ""

    body = MEDIA.sub(media, IFRAME.sub(frame, body))
    for tag in DROPPED.findall(body):
        said[f"<{tag.lower()}> removed"] += 1
    if images := len(DATA_IMAGE.findall(body)):
        said["data: image removed (an image inside the page's text)"] += images
    return body, tuple(f"{count} {what}" for what, count in sorted(said.items()))
