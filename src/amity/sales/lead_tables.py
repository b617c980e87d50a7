import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from amity.sales.models import Lead
from amity.web.tables import KeysetTable, UserDateTimeColumn


class LeadTable(KeysetTable):
    name = tables.Column(accessor="family_name", linkify=True, verbose_name=_("Name"),
                         orderable=True)
    score = tables.Column(verbose_name=_("Score"), orderable=True)
    owner = tables.Column(verbose_name=_("Owner"), orderable=False)
    updated_at = UserDateTimeColumn(verbose_name=_("Updated"), orderable=True)

    class Meta:
        model = Lead
        fields = ["name", "company", "email", "status", "source", "score", "owner",
                  "updated_at"]
        orderable = False

    def render_name(self, record) -> str:
        name = f"{record.given_name} {record.family_name}".strip()
        return name or str(record)
