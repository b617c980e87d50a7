"""Global search across the record kinds a user may see."""

from amity.customers.search import PER_KIND, customer_search


def global_search(*, user, query: str) -> list[dict]:
    """Groups of matching records, each group one kind, only what `user` may see."""
    groups = []
    for model, records in customer_search(user=user, query=query, limit=PER_KIND).items():
        if records:
            groups.append({"label": model._meta.verbose_name_plural, "records": records})
    return groups
