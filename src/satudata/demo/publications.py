"""Demo publications (SOP steps 4-6): one in each state, made by the demo heads and operators.

Everything goes through the services as the people themselves, so the audit log, the step times
and the open dissemination cycle show them as the real thing would. Nothing is sent to a real
network: the demo channels are the portal and channels posted by hand (an Instagram account
with a recorded proof link, and a website whose post waits for the operator).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from satudata.accounts.models import Agency, User
from satudata.accounts.roles import Role
from satudata.publications.channels import channel_create
from satudata.publications.choices import ChannelKind
from satudata.publications.models import Publication
from satudata.publications.posting import post_queue, post_record_manual
from satudata.publications.selectors_blocks import block_options
from satudata.publications.services import (
    channel_portal,
    draft_save,
    draft_submit,
    publication_approve,
    publication_instruct,
    publication_return,
)
from satudata.publications.services_cards import cards_generate


@dataclass
class _Team:
    agency: Agency
    head: User
    operator: User


def _teams() -> list[_Team]:
    teams = []
    for agency in Agency.objects.filter(users__role=Role.PRODUCER_OPERATOR).distinct():
        head = agency.users.filter(role=Role.PRODUCER_HEAD, is_active=True).first()
        operator = agency.users.filter(role=Role.PRODUCER_OPERATOR, is_active=True).first()
        if head and operator:
            teams.append(_Team(agency, head, operator))
    return sorted(teams, key=lambda t: t.agency.code)


def _blocks(agency: Agency) -> tuple[list[dict[str, Any]], str]:
    """A table and a chart of the agency's first open item with values, and its name."""
    for item in block_options(agency.pk)["items"]:
        periods = [p["key"] for p in item["periods"]]
        if not periods:
            continue
        chart = item["charts"][0]["key"] if item["charts"] else "line"
        base = {"item": item["id"], "breakdown": "", "title": ""}
        return [
            {**base, "kind": "table", "period": periods[0], "chart": ""},
            {**base, "kind": "chart", "period": periods[0], "chart": chart},
        ], item["name"]
    return [], ""


def _write(team: _Team, publication: Publication, title: str) -> Publication:
    blocks, name = _blocks(team.agency)
    return draft_save(
        actor=team.operator,
        publication=publication,
        title=title,
        body=(
            f"<p>{team.agency.name} merilis data <strong>{name or title}</strong> terbaru. "
            "Data ini bersumber dari daftar data statistik sektoral Kabupaten Jember dan dapat "
            "diunduh lengkap di Portal Satu Data.</p>"
            "<ul><li>Data terbuka, lisensi CC BY 4.0.</li><li>Rincian per kecamatan tersedia "
            "di portal.</li></ul>"
        ),
        caption=f"{title}. Selengkapnya di Portal Satu Data Jember.",
        hashtags="#SatuDataJember #StatistikSektoral #Jember",
        blocks=blocks,
    )


def publications_demo_load() -> int:
    """Load the demo publications (skipped when there are any); returns how many were made."""
    if Publication.objects.exists():
        return 0
    teams = _teams()
    if not teams:
        return 0
    made = 0
    first = teams[0]
    manual = channel_create(
        actor=first.head,
        agency=first.agency,
        kind=ChannelKind.MANUAL,
        name=f"Instagram {first.agency.short_name} (diunggah manual)",
        address="https://www.instagram.com/",
    )
    portal = channel_portal(first.agency)
    # Published: drafted, approved, cards made, posted on the portal and by hand on Instagram.
    published = publication_instruct(
        actor=first.head,
        agency=first.agency,
        assignee=first.operator,
        topic="Rilis data terbaru untuk situs web dan Instagram",
        instruction="Buat infografis dari data terbaru dan unggah hari ini.",
        channels=[portal, manual],
    )
    _write(first, published, f"Data Terbaru {first.agency.short_name} Kabupaten Jember")
    draft_submit(actor=first.operator, publication=published)
    publication_approve(actor=first.head, publication=published, comment="Sudah baik.")
    published.refresh_from_db()
    cards_generate(actor=first.operator, publication=published)
    post_queue(actor=first.operator, publication=published)
    post = published.posts.get(channel=manual)
    post_record_manual(
        actor=first.operator,
        post=post,
        url=f"https://www.instagram.com/p/demo-{published.pk}/",
        posted_at=timezone.now(),
    )
    # Waiting for the head's review.
    submitted = publication_instruct(
        actor=first.head,
        agency=first.agency,
        assignee=first.operator,
        topic="Infografis capaian semester",
    )
    _write(first, submitted, "Capaian Semester Ini dalam Angka")
    draft_submit(actor=first.operator, publication=submitted)
    made += 2
    if len(teams) > 1:
        second = teams[1]
        # Returned by the head with a comment: back with the operator (step 4 again).
        returned = publication_instruct(
            actor=second.head,
            agency=second.agency,
            assignee=second.operator,
            topic="Publikasi data tahunan",
        )
        _write(second, returned, f"Data Tahunan {second.agency.short_name}")
        draft_submit(actor=second.operator, publication=returned)
        publication_return(
            actor=second.head,
            publication=returned,
            comment="Tambahkan rincian per kecamatan dan sumber datanya.",
        )
        # Approved, waiting for the operator to post it on the website by hand and record
        # the proof (a demo holds no real site's password, and sends nothing anywhere).
        website = channel_create(
            actor=second.head,
            agency=second.agency,
            kind=ChannelKind.MANUAL,
            name=f"Situs web {second.agency.short_name} (diunggah manual)",
            address=second.agency.website or "https://jemberkab.go.id",
        )
        approved = publication_instruct(
            actor=second.head,
            agency=second.agency,
            assignee=second.operator,
            topic="Berita data untuk situs web",
            channels=[website],
        )
        _write(second, approved, f"Berita Data {second.agency.short_name}")
        draft_submit(actor=second.operator, publication=approved)
        publication_approve(actor=second.head, publication=approved)
        # Just instructed: the operator has not begun.
        publication_instruct(
            actor=second.head,
            agency=second.agency,
            assignee=second.operator,
            topic="Data bulan ini untuk media sosial",
        )
        made += 3
    return made
