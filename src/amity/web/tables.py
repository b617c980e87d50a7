import django_tables2 as tables
from django_tables2.utils import OrderByTuple

from amity.core.calendars import format_datetime


class KeysetTable(tables.Table):
    """A table over one keyset page: the database already sorted the rows, so the
    table only marks the sorted column instead of sorting again in Python."""

    def show_sorted(self, sort: str) -> None:
        self._order_by = OrderByTuple([sort])


class UserDateTimeColumn(tables.Column):
    """A date and time in the user's time zone, language and calendar."""

    def render(self, value) -> str:
        return format_datetime(value)
