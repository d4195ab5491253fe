from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ValueStatus(models.TextChoices):
    """Whether a value may still change (sementara) or is final (tetap)."""

    PRELIMINARY = "preliminary", _("Preliminary")
    FINAL = "final", _("Final")
