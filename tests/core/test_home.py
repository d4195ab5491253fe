from __future__ import annotations

from satudata.catalog.choices import Accessibility
from tests.factories import DataItemFactory


def test_an_operator_sees_his_own_agency_on_his_home_page(login, operator, education, decree):
    DataItemFactory(decree=decree, agency=operator.agency, accessibility=Accessibility.CLOSED)
    DataItemFactory(decree=decree, agency=education, name="Angka Partisipasi Sekolah")
    page = login(operator).get("/app/").content.decode()
    assert "Dinas Kesehatan" in page
    assert page.count('class="num">1<') >= 2  # 1 item of his agency, 1 closed
    assert "Angka Partisipasi Sekolah" in page  # other agencies' open items may show


def test_a_closed_item_of_another_agency_never_shows_on_a_producers_home(
    login, other_operator, health, decree
):
    DataItemFactory(
        decree=decree, agency=health, name="Data Pasien HIV", accessibility=Accessibility.CLOSED
    )
    page = login(other_operator).get("/app/").content.decode()
    assert "Data Pasien HIV" not in page


def test_walidata_sees_the_whole_list_even_with_an_agency(login, walidata, health, decree):
    DataItemFactory(decree=decree, agency=health, accessibility=Accessibility.CLOSED)
    DataItemFactory(decree=decree, agency=health)
    page = login(walidata).get("/app/").content.decode()
    assert 'class="num">2<' in page
