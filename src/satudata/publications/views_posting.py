"""Posting actions on a publication's page (step 6): publish now, retry, proof by hand.

Each POST ends with a redirect to the publication's page, where _posts.html shows the
outcome; a proof with mistakes is shown again on its own page, with what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satudata.core.errors import DomainError, NotAllowed
from satudata.publications import posting
from satudata.publications.forms_channels import ProofForm
from satudata.publications.models import Post, Publication
from satudata.publications.permissions import may_publish


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed("posts")


def _post(request: HttpRequest, pk: int) -> Post:
    post = get_object_or_404(Post.objects.select_related("publication", "channel"), pk=pk)
    _require(may_publish(request.user, post.publication.agency_id))
    return post


@login_required
@require_POST
def post_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish now: every waiting or failed channel, or the one named in `post`."""
    publication = get_object_or_404(Publication, pk=pk)
    _require(may_publish(request.user, publication.agency_id))
    chosen = None
    if request.POST.get("post", "").isdigit():
        chosen = list(publication.posts.filter(pk=int(request.POST["post"])))
    try:
        sent = posting.post_queue(actor=request.user, publication=publication, posts=chosen)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Sending to %(names)s. The result shows here in a moment.")
            % {"names": ", ".join(post.channel.name for post in sent)},
        )
    return redirect("publications:detail", pk=publication.pk)


@login_required
@require_POST
def post_retry(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    try:
        posting.post_retry(actor=request.user, post=post)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Sending to %(name)s again.") % {"name": post.channel.name})
    return redirect("publications:detail", pk=post.publication_id)


@login_required
def post_proof(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a post made by hand: its link, time and screenshot."""
    post = _post(request, pk)
    form = ProofForm(request.POST or None, request.FILES or None, post=post)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                posting.post_record_manual(
                    actor=request.user,
                    post=post,
                    url=form.cleaned_data["url"],
                    posted_at=form.cleaned_data["posted_at"],
                    screenshot=form.cleaned_data.get("screenshot"),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("The post on %(name)s is recorded.") % {"name": post.channel.name}
                )
                return redirect("publications:detail", pk=post.publication_id)
        status = 400
    return render(
        request,
        "publications/channel_post_proof.html",
        {"form": form, "post": post, "publication": post.publication},
        status=status,
    )
