"""Machine-readable odds and ends: robots.txt, media and the error pages."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.http import require_safe
from django.views.static import serve

from dateline.core.errors import ReaderError


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /clip/",
        "Disallow: /comments/",
        "Disallow: /search?",
        "Allow: /search/label/",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded media (lead images, clipped images); `serve` refuses paths outside the root."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=86400"
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 400: with its reason when the refusal is a ReaderError, else Django's own (a
    hostile request's 400, a disallowed host among them, gets no page built for it)."""
    if isinstance(exception, ReaderError):
        return render(request, "serving/bad_request.html", {"reason": str(exception)}, status=400)
    return defaults.bad_request(request, exception)
