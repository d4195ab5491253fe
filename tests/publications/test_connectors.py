"""Each connector sends the request its network documents, and reads the network's errors."""

from __future__ import annotations

import base64

import pytest

from satudata.publications.connectors import ConnectorError, PostContent
from satudata.publications.connectors.facebook import FacebookConnector
from satudata.publications.connectors.instagram import InstagramConnector
from satudata.publications.connectors.wordpress import WordPressConnector
from satudata.publications.connectors.x import XConnector, tweet_text
from tests.publications.fakes import FakeGraph, FakeWordPress, FakeX
from tests.publications.fakes.flow import png_bytes

CONTENT = PostContent(
    key="satudata-7",
    title="Angka kematian ibu turun",
    html="<p>Turun 12%</p>",
    text="AKI turun 12%\n\n#Jember\n\nhttp://portal.test/publikasi/aki/",
    link="http://portal.test/publikasi/aki/",
    image_url="http://portal.test/publikasi/aki/kartu/square.png",
    image=png_bytes(),
    image_name="aki.png",
)
WP_CREDENTIALS = {"username": "editor", "app_password": "abcd EFGH ijkl MNOP qrst UVWX"}


@pytest.fixture
def wordpress():
    fake = FakeWordPress().start()
    yield fake
    fake.stop()


@pytest.fixture
def graph(settings):
    fake = FakeGraph().start()
    settings.FACEBOOK_GRAPH_URL = f"{fake.url}/v21.0"
    yield fake
    fake.stop()


@pytest.fixture
def x_api(settings):
    fake = FakeX().start()
    settings.X_API_URL = fake.url
    yield fake
    fake.stop()


def test_wordpress_uploads_the_card_and_publishes_with_basic_auth(wordpress):
    sent = WordPressConnector().send(
        address=wordpress.url + "/", credentials=WP_CREDENTIALS, content=CONTENT
    )
    lookup, media, create = wordpress.requests
    expected_auth = "Basic " + base64.b64encode(b"editor:abcd EFGH ijkl MNOP qrst UVWX").decode()
    assert all(r.headers["authorization"] == expected_auth for r in wordpress.requests)
    assert (lookup.method, lookup.path, lookup.query["slug"]) == (
        "GET",
        "/wp-json/wp/v2/posts",
        "satudata-7",
    )
    assert media.path == "/wp-json/wp/v2/media" and media.body == CONTENT.image
    assert media.headers["content-disposition"] == 'attachment; filename="aki.png"'
    assert media.headers["content-type"] == "image/png"
    assert create.json == {
        "title": "Angka kematian ibu turun",
        "content": "<p>Turun 12%</p>",
        "status": "publish",
        "slug": "satudata-7",
        "featured_media": 500,
    }
    assert (sent.external_id, sent.url) == ("100", f"{wordpress.url}/satudata-7/")


def test_wordpress_finds_an_earlier_post_by_its_slug_instead_of_posting_again(wordpress):
    WordPressConnector().send(address=wordpress.url, credentials=WP_CREDENTIALS, content=CONTENT)
    again = WordPressConnector().send(
        address=wordpress.url, credentials=WP_CREDENTIALS, content=CONTENT
    )
    assert len(wordpress.created) == 1 and again.external_id == "100"


def test_wordpress_errors_carry_its_own_message(wordpress):
    with pytest.raises(ConnectorError) as refused:
        WordPressConnector().send(
            address=wordpress.url,
            credentials={"username": "editor", "app_password": "wrong"},
            content=CONTENT,
        )
    assert refused.value.status == 401
    assert "The provided password is an invalid application password." in refused.value.message
    wordpress.fail_next(
        403,
        {
            "code": "rest_cannot_create",
            "message": "Sorry, you are not allowed to create posts as this user.",
            "data": {"status": 403},
        },
    )
    with pytest.raises(ConnectorError) as forbidden:
        WordPressConnector().send(
            address=wordpress.url, credentials=WP_CREDENTIALS, content=CONTENT
        )
    assert "not allowed to create posts" in forbidden.value.message
    assert "rest_cannot_create" in forbidden.value.message


def test_facebook_posts_the_card_as_a_page_photo(graph):
    sent = FacebookConnector().send(
        address="1234567890", credentials={"access_token": graph.token}, content=CONTENT
    )
    (request,) = graph.requests
    assert (request.method, request.path) == ("POST", "/v21.0/1234567890/photos")
    assert request.form == {
        "url": CONTENT.image_url,
        "caption": CONTENT.text,
        "access_token": graph.token,
    }
    assert request.query == {}  # the token never travels in the address
    assert sent.external_id == "1234567890_900000"
    assert sent.url == "https://www.facebook.com/1234567890_900000"


def test_facebook_without_a_card_makes_a_link_post_on_the_feed(graph):
    content = PostContent(**{**CONTENT.__dict__, "image_url": ""})
    sent = FacebookConnector().send(
        address="1234567890", credentials={"access_token": graph.token}, content=content
    )
    (request,) = graph.requests
    assert request.path == "/v21.0/1234567890/feed"
    assert request.form == {
        "message": CONTENT.text,
        "link": CONTENT.link,
        "access_token": graph.token,
    }
    assert sent.url == f"https://www.facebook.com/{sent.external_id}"


def test_facebook_errors_carry_the_graph_message(graph):
    with pytest.raises(ConnectorError) as refused:
        FacebookConnector().send(
            address="1234567890", credentials={"access_token": "expired"}, content=CONTENT
        )
    assert refused.value.status == 400
    assert "Invalid OAuth access token - Cannot parse access token" in refused.value.message
    assert "OAuthException" in refused.value.message and "190" in refused.value.message
    graph.fail_next(
        403,
        {
            "error": {
                "message": "(#200) The user hasn't authorized the application to perform this "
                "action",
                "type": "OAuthException",
                "code": 200,
                "fbtrace_id": "Xy",
            }
        },
    )
    with pytest.raises(ConnectorError) as forbidden:
        FacebookConnector().send(
            address="1234567890", credentials={"access_token": graph.token}, content=CONTENT
        )
    assert "(#200) The user hasn't authorized" in forbidden.value.message


def test_instagram_makes_a_container_then_publishes_it(graph):
    sent = InstagramConnector().send(
        address="17841400000000000", credentials={"access_token": graph.token}, content=CONTENT
    )
    container, publish, permalink = graph.requests
    assert container.path == "/v21.0/17841400000000000/media"
    assert container.form == {
        "image_url": CONTENT.image_url,
        "caption": CONTENT.text,
        "access_token": graph.token,
    }
    assert publish.path == "/v21.0/17841400000000000/media_publish"
    assert publish.form == {"creation_id": "17900000", "access_token": graph.token}
    assert permalink.method == "GET" and permalink.query["fields"] == "permalink"
    assert sent.external_id == "17910000"
    assert sent.url == "https://www.instagram.com/p/17910000/"


def test_instagram_error_stops_before_publishing(graph):
    graph.fail_next(
        400,
        {
            "error": {
                "message": "Only photo or video can be accepted as media type.",
                "type": "OAuthException",
                "code": 9004,
                "fbtrace_id": "Ab",
            }
        },
    )
    with pytest.raises(ConnectorError) as refused:
        InstagramConnector().send(
            address="17841400000000000", credentials={"access_token": graph.token}, content=CONTENT
        )
    assert "Only photo or video can be accepted as media type." in refused.value.message
    assert graph.posts("/media_publish") == []


def test_x_uploads_the_card_then_posts_with_a_bearer_token(x_api):
    sent = XConnector().send(
        address="@diskominfo", credentials={"access_token": x_api.token}, content=CONTENT
    )
    upload, tweet = x_api.requests
    assert all(r.headers["authorization"] == f"Bearer {x_api.token}" for r in x_api.requests)
    assert upload.path == "/2/media/upload"
    assert upload.json["media_category"] == "tweet_image"
    assert base64.b64decode(upload.json["media"]) == CONTENT.image
    assert tweet.path == "/2/tweets"
    assert tweet.json == {
        "text": tweet_text(CONTENT.text, CONTENT.link),
        "media": {"media_ids": ["1880028106020515840"]},
    }
    assert tweet.json["text"].endswith(CONTENT.link)
    assert sent.url == f"https://x.com/diskominfo/status/{sent.external_id}"


def test_x_errors_carry_its_problem_details(x_api):
    with pytest.raises(ConnectorError) as refused:
        XConnector().send(address="", credentials={"access_token": "old"}, content=CONTENT)
    assert refused.value.status == 401 and "Unauthorized" in refused.value.message
    x_api.fail_next(
        400, {"errors": [{"message": "The `text` field is too long."}], "title": "Invalid Request"}
    )
    with pytest.raises(ConnectorError) as invalid:
        XConnector().send(address="", credentials={"access_token": x_api.token}, content=CONTENT)
    assert "Invalid Request" in invalid.value.message


def test_a_long_text_is_cut_to_fit_280_characters_with_its_link():
    link = "https://portal.example/publikasi/" + "a" * 80 + "/"
    text = tweet_text("kata " * 100, link)
    assert text.endswith(link)
    assert len(text) - len(link) + 23 <= 280


def test_an_unreachable_network_says_so():
    closed = FakeX().start()
    address = closed.url
    closed.stop()
    with pytest.raises(ConnectorError) as refused:
        WordPressConnector().send(address=address, credentials=WP_CREDENTIALS, content=CONTENT)
    assert refused.value.status is None and refused.value.message
