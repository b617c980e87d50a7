"""An opportunity's stage history as people read it: each stage it was in, when it
entered and left, and how long it stayed."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from amity.sales.models import Opportunity, Stage, StageChange


@dataclass
class StageStay:
    stage: Stage
    entered_at: dt.datetime
    left_at: dt.datetime | None  # None: still there
    seconds: int
    by: object


def stage_stays(opportunity: Opportunity) -> list[StageStay]:
    """The stays, newest first (the caller has checked the opportunity is visible)."""
    changes = list(StageChange.objects.filter(opportunity=opportunity)
                   .select_related("to_stage", "changed_by").order_by("changed_at", "id"))
    now = timezone.now()
    stays = []
    for i, change in enumerate(changes):
        following = changes[i + 1] if i + 1 < len(changes) else None
        if following is not None and following.seconds_in_previous is not None:
            seconds = following.seconds_in_previous
        else:
            seconds = int(((following.changed_at if following else now)
                           - change.changed_at).total_seconds())
        stays.append(StageStay(change.to_stage, change.changed_at,
                               following.changed_at if following else None,
                               max(seconds, 0), change.changed_by))
    return stays[::-1]
