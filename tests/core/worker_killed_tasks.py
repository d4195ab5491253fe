"""A test-only background job, slow on demand, for killing its worker in the middle.

The test steers it with files in the folder named by SATUDATA_TEST_JOB_DIR: the job writes
`started-<pid>` when it begins and `notified-<pid>` once its side effect is committed, and
waits while `hold-before` (before the side effect) or `hold-after` (after it) exists.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.db import transaction
from django_tasks import task

WAIT_SECONDS = 60


def _control() -> Path:
    return Path(os.environ["SATUDATA_TEST_JOB_DIR"])


def _mark(name: str) -> None:
    (_control() / f"{name}-{os.getpid()}").touch()


def _wait_while(name: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while (_control() / name).exists() and time.monotonic() < deadline:
        time.sleep(0.02)


@task()
def notify_once(user_id: int, token: str) -> str:
    """Notify a user once: the job's state is the notification row itself, under the user's lock."""
    from satudata.accounts.models import User
    from satudata.notifications.models import Notification
    from satudata.notifications.services import notifications_create

    _mark("started")
    _wait_while("hold-before")
    link = f"/app/notifications/?job={token}"
    with transaction.atomic():
        # The domain row that serialises every run of this job: a second run waits for the
        # first to commit, then finds the notification there and does nothing.
        user = User.objects.select_for_update().get(pk=user_id)
        if Notification.objects.filter(recipient=user, link=link).exists():
            outcome = "already"
        else:
            notifications_create(recipients=[user], title="Job finished", link=link)
            outcome = "notified"
    _mark("notified")
    _wait_while("hold-after")
    return outcome
