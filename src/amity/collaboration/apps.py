from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaborationConfig(AppConfig):
    name = "amity.collaboration"
    label = "collaboration"

    def ready(self) -> None:
        from amity.collaboration import tasks  # noqa: F401  (declares the periodic digest)
        from amity.collaboration.models import Digest, Notification
        from amity.collaboration.triggers import on_event, register_import_links
        from amity.core.retention import keep_for
        from amity.events.services import subscribe

        subscribe(on_event)
        register_import_links()
        # A notification points at what happened; the record's timeline keeps the fact.
        keep_for(_("notifications"), "NOTIFICATION_RETENTION_DAYS",
                 lambda cutoff: Notification.objects.filter(created_at__lt=cutoff))
        keep_for(_("notification digests"), "NOTIFICATION_RETENTION_DAYS",
                 lambda cutoff: Digest.objects.filter(created_at__lt=cutoff))
