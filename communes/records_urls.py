"""The coordination office's records, mounted at /records/: recognition decisions, targets, commune plans."""

from django.urls import path

from communes.views import records

app_name = "records"

urlpatterns = [
    path("recognitions/", records.recognition_list, name="recognition-list"),
    path("recognitions/new/", records.recognition_create, name="recognition-create"),
    path("recognitions/<int:pk>/edit/", records.recognition_edit, name="recognition-edit"),
    path("recognitions/<int:pk>/revoke/", records.recognition_revoke, name="recognition-revoke"),
    path("targets/", records.target_list, name="target-list"),
    path("targets/new/", records.target_create, name="target-create"),
    path("targets/<int:pk>/edit/", records.target_edit, name="target-edit"),
    path("targets/<int:pk>/delete/", records.target_delete, name="target-delete"),
    path("plans/", records.plan_list, name="plan-list"),
    path("plans/new/", records.plan_create, name="plan-create"),
    path("plans/<int:pk>/edit/", records.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/delete/", records.plan_delete, name="plan-delete"),
]
