"""Workspace pages of SOP steps 4-6: thin views over services and selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from satudata.core.errors import NotAllowed
from satudata.publications.models import Publication
from satudata.publications.permissions import may_view_publication, may_view_publications


@login_required
def publication_list(request: HttpRequest) -> HttpResponse:
    if not may_view_publications(request.user):
        raise NotAllowed("publications")
    return HttpResponse("")  # replaced by the workspace pages


@login_required
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404(Publication, pk=pk)
    if not may_view_publication(request.user, publication.agency_id):
        raise NotAllowed("publication")
    return HttpResponse(publication.title)  # replaced by the workspace pages
