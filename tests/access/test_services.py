"""The services' rules: permission checks, the state table, expiry, and what a grant opens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from satudata.access.choices import TRANSITIONS, AccessRequestState, may_move
from satudata.access.models import AccessRequest
from satudata.access.selectors import active_grant, granted_observations
from satudata.access.services import (
    grant_download_record,
    request_approve,
    request_refuse,
    request_submit,
    requests_expire,
)
from satudata.access.writers import HEADER, csv_chunks
from satudata.audit.models import AuditEntry
from satudata.core.errors import DomainError, InvalidTransition
from tests.factories import SYSTEM
from tests.portal.conftest import LIMITED_VALUE


def _submit(dataset) -> AccessRequest:
    return request_submit(
        actor=None,
        dataset=dataset,
        name="Budi",
        institution="Bappeda",
        purpose="Perencanaan pembangunan daerah tahun depan.",
        email="budi@example.org",
    )


def _in(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def test_final_states_lead_nowhere():
    assert TRANSITIONS[AccessRequestState.REFUSED] == frozenset()
    assert TRANSITIONS[AccessRequestState.EXPIRED] == frozenset()
    assert may_move(AccessRequestState.SUBMITTED, AccessRequestState.APPROVED)
    assert not may_move(AccessRequestState.APPROVED, AccessRequestState.REFUSED)
    assert not may_move(AccessRequestState.SUBMITTED, AccessRequestState.EXPIRED)


@pytest.mark.parametrize("which", ["open_ds", "embargoed_ds", "withdrawn_ds"])
def test_only_a_public_limited_dataset_can_be_requested(portal_world, which):
    with pytest.raises(DomainError):
        _submit(getattr(portal_world, which))
    assert not AccessRequest.objects.exists()


def test_services_check_permission(portal_world, other_operator, other_head):
    req = _submit(portal_world.limited_ds)
    for actor in (other_operator, other_head):
        with pytest.raises(PermissionDenied):
            request_approve(actor=actor, request=req, expires_on=_in(5))
        with pytest.raises(PermissionDenied):
            request_refuse(actor=actor, request=req, reason="Tidak.")
    with pytest.raises(PermissionDenied):
        requests_expire(actor=other_operator)
    req.refresh_from_db()
    assert req.state == AccessRequestState.SUBMITTED


def test_a_decided_request_cannot_be_decided_again(portal_world, head):
    req = request_approve(actor=head, request=_submit(portal_world.limited_ds), expires_on=_in(5))
    with pytest.raises(InvalidTransition):
        request_refuse(actor=head, request=req, reason="Berubah pikiran.")
    with pytest.raises(InvalidTransition):
        request_approve(actor=head, request=req, expires_on=_in(10))


def test_the_expiry_date_is_bounded(portal_world, head):
    req = _submit(portal_world.limited_ds)
    for day in (_in(-1), _in(91)):
        with pytest.raises(DomainError):
            request_approve(actor=head, request=req, expires_on=day)
    request_approve(actor=head, request=req, expires_on=_in(90))


def test_a_grant_opens_the_limited_values_of_complete_periods_only(portal_world, walidata):
    req = request_approve(
        actor=walidata, request=_submit(portal_world.limited_ds), expires_on=_in(1)
    )
    values = list(granted_observations(req))
    assert values
    assert {o.value for o in values} == {LIMITED_VALUE}
    assert {o.item.code for o in values} == {portal_world.limited_ds.code}
    text = "".join(csv_chunks(granted_observations(req)))
    assert text.lstrip("\ufeff").startswith(",".join(HEADER))
    assert "918273.645" in text


def test_a_request_not_approved_opens_nothing(portal_world):
    req = _submit(portal_world.limited_ds)
    with pytest.raises(DomainError):
        grant_download_record(grant=req, fmt="csv")


def test_the_daily_job_expires_past_grants_and_audits(portal_world, walidata):
    req = request_approve(
        actor=walidata, request=_submit(portal_world.limited_ds), expires_on=_in(0)
    )
    assert requests_expire(actor=SYSTEM) == 0
    later = req.expires_at + dt.timedelta(minutes=1)
    assert requests_expire(actor=SYSTEM, now=later) == 1
    req.refresh_from_db()
    assert req.state == AccessRequestState.EXPIRED
    assert AuditEntry.objects.filter(action="access_request_expire").count() == 1


def test_a_wrong_or_odd_token_finds_nothing(portal_world):
    assert active_grant("") is None
    assert active_grant("a" * 500) is None
    assert active_grant("../../etc/passwd") is None
