"""Load the Jember demo through the services, in one transaction.

Nothing here writes a row itself: regions, agencies, topics, breakdowns, decrees, items and
users are all created by their services, so the demo database carries the same audit trail
as one built by hand in the web pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from satudata.accounts.models import Agency, User
from satudata.accounts.roles import Role
from satudata.accounts.services import agency_create, user_create
from satudata.catalog.choices import DataType, ItemKind
from satudata.catalog.models import Breakdown, DataListDecree, Region, Topic
from satudata.catalog.services import (
    breakdown_ensure,
    decree_create,
    item_create,
    regions_load,
    topic_ensure,
)
from satudata.core.actors import require
from satudata.demo.agencies import AGENCIES, DISTRICT_CODES, AgencyRow, district_row
from satudata.demo.items import AGENCY_LISTS, DISTRICT_LIST, ItemRow, district_rows, parse_rows
from satudata.demo.letterhead import letterhead_demo_load
from satudata.demo.metadata import OFFICIAL, item_kind, metadata_for, planning_category
from satudata.demo.portal import PortalSummary, portal_load
from satudata.demo.publications import publications_demo_load
from satudata.demo.sop import sop_demo_load
from satudata.demo.topics import BREAKDOWNS, TOPICS
from satudata.demo.users import DEMO_PASSWORD, USERS, UserRow
from satudata.demo.values import ValuesSummary, values_load

JEMBER = "35.09"

# (year, number, decree date); the numbers are invented but shaped like Jember's decrees.
DECREES = (
    (2025, "188.45/31/1.3/2025", dt.date(2025, 1, 20)),
    (2026, "188.45/27/1.3/2026", dt.date(2026, 1, 12)),
)
CURRENT_YEAR = 2026

# One item in five has no metadata yet, as in a real list still being completed.
METADATA_GAP_EVERY = 5
# The 2025 list: the same agencies, without the rows added in 2026 (one in four).
NEW_IN_CURRENT_YEAR_EVERY = 4


@dataclass
class DemoAccount:
    """A demo login, as printed at the end of `satudata demo`."""

    username: str
    role: str
    agency: str
    password: str


@dataclass
class DemoSummary:
    """What the demo loaded."""

    regions: int = 0
    agencies: int = 0
    topics: int = 0
    breakdowns: int = 0
    decrees: int = 0
    items: dict[int, int] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)
    values: ValuesSummary | None = None
    portal: PortalSummary | None = None
    publications: int = 0


@dataclass
class _Context:
    actor: Any
    topics: dict[str, Topic]
    breakdowns: dict[str, Breakdown]


def _agency_fields(row: AgencyRow) -> dict[str, Any]:
    return {
        "code": row.code,
        "name": row.name,
        "short_name": row.short_name,
        "kind": row.kind,
        "website": f"https://{row.subdomain}.jemberkab.go.id",
        "instagram": row.instagram,
        "facebook": row.facebook,
        "x_account": row.x_account,
        "youtube": row.youtube,
    }


def _agencies(actor: Any) -> list[tuple[Agency, list[ItemRow], str]]:
    """Create the agencies; return each with its rows and source activity, in list order."""
    loaded = []
    for row in AGENCIES:
        agency = agency_create(actor=actor, **_agency_fields(row))
        block = AGENCY_LISTS.get(row.code)
        if block is not None:
            loaded.append((agency, parse_rows(block), block.source_activity))
    districts = Region.objects.filter(code__in=DISTRICT_CODES).order_by("code")
    for index, region in enumerate(districts):
        agency = agency_create(
            actor=actor, **_agency_fields(district_row(region.code, region.name))
        )
        loaded.append((agency, district_rows(region.name, index), DISTRICT_LIST.source_activity))
    return loaded


def _item_fields(
    ctx: _Context,
    *,
    decree: DataListDecree,
    agency: Agency,
    row: ItemRow,
    number: int,
    source_activity: str,
    agency_index: int,
    with_metadata: bool,
) -> dict[str, Any]:
    code = f"{agency.code}.{number:03d}"
    kind = item_kind(row.name)
    data_type = DataType.STATISTIC
    if row.name.startswith("Peta "):
        data_type = DataType.GEOSPATIAL
    elif row.topic == "keuangan-daerah" and "rupiah" in row.unit:
        data_type = DataType.FINANCIAL
    breakdowns = [ctx.breakdowns[slug] for slug in row.breakdowns]
    plan = planning_category(row)
    topic = ctx.topics[row.topic]
    tags = [topic.name, agency.short_name, *(b.name for b in breakdowns)]
    if plan in ("SPM", "SDGs"):
        tags.append(plan)
    tags = [t.lower() for t in tags]
    fields: dict[str, Any] = {
        "decree": decree,
        "code": code,
        "name": row.name,
        "agency": agency,
        "topic": topic,
        "data_type": data_type,
        "kind": kind,
        "unit": row.unit,
        "periodicity": row.periodicity,
        "level": row.level,
        "breakdowns": breakdowns,
        "source_activity": source_activity,
        "activity_code": f"{decree.year}-3509-{agency_index:03d}",
        "tags": ", ".join(dict.fromkeys(tags)),
        "accessibility": row.accessibility,
        "accessibility_reason": row.reason,
        "source_reference": f"Lampiran SK Bupati Jember Nomor {decree.number}",
        "planning_category": plan,
    }
    if kind == ItemKind.INDICATOR:
        fields["indicator_code"] = f"IND-{code}"
    if with_metadata:
        fields |= metadata_for(
            row,
            agency_name=agency.name,
            source_activity=source_activity,
            breakdowns=[(b.name, list(b.categories)) for b in breakdowns],
        )
        fields["metadata_code"] = f"MS-{'IND' if kind == ItemKind.INDICATOR else 'VAR'}-{code}"
    return fields


def _items(
    ctx: _Context,
    decrees: dict[int, DataListDecree],
    loaded: list[tuple[Agency, list[ItemRow], str]],
) -> dict[int, int]:
    """Create every agency's items in each decree; return the number per year."""
    counts = dict.fromkeys(decrees, 0)
    serial = 0
    for agency_index, (agency, rows, source_activity) in enumerate(loaded, start=1):
        for number, row in enumerate(rows, start=1):
            serial += 1
            with_metadata = row.name in OFFICIAL or serial % METADATA_GAP_EVERY != 0
            is_new = serial % NEW_IN_CURRENT_YEAR_EVERY == 0
            for year, decree in decrees.items():
                if year != CURRENT_YEAR and is_new:
                    continue
                item_create(
                    actor=ctx.actor,
                    **_item_fields(
                        ctx,
                        decree=decree,
                        agency=agency,
                        row=row,
                        number=number,
                        source_activity=source_activity,
                        agency_index=agency_index,
                        with_metadata=with_metadata,
                    ),
                )
                counts[year] += 1
    return counts


def _users(actor: Any) -> list[DemoAccount]:
    """Create the demo accounts, each with the one published demo password."""
    agencies = {a.code: a for a in Agency.objects.all()}
    password_hash = make_password(DEMO_PASSWORD)
    return [_user(actor, row, agencies, password_hash) for row in USERS]


def _user(actor: Any, row: UserRow, agencies: dict[str, Agency], password_hash: str) -> DemoAccount:
    agency = agencies[row.agency_code] if row.agency_code else None
    password = DEMO_PASSWORD
    if User.objects.filter(username=row.username).exists():
        # E.g. an administrator made with `createadmin` first: it keeps its own password.
        password = _("(unchanged)")
    else:
        user_create(
            actor=actor,
            password_hash=password_hash,
            username=row.username,
            first_name=row.first_name,
            last_name=row.last_name,
            email=f"{row.username}@jember.example",
            role=row.role,
            agency=agency,
            position=row.position,
            is_staff=row.is_staff,
        )
    return DemoAccount(
        username=row.username,
        role=str(Role(row.role).label),
        agency=agency.short_name if agency else "",
        password=password,
    )


@transaction.atomic
def demo_load(*, actor: Any, root: str = JEMBER, values: bool = True) -> DemoSummary:
    """Load the Jember demo (regions, agencies, topics, decrees, items, users, values) in one go."""
    # Only the command line loads a demo: no signed-in role may, not even an administrator.
    require(actor, False)
    summary = DemoSummary()
    summary.regions = regions_load(actor=actor, root=root)
    loaded = _agencies(actor)
    summary.agencies = Agency.objects.count()
    topics = {slug: topic_ensure(actor=actor, name=name, slug=slug) for slug, name in TOPICS}
    breakdowns = {
        slug: breakdown_ensure(actor=actor, name=name, slug=slug, categories=categories)
        for slug, name, categories in BREAKDOWNS
    }
    summary.topics, summary.breakdowns = len(topics), len(breakdowns)
    decrees = {
        year: decree_create(
            actor=actor,
            number=number,
            title=f"Keputusan Bupati Jember Nomor {number} tentang Daftar Data Statistik "
            f"Sektoral Tahun {year}",
            decree_date=date,
            year=year,
            note="Data demo: nomor dan isi keputusan ini rekaan.",
        )
        for year, number, date in DECREES
    }
    summary.decrees = len(decrees)
    summary.items = _items(_Context(actor, topics, breakdowns), decrees, loaded)
    summary.accounts = _users(actor)
    # After the users: the demo cycle's producer steps go to agencies with a demo operator.
    sop_demo_load(actor)
    letterhead_demo_load(actor)
    if values:
        # Most of the load's time (about 4,600 saves of 180,000 values).
        summary.values = values_load(actor=actor)
        summary.portal = portal_load(actor=actor)
        # After the values and the portal: the publications' tables and cards read them.
        summary.publications = publications_demo_load()
    return summary
