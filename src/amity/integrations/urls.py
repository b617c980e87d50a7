from django.urls import path

from amity.integrations import contact_email_views, mail_views, views

urlpatterns = [
    path("settings/tokens/", views.token_list, name="token_list"),
    path("settings/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    *mail_views.urlpatterns,
    *contact_email_views.urlpatterns,
]
