from django.urls import path

from amity.automation import views

urlpatterns = [
    path("admin/automation/", views.rule_list, name="rule_list"),
    path("admin/automation/rules/new/", views.rule_edit, name="rule_create"),
    path("admin/automation/rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("admin/automation/rules/<int:pk>/active/", views.rule_toggle, name="rule_toggle"),
    path("admin/automation/rules/<int:pk>/move/", views.rule_move, name="rule_move"),
    path("admin/automation/rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("admin/automation/rules/<int:pk>/runs/", views.rule_runs, name="rule_runs"),
    path("admin/automation/sequences/new/", views.sequence_edit, name="sequence_create"),
    path("admin/automation/sequences/<int:pk>/", views.sequence_edit, name="sequence_edit"),
]
