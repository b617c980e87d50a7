"""One filter definition per list, used by the UI list and the API list alike."""

import django_filters as filters
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, Subquery
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from amity.core.custom_field_filters import CustomFilterMixin
from amity.customers.models import (
    Account,
    AccountType,
    Contact,
    IncomeBand,
    LifecycleStage,
    TaggedAccount,
    TaggedContact,
    Tier,
)
from amity.org.models import Team, User

# A tag on at most this many records of a kind counts as rare (see tagged()).
RARE_TAG_USES = 10_000


class EqualsAnyOf(Func):
    """`field = ANY(ARRAY(subquery))` (PostgreSQL): the planner cannot see how many ids the
    subquery gives, assumes few, and starts from them instead of walking a list index."""

    output_field = BooleanField()
    template = "%(expressions)s)"
    arg_joiner = " = ANY(ARRAY"


def tagged(through):
    """A filter method: the records carrying the tag named (whatever its case).

    The planner guesses how a tag overlaps the records a user may see; when they do not
    overlap (a tag that another team uses) walking the name index to fill a page reads
    the whole table. So a rare tag's records are read from the tag first (an id list,
    sorted after), and only a common tag is a semi-join the planner may walk."""

    def method(queryset, name, value):
        tag_ids = list(Tag.objects.filter(name__iexact=value.strip()).values_list("pk",
                                                                                  flat=True))
        if not tag_ids:
            return queryset.none()
        tagged_ids = through.objects.filter(tag_id__in=tag_ids).values("content_object_id")
        rare = not tagged_ids[RARE_TAG_USES:RARE_TAG_USES + 1].exists()
        if rare and connection.vendor == "postgresql":
            return queryset.filter(EqualsAnyOf(F("pk"), Subquery(tagged_ids)))
        return queryset.filter(pk__in=tagged_ids)

    return method


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
    tag = filters.CharFilter(label=_("Tag"), method=tagged(TaggedAccount), max_length=100)

    class Meta:
        model = Account
        fields = ["q", "type", "lifecycle_stage", "tier", "country", "tag", "owner", "team"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(website__icontains=value))


class ContactFilter(RecordFilter):
    q = filters.CharFilter(label=_("Search"), method="search", max_length=200)
    account = filters.NumberFilter(label=_("Account"), field_name="account_id")
    lifecycle_stage = filters.ChoiceFilter(label=_("Lifecycle stage"),
                                           choices=LifecycleStage.choices)
    tag = filters.CharFilter(label=_("Tag"), method=tagged(TaggedContact), max_length=100)
    income_band = filters.ChoiceFilter(label=_("Income band"), choices=IncomeBand.choices)

    class Meta:
        model = Contact
        fields = ["q", "lifecycle_stage", "tag", "income_band", "account", "owner", "team"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(given_name__icontains=value) | Q(family_name__icontains=value)
            | Q(email__icontains=value)
        )
