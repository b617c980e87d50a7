from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "amity.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from amity.activities import tasks  # noqa: F401  (declares the periodic job)
