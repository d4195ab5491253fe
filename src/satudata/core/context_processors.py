from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from satudata.accounts.permissions import can, user_role
from satudata.accounts.roles import Action


@lru_cache(maxsize=1)
def _region_name(code: str) -> str:
    from satudata.catalog.models import Region

    region = Region.objects.filter(code=code).first()
    return region.name if region else code


def site(request: HttpRequest) -> dict:
    """Names every page shows, and what the signed-in user's menu may offer."""
    user = getattr(request, "user", None)
    try:
        region_name = _region_name(settings.REGION_CODE)
    except Exception:  # no table yet (before migrate)
        region_name = settings.REGION_CODE
    if region_name == settings.REGION_CODE:
        _region_name.cache_clear()
    return {
        "region_name": region_name,
        # Counted only when a page shows it (downloads and JSON never do): one COUNT query.
        "unread_notifications": SimpleLazyObject(lambda: _unread(user)),
        "role": user_role(user),
        "menu": {action.name.lower(): can(user, action) for action in Action},
    }


def _unread(user: object) -> int:
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    from satudata.notifications.selectors import unread_count

    return unread_count(user)
