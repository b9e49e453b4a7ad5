"""The coordination office's records, mounted at /records/: recognition decisions, targets, commune plans."""

from django.urls import path

from records import criteria_editor, views

app_name = "records"

urlpatterns = [
    path("recognitions/", views.recognition_list, name="recognition-list"),
    path("recognitions/new/", views.recognition_create, name="recognition-create"),
    path("recognitions/<int:pk>/edit/", views.recognition_edit, name="recognition-edit"),
    path("recognitions/<int:pk>/revoke/", views.recognition_revoke, name="recognition-revoke"),
    path("targets/", views.target_list, name="target-list"),
    path("targets/new/", views.target_create, name="target-create"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target-edit"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target-delete"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/delete/", views.plan_delete, name="plan-delete"),
    path("criteria/<int:pk>/draft/", criteria_editor.new_draft, name="criteria-draft"),
    path("criteria/<int:pk>/edit/", criteria_editor.edit_draft, name="criteria-edit"),
    path("criteria/<int:pk>/publish/", criteria_editor.publish_draft, name="criteria-publish"),
]
