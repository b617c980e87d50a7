import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from amity.activities.models import Task
from amity.web.tables import KeysetTable, UserDateTimeColumn


class TaskTable(KeysetTable):
    type = tables.Column(verbose_name=_("Type"), orderable=False)
    title = tables.Column(linkify=True, verbose_name=_("Subject"), orderable=True)
    due_at = UserDateTimeColumn(verbose_name=_("Due or starts"), orderable=False)
    done_at = UserDateTimeColumn(verbose_name=_("Done"), orderable=False)
    account = tables.Column(verbose_name=_("Account"), orderable=False)
    contact = tables.Column(verbose_name=_("Contact"), orderable=False)
    owner = tables.Column(verbose_name=_("Owner"), orderable=False)

    class Meta:
        model = Task
        fields = ["type", "title", "due_at", "done_at", "account", "contact", "owner"]
        orderable = False
