from django.urls import path

from amity.org import custom_field_views, views

urlpatterns = [
    path("admin/users/", views.user_list, name="user_list"),
    path("admin/users/new/", views.user_edit, name="user_create"),
    path("admin/users/<int:pk>/", views.user_edit, name="user_edit"),
    path("admin/teams/", views.team_list, name="team_list"),
    path("admin/teams/new/", views.team_edit, name="team_create"),
    path("admin/teams/<int:pk>/", views.team_edit, name="team_edit"),
    path("admin/roles/", views.role_list, name="role_list"),
    path("admin/roles/new/", views.role_edit, name="role_create"),
    path("admin/roles/<int:pk>/", views.role_edit, name="role_edit"),
    path("admin/recycle-bin/", views.recycle_bin, name="recycle_bin"),
    path("admin/recycle-bin/<str:kind>/<int:pk>/restore/", views.restore, name="restore"),
    *custom_field_views.urlpatterns,
]
