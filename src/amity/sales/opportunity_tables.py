import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from amity.core.calendars import format_date
from amity.sales.models import Opportunity
from amity.sales.money_display import format_money
from amity.web.tables import KeysetTable, UserDateTimeColumn


class OpportunityTable(KeysetTable):
    name = tables.Column(linkify=True, verbose_name=_("Name"), orderable=True)
    account = tables.Column(verbose_name=_("Account"), orderable=False)
    stage = tables.Column(verbose_name=_("Stage"), orderable=False)
    amount = tables.Column(verbose_name=_("Amount"), orderable=False)
    close_date = tables.Column(verbose_name=_("Expected close date"), orderable=False)
    owner = tables.Column(verbose_name=_("Owner"), orderable=False)
    updated_at = UserDateTimeColumn(verbose_name=_("Updated"), orderable=True)

    class Meta:
        model = Opportunity
        fields = ["name", "account", "stage", "status", "amount", "probability", "close_date",
                  "owner", "updated_at"]
        orderable = False

    def render_amount(self, value, record) -> str:
        return format_money(value, record.currency)

    def render_close_date(self, value) -> str:
        return format_date(value)
