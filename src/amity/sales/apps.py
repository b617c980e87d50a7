from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "amity.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from amity.sales import lead_wiring  # noqa: F401
