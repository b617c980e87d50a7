from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "amity.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        # Modules that register event kinds and other wiring when imported.
        # (order_services and quote_services register event kinds; tasks declares the
        # periodic job that expires quotes.)
        from amity.sales import order_services, quote_services, tasks  # noqa: F401
