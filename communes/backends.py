"""The sign-in backend: Django's, loading with each signed-in user what their account requires."""

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """Django's ModelBackend whose get_user joins AccountSecurity, so that the check on every page
    (communes.middleware.PasswordChangeRequiredMiddleware) costs no query of its own."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("account_security")
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)
