from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutomationConfig(AppConfig):
    name = "amity.automation"
    label = "automation"
    verbose_name = _("Automation")

    def ready(self) -> None:
        from amity.automation import actions, chain, conditions, engine, tasks  # noqa: F401
        from amity.automation.actions.channel_runs import wire_channel_actions
        from amity.automation.subscriptions import on_event
        from amity.events.services import subscribe

        subscribe(on_event)
        wire_channel_actions()
