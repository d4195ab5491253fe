"""Signals the data list services send, for parts that keep something derived from items.

Sent inside the service's transaction. The portal follows it to keep each dataset pointing to
the newest decree's item and its search index current.
"""

from django.dispatch import Signal

# kwargs: codes = set of item codes created or changed; reshaped = set of ids of items whose
# periodicity, presentation level or breakdowns changed (their cells and periods differ now).
items_changed = Signal()

# The fields that decide an item's periods and cells.
SHAPE_FIELDS = frozenset({"periodicity", "level", "breakdowns"})
