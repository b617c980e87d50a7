"""Filling and reading the duplicate review queue."""

from django.db import transaction
from django.utils import timezone

from amity.customers.duplicate_pairs import DuplicatePair, PairStatus
from amity.customers.models import Contact


def duplicates_refresh(*, user, threshold: float = 0.9) -> int:
    """Run the finder over the contacts `user` sees and add its pairs to the queue:
    new pairs open, open pairs get the new probability, decided pairs (dismissed or
    merged) are left alone. Returns how many open pairs the finder gave."""
    from amity.customers.dedupe import contact_duplicate_candidates  # DuckDB/Splink: slow import

    found = {}
    for a, b, probability in contact_duplicate_candidates(user=user, threshold=threshold):
        a, b = int(a), int(b)
        if a != b:
            found[(min(a, b), max(a, b))] = probability
    if not found:
        return 0
    ids = {i for pair in found for i in pair}
    with transaction.atomic():
        existing = {(p.left_id, p.right_id): p for p in DuplicatePair.objects.filter(
            left_id__in=ids, right_id__in=ids).select_for_update()}
        new, changed = [], []
        for (left, right), probability in found.items():
            pair = existing.get((left, right))
            if pair is None:
                new.append(DuplicatePair(left_id=left, right_id=right, probability=probability))
            elif pair.status == PairStatus.OPEN and pair.probability != probability:
                pair.probability = probability
                changed.append(pair)
        # ignore_conflicts: a concurrent refresh may have added the same pair.
        DuplicatePair.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
        DuplicatePair.objects.bulk_update(changed, ["probability"], batch_size=1000)
    return sum(1 for key in found
               if key not in existing or existing[key].status == PairStatus.OPEN)


def open_duplicate_pairs(user):
    """Open pairs whose two contacts `user` may see; a pair with a contact merged away
    or deleted is not shown (the recycle bin is outside visible_to)."""
    visible = Contact.objects.visible_to(user).values("pk")
    return (DuplicatePair.objects.filter(status=PairStatus.OPEN, left__in=visible,
                                         right__in=visible)
            .select_related("left", "right").order_by("-probability", "id"))


def duplicate_dismiss(*, pair: DuplicatePair, user) -> DuplicatePair:
    """Mark a pair as not duplicates; the finder never reopens it."""
    pair.status, pair.decided_by, pair.decided_at = PairStatus.DISMISSED, user, timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    return pair
