"""The Micropub endpoint (W3C Recommendation) and its media endpoint.

A client finds them from the `<link rel="micropub">` on every page and `q=config`. The
token comes in the Authorization header (`Bearer ...`) or an `access_token` field, never
both; each action needs its scope (create, update, delete, media; a `draft` token can
only create drafts). Errors are JSON with the spec's names: `unauthorized` (401, no or
an unknown token), `insufficient_scope` (401), `forbidden` (403), `invalid_request` (400).
"""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from dateline.core.rasters import RasterRefused, check_raster
from dateline.micropub import writer
from dateline.micropub.models import Token
from dateline.micropub.requests import MicropubError, read_request
from dateline.micropub.tokens import token_for
from dateline.people.roles import may_edit_post
from dateline.posts.models import Post
from dateline.posts.services import stored_image_name

MAX_CATEGORIES = 1000
MAX_CREATES, WINDOW = 30, timedelta(minutes=10)


def _error(error: MicropubError) -> JsonResponse:
    body = {"error": error.error, "error_description": error.description}
    if error.scope:
        body["scope"] = error.scope
    return JsonResponse(body, status=error.status)


def _token(request: HttpRequest) -> Token:
    header = request.headers.get("Authorization", "")
    field = request.POST.get("access_token") if request.method == "POST" else None
    if header and field:
        raise MicropubError(
            "invalid_request", "Send the token in the header or the body, not both."
        )
    raw = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else field or ""
    if not raw:
        raise MicropubError("unauthorized", "No access token was sent.", 401)
    token = token_for(raw)
    if token is None:
        raise MicropubError("unauthorized", "The access token is unknown or revoked.", 401)
    return token


def _need(token: Token, scope: str) -> None:
    if scope not in token.scope_set:
        raise MicropubError("insufficient_scope", f"This token lacks the {scope} scope.", 401,
                            scope=scope)  # fmt: skip


def _check_rate(token: Token) -> None:
    """At most MAX_CREATES new posts per author in WINDOW: a leaked token or a looping
    script fills no blog. Counted from the posts themselves, so every process agrees."""
    since = timezone.now() - WINDOW
    if Post.objects.filter(author=token.user, created_at__gte=since).count() >= MAX_CREATES:
        minutes = int(WINDOW.total_seconds() // 60)
        raise MicropubError("rate_limited", f"At most {MAX_CREATES} new posts in {minutes} "
                            "minutes: try again later.", 429)  # fmt: skip


def _location(request: HttpRequest, post: Post) -> str:
    path = post.path if post.is_visible else f"/desk/posts/{post.pk}/"
    return request.build_absolute_uri(path)


def _config(request: HttpRequest) -> dict:
    return {"media-endpoint": request.build_absolute_uri("/micropub/media"), "syndicate-to": [],
            "post-types": [{"type": "note", "name": "Note"}, {"type": "article", "name": "Post"},
                           {"type": "photo", "name": "Photo"}],
            "q": ["config", "source", "syndicate-to", "category"]}  # fmt: skip


def _query(request: HttpRequest, token: Token) -> JsonResponse:
    asked = request.GET.get("q", "")
    if asked == "config":
        return JsonResponse(_config(request))
    if asked == "syndicate-to":
        return JsonResponse({"syndicate-to": []})
    if asked == "category":
        from dateline.posts.models import Label

        names = list(Label.objects.values_list("name", flat=True)[:MAX_CATEGORIES])
        return JsonResponse({"categories": names})
    if asked == "source":
        post = writer.post_for(request.GET.get("url", ""))
        if not may_edit_post(token.user, post.author_id):
            raise MicropubError("forbidden", "This post is not yours to read here.", 403)
        properties = writer.source(post)
        wanted = request.GET.getlist("properties[]") or request.GET.getlist("properties")
        if wanted:
            return JsonResponse(
                {"properties": {k: v for k, v in properties.items() if k in wanted}}
            )
        return JsonResponse({"type": ["h-entry"], "properties": properties})
    raise MicropubError("invalid_request", f"Unknown query q={asked[:40]!r}.")


def _post(request: HttpRequest, token: Token) -> HttpResponse:
    asked = read_request(request)
    if asked.action == "create":
        if not token.scope_set & {"create", "draft"}:
            _need(token, "create")
        _check_rate(token)
        post = writer.create(asked, token.user, drafts_only="create" not in token.scope_set)
        response = HttpResponse(status=201)
        response["Location"] = _location(request, post)
        return response
    if asked.action not in ("update", "delete", "undelete"):
        raise MicropubError("invalid_request", f"Unknown action {asked.action[:40]!r}.")
    _need(token, "update" if asked.action == "update" else "delete")
    post = writer.post_for(asked.url)
    if not may_edit_post(token.user, post.author_id):
        raise MicropubError("forbidden", "Only its author or an editor may change this post.", 403)
    if asked.action == "update":
        post = writer.update(post, asked.changes, token.user)
        response = HttpResponse(status=200)
        response["Location"] = _location(request, post)
        return response
    (writer.delete if asked.action == "delete" else writer.undelete)(post)
    return HttpResponse(status=204)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def micropub(request: HttpRequest) -> HttpResponse:
    try:
        token = _token(request)
        return _post(request, token) if request.method == "POST" else _query(request, token)
    except MicropubError as error:
        return _error(error)


@csrf_exempt
@require_http_methods(["POST"])
def media(request: HttpRequest) -> HttpResponse:
    """One image (the `file` part) stored as a lead image would be; 201 with its URL."""
    try:
        _need(token := _token(request), "media")
        upload = request.FILES.get("file")
        if upload is None:
            raise MicropubError("invalid_request", "Send the image as the multipart part `file`.")
        data = upload.read()
        try:
            extension = check_raster(data)
        except RasterRefused as refusal:
            raise MicropubError("invalid_request", f"file: {refusal}.") from None
        del token
    except MicropubError as error:
        return _error(error)
    from django.core.files.storage import default_storage

    name = stored_image_name(data, upload.name or "upload", extension)
    response = HttpResponse(status=201)
    response["Location"] = request.build_absolute_uri(default_storage.url(name))
    return response
