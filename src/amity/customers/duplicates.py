"""Filling and reading the duplicate review queue (contacts and accounts)."""

from collections.abc import Callable

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from amity.customers.duplicate_pairs import DuplicatePair, PairKind, PairStatus
from amity.customers.models import Account, Contact

# Per kind: the records, and the pair's two columns for them.
KINDS = {PairKind.CONTACT: (Contact, "left", "right"),
         PairKind.ACCOUNT: (Account, "left_account", "right_account")}


def _finder(kind: str) -> Callable:
    # DuckDB/Splink are a slow import: only when the finder runs.
    if kind == PairKind.CONTACT:
        from amity.customers.dedupe import contact_duplicate_candidates
        return contact_duplicate_candidates
    from amity.customers.dedupe_accounts import account_duplicate_candidates
    return account_duplicate_candidates


def _found(kind: str, user, threshold: float) -> dict[tuple[int, int], float]:
    found = {}
    for a, b, probability in _finder(kind)(user=user, threshold=threshold):
        a, b = int(a), int(b)
        if a != b:
            found[(min(a, b), max(a, b))] = probability
    return found


def _in_scope(kind: str, user) -> QuerySet:
    """The kind's pairs whose two records `user` sees: the finder's view of them."""
    model, left, right = KINDS[kind]
    visible = model.objects.visible_to(user).values("pk")
    return DuplicatePair.objects.filter(kind=kind, **{f"{left}__in": visible,
                                                      f"{right}__in": visible})


def _store(kind: str, user, found: dict[tuple[int, int], float]) -> int:
    """New pairs open, known ones get the new probability (a pair no longer found and
    found again reopens); open pairs in the user's view the finder no longer reports
    are closed as gone; decided pairs are left alone. Returns the open pairs found."""
    _model, left, right = KINDS[kind]
    with transaction.atomic():
        existing = {(getattr(p, f"{left}_id"), getattr(p, f"{right}_id")): p for p in
                    _in_scope(kind, user).select_for_update()}
        new, changed = [], []
        for (a, b), probability in found.items():
            pair = existing.get((a, b))
            if pair is None:
                new.append(DuplicatePair(kind=kind, probability=probability,
                                         **{f"{left}_id": a, f"{right}_id": b}))
            elif pair.status in (PairStatus.OPEN, PairStatus.GONE):
                pair.probability, pair.status = probability, PairStatus.OPEN
                changed.append(pair)
        gone = [p.pk for key, p in existing.items()
                if key not in found and p.status == PairStatus.OPEN]
        # ignore_conflicts: a concurrent refresh may have added the same pair.
        DuplicatePair.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
        DuplicatePair.objects.bulk_update(changed, ["probability", "status"], batch_size=1000)
        DuplicatePair.objects.filter(pk__in=gone).update(status=PairStatus.GONE)
    return len(new) + len(changed)


def duplicates_refresh(*, user, threshold: float = 0.9) -> int:
    """Run the finders over the contacts and accounts `user` sees and bring the queue up
    to date. Returns how many open pairs the finders gave."""
    return sum(_store(kind, user, _found(kind, user, threshold)) for kind in KINDS)


def open_duplicate_pairs(user) -> QuerySet:
    """Open pairs whose two records `user` may see; a pair with a record merged away or
    deleted is not shown (the recycle bin is outside visible_to)."""
    contacts = Contact.objects.visible_to(user).values("pk")
    accounts = Account.objects.visible_to(user).values("pk")
    return (DuplicatePair.objects.filter(status=PairStatus.OPEN).filter(
        Q(kind=PairKind.CONTACT, left__in=contacts, right__in=contacts)
        | Q(kind=PairKind.ACCOUNT, left_account__in=accounts, right_account__in=accounts))
        .select_related("left", "right", "left_account", "right_account"))


def editable_pairs(user) -> QuerySet:
    """Open pairs whose two records `user` may change (and so merge or dismiss)."""
    contacts = Contact.objects.editable_by(user).values("pk")
    accounts = Account.objects.editable_by(user).values("pk")
    return DuplicatePair.objects.filter(status=PairStatus.OPEN).filter(
        Q(kind=PairKind.CONTACT, left__in=contacts, right__in=contacts)
        | Q(kind=PairKind.ACCOUNT, left_account__in=accounts, right_account__in=accounts))


def duplicate_dismiss(*, pair: DuplicatePair, user) -> DuplicatePair:
    """Mark a pair as not duplicates; the finder never reopens it."""
    pair.status, pair.decided_by, pair.decided_at = PairStatus.DISMISSED, user, timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    return pair
