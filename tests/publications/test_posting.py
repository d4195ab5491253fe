"""Step 6: posting to every channel as background jobs, retries that never post twice, proof."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from satudata.audit.models import AuditEntry
from satudata.core.errors import DomainError, InvalidTransition, NotAllowed
from satudata.core.jobs import run_ready_jobs
from satudata.publications.channels import channel_create, channel_update
from satudata.publications.choices import CardSize, ChannelKind, PostState, PublicationState
from satudata.publications.models import Card, Post
from satudata.publications.posting import (
    post_queue,
    post_record_manual,
    post_retry,
    post_send,
    posts_of,
)
from satudata.publications.services import channel_portal
from satudata.publications.tasks import send_post
from tests.publications.fakes import GRAPH_INVALID_TOKEN, FakeGraph, FakeWordPress, FakeX
from tests.publications.fakes.flow import approved_publication, png_bytes

WP_PASSWORD = "abcd EFGH ijkl MNOP qrst UVWX"


@pytest.fixture
def wordpress():
    fake = FakeWordPress(password=WP_PASSWORD).start()
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


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://satudata.jemberkab.go.id"


def _channel(head, kind, address, **credentials):
    return channel_create(
        actor=head,
        agency=head.agency,
        kind=kind,
        name=f"{kind} Dinkes",
        address=address,
        credentials=credentials or None,
    )


@pytest.fixture
def channels(head, wordpress, graph, x_api):
    return {
        "portal": channel_portal(head.agency),
        "wordpress": _channel(
            head,
            ChannelKind.WORDPRESS,
            wordpress.url,
            username="editor",
            app_password=WP_PASSWORD,
        ),
        "facebook": _channel(head, ChannelKind.FACEBOOK, "1234567890", access_token=graph.token),
        "instagram": _channel(
            head, ChannelKind.INSTAGRAM, "17841400000000000", access_token=graph.token
        ),
        "x": _channel(head, ChannelKind.X, "@dinkesjember", access_token=x_api.token),
        "manual": _channel(head, ChannelKind.MANUAL, "Grup WhatsApp"),
    }


def _card(publication, size):
    # Cards are made by the cards part (services_cards); a stored row is all posting reads.
    return Card.objects.create(
        publication=publication,
        size=size,
        image=ContentFile(png_bytes(60, 32), name=f"{size}.png"),
        generated_at=timezone.now(),
    )


def _queue(capture, **kwargs):
    with capture(execute=True):
        return post_queue(**kwargs)


def _post(publication, kind):
    return Post.objects.get(publication=publication, channel__kind=kind)


def _proof(name="bukti.png", content=None):
    return SimpleUploadedFile(name, content or png_bytes(), content_type="image/png")


def _panel(publication, user):
    request = RequestFactory().get("/")
    request.user = user
    with translation.override("en"):
        return render_to_string(
            "publications/_posts.html",
            {"publication": publication, "posts": posts_of(publication), "user": user},
            request=request,
        )


def test_the_portal_channel_is_posted_at_once_and_the_publication_published(
    head, operator, site, django_capture_on_commit_callbacks
):
    publication = approved_publication(head, operator)
    (post,) = _queue(django_capture_on_commit_callbacks, actor=operator, publication=publication)
    post.refresh_from_db()
    publication.refresh_from_db()
    assert post.state == PostState.POSTED
    assert post.url == f"https://satudata.jemberkab.go.id/publikasi/{publication.slug}/"
    assert publication.state == PublicationState.PUBLISHED and publication.published_at
    assert publication.steps.get(number=6).ended_at is not None
    assert run_ready_jobs() == 0  # nothing went to the network
    assert AuditEntry.objects.filter(action="post.posted", target_id=str(post.pk)).exists()


def test_every_channel_posts_once_and_the_last_proof_publishes(
    head,
    operator,
    channels,
    wordpress,
    graph,
    x_api,
    site,
    django_capture_on_commit_callbacks,
):
    publication = approved_publication(head, operator, channels.values())
    _card(publication, CardSize.LANDSCAPE)
    _card(publication, CardSize.SQUARE)
    queued = _queue(django_capture_on_commit_callbacks, actor=operator, publication=publication)
    assert {p.channel.kind for p in queued} == {"portal", "wordpress", "facebook", "instagram", "x"}
    assert _post(publication, "wordpress").state == PostState.QUEUED
    assert run_ready_jobs() == 4
    for kind in ("portal", "wordpress", "facebook", "instagram", "x"):
        post = _post(publication, kind)
        assert (kind, post.state, post.error) == (kind, PostState.POSTED, "")
        assert post.url.startswith(("https://", "http://")) and post.posted_at
    card = f"https://satudata.jemberkab.go.id/publikasi/{publication.slug}/kartu/square.png"
    fetched = graph.posts("/photos")[0].form["url"]
    assert fetched.startswith(card) and graph.posts("/media")[0].form["image_url"] == fetched
    # The network can fetch the card from the portal although it is not yet published.
    image = Client().get(fetched.removeprefix("https://satudata.jemberkab.go.id"))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert "#Jember" in graph.posts("/photos")[0].form["caption"]
    assert wordpress.created[0]["slug"] == f"satudata-{_post(publication, 'wordpress').pk}"
    assert len(wordpress.media) == 1 and len(x_api.posts("/2/media/upload")) == 1
    assert _post(publication, "x").url.startswith("https://x.com/dinkesjember/status/")
    publication.refresh_from_db()
    assert publication.state == PublicationState.APPROVED  # the manual channel is still open
    post_record_manual(
        actor=operator,
        post=_post(publication, "manual"),
        url="https://chat.whatsapp.com/ABC",
        posted_at=timezone.now(),
        screenshot=_proof(),
    )
    publication.refresh_from_db()
    manual = _post(publication, "manual")
    assert publication.state == PublicationState.PUBLISHED
    assert manual.screenshot.name.endswith(".png") and manual.recorded_by == operator
    assert (len(wordpress.created), len(graph.published), len(x_api.tweets)) == (1, 2, 1)


def test_a_failure_shows_the_networks_message_and_a_retry_posts_once(
    head, operator, channels, graph, site, django_capture_on_commit_callbacks
):
    publication = approved_publication(head, operator, [channels["facebook"]])
    graph.fail_next(400, GRAPH_INVALID_TOKEN)
    _queue(django_capture_on_commit_callbacks, actor=operator, publication=publication)
    run_ready_jobs()
    post = _post(publication, "facebook")
    assert post.state == PostState.FAILED and post.attempts == 1
    assert "Invalid OAuth access token - Cannot parse access token" in post.error
    panel = _panel(publication, operator)
    assert "Invalid OAuth access token" in panel and "Retry" in panel
    assert graph.token not in panel
    assert AuditEntry.objects.filter(action="post.failed", target_id=str(post.pk)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        post_retry(actor=operator, post=post)
    run_ready_jobs()
    post.refresh_from_db()
    publication.refresh_from_db()
    assert (post.state, post.attempts, post.error) == (PostState.POSTED, 2, "")
    assert publication.state == PublicationState.PUBLISHED
    assert len(graph.published) == 1
    # Publishing made the cards first: a photo post with the card, failed then sent once.
    assert len(graph.posts("/photos")) == 2 and not graph.posts("/feed")
    assert publication.cards.count() == 3
    assert f"/publikasi/{publication.slug}/" in graph.posts("/photos")[-1].form["caption"]
    with pytest.raises(InvalidTransition):
        post_retry(actor=operator, post=post)  # posted: never sent again


def test_a_job_run_twice_posts_once(
    head, operator, channels, x_api, site, django_capture_on_commit_callbacks
):
    publication = approved_publication(head, operator, [channels["x"]])
    _queue(django_capture_on_commit_callbacks, actor=operator, publication=publication)
    post = _post(publication, "x")
    send_post.enqueue(post.pk)  # the same job delivered a second time
    assert run_ready_jobs() == 2
    assert post_send(post_id=post.pk) is None  # and once more by hand: nothing happens
    post.refresh_from_db()
    assert (post.state, post.attempts) == (PostState.POSTED, 1)
    assert len(x_api.posts("/2/tweets")) == 1


def test_a_lost_answer_from_the_website_is_found_by_slug_on_retry(
    head, operator, channels, wordpress, site, django_capture_on_commit_callbacks
):
    publication = approved_publication(head, operator, [channels["wordpress"]])
    wordpress.lose_next_answer = True
    _queue(django_capture_on_commit_callbacks, actor=operator, publication=publication)
    run_ready_jobs()
    post = _post(publication, "wordpress")
    assert post.state == PostState.FAILED and "HTTP 502" in post.error
    with django_capture_on_commit_callbacks(execute=True):
        post_queue(actor=operator, publication=publication)  # "Publish now" again
    run_ready_jobs()
    post.refresh_from_db()
    assert post.state == PostState.POSTED and post.external_id == "100"
    assert len(wordpress.created) == 1


def test_credentials_never_reach_the_error_message_or_the_page(
    head, operator, channels, graph, site, django_capture_on_commit_callbacks
):
    publication = approved_publication(head, operator, [channels["instagram"]])
    _card(publication, CardSize.SQUARE)
    graph.fail_next(400, {"error": {"message": f"Token {graph.token} has expired", "code": 190}})
    _queue(django_capture_on_commit_callbacks, actor=operator, publication=publication)
    run_ready_jobs()
    post = _post(publication, "instagram")
    assert post.state == PostState.FAILED and "has expired" in post.error
    assert graph.token not in post.error
    assert graph.token not in _panel(publication, operator)
    for entry in AuditEntry.objects.all():
        assert graph.token not in str(entry.before) + str(entry.after)


def test_a_switched_off_channel_fails_with_a_message_and_sends_nothing(
    head, operator, channels, x_api, site, django_capture_on_commit_callbacks
):
    publication = approved_publication(head, operator, [channels["x"]])
    channel_update(
        actor=head, channel=channels["x"], name="X", address="@dinkesjember", is_active=False
    )
    _queue(django_capture_on_commit_callbacks, actor=operator, publication=publication)
    run_ready_jobs()
    post = _post(publication, "x")
    assert post.state == PostState.FAILED and post.error
    assert x_api.requests == []


def test_manual_proof_refuses_a_non_image_or_oversized_file_and_changes_nothing(
    head, operator, channels, login
):
    publication = approved_publication(head, operator, [channels["manual"]])
    post = _post(publication, "manual")
    client = login(operator, language="en")
    url = reverse("publications:post-proof", args=[post.pk])
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    fake_image = SimpleUploadedFile("bukti.png", b"%PDF-1.4 not an image", "image/png")
    response = client.post(
        url, {"url": "https://wa.me/x", "posted_at": when, "screenshot": fake_image}
    )
    assert response.status_code == 400
    assert b"The screenshot is not an image" in response.content
    assert b'value="https://wa.me/x"' in response.content  # what was typed is kept
    big = png_bytes() + b"\0" * (5 * 1024 * 1024)
    response = client.post(
        url, {"url": "https://wa.me/x", "posted_at": when, "screenshot": _proof(content=big)}
    )
    assert response.status_code == 400 and b"The screenshot is too large" in response.content
    with pytest.raises(DomainError):
        post_record_manual(
            actor=operator,
            post=post,
            url="https://wa.me/x",
            posted_at=timezone.now(),
            screenshot=SimpleUploadedFile("x.png", b"GIF89a broken", "image/gif"),
        )
    post.refresh_from_db()
    assert (post.state, post.url, post.screenshot.name) == (PostState.PENDING, "", "")
    assert not AuditEntry.objects.filter(action="post.record_manual").exists()
    ok = client.post(url, {"url": "https://wa.me/x", "posted_at": when, "screenshot": _proof()})
    assert ok.status_code == 302 and ok["Location"] == reverse(
        "publications:detail", args=[publication.pk]
    )
    post.refresh_from_db()
    assert post.state == PostState.POSTED and post.screenshot.name


def test_manual_proof_needs_a_web_link_and_a_time_between_approval_and_now(
    head, operator, channels
):
    publication = approved_publication(head, operator, [channels["manual"]])
    post = _post(publication, "manual")
    now = timezone.now()
    wrong = [
        ("javascript:alert(1)", now),
        ("ftp://files.example/x", now),
        ("https://wa.me/x", now + dt.timedelta(hours=2)),
        ("https://wa.me/x", now - dt.timedelta(days=3)),
        ("https://wa.me/x", None),
    ]
    for url, when in wrong:
        with pytest.raises(DomainError):
            post_record_manual(actor=operator, post=post, url=url, posted_at=when)
    post.refresh_from_db()
    assert post.state == PostState.PENDING
    post_record_manual(actor=operator, post=post, url="https://wa.me/x", posted_at=now)
    with pytest.raises(InvalidTransition):
        post_record_manual(actor=operator, post=post, url="https://wa.me/y", posted_at=now)


def test_the_operator_can_record_any_channel_by_hand_as_a_fallback(
    head, operator, channels, graph, site, django_capture_on_commit_callbacks
):
    publication = approved_publication(head, operator, [channels["facebook"]])
    graph.fail_next(400, GRAPH_INVALID_TOKEN)
    _queue(django_capture_on_commit_callbacks, actor=operator, publication=publication)
    run_ready_jobs()
    post = _post(publication, "facebook")
    post_record_manual(
        actor=operator,
        post=post,
        url="https://www.facebook.com/dinkes/posts/1",
        posted_at=timezone.now(),
    )
    publication.refresh_from_db()
    assert publication.state == PublicationState.PUBLISHED
    with pytest.raises(InvalidTransition):
        post_retry(actor=operator, post=post)


def test_posting_needs_an_approved_publication_and_the_agencys_operator(
    head, operator, other_operator, publication
):
    with pytest.raises(InvalidTransition):
        post_queue(actor=operator, publication=publication)  # still a draft
    with pytest.raises(NotAllowed):
        post_queue(actor=head, publication=publication)  # the head approves, the operator posts
    with pytest.raises(NotAllowed):
        post_queue(actor=other_operator, publication=publication)


def test_another_agencys_staff_get_403_on_every_post_url(
    head, operator, other_operator, other_head, channels, login
):
    publication = approved_publication(head, operator, [channels["manual"], channels["x"]])
    manual = _post(publication, "manual")
    x_post = _post(publication, "x")
    urls = [
        reverse("publications:post-publish", args=[publication.pk]),
        reverse("publications:post-retry", args=[x_post.pk]),
        reverse("publications:post-proof", args=[manual.pk]),
    ]
    for user in (other_operator, other_head):
        client = login(user)
        for url in urls:
            assert client.post(url, {"url": "https://x.example"}).status_code == 403, (user, url)
        assert client.get(urls[2]).status_code == 403
    assert set(Post.objects.values_list("state", flat=True)) == {PostState.PENDING}


def test_publish_now_from_the_page_queues_and_redirects_back(
    head, operator, channels, x_api, site, login, django_capture_on_commit_callbacks
):
    publication = approved_publication(head, operator, [channels["x"], channels["manual"]])
    panel = _panel(publication, operator)
    assert "Publish now" in panel and 'name="screenshot"' in panel
    publish_url = reverse("publications:post-publish", args=[publication.pk])
    head_panel = _panel(publication, head)
    assert publish_url not in head_panel and "Publish now" not in head_panel  # states only
    assert "Waiting" in head_panel
    client = login(operator, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("publications:post-publish", args=[publication.pk]))
    assert response["Location"] == reverse("publications:detail", args=[publication.pk])
    assert run_ready_jobs() == 1
    assert _post(publication, "x").state == PostState.POSTED
    again = client.post(reverse("publications:post-publish", args=[publication.pk]))
    assert again.status_code == 302  # nothing left to send: a message, not an error page
    assert len(x_api.tweets) == 1


def test_the_publications_page_shows_each_channels_state_and_error(
    head, operator, channels, graph, site, login, django_capture_on_commit_callbacks
):
    publication = approved_publication(head, operator, [channels["facebook"], channels["manual"]])
    graph.fail_next(400, GRAPH_INVALID_TOKEN)
    _queue(django_capture_on_commit_callbacks, actor=operator, publication=publication)
    run_ready_jobs()
    page = login(operator, language="en").get(reverse("publications:detail", args=[publication.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Invalid OAuth access token" in html and "Failed" in html
    assert reverse("publications:post-retry", args=[_post(publication, "facebook").pk]) in html
    assert reverse("publications:post-proof", args=[_post(publication, "manual").pk]) in html
    assert graph.token not in html
