import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from amity.customers.models import Account, Contact
from amity.web.tables import KeysetTable, UserDateTimeColumn


class AccountTable(KeysetTable):
    name = tables.Column(linkify=True, verbose_name=_("Name"), orderable=True)
    owner = tables.Column(verbose_name=_("Owner"), orderable=False)
    updated_at = UserDateTimeColumn(verbose_name=_("Updated"), orderable=True)

    class Meta:
        model = Account
        fields = ["name", "type", "industry", "city", "country", "owner", "updated_at"]
        orderable = False


class ContactTable(KeysetTable):
    name = tables.Column(accessor="family_name", linkify=True, verbose_name=_("Name"),
                         orderable=True)
    account = tables.Column(verbose_name=_("Account"), orderable=False)
    owner = tables.Column(verbose_name=_("Owner"), orderable=False)
    updated_at = UserDateTimeColumn(verbose_name=_("Updated"), orderable=True)

    class Meta:
        model = Contact
        fields = ["name", "email", "phone", "job_title", "account", "owner", "updated_at"]
        orderable = False

    def render_name(self, record) -> str:
        return str(record)
