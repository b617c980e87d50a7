import django_filters as filters
from django.utils.translation import gettext_lazy as _

from amity.activities.models import Task
from amity.customers.filters import RecordFilter


class TaskFilter(RecordFilter):
    q = filters.CharFilter(label=_("Search"), field_name="title", lookup_expr="icontains",
                           max_length=200)
    state = filters.ChoiceFilter(label=_("State"), method="by_state",
                                 choices=[("open", _("Open")), ("done", _("Done"))])
    account = filters.NumberFilter(label=_("Account"), field_name="account_id")
    contact = filters.NumberFilter(label=_("Contact"), field_name="contact_id")

    class Meta:
        model = Task
        fields = ["q", "state", "account", "contact", "owner", "team"]

    def by_state(self, queryset, name, value):
        return queryset.filter(done_at__isnull=value == "open")
