"""Pages of the data list: decrees (SK Daftar Data) and their data items.

Reads go through catalog.selectors, writes through catalog.services. A page the user's role
may not use answers 403; an item the user may not know exists answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _

from satudata.accounts.permissions import can
from satudata.accounts.roles import Action
from satudata.catalog import services
from satudata.catalog.forms import (
    ITEM_FIELDSETS,
    ITEMS_PER_PAGE,
    DataItemForm,
    DecreeForm,
    ItemFilterForm,
    apply_validation_error,
)
from satudata.catalog.models import DataItem, DataListDecree
from satudata.catalog.permissions import can_manage_decrees, can_manage_items, can_view_item
from satudata.catalog.selectors import decree_item_counts_for, items_visible_to
from satudata.schedule.selectors import accessibility_counts


def _require(request: HttpRequest, allowed: Callable[[Any], bool]) -> None:
    """403 when the user's role may not use this page at all."""
    if not allowed(request.user):
        raise PermissionDenied


def _item_page(request: HttpRequest, items: Any, form: ItemFilterForm) -> Any:
    """One page of filtered items, with what the table shows fetched in the same query."""
    items = form.filter(items).select_related("decree", "agency", "topic")
    return Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))


# ---------------------------------------------------------------- decrees


@login_required
def decree_list(request: HttpRequest) -> HttpResponse:
    """Every SK Daftar Data with the number of items per class the user may see."""
    _require(request, lambda u: can(u, Action.DECREE_VIEW))
    counts = decree_item_counts_for(request.user)
    empty = {"open": 0, "limited": 0, "closed": 0, "total": 0}
    rows = [(decree, counts.get(decree.pk, empty)) for decree in DataListDecree.objects.all()]
    return render(
        request,
        "catalog/decree_list.html",
        {"rows": rows, "can_manage": can_manage_decrees(request.user)},
    )


@login_required
def decree_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A decree, its signed document and its items (filtered, paged)."""
    _require(request, lambda u: can(u, Action.DECREE_VIEW))
    decree = get_object_or_404(DataListDecree, pk=pk)
    items = items_visible_to(request.user).filter(decree=decree)
    form = ItemFilterForm(request.GET, user=request.user, fixed_decree=True)
    return render(
        request,
        "catalog/decree_detail.html",
        {
            "decree": decree,
            "counts": accessibility_counts(items),
            "filter_form": form,
            "page": _item_page(request, items, form),
            "can_manage": can_manage_decrees(request.user),
            "can_manage_items": can_manage_items(request.user),
        },
    )


@login_required
def decree_document(request: HttpRequest, pk: int) -> FileResponse:
    """The signed decree (PDF), for signed-in users only: uploads are not public files."""
    _require(request, lambda u: can(u, Action.DECREE_VIEW))
    decree = get_object_or_404(DataListDecree, pk=pk)
    if not decree.document:
        raise Http404
    filename = f"sk-daftar-data-{slugify(decree.number) or decree.pk}.pdf"
    return FileResponse(
        decree.document.open("rb"), content_type="application/pdf", filename=filename
    )


def _decree_form_page(request: HttpRequest, *, decree: DataListDecree | None) -> HttpResponse:
    """Create (decree None) or edit a decree; the service's errors go back onto the form."""
    _require(request, can_manage_decrees)
    # Taken before binding: a bound ModelForm writes the typed values onto its instance.
    title = str(decree) if decree else None
    current_document = decree.document.name if decree else ""
    if request.method == "POST":
        form = DecreeForm(request.POST, request.FILES, instance=decree)
        if form.is_valid():
            fields = form.service_fields()
            try:
                if decree is None:
                    decree = services.decree_create(actor=request.user, **fields)
                else:
                    decree = services.decree_update(actor=request.user, decree=decree, **fields)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Decree %(number)s saved.") % {"number": decree.number})
                return redirect("decree-detail", pk=decree.pk)
    else:
        form = DecreeForm(instance=decree)
    return render(
        request,
        "catalog/decree_form.html",
        {
            "form": form,
            "decree_title": title,
            "current_document": current_document,
            # Browsers never refill a file input, so say so when a chosen file was dropped.
            "file_dropped": bool(request.FILES) and form.is_bound,
        },
    )


@login_required
def decree_create(request: HttpRequest) -> HttpResponse:
    """Register a new SK Daftar Data (walidata, administrator)."""
    return _decree_form_page(request, decree=None)


@login_required
def decree_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a decree (walidata, administrator)."""
    _require(request, can_manage_decrees)
    return _decree_form_page(request, decree=get_object_or_404(DataListDecree, pk=pk))


# ---------------------------------------------------------------- items


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    """The items the user may see, filtered and paged; producers start on their own."""
    _require(request, lambda u: can(u, Action.ITEM_VIEW))
    form = ItemFilterForm(request.GET, user=request.user)
    page = _item_page(request, items_visible_to(request.user), form)
    return render(
        request,
        "catalog/item_list.html",
        {"filter_form": form, "page": page, "can_manage": can_manage_items(request.user)},
    )


def _display_rows(item: DataItem, names: tuple[str, ...]) -> list[dict[str, Any]]:
    """(label, value) rows of the item page, labelled with the model's verbose names."""
    rows = []
    for name in names:
        field = DataItem._meta.get_field(name)
        row: dict[str, Any] = {"name": name, "label": capfirst(field.verbose_name)}
        if name == "breakdowns":
            row["breakdowns"] = list(item.breakdowns.all())
        elif field.choices:
            row["value"] = getattr(item, f"get_{name}_display")()
        elif isinstance(field, models.BooleanField):
            row["value"] = _("Yes") if getattr(item, name) else _("No")
        elif isinstance(field, models.URLField):
            row["url"] = getattr(item, name)
        else:
            value = getattr(item, name)
            row["value"] = "" if value is None else value
        rows.append(row)
    return rows


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Every attribute of an item, grouped as the Daftar Data row and the BPS metadata."""
    _require(request, lambda u: can(u, Action.ITEM_VIEW))
    item = get_object_or_404(
        items_visible_to(request.user)
        .select_related("decree", "agency", "topic")
        .prefetch_related("breakdowns"),
        pk=pk,
    )
    # The selector already hides it; the predicate is the rule's other half, kept in step.
    if not can_view_item(request.user, item):
        raise Http404
    fieldsets = [
        (slug, legend, _display_rows(item, names)) for slug, legend, names in ITEM_FIELDSETS
    ]
    return render(
        request,
        "catalog/item_detail.html",
        {"item": item, "fieldsets": fieldsets, "can_manage": can_manage_items(request.user)},
    )


def _item_form_page(request: HttpRequest, *, item: DataItem | None) -> HttpResponse:
    """Create (item None) or edit an item; the service's errors go back onto the form."""
    _require(request, can_manage_items)
    title = str(item) if item else None
    if request.method == "POST":
        form = DataItemForm(request.POST, instance=item)
        if form.is_valid():
            fields = form.service_fields()
            breakdowns = form.cleaned_data["breakdowns"]
            try:
                if item is None:
                    item = services.item_create(actor=request.user, breakdowns=breakdowns, **fields)
                else:
                    item = services.item_update(
                        actor=request.user, item=item, breakdowns=breakdowns, **fields
                    )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Data item %(code)s saved.") % {"code": item.code})
                return redirect("item-detail", pk=item.pk)
    else:
        initial = {}
        if item is None and request.GET.get("decree", "").isdigit():
            initial["decree"] = request.GET["decree"]
        form = DataItemForm(instance=item, initial=initial)
    return render(
        request,
        "catalog/item_form.html",
        {"form": form, "item_title": title, "item_pk": item.pk if item else None},
    )


@login_required
def item_create(request: HttpRequest) -> HttpResponse:
    """Add a data item to a decree's list (walidata, administrator)."""
    return _item_form_page(request, item=None)


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a data item, its class included (walidata, administrator)."""
    _require(request, can_manage_items)
    return _item_form_page(request, item=get_object_or_404(DataItem, pk=pk))
