"""The desk's "Apps and tokens" page: an author makes Micropub tokens (shown once) and
revokes them. Authors see and revoke their own tokens only."""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dateline.desk.access import author_required
from dateline.desk.views import desk_page
from dateline.micropub.models import SCOPES, Token
from dateline.micropub.tokens import create_token, may_write

WHAT_SCOPES_ALLOW = {
    "create": "publish new posts",
    "update": "change posts",
    "delete": "delete and undelete posts",
    "media": "upload images",
    "draft": "new posts, as drafts only",
}
NEW_TOKEN_KEY = "micropub_new_token"  # noqa: S105 - a session key, not a secret
SCOPE_CHOICES = [(scope, f"{scope}: {WHAT_SCOPES_ALLOW[scope]}") for scope in SCOPES]


class TokenForm(forms.Form):
    name = forms.CharField(
        label="App or script",
        max_length=100,
        help_text="So you know which token to revoke later, e.g. Quill.",
    )
    scopes = forms.MultipleChoiceField(
        label="It may",
        choices=SCOPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one."},
    )


def _revoke(request: HttpRequest) -> None:
    number = request.POST.get("revoke", "")
    token = Token.objects.filter(pk=int(number), user=request.user).first() if (
        number.isdigit() and len(number) < 19) else None  # fmt: skip
    if token is None:
        raise Http404("No such token of yours.")
    Token.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now())


@author_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens_page(request: HttpRequest) -> HttpResponse:
    """The form, the new token once (never stored in the clear), and one's tokens."""
    if request.method == "POST" and "revoke" in request.POST:
        _revoke(request)
        return redirect("desk:tokens")
    form = TokenForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid() and may_write(request.user):
        _, made = create_token(request.user, form.cleaned_data["scopes"],
                               form.cleaned_data["name"])  # fmt: skip
        # Shown by the GET this redirects to, once: reloading that page asks again for the
        # page, not for another token (the session is server-side and the entry is popped).
        request.session[NEW_TOKEN_KEY] = made
        return redirect("desk:tokens")
    new_token = request.session.pop(NEW_TOKEN_KEY, "") if request.method == "GET" else ""
    tokens = Token.objects.filter(user=request.user)
    endpoint = request.build_absolute_uri("/micropub")
    return desk_page(request, "micropub/tokens.html", "tokens", form=form, tokens=tokens,
                     new_token=new_token, endpoint=endpoint,
                     may_write=may_write(request.user))  # fmt: skip
