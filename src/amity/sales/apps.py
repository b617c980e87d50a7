from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "amity.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from amity.customers.merge_related import Related, register_merge_related
        from amity.customers.models import Account, Contact
        from amity.sales.models import Opportunity

        # A merged customer's opportunities go to the survivor (and back on undo).
        register_merge_related(Contact, Related("opportunities", Opportunity, "contact"))
        register_merge_related(Account, Related("opportunities", Opportunity, "account"))
