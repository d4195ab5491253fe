"""State changes of the data list: decrees, items, regions. Each is atomic and audited."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from satudata.accounts.permissions import can
from satudata.accounts.roles import Action
from satudata.audit.services import audit_record, snapshot
from satudata.catalog.choices import REGION_LEVEL_BY_DEPTH
from satudata.catalog.models import Breakdown, DataItem, DataListDecree, Region, Topic
from satudata.catalog.permissions import can_manage_decrees, can_manage_items
from satudata.catalog.signals import SHAPE_FIELDS, items_changed
from satudata.core.actors import require
from satudata.core.errors import DomainError
from satudata.core.services import assign

KEMENDAGRI_CSV = Path(__file__).parent / "data" / "wilayah-kemendagri-2025.csv.gz"


@transaction.atomic
def decree_create(*, actor: Any, **fields: Any) -> DataListDecree:
    """Register an SK Daftar Data."""
    require(actor, can_manage_decrees)
    decree = DataListDecree(**fields)
    decree.full_clean()
    decree.save()
    audit_record(
        actor=actor, action="decree_create", target=decree, before=None, after=snapshot(decree)
    )
    return decree


@transaction.atomic
def decree_update(*, actor: Any, decree: DataListDecree, **fields: Any) -> DataListDecree:
    """Change a decree's number, date, title, note or signed document."""
    require(actor, can_manage_decrees)
    decree = DataListDecree.objects.select_for_update().get(pk=decree.pk)
    before = snapshot(decree)
    if assign(decree, fields):
        decree.full_clean()
        decree.save()
        audit_record(
            actor=actor,
            action="decree_update",
            target=decree,
            before=before,
            after=snapshot(decree),
        )
    return decree


@transaction.atomic
def item_create(*, actor: Any, breakdowns: Iterable[Breakdown] = (), **fields: Any) -> DataItem:
    """Add a data item to a decree's list."""
    require(actor, can_manage_items)
    item = DataItem(**fields)
    item.full_clean()
    item.save()
    item.breakdowns.set(list(breakdowns))
    audit_record(actor=actor, action="item_create", target=item, before=None, after=snapshot(item))
    items_changed.send(sender=DataItem, codes={item.code}, reshaped=set())
    return item


@transaction.atomic
def item_update(
    *, actor: Any, item: DataItem, breakdowns: Iterable[Breakdown] | None = None, **fields: Any
) -> DataItem:
    """Change a data item; a change of accessibility class is recorded as `item_classify`."""
    require(actor, can_manage_items)
    item = DataItem.objects.select_for_update().get(pk=item.pk)
    before = snapshot(item)
    changed = assign(item, fields)
    if changed:
        item.full_clean()
        item.save()
    if breakdowns is not None:
        new = sorted(b.pk for b in breakdowns)
        if new != before["breakdowns"]:
            item.breakdowns.set(new)
            changed.append("breakdowns")
    if changed:
        action = "item_classify" if "accessibility" in changed else "item_update"
        audit_record(actor=actor, action=action, target=item, before=before, after=snapshot(item))
        items_changed.send(
            sender=DataItem,
            codes={item.code, before["code"]},
            reshaped={item.pk} if SHAPE_FIELDS.intersection(changed) else set(),
        )
    return item


@transaction.atomic
def topic_ensure(*, actor: Any, name: str, slug: str) -> Topic:
    """The topic with this slug, created when missing."""
    require(actor, can_manage_items)
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        topic = Topic(name=name, slug=slug)
        topic.full_clean()
        topic.save()
        audit_record(
            actor=actor, action="topic_create", target=topic, before=None, after=snapshot(topic)
        )
    return topic


@transaction.atomic
def breakdown_ensure(*, actor: Any, name: str, slug: str, categories: list[str]) -> Breakdown:
    """The breakdown with this slug, created when missing."""
    require(actor, can_manage_items)
    breakdown = Breakdown.objects.filter(slug=slug).first()
    if breakdown is None:
        breakdown = Breakdown(name=name, slug=slug, categories=categories)
        breakdown.full_clean()
        breakdown.save()
        audit_record(
            actor=actor,
            action="breakdown_create",
            target=breakdown,
            before=None,
            after=snapshot(breakdown),
        )
    return breakdown


def _region_rows(text: str, root: str) -> list[tuple[str, str]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header[:2]] != ["code", "name"]:
        raise DomainError(_("The region file must have the columns code,name."))
    rows = []
    for code, name, *_rest in reader:
        code = code.strip()
        if code == root or code.startswith(root + "."):
            rows.append((code, name.strip()))
    return rows


@transaction.atomic
def regions_load(*, actor: Any, root: str, text: str | None = None) -> int:
    """Load a region and everything under it from a Kemendagri `code,name` CSV.

    Without `text`, the official 2025 list shipped with the product is read. The region's
    parents up to the province are loaded too, so every code has its chain. Re-loading the
    same file changes nothing.
    """
    require(actor, lambda u: can(u, Action.REGION_MANAGE))
    if text is None:
        text = gzip.decompress(KEMENDAGRI_CSV.read_bytes()).decode("utf-8")
    parts = root.split(".")
    ancestors = {".".join(parts[:i]) for i in range(1, len(parts))}
    rows = _region_rows(text, root)
    if not rows:
        raise DomainError(_("No region with code %(code)s in the file.") % {"code": root})
    names = dict(rows)
    for code, name in _region_rows(text, parts[0]):
        if code in ancestors:
            names[code] = name
    existing = {r.code: r for r in Region.objects.filter(code__in=names)}
    created = 0
    for code in sorted(names, key=lambda c: (c.count("."), c)):
        depth = code.count(".") + 1
        if depth not in REGION_LEVEL_BY_DEPTH:
            raise DomainError(_("Region code %(code)s is not a Kemendagri code.") % {"code": code})
        parent = code.rsplit(".", 1)[0] if "." in code else None
        region = existing.get(code)
        fields = {"name": names[code], "level": REGION_LEVEL_BY_DEPTH[depth], "parent_id": parent}
        if region is None:
            region = Region(code=code, **fields)
            region.save()
            created += 1
        elif assign(region, fields):
            region.save()
    if created:
        root_region = Region.objects.get(code=root)
        audit_record(
            actor=actor,
            action="regions_load",
            target=root_region,
            before=None,
            after={"root": root, "created": created, "total": len(names)},
        )
    return created
