"""The signed-in person's own account: changing their password, and the page shown when logins are locked."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.shortcuts import render

from communes.models import AccountSecurity
from communes.services import record_password_change


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, which also lifts an administrator's demand for a new password."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "required": AccountSecurity.requires_change(self.request.user)}

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            record_password_change(user=form.user)
        return response


def locked_out(request, response=None, credentials=None):
    """Axes' answer to a login while the account or the address is locked (AXES_LOCKOUT_CALLABLE): the portal's page,
    status 429, saying how long to wait and that an administrator can unlock sooner."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
