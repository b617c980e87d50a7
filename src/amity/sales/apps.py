from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "amity.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        # Modules that register event kinds and other wiring when imported.
        from amity.sales import order_services, quote_services  # noqa: F401
