"""Candidates on SQLite: the FTS5 trigram table of search.sqlite_index."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db.models import Model, Q
from django.db.models.expressions import RawSQL

from amity.customers.search.query import SearchQuery, Step, contains_pattern
from amity.customers.search.sqlite_index import TABLE

# Best-scoring (bm25) rows sharing trigrams with a misspelt query, taken before the
# access gate: a user who sees few records may miss a misspelt match beyond these.
SIMILAR_POOL = 500


def steps(model: type[Model], query: SearchQuery) -> list[Step]:
    """The queries to try in turn until enough records are found."""
    found = [Step(_containing(model, query), exact=True)]
    if query.fuzzy:
        found.append(Step(_similar(model, query), exact=False))
    return found


@contextmanager
def session(using: str) -> Iterator[Callable[[Step], None]]:
    """Nothing to set up on SQLite."""
    yield lambda step: None


def _containing(model: type[Model], query: SearchQuery) -> Q:
    # FTS5 matches terms of 3+ characters; shorter ones are a LIKE over its text (a scan).
    sql = f"SELECT record_id FROM {TABLE} WHERE kind = %s"  # noqa: S608 - constants
    params = [model._meta.model_name]
    if query.long_terms:
        sql += f" AND {TABLE} MATCH %s"
        params.append(" ".join(map(_phrase, query.long_terms)))  # phrases side by side: AND
    for term in query.short_terms:
        sql += " AND text LIKE %s ESCAPE '\\'"
        params.append(contains_pattern(term))
    return Q(pk__in=RawSQL(sql, params))  # noqa: S611 - user text is a parameter


def _similar(model: type[Model], query: SearchQuery) -> Q:
    # Rows sharing the most trigrams with the query; Python decides which are alike.
    sql = (f"SELECT record_id FROM {TABLE} WHERE {TABLE} MATCH %s "  # noqa: S608 - constants
           "AND kind = %s ORDER BY rank LIMIT %s")
    trigrams = " OR ".join(map(_phrase, query.trigrams()))
    params = [trigrams, model._meta.model_name, SIMILAR_POOL]
    return Q(pk__in=RawSQL(sql, params))  # noqa: S611 - user text is a parameter


def _phrase(text: str) -> str:
    # An FTS5 string: whatever the user typed ("NEAR(", *, OR, quotes) is literal text.
    return '"' + text.replace('"', '""') + '"'
