from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "amity.integrations"
    label = "integrations"

    def ready(self) -> None:
        # Declares the mail-in periodic job (core.jobs.SCHEDULES) at start-up.
        from amity.integrations import mail_in_tasks  # noqa: F401
