"""Factories that build test data through the real services (so tests see audited data)."""

from __future__ import annotations

import datetime as dt

import factory

from satudata.accounts.choices import AgencyKind
from satudata.accounts.models import Agency, User
from satudata.accounts.roles import Role
from satudata.accounts.services import agency_create, user_create
from satudata.catalog.choices import Accessibility, Periodicity, PresentationLevel
from satudata.catalog.models import DataItem, DataListDecree, Topic
from satudata.catalog.services import decree_create, item_create, topic_ensure
from satudata.core.actors import SystemActor

SYSTEM = SystemActor("tests")
PASSWORD = "sandi-uji-2026"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"PD{n:03d}")
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    short_name = factory.Sequence(lambda n: f"DU{n}")
    kind = AgencyKind.OFFICE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return agency_create(actor=SYSTEM, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.go.id")
    first_name = factory.Sequence(lambda n: f"Pengguna {n}")
    role = Role.WALIDATA
    agency = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return user_create(actor=SYSTEM, password=PASSWORD, **kwargs)


class DecreeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataListDecree

    number = factory.Sequence(lambda n: f"188.45/{n}/35.09.325/2026")
    title = "Daftar Data Statistik Sektoral Kabupaten Jember Tahun 2026"
    decree_date = dt.date(2026, 1, 15)
    year = 2026

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return decree_create(actor=SYSTEM, **kwargs)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topik {n}")
    slug = factory.Sequence(lambda n: f"topik-{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return topic_ensure(actor=SYSTEM, **kwargs)


class DataItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataItem

    decree = factory.SubFactory(DecreeFactory)
    code = factory.Sequence(lambda n: f"DD-{n:04d}")
    name = factory.Sequence(lambda n: f"Jumlah Uji {n}")
    agency = factory.SubFactory(AgencyFactory)
    unit = "orang"
    periodicity = Periodicity.ANNUAL
    level = PresentationLevel.DISTRICT
    accessibility = Accessibility.OPEN
    accessibility_reason = factory.LazyAttribute(
        lambda o: (
            ""
            if o.accessibility == Accessibility.OPEN
            else "UU 14/2008 pasal 17 huruf h (data pribadi)"
        )
    )
    definition = "Definisi uji."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return item_create(actor=SYSTEM, **kwargs)
