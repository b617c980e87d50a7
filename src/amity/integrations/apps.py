from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "amity.integrations"
    label = "integrations"

    def ready(self) -> None:
        from amity.core.retention import keep_for
        from amity.customers.merge_related import Related, register_merge_related
        from amity.customers.models import Contact
        from amity.events.services import subscribe

        # Importing the task modules declares their periodic jobs (core.jobs.SCHEDULES),
        # mail_reply_checks its kind of notification.
        from amity.integrations import (  # noqa: F401
            mail_in_tasks,
            mail_reply_checks,
            sms_tasks,
            webhook_tasks,
            webhooks,
        )
        from amity.integrations.models import (
            DeliveryStatus,
            InboundMessage,
            OutboundEmail,
            RecordedSms,
            SmsMessage,
            WebhookDelivery,
        )

        subscribe(webhooks.on_event)
        # A merged contact's mail and text messages go to the survivor (and back on undo).
        register_merge_related(Contact, Related("emails_sent", OutboundEmail, "contact"))
        register_merge_related(Contact, Related("text_messages", SmsMessage, "contact"))
        register_merge_related(Contact, Related(
            "emails_received", InboundMessage.contacts.through, "contact",
            key=("inboundmessage_id",)))
        finished = [DeliveryStatus.DELIVERED, DeliveryStatus.FAILED]  # never one still tried
        keep_for(_("webhook deliveries, once delivered or failed"),
                 "WEBHOOK_DELIVERY_RETENTION_DAYS",
                 lambda cutoff: WebhookDelivery.objects.filter(status__in=finished,
                                                               created_at__lt=cutoff))
        keep_for(_("text messages recorded by the development backend"),
                 "RECORDED_SMS_RETENTION_DAYS",
                 lambda cutoff: RecordedSms.objects.filter(recorded_at__lt=cutoff))
