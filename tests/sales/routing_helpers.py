"""Leads, assignment rules and scoring models made through the services the product
uses, and the queued routing tasks run as a worker runs them."""

import pytest
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from amity.core.services import record_create
from amity.sales.models import AssignmentRule, Lead
from amity.sales.routing_forms import assignment_rule_save
from amity.sales.scoring_rules import scoring_model_save


def make_lead(user, family_name: str = "Boonmee", **data) -> Lead:
    return record_create(model=Lead, user=user, data={"family_name": family_name, **data})


def make_rule(admin, name: str = "Rule", **data) -> AssignmentRule:
    data.setdefault("active", True)
    data["users"] = [u.pk for u in data.get("users", [])]
    for key in ("team", "queue_user", "queue_team"):
        if data.get(key) is not None:
            data[key] = data[key].pk
    return assignment_rule_save(actor=admin, rule=AssignmentRule(), data={"name": name, **data})


def make_scoring(admin, **data):
    data.setdefault("grades", [{"grade": "A", "min": 80}, {"grade": "B", "min": 50}])
    data.setdefault("ready_grade", "A")
    return scoring_model_save(actor=admin, data=data)


def run_routing_tasks() -> int:
    """Run the waiting routing tasks (and those they enqueue); how many ran."""
    ran = 0
    for _round in range(20):
        rows = list(DBTaskResult.objects.filter(status="READY",
                                                task_path__startswith="amity.sales.routing_tasks")
                    .order_by("enqueued_at"))
        if not rows:
            return ran
        for row in rows:
            row.delete()
            row.task.func(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
            ran += 1
    return ran


@pytest.fixture(autouse=True)
def english():
    """These tests read English messages: start in English whatever an earlier test in
    this thread left active, and leave English behind."""
    translation.activate("en")
    yield
    translation.activate("en")
