from django.urls import path

from amity.collaboration.views import (
    notification_count,
    notification_list,
    notification_open,
    notification_panel,
    notification_read,
    notification_read_all,
    notification_settings,
)

urlpatterns = [
    path("notifications/", notification_list, name="notification_list"),
    path("notifications/count/", notification_count, name="notification_count"),
    path("notifications/panel/", notification_panel, name="notification_panel"),
    path("notifications/read-all/", notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/open/", notification_open, name="notification_open"),
    path("notifications/<int:pk>/read/", notification_read, name="notification_read"),
    path("settings/notifications/", notification_settings, name="notification_settings"),
]
