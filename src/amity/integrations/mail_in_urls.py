from django.urls import path

from amity.integrations import mail_in_views as views

urlpatterns = [
    path("admin/mailboxes/", views.mailbox_list, name="mailbox_list"),
    path("admin/mailboxes/new/", views.mailbox_edit, name="mailbox_create"),
    path("admin/mailboxes/<int:pk>/", views.mailbox_edit, name="mailbox_edit"),
    path("admin/mailboxes/<int:pk>/test/", views.mailbox_test, name="mailbox_test"),
    path("admin/mailboxes/<int:pk>/poll/", views.mailbox_poll_now, name="mailbox_poll"),
    path("admin/mailboxes/<int:pk>/token/", views.mailbox_token, name="mailbox_token"),
    path("admin/mailboxes/<int:pk>/inbox/", views.mailbox_inbox, name="mailbox_inbox"),
    path("admin/mailboxes/<int:pk>/rejected/", views.mailbox_rejected,
         name="mailbox_rejected"),
    path("mail/<int:pk>/", views.inbound_message, name="inbound_message"),
    path("mail/<int:pk>/attachments/<int:attachment_pk>/", views.inbound_attachment,
         name="inbound_attachment"),
]
