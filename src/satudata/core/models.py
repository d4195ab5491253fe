"""The installation's letterhead: who the government and the office are (report, cards, PDF).

One row (pk 1), edited by walidata or an administrator; until then `letterhead()` gives
defaults from the region's name, so nothing needs setting up before the first report.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


def logo_path(instance: Letterhead, filename: str) -> str:
    return f"letterhead/{filename}"


class Letterhead(models.Model):
    government = models.CharField(
        _("government"), max_length=200, help_text=_("e.g. PEMERINTAH KABUPATEN JEMBER")
    )
    office = models.CharField(
        _("office"), max_length=200, help_text=_("e.g. DINAS KOMUNIKASI DAN INFORMATIKA")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("telephone"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    city = models.CharField(_("city of signing"), max_length=100, blank=True)
    logo = models.ImageField(_("logo"), upload_to=logo_path, blank=True)
    # The signature block of the office head (report closing).
    head_name = models.CharField(_("head's name"), max_length=200, blank=True)
    head_rank = models.CharField(_("head's rank"), max_length=200, blank=True)
    head_nip = models.CharField(_("head's NIP"), max_length=40, blank=True)
    head_position = models.CharField(_("head's position"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("letterhead")

    def __str__(self) -> str:
        return f"{self.government} · {self.office}"


def letterhead() -> Letterhead:
    """The saved letterhead, or an unsaved one with defaults from the region's name."""
    saved = Letterhead.objects.filter(pk=1).first()
    if saved is not None:
        return saved
    from django.conf import settings

    from satudata.catalog.models import Region

    region = Region.objects.filter(code=settings.REGION_CODE).first()
    name = region.name.upper() if region else settings.REGION_CODE
    return Letterhead(
        pk=1,
        government=f"PEMERINTAH {name}",
        office="DINAS KOMUNIKASI DAN INFORMATIKA",
    )
