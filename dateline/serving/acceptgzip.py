"""Whether a client takes gzip, by its Accept-Encoding's quality values (RFC 9110 §12.5.3).

Django's GZipMiddleware looks for the word "gzip" anywhere, so `gzip;q=0` (gzip refused)
got gzip. Both the middleware below and the WSGI fast path ask `accepts_gzip`. As in
Django, only a named gzip (or x-gzip) coding counts: `*` alone is not taken as gzip.
"""

import re
from functools import lru_cache

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware
from django.utils.cache import patch_vary_headers

_QVALUE = re.compile(r"(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)")


def _quality(parameters: list[str]) -> float | None:
    """The q parameter's value (1 when absent), or None when it is not a qvalue."""
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            value = value.strip()
            return float(value) if _QVALUE.fullmatch(value) else None
    return 1.0


@lru_cache(maxsize=256)  # a few distinct headers, sent by every browser of a kind
def accepts_gzip(header: str) -> bool:
    """Whether gzip (or x-gzip) is listed with a quality above 0."""
    for element in header.split(","):
        coding, *parameters = element.split(";")
        if coding.strip().lower() in ("gzip", "x-gzip"):
            quality = _quality(parameters)
            return quality is not None and quality > 0
    return False


class GZipMiddleware(DjangoGZipMiddleware):
    """Django's, compressing only for clients that take gzip by the rules above."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return super().process_response(request, response)
        long_enough = response.streaming or len(response.content) >= 200
        if long_enough and not response.has_header("Content-Encoding"):  # as Django's
            patch_vary_headers(response, ("Accept-Encoding",))
        return response
