"""Template context shared by every page: the unit and role the signed-in user works as."""

from communes.models import Membership
from communes.permissions import can_manage_records


def current_unit(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def first_membership():
        return Membership.objects.filter(user=user).select_related("unit").order_by("unit__path").first()

    def may_edit_criteria():
        return can_manage_records(user)

    # Lazy: pages that never print the header (PDF, API) do not pay for the query.
    return {"current_membership": first_membership, "may_edit_criteria": may_edit_criteria}
