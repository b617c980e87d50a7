"""`field__any=[…]`: the field equals one of many values, like `__in`. On PostgreSQL the
values go as one array parameter (`= ANY(%s)`) instead of a placeholder each: with
thousands of values (an import batch's emails) Django's SQL for IN and psycopg's parsing
of it cost more than the query."""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field
from django.db.models.lookups import In


@Field.register_lookup
class AnyOf(In):
    lookup_name = "any"

    def as_postgresql(self, compiler, connection):
        values = [v for v in self.rhs if v is not None]
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        return f"{lhs} = ANY(%s)", (*lhs_params,
                                     [field.get_db_prep_value(v, connection) for v in values])
