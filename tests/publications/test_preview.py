"""The channel preview: each target channel's text, card and limits, with warnings; 403s."""

from __future__ import annotations

import pytest
from django.urls import reverse

from satudata.publications.choices import ChannelKind
from satudata.publications.models import Channel
from satudata.publications.selectors_blocks import (
    channel_previews,
    hashtag_list,
    social_text,
    x_length,
)
from satudata.publications.services import draft_save
from tests.publications.test_blocks_setup import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def social(publication, agency):
    # Test setup: the channels helper's service is not what these tests are about.
    for kind, name in (
        (ChannelKind.FACEBOOK, "Facebook Dinkes"),
        (ChannelKind.INSTAGRAM, "Instagram Dinkes"),
        (ChannelKind.X, "X Dinkes"),
    ):
        publication.channels.add(Channel.objects.create(agency=agency, kind=kind, name=name))
    return publication


def test_x_counts_a_link_as_23_and_wide_characters_as_2():
    assert x_length("Lihat https://satudata.jemberkab.go.id/publikasi/sangat-panjang-sekali/") == 29
    assert x_length("数据") == 4
    assert x_length("é" * 10) == 10


def test_hashtags_are_read_from_spaces_or_commas_with_or_without_the_sign():
    assert hashtag_list("#Jember, imunisasi  #Jember #SatuData") == [
        "#Jember",
        "#imunisasi",
        "#SatuData",
    ]


def test_the_social_text_adds_the_hashtags_not_in_the_caption_and_the_link(social, operator):
    draft_save(
        actor=operator,
        publication=social,
        title="Judul",
        caption="AKI turun #Jember",
        hashtags="#Jember #SatuData",
    )
    social.refresh_from_db()
    text = social_text(social)
    assert text.startswith("AKI turun #Jember\n\n#SatuData\n\n")
    assert "/publikasi/" in text


def test_an_over_long_x_text_is_warned_and_a_short_one_is_not(social, operator):
    draft_save(actor=operator, publication=social, title="Judul", caption="Angka " * 60)
    social.refresh_from_db()
    x = next(p for p in channel_previews(social) if p.kind == ChannelKind.X)
    assert x.limits[0].used > 280 and x.limits[0].over and x.warnings
    draft_save(actor=operator, publication=social, caption="Angka kematian ibu turun.")
    social.refresh_from_db()
    x = next(p for p in channel_previews(social) if p.kind == ChannelKind.X)
    assert not x.limits[0].over and not x.warnings


def test_instagram_warns_over_30_hashtags(social, operator):
    tags = " ".join(f"#tag{n}" for n in range(31))
    draft_save(actor=operator, publication=social, title="Judul", caption="Data", hashtags=tags)
    social.refresh_from_db()
    instagram = next(p for p in channel_previews(social) if p.kind == ChannelKind.INSTAGRAM)
    hashtags = next(limit for limit in instagram.limits if limit.maximum == 30)
    assert hashtags.used == 31 and hashtags.over


def test_the_preview_page_shows_each_channel_and_the_x_warning(
    login, social, operator, district_item
):
    draft_save(
        actor=operator,
        publication=social,
        title="Imunisasi naik",
        body="<p>Isi berita.</p>",
        caption="Angka " * 60,
        blocks=[{"kind": "table", "item": district_item.pk, "period": "2025"}],
    )
    response = login(operator, "en").get(reverse("publications:preview", args=[social.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Facebook Dinkes", "Instagram Dinkes", "X Dinkes"):
        assert name in html
    # Targets: the portal and the three accounts; WordPress shown as not a target.
    assert html.count('class="pub-channel"') == 4
    assert html.count('class="pub-channel untargeted"') == 1
    assert "over the limit" in html and "Shorten the text" in html
    assert "1.234,5" in html  # the table shows on the portal and WordPress previews
    assert 'id="portal-block-1"' in html and 'id="wp-block-1"' in html  # ids kept apart
    assert reverse("publications:cards-generate", args=[social.pk]) in html


def test_the_preview_is_for_the_agency_and_the_walidata_not_for_another_agency(
    login, publication, walidata, head, other_operator, other_head
):
    url = reverse("publications:preview", args=[publication.pk])
    assert login(head).get(url).status_code == 200
    response = login(walidata).get(url)
    assert response.status_code == 200
    assert reverse("publications:cards-generate", args=[publication.pk]) not in (
        response.content.decode()
    )  # walidata reads; making cards is the agency's
    for user in (other_operator, other_head):
        assert login(user).get(url).status_code == 403
