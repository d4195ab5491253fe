"""Production checks run by `satudata check` (Django's `check --deploy`).

They are errors, not warnings: a server started with these settings would be unsafe.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def production_settings(app_configs, **kwargs) -> list[Error]:
    errors = []
    if settings.DEBUG:
        errors.append(
            Error("DEBUG is on.", hint="Unset DEBUG (or DEBUG=false).", id="satudata.E001")
        )
    if not settings.SECRET_KEY_FROM_ENV or len(settings.SECRET_KEY) < 50:
        errors.append(
            Error(
                "SECRET_KEY is not set in the environment (or is shorter than 50 characters).",
                hint="Set SECRET_KEY to one long random value shared by every host.",
                id="satudata.E002",
            )
        )
    if (
        not settings.ALLOWED_HOSTS_FROM_ENV
        or not settings.ALLOWED_HOSTS
        or "*" in settings.ALLOWED_HOSTS
    ):
        errors.append(
            Error(
                "ALLOWED_HOSTS is not set to the site's host names.",
                hint="Set ALLOWED_HOSTS, e.g. ALLOWED_HOSTS=data.jemberkab.go.id",
                id="satudata.E003",
            )
        )
    return errors
