"""Re-assignment of leads no one has worked for a rule's N hours, and round-robin under
concurrent assignments."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from amity.collaboration.models import Notification
from amity.events.models import Event
from amity.sales.lead_assignment import assign_lead, reassign_stale_leads
from amity.sales.models import Lead, LeadRoute, LeadStatus
from amity.sales.routing_tasks import reassign_stale_leads as reassign_task
from tests.sales.routing_helpers import (
    english,  # noqa: F401 - autouse
    make_lead,
    make_rule,
)


def hours_later(hours: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=hours)


def test_untouched_lead_goes_to_the_next_user_with_a_reason(org):
    make_rule(org.admin, "East", users=[org.owner, org.teammate], reassign_after_hours=4)
    lead = make_lead(org.manager, "สมชาย")
    assert lead.owner == org.owner
    assert reassign_stale_leads(now=hours_later(3)) == 0  # not yet
    assert reassign_stale_leads(now=hours_later(5)) == 1
    lead.refresh_from_db()
    assert lead.owner == org.teammate
    event = Event.objects.for_subject(lead).filter(kind="assigned").latest("id")
    assert event.payload["reason"] == "Not worked for 4 hours: re-assigned by rule East"
    assert event.payload["changes"]["owner"] == {"old": str(org.owner),
                                                 "new": str(org.teammate)}
    assert Notification.objects.filter(recipient=org.teammate, record_id=lead.pk,
                                       kind="record_assigned").exists()
    assert LeadRoute.objects.get(lead=lead).reassignments == 1
    # The clock starts again for the new owner.
    assert reassign_stale_leads(now=hours_later(6)) == 0
    assert reassign_stale_leads(now=hours_later(10)) == 1
    lead.refresh_from_db()
    assert lead.owner == org.owner


def test_worked_and_closed_leads_stay(org):
    make_rule(org.admin, "East", users=[org.owner, org.teammate], reassign_after_hours=4)
    worked, closed = make_lead(org.manager, "A"), make_lead(org.manager, "B")
    Lead.objects.filter(pk=worked.pk).update(touched_at=hours_later(3))
    Lead.objects.filter(pk=closed.pk).update(status=LeadStatus.QUALIFIED)
    assert reassign_stale_leads(now=hours_later(5)) == 0
    assert reassign_stale_leads(now=hours_later(7.5)) == 1  # worked 4.5 hours ago
    worked.refresh_from_db()
    assert worked.owner != org.owner


def test_no_one_else_available_keeps_the_owner(org):
    make_rule(org.admin, "Solo", users=[org.owner], reassign_after_hours=1)
    lead = make_lead(org.manager)
    assert reassign_stale_leads(now=hours_later(2)) == 0
    lead.refresh_from_db()
    assert lead.owner == org.owner


def test_rules_without_a_limit_never_reassign(org):
    make_rule(org.admin, "No limit", users=[org.owner, org.teammate])
    make_lead(org.manager)
    assert reassign_stale_leads(now=hours_later(1000)) == 0


def test_the_periodic_job_is_scheduled_and_runs(org):
    from amity.core.jobs import SCHEDULES

    assert SCHEDULES["sales.lead_reassignment"].cron == "*/15 * * * *"
    make_rule(org.admin, "East", users=[org.owner, org.teammate], reassign_after_hours=1)
    lead = make_lead(org.manager)
    Lead.objects.filter(pk=lead.pk).update(created_at=hours_later(-3))
    LeadRoute.objects.filter(lead=lead).update(assigned_at=hours_later(-3))
    assert reassign_task.call() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_assignments_take_turns(org):
    if connection.vendor != "postgresql":
        pytest.skip("row locks across connections are a PostgreSQL matter")
    users = [org.owner, org.teammate, org.outsider, org.manager]
    make_rule(org.admin, "All", users=users)
    leads = [make_lead(org.admin, f"L{i}") for i in range(16)]
    Lead.objects.update(owner=org.admin)
    barrier = threading.Barrier(4)
    errors = []

    def work(chunk: list[Lead]) -> None:
        barrier.wait()
        try:
            for lead in chunk:
                assign_lead(lead=lead)
        except Exception as exc:  # reported below: a thread's exception would be lost
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=work, args=(leads[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    counts = {u.pk: Lead.objects.filter(owner=u).count() for u in users}
    assert set(counts.values()) == {4}  # 16 leads dealt evenly, none twice to one turn


def test_a_logged_call_or_an_edit_counts_as_working_the_lead(org):
    from amity.activities.services import activity_create
    from amity.core.services import record_update

    make_rule(org.admin, "East", users=[org.owner, org.teammate], reassign_after_hours=4)
    called, edited, left = (make_lead(org.manager, name) for name in ("王", "احمدی", "Lee"))
    assert {called.owner, edited.owner, left.owner} == {org.owner, org.teammate}
    # Assigned three hours ago; two are worked now.
    Lead.objects.update(created_at=hours_later(-3))
    LeadRoute.objects.update(assigned_at=hours_later(-3))
    activity_create(user=called.owner, data={"type": "call", "title": "โทรแนะนำ",
                                             "lead": called, "done_at": timezone.now()})
    record_update(record=edited, user=edited.owner, data={"company": "شرکت نمونه"})
    for lead in (called, edited):
        lead.refresh_from_db()
        assert lead.touched_at is not None
    # Two hours on, only the lead no one worked has waited the rule's 4 hours.
    assert reassign_stale_leads(now=hours_later(2)) == 1
    assert Lead.objects.get(pk=left.pk).owner != left.owner
    assert Lead.objects.get(pk=called.pk).owner == called.owner


def test_a_rules_action_on_a_lead_does_not_count_as_working_it(org):
    from amity.automation.chain import acting_for
    from amity.core.services import record_update

    lead = make_lead(org.manager, "สมชาย")
    with acting_for([1]):  # as a rule's action: its events carry the chain
        record_update(record=lead, user=org.admin, data={"company": "Rule & Co"})
    lead.refresh_from_db()
    assert lead.company == "Rule & Co" and lead.touched_at is None
