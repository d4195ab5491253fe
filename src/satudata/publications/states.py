"""The one table of a publication's states and the moves between them (SOP steps 4-6).

Every service that changes a publication's state asks `next_state`; a move the table does not
hold is refused with a message naming both the move and the state.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satudata.core.errors import InvalidTransition
from satudata.publications.choices import PublicationState as S

SUBMIT = "submit"
APPROVE = "approve"
RETURN = "return"
PUBLISH = "publish"  # the last channel posted (or recorded by hand)
CANCEL = "cancel"

MOVE_NAMES = {
    SUBMIT: gettext_lazy("submit for review"),
    APPROVE: gettext_lazy("approve"),
    RETURN: gettext_lazy("return for revision"),
    PUBLISH: gettext_lazy("mark published"),
    CANCEL: gettext_lazy("cancel"),
}

# (state, move) -> new state. A returned draft goes back to drafting (step 4 starts again).
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFTING, SUBMIT): S.SUBMITTED,
    (S.DRAFTING, CANCEL): S.CANCELLED,
    (S.SUBMITTED, APPROVE): S.APPROVED,
    (S.SUBMITTED, RETURN): S.DRAFTING,
    (S.APPROVED, PUBLISH): S.PUBLISHED,
}

# The SOP step that runs while a publication is in a state.
STEP_OF_STATE: dict[str, int] = {S.DRAFTING: 4, S.SUBMITTED: 5, S.APPROVED: 6}

# States in which the draft's text may still change.
EDITABLE = frozenset({S.DRAFTING})


def next_state(state: str, move: str) -> str:
    """The state after `move`, or InvalidTransition with a message for the user."""
    try:
        return TRANSITIONS[(state, move)]
    except KeyError:
        raise InvalidTransition(
            _("A publication that is “%(state)s” cannot be sent to “%(move)s”.")
            % {"state": S(state).label, "move": MOVE_NAMES.get(move, move)}
        ) from None


def allowed_moves(state: str) -> list[str]:
    return [move for (origin, move) in TRANSITIONS if origin == state]
