from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "amity.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from amity.events.services import subscribe
        from amity.sales import lead_scoring, routing_tasks  # noqa: F401  (kinds, schedules)
        from amity.sales.routing_events import on_event

        subscribe(on_event)
