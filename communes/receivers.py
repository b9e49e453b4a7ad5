"""What a good login clears: the failed logins counted against that account (django-axes)."""

from axes.models import AccessAttempt
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in)
def forget_the_accounts_failed_logins(sender, request, user, **kwargs):
    # Only the account's own: axes' AXES_RESET_ON_SUCCESS also clears every failure from the address, so anyone with
    # an account could wipe, by logging in to it, the count of their guesses at a colleague's password.
    AccessAttempt.objects.filter(username=user.get_username()).delete()
