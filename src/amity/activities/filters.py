import django_filters as filters
from django.utils.translation import gettext_lazy as _

from amity.activities.models import ActivityType, Task
from amity.customers.filters import RecordFilter


class TaskFilter(RecordFilter):
    """Filters of the activity list page and of /api/v1/tasks and /api/v1/activities."""

    q = filters.CharFilter(label=_("Search"), field_name="title", lookup_expr="icontains",
                           max_length=200)
    type = filters.ChoiceFilter(label=_("Type"), choices=ActivityType.choices)
    state = filters.ChoiceFilter(label=_("State"), method="by_state",
                                 choices=[("open", _("Open")), ("done", _("Done"))])
    account = filters.NumberFilter(label=_("Account"), field_name="account_id")
    contact = filters.NumberFilter(label=_("Contact"), field_name="contact_id")
    opportunity = filters.NumberFilter(label=_("Opportunity"), field_name="opportunity_id")
    lead = filters.NumberFilter(label=_("Lead"), field_name="lead_id")
    due_from = filters.IsoDateTimeFilter(label=_("From"), field_name="due_at",
                                         lookup_expr="gte")
    due_before = filters.IsoDateTimeFilter(label=_("Before"), field_name="due_at",
                                           lookup_expr="lt")

    class Meta:
        model = Task
        fields = ["q", "type", "state", "account", "contact", "opportunity", "lead", "owner",
                  "team", "due_from", "due_before"]

    def by_state(self, queryset, name, value):
        return queryset.filter(done_at__isnull=value == "open")
