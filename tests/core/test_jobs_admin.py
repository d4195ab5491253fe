"""Failed background jobs: listed for administrators with their error, retried in one click,
and a retry never repeats what the failed job already did (no second post)."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from satudata.audit.models import AuditEntry
from satudata.core.errors import DomainError, InvalidTransition, NotAllowed
from satudata.core.jobs import run_ready_jobs
from satudata.core.jobs_admin import job_retry
from satudata.publications.channels import channel_create
from satudata.publications.choices import ChannelKind, PostState
from satudata.publications.models import Post
from satudata.publications.posting import post_queue
from satudata.publications.tasks import send_post
from tests.conftest import use_language
from tests.factories import PASSWORD
from tests.publications.fakes import FakeX
from tests.publications.fakes.flow import approved_publication

pytestmark = pytest.mark.urls("tests.core.observability_urls")

LIST = "/app/jobs/"


def _failed_job(argument="not-a-number") -> DBTaskResult:
    """A send_post job that failed: its argument is not a post id."""
    result = send_post.enqueue(argument)
    assert run_ready_jobs() == 1
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == "FAILED"
    return job


def _retry_url(job) -> str:
    return reverse("jobs:retry", args=[job.pk])


def _admin_client(login, admin_user) -> Client:
    return login(admin_user, language="en")


def test_the_administrator_sees_each_failed_job_with_its_task_arguments_and_error(
    login, admin_user
):
    job = _failed_job()
    page = _admin_client(login, admin_user).get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert "send_post" in html and "satudata.publications.tasks.send_post" in html
    assert "&quot;not-a-number&quot;" in html
    assert (
        "ValueError: Field &#x27;id&#x27; expected a number but got &#x27;not-a-number&#x27;"
        in (html)
    )
    assert _retry_url(job) in html and "csrfmiddlewaretoken" in html
    assert "1 attempt" in html


def test_the_page_is_in_indonesian_by_default(login, admin_user):
    _failed_job()
    html = login(admin_user).get(LIST).content.decode()
    assert 'lang="id"' in html


def test_only_administrators_see_or_retry_jobs(
    client, login, walidata, head, operator, supervisor, admin_user
):
    job = _failed_job()
    for user in (walidata, head, operator, supervisor):
        signed_in = login(user)
        assert signed_in.get(LIST).status_code == 403, user.role
        assert signed_in.post(_retry_url(job)).status_code == 403, user.role
        with pytest.raises(NotAllowed):
            job_retry(actor=user, job_id=str(job.pk))
    anonymous = client.get(LIST)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert client.post(_retry_url(job)).status_code == 302
    assert DBTaskResult.objects.count() == 1  # nothing was queued


def test_retry_queues_the_same_task_and_arguments_once_and_is_audited(login, admin_user):
    job = _failed_job(argument="12-not-a-post")
    client = _admin_client(login, admin_user)
    response = client.post(_retry_url(job), follow=True)
    assert response.status_code == 200
    new = DBTaskResult.objects.exclude(pk=job.pk).get()
    assert (new.status, new.task_path, new.args_kwargs) == (
        "READY",
        job.task_path,
        {"args": ["12-not-a-post"], "kwargs": {}},
    )
    assert f"The job is queued again as job {new.pk}" in response.content.decode()
    entry = AuditEntry.objects.get(action="job.retry")
    assert (entry.actor, entry.target_id) == (admin_user, str(job.pk))
    assert entry.after["retried_as"] == str(new.pk)
    # The failed row stays as evidence; the page says it was retried, and a second click (or
    # a second administrator) queues nothing more.
    job.refresh_from_db()
    assert job.status == "FAILED"
    again = client.post(_retry_url(job), follow=True).content.decode()
    assert f"This job was already retried (job {new.pk})." in again
    assert DBTaskResult.objects.count() == 2
    assert "Retried: queued" in again


def test_retry_needs_a_post_with_its_csrf_token(admin_user):
    job = _failed_job()
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=admin_user.username, password=PASSWORD)
    assert client.get(_retry_url(job)).status_code == 405
    assert client.post(_retry_url(job)).status_code == 403
    assert DBTaskResult.objects.count() == 1


def test_only_a_failed_job_can_be_retried(admin_user):
    result = send_post.enqueue(999_999)
    run_ready_jobs()
    with pytest.raises(InvalidTransition):
        job_retry(actor=admin_user, job_id=str(result.id))
    with pytest.raises(DomainError):
        job_retry(actor=admin_user, job_id="00000000-0000-0000-0000-000000000000")


def test_a_job_whose_task_is_gone_is_listed_but_not_retried(login, admin_user):
    job = _failed_job()
    DBTaskResult.objects.filter(pk=job.pk).update(task_path="satudata.gone.tasks.old_job")
    client = _admin_client(login, admin_user)
    assert "old_job" in client.get(LIST).content.decode()
    response = client.post(_retry_url(job), follow=True)
    assert "The task of this job no longer exists in this version" in response.content.decode()
    assert DBTaskResult.objects.count() == 1


def test_the_list_is_readable_on_a_phone_and_says_when_nothing_failed(login, admin_user):
    html = use_language(login(admin_user), "en").get(LIST).content.decode()
    assert "No job has failed." in html
    _failed_job()
    html = _admin_client(login, admin_user).get(LIST).content.decode()
    assert '<div class="table-wrap">' in html  # the table scrolls in its own box


# --- the side effect is never repeated ------------------------------------------------------


@pytest.fixture
def x_api(settings):
    fake = FakeX().start()
    settings.X_API_URL = fake.url
    settings.SITE_URL = "https://satudata.jemberkab.go.id"
    yield fake
    fake.stop()


@pytest.fixture
def x_publication(head, operator, x_api):
    channel = channel_create(
        actor=head,
        agency=head.agency,
        kind=ChannelKind.X,
        name="X Dinkes",
        address="@dinkesjember",
        credentials={"access_token": x_api.token},
    )
    return approved_publication(head, operator, [channel])


class DatabaseDropsOnce:
    """Fault: the database connection drops when the job stores a post as posted.

    The network has already accepted the post: the job fails after the side effect.
    """

    def __init__(self, state):
        self.state = state
        self.fired = False

    def __call__(self, sender, instance, **kwargs):
        if not self.fired and instance.state == self.state:
            self.fired = True
            raise OperationalError("server closed the connection unexpectedly")

    def __enter__(self):
        post_save.connect(self, sender=Post, weak=False)
        return self

    def __exit__(self, *exc):
        post_save.disconnect(self, sender=Post)


def test_retrying_a_send_post_that_failed_after_posting_does_not_post_again(
    login, admin_user, operator, x_publication, x_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_queue(actor=operator, publication=x_publication)
    with DatabaseDropsOnce(PostState.POSTED):
        assert run_ready_jobs() == 1
    assert len(x_api.tweets) == 1  # the post went out
    failed = DBTaskResult.objects.get(status="FAILED")
    assert "OperationalError: server closed the connection unexpectedly" in failed.traceback
    post = Post.objects.get(publication=x_publication)
    assert post.state == PostState.POSTING  # the job claimed it, then lost its answer

    client = _admin_client(login, admin_user)
    assert "server closed the connection unexpectedly" in client.get(LIST).content.decode()
    client.post(_retry_url(failed))
    assert run_ready_jobs() == 1
    assert len(x_api.tweets) == 1  # no second post
    retried = DBTaskResult.objects.exclude(pk=failed.pk).get()
    assert retried.status == "SUCCESSFUL"
    post.refresh_from_db()
    # Nobody can tell from here whether the network got it: the post is failed with a word
    # to look at the channel first, never sent again by itself.
    assert (post.state, post.attempts) == (PostState.FAILED, 1)
    assert "Pengiriman terputus" in post.error
    assert "Retried: done" in client.get(LIST).content.decode()


def test_retrying_a_send_post_that_failed_before_posting_posts_exactly_once(
    admin_user, operator, x_publication, x_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_queue(actor=operator, publication=x_publication)
    with DatabaseDropsOnce(PostState.POSTING):  # the claim itself fails: nothing sent
        assert run_ready_jobs() == 1
    assert x_api.tweets == []
    failed = DBTaskResult.objects.get(status="FAILED")
    job_retry(actor=admin_user, job_id=str(failed.pk))
    assert run_ready_jobs() == 1
    post = Post.objects.get(publication=x_publication)
    assert (post.state, post.attempts) == (PostState.POSTED, 1)
    assert len(x_api.tweets) == 1
    # The same job delivered once more (a second retry elsewhere) finds the post done.
    send_post.enqueue(post.pk)
    assert run_ready_jobs() == 1
    assert len(x_api.tweets) == 1


def test_a_post_the_network_refused_is_listed_for_the_administrator(
    login, admin_user, operator, x_publication, x_api, django_capture_on_commit_callbacks
):
    x_api.fail_next(403, {"title": "Forbidden", "detail": "Your account is suspended."})
    with django_capture_on_commit_callbacks(execute=True):
        post_queue(actor=operator, publication=x_publication)
    run_ready_jobs()
    post = Post.objects.get(publication=x_publication)
    assert post.state == PostState.FAILED
    assert not DBTaskResult.objects.failed().exists()  # the job itself ended well
    page = _admin_client(login, admin_user).get(LIST).content.decode()
    section = page.split('id="failed-posts"', 1)[1]
    assert f'id="post-{post.pk}"' in section and "Your account is suspended." in section
    assert reverse("publications:detail", args=[x_publication.pk]) in section
    assert "X Dinkes" in section
