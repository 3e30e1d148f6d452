"""Why a clip failed, in words an author can act on.

Every error carries `.message`, a full sentence safe to show on the clip page
or print from the command line; the exception class says what kind of failure
it was, so services can decide whether a retry makes sense.
"""

from __future__ import annotations


class ClipError(Exception):
    """Base of every clipping failure; `.message` is written for the author."""

    default_message = "The page could not be clipped."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class FetchError(ClipError):
    """Fetching the page went wrong."""

    default_message = "The page could not be fetched."


class NotAWebAddress(FetchError):
    default_message = "That is not a web address."


class AddressNotAllowed(FetchError):
    """Refused before any connection: the address points somewhere we never fetch from."""

    default_message = "That address is not allowed: it points inside a private network."


class SiteUnreachable(FetchError):
    default_message = "The site could not be reached."


class FetchTimeout(FetchError):
    default_message = "The site took too long to answer."


class TooManyRedirects(FetchError):
    default_message = "Too many redirects."


class HTTPStatusError(FetchError):
    """The site answered, but not with the page."""

    def __init__(self, status: int) -> None:
        self.status = status
        super().__init__(_status_message(status))


class TooLarge(FetchError):
    default_message = "The page is too large."


class WrongContentType(FetchError):
    default_message = "That address is not a web page."


class ExtractionError(ClipError):
    default_message = "No article found on that page."


class PageTooLarge(ClipError):
    """Refused before (or while) reading the article: the page is past what a clip may cost.

    Reading the article takes time and memory that grow faster than the page (a page of
    many thousands of links could take most of a minute: bench/clip_limits.py), so size,
    element count and time are all capped.
    """

    default_message = "The page is too large to clip."


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size // 1000} kB"


def html_too_large(size: int, limit: int) -> PageTooLarge:
    return PageTooLarge(
        f"The page is too large to clip: its HTML is {_megabytes(size)}, "
        f"and the limit is {_megabytes(limit)} (DATELINE_CLIP_MAX_HTML_BYTES)."
    )


def too_many_elements(count: int, limit: int) -> PageTooLarge:
    return PageTooLarge(
        f"The page is too large to clip: it has {count:,} HTML elements, "
        f"and the limit is {limit:,} (DATELINE_CLIP_MAX_ELEMENTS)."
    )


def extraction_too_slow(seconds: float) -> PageTooLarge:
    return PageTooLarge(
        f"The page is too large to clip: finding its article took longer than {seconds:g} "
        f"second{'' if seconds == 1 else 's'} (DATELINE_CLIP_EXTRACT_TIMEOUT)."
    )


def _status_message(status: int) -> str:
    if status in (404, 410):
        return f"The page was not found (HTTP {status})."
    if status in (401, 402, 403, 451):
        return f"The site refused to show the page (HTTP {status})."
    if status == 429:
        return "The site asked us to slow down (HTTP 429); try again later."
    if status >= 500:
        return f"The site had an error (HTTP {status}); try again later."
    return f"The site did not return the page (HTTP {status})."
