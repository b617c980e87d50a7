"""Global search across the record kinds a user may see."""

from django.db.models import Q

from amity.customers.models import Account, Contact

PER_KIND = 8


def global_search(*, user, query: str) -> list[dict]:
    """Groups of matching records, each group one kind, only what `user` may see."""
    terms = {
        Account: Q(name__icontains=query) | Q(website__icontains=query) | Q(phone__icontains=query),
        Contact: Q(given_name__icontains=query) | Q(family_name__icontains=query)
        | Q(email__icontains=query) | Q(phone__icontains=query)
        | Q(account__name__icontains=query),
    }
    groups = []
    for model, condition in terms.items():
        hits = list(model.objects.visible_to(user).filter(condition).order_by("-updated_at")
                    [:PER_KIND])
        if hits:
            groups.append({"label": model._meta.verbose_name_plural, "records": hits})
    return groups
