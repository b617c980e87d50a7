"""Candidates on PostgreSQL: ILIKE and %> on the searchable text, both served by the
GIN trigram index of each search kind's table (customers' migration 0017, sales' 0011)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connections, transaction
from django.db.models import BooleanField, Model, Q
from django.db.models.expressions import RawSQL

from amity.customers.search.kinds import kind_of
from amity.customers.search.query import SearchQuery, Step, contains_pattern

# pg_trgm's default (0.6) misses one typo in an eight-letter word ("Nortwind" scores 0.58);
# Python ranking (ranking.SIMILAR_CUTOFF) drops what this lets through by chance.
WORD_SIMILARITY = 0.5


def searchable_text(model: type[Model]) -> str:
    """The SQL expression of a row's searchable text, as indexed (customers' migration
    0017, sales' 0011). The table prefix keeps joins from making a column ambiguous."""
    return kind_of(model).pg_indexed.format(r=f'"{model._meta.db_table}".')


def steps(model: type[Model], query: SearchQuery) -> list[Step]:
    """The queries to try in turn until enough records are found."""
    found = []
    if not query.long_terms:
        # Under three characters ILIKE cannot use the index, but %> finds words that
        # start with the terms through it; a scan for the rest only if still needed.
        found.append(Step(_similar(model, query), exact=False))
    found.append(Step(_containing(model, query), exact=True))
    if query.fuzzy:
        found.append(Step(_similar(model, query), exact=False))
    return found


@contextmanager
def session(using: str) -> Iterator[Callable[[Step], None]]:
    """A transaction for the steps; call what it yields before each step."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:

        def prepare(step: Step) -> None:
            # Statistics cannot tell how many rows %> matches, and LIMIT makes a scan look
            # cheap; it is not when they are few ("Smiht" by a rep at 1M contacts: 70,000
            # rows read, 170 ms; through the index 20 ms).
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true), "
                "set_config('enable_seqscan', %s, true)",
                [str(WORD_SIMILARITY), "on" if step.exact else "off"],
            )

        try:
            yield prepare
        finally:
            # Only reads happened: rolling back (to a savepoint, inside a caller's
            # transaction) undoes the settings, so they never outlive the search.
            transaction.set_rollback(True, using=using)


def _containing(model: type[Model], query: SearchQuery) -> Q:
    text = searchable_text(model)
    sql = " AND ".join(f"({text}) ILIKE %s" for _ in query.terms)
    patterns = [contains_pattern(term) for term in query.terms]
    return Q(RawSQL(sql, patterns, output_field=BooleanField()))  # noqa: S611 - user text is a parameter


def _similar(model: type[Model], query: SearchQuery) -> Q:
    # Unordered: ordering by similarity scores every candidate (15,000 rows for "Smiht"
    # at 1M contacts, 280 ms); Python ranks the first CANDIDATES instead.
    sql = f"({searchable_text(model)}) %%> %s"
    return Q(RawSQL(sql, [query.text], output_field=BooleanField()))  # noqa: S611 - user text is a parameter
