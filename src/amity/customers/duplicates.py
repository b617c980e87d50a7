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


def _pairs_of_both(records: str, status: str, user) -> QuerySet:
    """Pairs in `status` whose two records are among `records` ("visible_to" or
    "editable_by") of `user`; a pair with a record merged away or deleted is left out
    (the recycle bin is outside both)."""
    contacts = getattr(Contact.objects, records)(user).values("pk")
    accounts = getattr(Account.objects, records)(user).values("pk")
    return DuplicatePair.objects.filter(status=status).filter(
        Q(kind=PairKind.CONTACT, left__in=contacts, right__in=contacts)
        | Q(kind=PairKind.ACCOUNT, left_account__in=accounts, right_account__in=accounts))


def open_duplicate_pairs(user) -> QuerySet:
    """Open pairs whose two records `user` may see."""
    return _pairs_of_both("visible_to", PairStatus.OPEN, user).select_related(
        "left", "right", "left_account", "right_account")


def dismissed_duplicate_pairs(user) -> QuerySet:
    """Pairs marked not duplicates whose two records `user` may see, with who said so."""
    return _pairs_of_both("visible_to", PairStatus.DISMISSED, user).select_related(
        "left", "right", "left_account", "right_account", "decided_by")


def editable_pairs(user, status: str = PairStatus.OPEN) -> QuerySet:
    """Pairs in `status` whose two records `user` may change (and so merge, dismiss or
    reopen)."""
    return _pairs_of_both("editable_by", status, user)


def _decide(pair: DuplicatePair, status: str, user) -> DuplicatePair:
    pair.status, pair.decided_by = status, user
    pair.decided_at = timezone.now() if user else None
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    return pair


def duplicate_dismiss(*, pair: DuplicatePair, user) -> DuplicatePair:
    """Mark a pair as not duplicates; the finder never reopens it."""
    return _decide(pair, PairStatus.DISMISSED, user)


def duplicate_reopen(*, pair: DuplicatePair) -> DuplicatePair:
    """Back to the queue: "not a duplicate" was a mistake (who decided is forgotten)."""
    return _decide(pair, PairStatus.OPEN, None)


def _pairs_among(records: list) -> QuerySet:
    kind, (_model, left, right) = next(
        (kind, columns) for kind, columns in KINDS.items() if columns[0] is type(records[0]))
    ids = [r.pk for r in records]
    return DuplicatePair.objects.filter(kind=kind, **{f"{left}__in": ids,
                                                      f"{right}__in": ids})


def pairs_merged(records: list, user) -> None:
    """The pairs among merged records are decided: merged, by `user`, now."""
    _pairs_among(records).exclude(status=PairStatus.DISMISSED).update(
        status=PairStatus.MERGED, decided_by=user, decided_at=timezone.now())


def pairs_unmerged(records: list) -> None:
    """A merge undone: its pairs wait for review again."""
    _pairs_among(records).filter(status=PairStatus.MERGED).update(
        status=PairStatus.OPEN, decided_by=None, decided_at=None)
