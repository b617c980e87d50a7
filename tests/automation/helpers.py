"""Rules made through the service, and the queued automation tasks run in the test
process the way a worker runs them."""

import datetime as dt

from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from amity.automation.models import Rule
from amity.automation.services import rule_save


def make_rule(admin, *, actions, conditions=(), kind="customers.account", event="updated",
              name="Rule", active=True, **trigger) -> Rule:
    data = {"name": name, "active": active, "record_kind": kind, "conditions": list(conditions),
            "actions": list(actions)}
    data.update(trigger or {"trigger": "event", "event_kind": event})
    return rule_save(actor=admin, rule=Rule(), data=data)


def queued(prefix: str = "amity.automation.") -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status="READY", task_path__startswith=prefix)
                .order_by("enqueued_at"))


def run_queued(*, until: dt.datetime | None = None, limit: int = 100) -> int:
    """Run the ready automation tasks due by `until` (now), including those they enqueue;
    how many ran."""
    until = until or timezone.now()
    ran = 0
    for _round in range(limit):
        due = [r for r in queued() if r.run_after == get_date_max() or r.run_after <= until]
        if not due:
            break
        for result in due:
            result.delete()
            result.task.func(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
            ran += 1
    return ran
