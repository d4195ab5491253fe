"""Who sees which item and its values, by accessibility class (pure predicates + selector)."""

from __future__ import annotations

import pytest

from satudata.catalog.choices import Accessibility
from satudata.catalog.permissions import can_view_item, can_view_item_values
from satudata.catalog.selectors import items_visible_to
from tests.factories import DataItemFactory

OPEN, LIMITED, CLOSED = Accessibility.OPEN, Accessibility.LIMITED, Accessibility.CLOSED

# persona -> (items whose existence it sees, items whose values it sees), for items of the
# health agency (the head's and operator's own).
SEES = {
    "walidata": ({OPEN, LIMITED, CLOSED}, {OPEN, LIMITED, CLOSED}),
    "admin_user": ({OPEN, LIMITED, CLOSED}, {OPEN, LIMITED, CLOSED}),
    "head": ({OPEN, LIMITED, CLOSED}, {OPEN, LIMITED, CLOSED}),
    "operator": ({OPEN, LIMITED, CLOSED}, {OPEN, LIMITED, CLOSED}),
    "supervisor": ({OPEN, LIMITED, CLOSED}, {OPEN, LIMITED}),
    "other_operator": ({OPEN, LIMITED}, {OPEN}),
}


@pytest.fixture
def items_by_class(health, decree):
    return {
        cls: DataItemFactory(decree=decree, agency=health, accessibility=cls)
        for cls in (OPEN, LIMITED, CLOSED)
    }


@pytest.mark.parametrize("persona", list(SEES))
def test_item_visibility_by_persona(request, items_by_class, persona):
    user = request.getfixturevalue(persona)
    sees, sees_values = SEES[persona]
    for cls, item in items_by_class.items():
        assert can_view_item(user, item) is (cls in sees), cls
        assert can_view_item_values(user, item) is (cls in sees_values), cls
    visible = set(items_visible_to(user).values_list("accessibility", flat=True))
    assert visible == sees


def test_the_public_never_learns_a_closed_item_exists(items_by_class):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not can_view_item(anonymous, items_by_class[CLOSED])
    assert can_view_item(anonymous, items_by_class[LIMITED])
    assert not can_view_item_values(anonymous, items_by_class[LIMITED])
    assert set(items_visible_to(anonymous).values_list("accessibility", flat=True)) == {
        OPEN,
        LIMITED,
    }
