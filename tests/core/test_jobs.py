"""Background jobs: queued after commit, run once by the worker loop, nothing on rollback."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks import task

from satudata.audit.models import AuditEntry
from satudata.core.jobs import enqueue_on_commit, run_ready_jobs


@task()
def record(label: str) -> str:
    AuditEntry.objects.create(actor_label="job", action=label, target_type="x", target_id="1")
    return label


@pytest.mark.django_db
def test_a_job_queued_in_a_transaction_runs_once_after_it_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(record, "job.ran")
    assert run_ready_jobs() == 1
    assert run_ready_jobs() == 0
    assert AuditEntry.objects.filter(action="job.ran").count() == 1


@pytest.mark.django_db
def test_a_rolled_back_transaction_queues_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_on_commit(record, "job.lost")
        raise RuntimeError
    assert run_ready_jobs() == 0
    assert not AuditEntry.objects.filter(action="job.lost").exists()
