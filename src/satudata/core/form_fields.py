"""Form fields that refuse hostile input as a form error, never as a server error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# The largest primary key a database holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class ModelIdsField(forms.ModelMultipleChoiceField):
    """Several rows chosen by id; an id beyond the database's integers is an invalid choice.

    Django's own field looks such an id up with `pk__in`, which SQLite refuses with an
    OverflowError and PostgreSQL with an error of its own: a 500 for a tampered form.
    """

    def _check_values(self, value: Any) -> Any:
        for pk in value or ():
            text = str(pk).strip().lstrip("+-")
            if text.isdigit() and (len(text) > 19 or int(text) > MAX_ID):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)
