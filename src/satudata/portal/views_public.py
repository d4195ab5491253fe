"""Public portal pages: home, dataset, agencies, topics, calendar, sitemap, feed (being built)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def _being_built(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("being built", status=501, content_type="text/plain")


home = _being_built

dataset_detail = _being_built

agency_list = _being_built

agency_detail = _being_built

topic_list = _being_built

topic_detail = _being_built

release_calendar = _being_built

sitemap = _being_built

robots_txt = _being_built

feed = _being_built
