"""The records an activity can be about, named in URLs by the segment of their kind
(accounts, contacts, opportunities, leads), and read only through the access gate."""

from django.db.models import Model
from django.http import Http404
from django.shortcuts import get_object_or_404

from amity.customers.models import Account, Contact


def about_models() -> dict[str, type[Model]]:
    """The kinds of record an activity can be about, by URL segment."""
    from amity.sales.models import Lead, Opportunity

    return {"accounts": Account, "contacts": Contact, "opportunities": Opportunity,
            "leads": Lead}


def about_segment(record: Model) -> str:
    """The URL segment of `record`'s kind."""
    return next(segment for segment, model in about_models().items()
                if isinstance(record, model))


def about_record(user, kind: str, pk: int) -> Model:
    """The record of kind `kind` (a URL segment) that `user` may see, else 404."""
    models = about_models()
    if kind not in models:
        raise Http404
    return get_object_or_404(models[kind].objects.visible_to(user), pk=pk)
