"""Social-media cards: real PNGs in the three sizes, remade when stale, served to staff only."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from satudata.audit.models import AuditEntry
from satudata.core.errors import NotAllowed
from satudata.core.models import Letterhead
from satudata.publications.choices import CARD_PIXELS
from satudata.publications.models import Card
from satudata.publications.services import draft_save
from satudata.publications.services_cards import cards_generate
from tests.publications.test_blocks_setup import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db

RED = (220, 0, 0)


@pytest.fixture
def drafted(publication, operator, district_item, rate_item):
    return draft_save(
        actor=operator,
        publication=publication,
        title="Imunisasi bayi di Jember naik pada 2025",
        blocks=[
            {"kind": "chart", "item": district_item.pk, "period": "2025", "chart": "bar"},
            {"kind": "table", "item": rate_item.pk, "period": "2025"},
        ],
    )


@pytest.fixture
def red_logo(db):
    data = io.BytesIO()
    Image.new("RGB", (200, 200), RED).save(data, format="PNG")
    letterhead = Letterhead(pk=1, government="PEMERINTAH KABUPATEN JEMBER", office="DISKOMINFO")
    letterhead.logo.save("logo.png", ContentFile(data.getvalue()), save=True)
    return letterhead


def test_three_cards_of_the_right_sizes_with_the_chart_and_the_logo(drafted, operator, red_logo):
    cards = cards_generate(actor=operator, publication=drafted)
    assert {c.size for c in cards} == set(CARD_PIXELS)
    for card in cards:
        with card.image.open("rb") as handle:
            image = Image.open(handle)
            image.load()
        assert image.format == "PNG"
        assert image.size == CARD_PIXELS[card.size] == (card.width, card.height)
        assert card.revision == drafted.revision
        rgb = image.convert("RGB")
        band = {rgb.getpixel((x, y)) for x in range(40, 200, 4) for y in range(10, 90, 4)}
        assert RED in band  # the letterhead's logo sits in the top band
        colours = len(rgb.resize((120, 120)).getcolors(maxcolors=120 * 120) or [])
        assert colours > 50  # title, figure and a drawn chart, not an empty canvas
    assert AuditEntry.objects.filter(action="publication.cards").count() == 1


def test_the_agencys_own_logo_wins_over_the_letterheads(drafted, operator, red_logo, agency):
    from satudata.accounts.services import agency_update
    from tests.factories import SYSTEM

    blue = (0, 0, 220)
    data = io.BytesIO()
    Image.new("RGB", (200, 200), blue).save(data, format="PNG")
    agency_update(actor=SYSTEM, agency=agency, logo=ContentFile(data.getvalue(), name="dinkes.png"))
    drafted.refresh_from_db()
    card = next(
        c for c in cards_generate(actor=operator, publication=drafted) if c.size == "square"
    )
    with card.image.open("rb") as handle:
        rgb = Image.open(handle).convert("RGB")
    band = {rgb.getpixel((x, y)) for x in range(40, 200, 4) for y in range(10, 90, 4)}
    assert blue in band and RED not in band


def test_fresh_cards_are_kept_and_stale_ones_remade(
    drafted, operator, django_capture_on_commit_callbacks
):
    first = {
        c.size: (c.image.name, c.generated_at)
        for c in cards_generate(actor=operator, publication=drafted)
    }
    again = {
        c.size: (c.image.name, c.generated_at)
        for c in cards_generate(actor=operator, publication=drafted)
    }
    assert again == first  # nothing was stale
    drafted = draft_save(actor=operator, publication=drafted, title="Judul baru")
    with django_capture_on_commit_callbacks(execute=True):
        remade = cards_generate(actor=operator, publication=drafted)
    assert all(c.revision == drafted.revision for c in remade)
    assert all(c.image.name != first[c.size][0] for c in remade)
    assert Card.objects.filter(publication=drafted).count() == 3
    storage = remade[0].image.storage
    assert not any(storage.exists(name) for name, _at in first.values())  # old files removed


def test_a_publication_without_chart_or_values_still_gets_cards(publication, operator):
    cards = cards_generate(actor=operator, publication=publication)
    assert len(cards) == 3


def test_only_the_agencys_operator_and_head_make_cards(
    drafted, head, other_operator, other_head, walidata
):
    assert len(cards_generate(actor=head, publication=drafted)) == 3
    for user in (other_operator, other_head, walidata):
        with pytest.raises(NotAllowed):
            cards_generate(actor=user, publication=drafted, force=True)


def test_a_card_image_is_served_to_staff_and_refused_to_another_agency(
    login, drafted, operator, walidata, other_operator
):
    cards_generate(actor=operator, publication=drafted)
    url = reverse("publications:card-image", args=[drafted.pk, "square"])
    for user in (operator, walidata):
        response = login(user).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
        assert image.size == (1080, 1080)
    assert login(other_operator).get(url).status_code == 403
    bad = reverse("publications:card-image", args=[drafted.pk, "huge"])
    assert login(operator).get(bad).status_code == 404


def test_the_generate_button_makes_the_cards_for_the_agency_only(
    login, drafted, operator, other_operator
):
    url = reverse("publications:cards-generate", args=[drafted.pk])
    assert login(other_operator).post(url).status_code == 403
    assert not Card.objects.exists()
    response = login(operator).post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("publications:preview", args=[drafted.pk])
    assert Card.objects.filter(publication=drafted).count() == 3
