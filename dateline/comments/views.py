"""Receiving a comment: validate, store through the service, or re-show what was typed."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

from dateline.comments.forms import CommentForm
from dateline.comments.services import CommentRefused, CommentSubmission, submit_comment
from dateline.comments.signals import comment_held
from dateline.core.clientip import client_ip
from dateline.posts.models import Post
from dateline.posts.views import render_post_page


@require_POST
def post_comment(request: HttpRequest, post_id: int) -> HttpResponse:
    post = Post.objects.visible().filter(pk=post_id).first()
    if post is None:
        raise Http404("No such post.")
    form = CommentForm(request.POST)
    if not form.is_valid():
        form.refresh_token()
        return render_post_page(request, post, form=form, status=400)
    data = form.cleaned_data
    submission = CommentSubmission(
        author_name=data["author_name"],
        body=data["body"],
        author_email=data["author_email"],
        author_url=data["author_url"],
        parent_id=data.get("parent"),
        by_author=request.user.is_active and request.user.is_staff,
    )
    try:
        comment = submit_comment(post, submission, client_ip(request))
    except CommentRefused as refusal:
        form.add_error(None, str(refusal))
        form.refresh_token()
        return render_post_page(request, post, form=form, status=refusal.status)
    if comment.status == comment.Status.APPROVED:
        return HttpResponseRedirect(f"{post.path}#comment-{comment.pk}", status=303)
    comment_held.send(
        sender=type(comment), comment=comment, site_url=request.build_absolute_uri("/")
    )
    return HttpResponseRedirect(f"{post.path}?comment=pending#comments", status=303)
