"""A worker killed while it talks to a network: the post is not left "posting" for ever.

Nobody can know whether the network got a post whose worker died mid-call, so it is never sent
again by itself: it turns failed with a message saying to look at the channel first, and a
person retries it or records it by hand.
"""

from __future__ import annotations

import datetime as dt
import signal
import time

import pytest

from satudata.audit.models import AuditEntry
from satudata.core import jobs
from satudata.publications.choices import PostState
from satudata.publications.models import Post
from satudata.publications.posting import (
    POSTING_STALE_AFTER,
    _claim,
    post_queue,
    post_retry,
    post_send,
    posts_interrupted_fail,
)
from tests.core.test_jobs_admin import x_api, x_publication  # noqa: F401 - fixtures
from tests.core.test_worker_killed import installation  # noqa: F401 - the fixture
from tests.publications.fakes import FakeX

INTERRUPTED = "Pengiriman terputus"  # stored in the site's language (Indonesian)


@pytest.fixture
def queued_post(x_publication, operator, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        post_queue(actor=operator, publication=x_publication)
    return Post.objects.get(publication=x_publication)


def test_a_job_run_again_after_its_worker_died_mid_call_fails_the_post_without_sending(
    queued_post,
    operator,
    x_api,  # noqa: F811 - the fixture imported above
    django_capture_on_commit_callbacks,
):
    post = queued_post
    _claim(post.pk)  # the dead run: it claimed the row, then its worker was killed
    post.refresh_from_db()
    assert post.state == PostState.POSTING and post.sending_since is not None

    assert post_send(post_id=post.pk) is None  # the recovery ran the job again
    post.refresh_from_db()
    assert post.state == PostState.FAILED and INTERRUPTED in post.error
    assert post.sending_since is None
    assert not x_api.posts("/2/tweets")  # not sent a second time by itself
    assert AuditEntry.objects.filter(action="post.interrupted", target_id=str(post.pk)).exists()

    # A person who looked at the channel and found nothing retries: it is sent once.
    with django_capture_on_commit_callbacks(execute=True):
        post_retry(actor=operator, post=post)
    jobs.run_ready_jobs()
    post.refresh_from_db()
    assert post.state == PostState.POSTED and len(x_api.posts("/2/tweets")) == 1


def test_the_sweep_fails_only_posts_left_posting_longer_than_any_call(queued_post):
    post = queued_post
    _claim(post.pk)
    post.refresh_from_db()
    assert posts_interrupted_fail() == 0  # a call in progress is left alone
    later = post.sending_since + POSTING_STALE_AFTER + dt.timedelta(seconds=1)
    assert jobs.jobs_recover(now=later)["posts_interrupted_fail"] == 1
    post.refresh_from_db()
    assert post.state == PostState.FAILED and INTERRUPTED in post.error
    assert posts_interrupted_fail(now=later) == 0  # failed posts are not touched again


SETUP = """
from satudata.accounts.roles import Role
from satudata.publications.channels import channel_create
from satudata.publications.choices import ChannelKind
from satudata.publications.posting import post_queue
from tests.factories import AgencyFactory, UserFactory
from tests.publications.fakes.flow import approved_publication
agency = AgencyFactory(code="1.02.01", name="Dinas Kesehatan", short_name="Dinkes")
head = UserFactory(username="kepala", role=Role.PRODUCER_HEAD, agency=agency)
operator = UserFactory(username="operator", role=Role.PRODUCER_OPERATOR, agency=agency)
channel = channel_create(actor=head, agency=agency, kind=ChannelKind.X, name="X Dinkes",
    address="@dinkesjember", credentials={"access_token": "%(token)s"})
publication = approved_publication(head, operator, [channel])
post_queue(actor=operator, publication=publication)
"""


def test_a_worker_killed_while_the_network_holds_the_call_leaves_a_failed_post(installation):  # noqa: F811
    place = installation
    fake = FakeX()
    fake.delay = 30  # the network holds the call: the worker is killed while it waits
    fake.start()
    try:
        place.env.update(X_API_URL=fake.url, SITE_URL="https://satudata.jemberkab.go.id")
        place.run("shell", "-c", SETUP % {"token": fake.token})
        first = place.worker()
        place.wait_for("the call to the network", lambda: bool(fake.requests_started))
        first.send_signal(signal.SIGKILL)
        first.wait()
        assert place.query("SELECT state FROM publications_post") == [("posting",)]

        # The next worker requeues the lost job when it starts; the job finds its post
        # "posting" and fails it, naming what happened, without calling the network again.
        second = place.worker()
        place.wait_for(
            "the post to fail",
            lambda: place.query("SELECT state FROM publications_post") == [("failed",)],
        )
        [(error, sending_since)] = place.query("SELECT error, sending_since FROM publications_post")
        assert "terputus" in error and sending_since is None  # in the site's language
        place.wait_for("the job to finish", lambda: place.job()[0] == "SUCCESSFUL")
        time.sleep(0.3)
        assert len(fake.requests_started) == 1
        assert second.poll() is None
    finally:
        fake.stop()
