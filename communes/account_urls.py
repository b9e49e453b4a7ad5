"""Addresses of one's own account, under /account/: Django's URL names, so its views and the admin find them."""

from django.contrib.auth import views as auth_views
from django.urls import path

from communes.account_views import PasswordChangeView

urlpatterns = [
    path("password/", PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
