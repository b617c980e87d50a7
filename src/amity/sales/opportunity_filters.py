"""The one filter definition of the opportunity list, used by the UI list and the API."""

from decimal import Decimal

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amity.customers.filters import RecordFilter
from amity.sales.models import Opportunity, OpportunityStatus, Pipeline, Stage

MAX_AMOUNT = Decimal("9999999999999999.99")


class OpportunityFilter(RecordFilter):
    q = filters.CharFilter(label=_("Search"), method="search", max_length=200)
    pipeline = filters.ModelChoiceFilter(label=_("Pipeline"), queryset=Pipeline.objects.all())
    stage = filters.ModelChoiceFilter(label=_("Stage"),
                                      queryset=Stage.objects.select_related("pipeline"))
    status = filters.ChoiceFilter(label=_("Status"), choices=OpportunityStatus.choices)
    account = filters.NumberFilter(label=_("Account"), field_name="account_id")
    contact = filters.NumberFilter(label=_("Contact"), field_name="contact_id")
    close_after = filters.DateFilter(label=_("Closing from"), field_name="close_date",
                                     lookup_expr="gte")
    close_before = filters.DateFilter(label=_("Closing until"), field_name="close_date",
                                      lookup_expr="lte")
    amount_min = filters.NumberFilter(label=_("Amount from"), field_name="amount",
                                      lookup_expr="gte", min_value=0, max_value=MAX_AMOUNT)
    amount_max = filters.NumberFilter(label=_("Amount up to"), field_name="amount",
                                      lookup_expr="lte", min_value=0, max_value=MAX_AMOUNT)

    class Meta:
        model = Opportunity
        fields = ["q", "pipeline", "stage", "status", "owner", "team", "close_after",
                  "close_before", "amount_min", "amount_max", "account", "contact"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(account__name__icontains=value)
                               | Q(competitor__icontains=value))
