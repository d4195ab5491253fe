"""Signals the value services send, for parts that keep something derived from values.

Sent inside the saving transaction, after the rows are written: a receiver's writes commit or
roll back with the save. The portal rebuilds its datasets from this (a revision entry, a new
version), without the value services knowing of the portal.
"""

from django.dispatch import Signal

# kwargs: changes = [(item, period key, number of cells changed)], at = time of the save.
observations_changed = Signal()
