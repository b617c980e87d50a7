"""The pages of the webhook and SMS channels."""

from amity.integrations import sms_template_views, sms_views, webhook_views

urlpatterns = [*webhook_views.urlpatterns, *sms_views.urlpatterns,
               *sms_template_views.urlpatterns]
