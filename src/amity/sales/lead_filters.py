"""The lead list's filters, shared by the UI list and the API list."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amity.customers.filters import RecordFilter
from amity.sales.models import Lead, LeadStatus

SCORE_LIMIT = 1_000_000


class LeadFilter(RecordFilter):
    q = filters.CharFilter(label=_("Search"), method="search", max_length=200)
    status = filters.ChoiceFilter(label=_("Status"), choices=LeadStatus.choices)
    source = filters.CharFilter(label=_("Source"), lookup_expr="iexact", max_length=100)
    score_min = filters.NumberFilter(label=_("Score from"), field_name="score",
                                     lookup_expr="gte", min_value=-SCORE_LIMIT,
                                     max_value=SCORE_LIMIT)
    score_max = filters.NumberFilter(label=_("Score up to"), field_name="score",
                                     lookup_expr="lte", min_value=-SCORE_LIMIT,
                                     max_value=SCORE_LIMIT)

    class Meta:
        model = Lead
        fields = ["q", "status", "source", "score_min", "score_max", "owner", "team"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(given_name__icontains=value) | Q(family_name__icontains=value)
            | Q(company__icontains=value) | Q(email__icontains=value)
        )
