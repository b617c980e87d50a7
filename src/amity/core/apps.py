from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "amity.core"
    label = "core"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from amity.core import lookups  # noqa: F401  (registers __any)

        # Every app's `tasks` module, in the web process and the worker alike, so that
        # `durable_task` policies and `periodic` schedules are declared before use.
        autodiscover_modules("tasks")
