"""Two operators uploading the same agency and period at the same moment: one wins whole.

The other is refused with a clear message and saves nothing; the database itself (not only the
code) holds one value per item, period, region and breakdown, and one fill state per period.
"""

from __future__ import annotations

import io
import os
import threading
import time
from decimal import Decimal

import openpyxl
import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from satudata.accounts.roles import Role
from satudata.audit.models import AuditEntry
from satudata.core.errors import DomainError
from satudata.schedule.models import FillState
from satudata.schedule.periods import Period
from satudata.values.imports import values_check, values_import, values_save
from satudata.values.models import Observation, ObservationRevision
from satudata.values.services import CellValue, ConcurrentEdit, observations_save
from satudata.values.spreadsheets import item_sheets, template_items, template_xlsx
from tests.factories import UserFactory

FIRST_DATA_ROW = 13  # as in test_upload_values: the block, a blank row, the key row, a header
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="SQLite serialises writers on one database lock: two saves cannot overlap there",
)


def _file(agency, item, start: int) -> bytes:
    """The agency's 2025 template with all 62 cells of `item` typed: start, start+1, ..."""
    period = Period.parse("2025")
    data = template_xlsx(
        agency=agency, period=period, sheets=item_sheets(template_items(agency, period), period)
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[item.code]
    for row in range(31):
        for i, column in enumerate("CD"):
            sheet[f"{column}{FIRST_DATA_ROW + row}"] = start + row * 2 + i
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def colleague(health):
    """A second operator of the same agency (Dinas Kesehatan)."""
    return UserFactory(username="operator-b", role=Role.PRODUCER_OPERATOR, agency=health)


def _values(item) -> list[Decimal]:
    return sorted(
        Observation.objects.filter(item=item, period="2025").values_list("value", flat=True)
    )


def _whole(start: int) -> list[Decimal]:
    return sorted(Decimal(start + n) for n in range(62))


def test_a_file_checked_before_another_save_is_refused_whole(
    operator, colleague, health, district_item
):
    first = values_check(actor=operator, data=_file(health, district_item, 1))
    second = values_check(actor=colleague, data=_file(health, district_item, 101))
    assert values_save(actor=operator, checked=first).saved == 62
    with translation.override("en"), pytest.raises(ConcurrentEdit) as refused:
        values_save(actor=colleague, checked=second)
    message = refused.value.message
    assert message.startswith(f"Someone else saved values of {district_item.code} for 2025 at ")
    assert "Nothing was saved" in message
    assert _values(district_item) == _whole(1)
    assert AuditEntry.objects.filter(action="observations_save").count() == 1
    assert FillState.objects.get(item=district_item, period="2025").version == 1


def test_the_refused_operator_uploads_again_and_wins(operator, colleague, health, district_item):
    first = values_check(actor=operator, data=_file(health, district_item, 1))
    second = values_check(actor=colleague, data=_file(health, district_item, 101))
    values_save(actor=operator, checked=first)
    with pytest.raises(ConcurrentEdit):
        values_save(actor=colleague, checked=second)
    summary = values_import(actor=colleague, data=_file(health, district_item, 101))
    assert summary.saved == 62
    assert _values(district_item) == _whole(101)
    assert ObservationRevision.objects.filter(item=district_item).count() == 62


def test_a_grid_save_in_between_refuses_the_upload_too(operator, colleague, health, district_item):
    checked = values_check(actor=colleague, data=_file(health, district_item, 101))
    observations_save(
        actor=operator,
        item=district_item,
        period="2025",
        cells=[CellValue(region="35.09.01", breakdown="jenis-kelamin=L", value=Decimal(7))],
    )
    with pytest.raises(ConcurrentEdit):
        values_save(actor=colleague, checked=checked)
    assert _values(district_item) == [Decimal(7)]


def test_the_database_holds_one_value_per_item_period_region_and_breakdown(operator, district_item):
    fields = dict(
        item=district_item,
        period="2025",
        region_id="35.09.01",
        breakdown_key="jenis-kelamin=L",
        updated_at=timezone.now(),
    )
    Observation.objects.create(value=1, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(value=2, **fields)
    state = dict(
        item=district_item, period="2025", year=2025, due_date="2026-03-31", required_cells=62
    )
    FillState.objects.create(**state)
    with pytest.raises(IntegrityError), transaction.atomic():
        FillState.objects.create(**state)


# --- The real race, on PostgreSQL: two threads, two connections ----------------------------


def _waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        # The statistics views are read once per transaction unless the snapshot is dropped.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _race(uploads: list[tuple[object, bytes]], hold) -> list[object]:
    """Run the uploads in threads while `hold()` (a context) blocks them; their outcomes."""
    outcomes: list[object] = [None] * len(uploads)

    def upload(index: int, actor, data: bytes) -> None:
        try:
            with translation.override("en"):
                outcomes[index] = values_import(actor=actor, data=data, filename="nilai.xlsx")
        except Exception as exc:  # the outcome is asserted, whatever it is
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=upload, args=(i, actor, data))
        for i, (actor, data) in enumerate(uploads)
    ]
    with hold():
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        # Both uploads have checked their file and wait on the same lock: now let them go.
        while _waiting_on_locks() < len(uploads):
            alive = any(thread.is_alive() for thread in threads)
            assert alive and time.monotonic() < deadline, f"never reached the lock: {outcomes}"
            time.sleep(0.02)
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _assert_one_wins_whole(outcomes, item, starts: list[int]) -> None:
    refused = [o for o in outcomes if isinstance(o, Exception)]
    won = [i for i, o in enumerate(outcomes) if not isinstance(o, Exception)]
    assert len(won) == 1 and len(refused) == 1, outcomes
    [error] = refused
    assert isinstance(error, DomainError), repr(error)  # never an IntegrityError (a 500)
    assert "Nothing was saved" in error.message
    assert outcomes[won[0]].saved == 62
    assert _values(item) == _whole(starts[won[0]])  # every cell from the winner's file


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_uploads_at_the_same_moment_one_wins_whole(operator, colleague, health, district_item):
    observations_save(
        actor=operator,
        item=district_item,
        period="2025",
        cells=[CellValue(region="35.09.31", breakdown="jenis-kelamin=P", value=Decimal(-1))],
    )
    saves_before = AuditEntry.objects.filter(action="observations_save").count()

    def hold():
        # Another save holds the fill state's lock while both files are checked and queue.
        atomic = transaction.atomic()
        atomic.__enter__()
        FillState.objects.select_for_update().get(item=district_item, period="2025")

        class Release:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                atomic.__exit__(None, None, None)

        return Release()

    outcomes = _race(
        [
            (operator, _file(health, district_item, 1)),
            (colleague, _file(health, district_item, 101)),
        ],
        hold,
    )
    _assert_one_wins_whole(outcomes, district_item, [1, 101])
    assert isinstance(next(o for o in outcomes if isinstance(o, Exception)), ConcurrentEdit)
    assert AuditEntry.objects.filter(action="observations_save").count() == saves_before + 1
    assert FillState.objects.get(item=district_item, period="2025").version == 2


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_first_uploads_of_a_period_one_wins_whole(operator, colleague, health, district_item):
    # Nothing saved yet: both create the period's fill state; the unique constraint lets one in.
    def hold():
        atomic = transaction.atomic()
        atomic.__enter__()
        # An uncommitted fill state of the period: both uploads' inserts wait on its index.
        FillState.objects.create(
            item=district_item, period="2025", year=2025, due_date="2026-03-31", required_cells=62
        )

        class Release:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                atomic.__exit__(ValueError, ValueError(), None)  # rolled back: never there

        return Release()

    outcomes = _race(
        [
            (operator, _file(health, district_item, 1)),
            (colleague, _file(health, district_item, 101)),
        ],
        hold,
    )
    _assert_one_wins_whole(outcomes, district_item, [1, 101])
    assert FillState.objects.filter(item=district_item, period="2025").count() == 1
    assert AuditEntry.objects.filter(action="observations_save").count() == 1
