"""Global search across the record kinds a user may see."""

from amity.customers.search import PER_KIND, customer_search, search_records
from amity.customers.search.kinds import KINDS


def global_search(*, user, query: str) -> list[dict]:
    """Groups of matching records, each group one kind, only what `user` may see:
    accounts and contacts first, then the kinds other areas register (leads,
    opportunities)."""
    found = customer_search(user=user, query=query, limit=PER_KIND)
    for kind in KINDS.values():
        if kind.model not in found:
            found[kind.model] = search_records(kind.model, user=user, query=query)
    return [{"label": model._meta.verbose_name_plural, "records": records}
            for model, records in found.items() if records]
