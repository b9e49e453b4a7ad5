"""Template context shared by every page: the unit and role the signed-in user works as."""

from communes.models import Membership, _read_memberships
from communes.permissions import can_manage_records


def current_unit(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def first_membership():
        return user_first_membership(user)

    def may_edit_criteria():
        return can_manage_records(user)

    # Lazy: pages that never print the header (PDF, API) do not pay for the query.
    return {"current_membership": first_membership, "may_edit_criteria": may_edit_criteria}


def user_first_membership(user) -> Membership | None:
    """The membership the page header names (the first by unit path; the national office's first of all), read
    with the user's scope (no query of its own): its role and its unit's name, not a saved row."""
    _read_memberships(user)
    return user._memberships[0] if user._memberships else None
