from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from satudata.audit.models import AuditEntry
from satudata.catalog.choices import Accessibility
from satudata.catalog.services import item_update
from tests.factories import DataItemFactory


def test_a_service_writes_before_and_after_in_the_audit_log(walidata, decree, health):
    item = DataItemFactory(decree=decree, agency=health, unit="orang")
    item_update(actor=walidata, item=item, unit="jiwa")
    entry = AuditEntry.objects.filter(action="item_update", target_id=str(item.pk)).get()
    assert entry.actor == walidata
    assert entry.before["unit"] == "orang" and entry.after["unit"] == "jiwa"
    assert ("unit", "orang", "jiwa") in entry.changes


def test_a_change_of_class_is_recorded_as_a_classification(walidata, decree, health):
    item = DataItemFactory(decree=decree, agency=health)
    item_update(
        actor=walidata,
        item=item,
        accessibility=Accessibility.CLOSED,
        accessibility_reason="UU 14/2008 pasal 17 huruf h",
    )
    assert AuditEntry.objects.filter(action="item_classify", target_id=str(item.pk)).exists()


def test_an_update_that_changes_nothing_writes_nothing(walidata, decree, health):
    item = DataItemFactory(decree=decree, agency=health, unit="orang")
    before = AuditEntry.objects.count()
    item_update(actor=walidata, item=item, unit="orang")
    assert AuditEntry.objects.count() == before


def test_the_database_refuses_to_rewrite_history(walidata):
    entry = AuditEntry.objects.filter(target_id=str(walidata.pk)).first()
    assert entry is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().update(action="forged")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEntry.objects.all()._raw_delete(AuditEntry.objects.db)
    assert AuditEntry.objects.filter(action="forged").count() == 0
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
