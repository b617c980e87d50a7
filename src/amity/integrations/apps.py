from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "amity.integrations"
    label = "integrations"

    def ready(self) -> None:
        from amity.events.services import subscribe

        # Importing the task modules declares their periodic jobs (core.jobs.SCHEDULES).
        from amity.integrations import (  # noqa: F401
            mail_in_tasks,
            sms_tasks,
            webhook_tasks,
            webhooks,
        )

        subscribe(webhooks.on_event)
