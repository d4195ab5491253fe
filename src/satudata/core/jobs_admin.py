"""Failed background jobs for administrators: the list with each error, and retry.

A retry queues the same task with the same arguments as a new job (a new row); the failed row
stays as it was, and the audit log links the two. Retrying is safe because every task is
idempotent on its own domain row (core.jobs): a post already sent is not sent again, a report
already built is not built again. A failed job is retried once; if the retry fails too, that
new failed job is listed and can be retried in its turn.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from satudata.accounts.permissions import user_role
from satudata.accounts.roles import Role
from satudata.audit.models import AuditEntry
from satudata.audit.services import audit_record
from satudata.core.actors import require
from satudata.core.errors import DomainError, InvalidTransition

RETRY_ACTION = "job.retry"
JOB_TARGET_TYPE = DBTaskResult._meta.label_lower
FAILED = "FAILED"
STATE_LABELS = {
    "READY": gettext_lazy("queued"),
    "RUNNING": gettext_lazy("running"),
    "SUCCESSFUL": gettext_lazy("done"),
    "FAILED": gettext_lazy("failed"),
}


def may_manage_jobs(user: Any) -> bool:
    """Only administrators see the jobs' errors (they may name hosts and internals)."""
    return user_role(user) == Role.ADMIN


def failed_jobs(*, user: Any) -> QuerySet[DBTaskResult]:
    """Failed jobs, newest failure first."""
    require(user, may_manage_jobs)
    return DBTaskResult.objects.failed().order_by("-finished_at", "-enqueued_at")


@dataclass(frozen=True)
class FailedJob:
    """One failed job as the administrator's list shows it."""

    job: DBTaskResult
    task_name: str
    arguments: str
    error: str
    retried_as: DBTaskResult | None
    retry_id: str | None

    @property
    def attempts(self) -> int:
        return len(self.job.worker_ids or [])

    @property
    def retry_state(self) -> str:
        """The retry's state in words ("done", "failed"), or "" when not retried."""
        if self.retried_as is None:
            return ""
        return str(STATE_LABELS.get(self.retried_as.status, self.retried_as.status))


def _arguments(job: DBTaskResult) -> str:
    stored = job.args_kwargs or {}
    args, kwargs = stored.get("args", []), stored.get("kwargs", {})
    parts = [json.dumps(a, ensure_ascii=False) for a in args]
    parts += [f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in kwargs.items()]
    return ", ".join(parts)


def error_summary(job: DBTaskResult) -> str:
    """The exception's last line ("OperationalError: server closed the connection")."""
    lines = [line for line in (job.traceback or "").strip().splitlines() if line.strip()]
    if lines:
        return lines[-1].strip()
    return job.exception_class_path.rsplit(".", 1)[-1] or _("No error was recorded.")


def retries_of(job_ids: list[str]) -> dict[str, str]:
    """For each failed job id retried, the id of the job that retried it."""
    entries = AuditEntry.objects.filter(
        action=RETRY_ACTION, target_type=JOB_TARGET_TYPE, target_id__in=job_ids
    ).values_list("target_id", "after")
    return {target: (after or {}).get("retried_as", "") for target, after in entries}


def failed_job_rows(jobs: list[DBTaskResult]) -> list[FailedJob]:
    """The page's rows: each job's readable task, arguments, error and retry (if any)."""
    retried = retries_of([str(job.pk) for job in jobs])
    successors = {
        str(pk): row
        for pk, row in DBTaskResult.objects.in_bulk([r for r in retried.values() if r]).items()
    }
    rows = []
    for job in jobs:
        retry_id = retried.get(str(job.pk))
        rows.append(
            FailedJob(
                job=job,
                task_name=job.task_name,
                arguments=_arguments(job),
                error=error_summary(job),
                retried_as=successors.get(retry_id or ""),
                retry_id=retry_id,
            )
        )
    return rows


def job_counts() -> dict[str, int]:
    """Stored jobs by state, for the page's summary."""
    from satudata.core.health import job_state_counts

    counts = job_state_counts()
    return {
        "ready": counts.get("READY", 0),
        "running": counts.get("RUNNING", 0),
        "failed": counts.get(FAILED, 0),
        "successful": counts.get("SUCCESSFUL", 0),
    }


@transaction.atomic
def job_retry(*, actor: Any, job_id: str) -> DBTaskResult:
    """Queue a failed job again: same task, same arguments, a new job; audited, once."""
    require(actor, may_manage_jobs)
    # The lock makes two clicks (or two administrators) queue one retry, not two.
    job = DBTaskResult.objects.select_for_update().filter(pk=job_id).first()
    if job is None:
        raise DomainError(_("This job no longer exists."))
    if job.status != FAILED:
        raise InvalidTransition(_("Only a failed job can be retried."))
    earlier = retries_of([str(job.pk)])
    if earlier:
        raise InvalidTransition(
            _("This job was already retried (job %(id)s).") % {"id": earlier[str(job.pk)]}
        )
    try:
        task = job.task
    except (ImportError, SuspiciousOperation) as error:
        raise DomainError(
            _("The task of this job no longer exists in this version; it cannot be retried.")
        ) from error
    stored = job.args_kwargs or {}
    # The database queue writes the new job in this transaction: it exists exactly when the
    # audit entry does, and the entry can name it.
    result = task.enqueue(*stored.get("args", []), **stored.get("kwargs", {}))
    audit_record(
        actor=actor,
        action=RETRY_ACTION,
        target=job,
        before={"status": job.status, "task": job.task_path, "error": error_summary(job)},
        after={"retried_as": str(result.id), "task": job.task_path, "args_kwargs": stored},
    )
    return DBTaskResult.objects.get(pk=result.id)
