"""Agencies (Perangkat Daerah) and users with their SOP role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from satudata.accounts.choices import AgencyKind
from satudata.accounts.roles import AGENCY_ROLES, Role


def agency_logo_path(agency: Agency, filename: str) -> str:
    return f"agencies/{agency.slug or 'agency'}/{filename}"


class Agency(models.Model):
    """A regional government agency; as a producer of data it is the Produsen Data."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60)
    # The agency's name in public URLs and as a CKAN organization name ([a-z0-9-]).
    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    instagram = models.CharField(_("Instagram account"), max_length=100, blank=True)
    facebook = models.CharField(_("Facebook page"), max_length=200, blank=True)
    x_account = models.CharField(_("X (Twitter) account"), max_length=100, blank=True)
    youtube = models.CharField(_("YouTube channel"), max_length=200, blank=True)
    # Printed on the agency's social-media cards (the letterhead's logo when there is none).
    logo = models.ImageField(_("logo"), upload_to=agency_logo_path, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_agency_slug(self.short_name or self.name, exclude=self.pk)
        super().save(*args, **kwargs)


def unique_agency_slug(name: str, *, exclude: int | None = None) -> str:
    """A slug from the short name, numbered when another agency already has it."""
    base = slugify(name)[:70] or "agency"
    slug, n = base, 1
    while Agency.objects.filter(slug=slug).exclude(pk=exclude).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class User(AbstractUser):
    """A person who signs in, with one SOP role (and one agency for producer roles)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    position = models.CharField(_("position"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="producer_roles_have_agency",
                condition=~models.Q(role__in=sorted(r.value for r in AGENCY_ROLES))
                | models.Q(agency__isnull=False),
            )
        ]

    def clean(self) -> None:
        super().clean()
        if self.role in AGENCY_ROLES and self.agency_id is None:
            raise ValidationError({"agency": _("A producer head or operator needs an agency.")})

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
