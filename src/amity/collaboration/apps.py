from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "amity.collaboration"
    label = "collaboration"

    def ready(self) -> None:
        from amity.collaboration import tasks  # noqa: F401  (declares the periodic digest)
        from amity.collaboration.triggers import on_event, register_import_links
        from amity.events.services import subscribe

        subscribe(on_event)
        register_import_links()
