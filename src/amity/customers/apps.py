from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CustomersConfig(AppConfig):
    name = "amity.customers"
    label = "customers"

    def ready(self) -> None:
        from amity.customers.search.kinds import register_customer_kinds
        from amity.customers.search.sqlite_index import repair_after_migrate

        register_customer_kinds()

        # SQLite drops the search triggers whenever a migration remakes a table.
        post_migrate.connect(repair_after_migrate, sender=self)
