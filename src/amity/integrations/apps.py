from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "amity.integrations"
    label = "integrations"

    def ready(self) -> None:
        from amity.events.services import subscribe
        from amity.integrations import sms_tasks, webhook_tasks, webhooks  # noqa: F401

        subscribe(webhooks.on_event)
