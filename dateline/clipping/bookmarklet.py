"""The bookmarklets offered on /clip/: small `javascript:` links the author drags to the
bookmarks bar.

They never post across sites (our CSRF protection would rightly refuse): they open
our /clip/ page with the URL, title and selection in the query string. The "with
HTML" one then hands the page's HTML to that window with `postMessage`, where
our static clip.js accepts it only from the window that opened it and only from
the page's own origin, and fills the form for the author to confirm.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

MAX_SELECTION = 1500  # keeps the address short enough for every browser and proxy

_OPEN = (
    "var d=document,o={origin},s=String(getSelection()).slice(0,{max}),"
    "q='url='+encodeURIComponent(location.href)+'&title='+encodeURIComponent(d.title)"
    "+'&selection='+encodeURIComponent(s);"
)
_PLAIN = "window.open(o+{path}+'?'+q,'_blank');"
_WITH_HTML = (
    "var h=d.documentElement.outerHTML,w=window.open(o+{path}+'?html=1&'+q,'_blank'),n=0,"
    "t=setInterval(function(){{if(!w||w.closed||n++>120){{clearInterval(t);return}}"
    "w.postMessage({{dateline:'page-html',url:location.href,html:h}},o)}},500);"
    "addEventListener('message',function(e){{if(e.origin===o&&e.data==='dateline:received')"
    "clearInterval(t)}});"
)


@dataclass(frozen=True)
class Bookmarklet:
    name: str
    href: str


def bookmarklets(request: HttpRequest) -> list[Bookmarklet]:
    """The two bookmarklets, pointing at this site's own origin."""
    origin = json.dumps(request.build_absolute_uri("/").rstrip("/"))
    path = json.dumps(reverse("clip"))
    opening = _OPEN.format(origin=origin, max=MAX_SELECTION)
    plain = opening + _PLAIN.format(path=path)
    with_html = opening + _WITH_HTML.format(path=path)
    return [
        Bookmarklet("Clip to Dateline", _wrap(plain)),
        Bookmarklet("Clip to Dateline (with page HTML)", _wrap(with_html)),
    ]


def _wrap(body: str) -> str:
    return "javascript:(function(){" + body + "})();"
