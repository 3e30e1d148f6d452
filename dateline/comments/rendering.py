"""Comment text → HTML: escaped, paragraphs kept, links clickable with rel="nofollow ugc"."""

from django.utils.html import linebreaks, urlize

from dateline.core.sanitize import sanitize_comment_html


def render_comment(text: str) -> str:
    """Readers write plain text; only the links we recognise become markup."""
    html = linebreaks(urlize(text, nofollow=True, autoescape=True))
    return sanitize_comment_html(html)
