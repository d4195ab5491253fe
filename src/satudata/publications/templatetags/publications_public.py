"""Template tags of the public publications: the home page's "latest publications" strip.

A tag rather than a context entry because the portal's home view builds its cached body from
a fixed context; the tag runs inside that build, so its one query is cached with the body.
"""

from __future__ import annotations

from django import template

from satudata.portal.pages_home import latest_publications as home_latest
from satudata.publications.models import Publication

register = template.Library()


@register.simple_tag
def latest_publications() -> list[Publication]:
    """The newest published publications (publications.selectors_public)."""
    return home_latest()
