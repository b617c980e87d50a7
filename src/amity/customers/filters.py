"""One filter definition per list, used by the UI list and the API list alike."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amity.core.custom_field_filters import CustomFilterMixin
from amity.customers.models import Account, AccountType, Contact, LifecycleStage, Tier
from amity.org.models import Team, User


class RecordFilter(CustomFilterMixin, filters.FilterSet):
    owner = filters.ModelChoiceFilter(label=_("Owner"),
                                      queryset=User.objects.filter(is_active=True))
    team = filters.ModelChoiceFilter(label=_("Team"), queryset=Team.objects.all())


class AccountFilter(RecordFilter):
    q = filters.CharFilter(label=_("Search"), method="search", max_length=200)
    type = filters.ChoiceFilter(label=_("Type"), choices=AccountType.choices)
    lifecycle_stage = filters.ChoiceFilter(label=_("Lifecycle stage"),
                                           choices=LifecycleStage.choices)
    tier = filters.ChoiceFilter(label=_("Tier"), choices=Tier.choices)
    country = filters.CharFilter(label=_("Country"), lookup_expr="iexact", max_length=2)

    class Meta:
        model = Account
        fields = ["q", "type", "lifecycle_stage", "tier", "country", "owner", "team"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(website__icontains=value))


class ContactFilter(RecordFilter):
    q = filters.CharFilter(label=_("Search"), method="search", max_length=200)
    account = filters.NumberFilter(label=_("Account"), field_name="account_id")
    lifecycle_stage = filters.ChoiceFilter(label=_("Lifecycle stage"),
                                           choices=LifecycleStage.choices)

    class Meta:
        model = Contact
        fields = ["q", "lifecycle_stage", "account", "owner", "team"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(given_name__icontains=value) | Q(family_name__icontains=value)
            | Q(email__icontains=value)
        )
