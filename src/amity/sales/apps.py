from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "amity.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from amity.core.retention import keep_for
        from amity.events.services import subscribe

        # Modules that register record kinds, event kinds, merge moves and periodic jobs
        # when imported (tasks declares the job that expires quotes).
        from amity.sales import (  # noqa: F401
            lead_scoring,
            lead_wiring,
            opportunity_wiring,
            order_services,
            quote_notifications,
            quote_services,
            routing_tasks,
            search_kinds,
            tasks,
        )
        from amity.sales.models import ForecastSnapshot
        from amity.sales.routing_events import on_event

        subscribe(on_event)
        subscribe(quote_notifications.on_event)
        search_kinds.register()
        keep_for(_("forecast snapshots"), "FORECAST_SNAPSHOT_RETENTION_DAYS",
                 lambda cutoff: ForecastSnapshot.objects.filter(taken_at__lt=cutoff))
