from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OrgConfig(AppConfig):
    name = "amity.org"
    label = "org"

    def ready(self) -> None:
        from amity.org.roles import sync_builtin_roles

        # Built-in roles gain grants for record kinds added by later migrations.
        post_migrate.connect(sync_builtin_roles, sender=self)
