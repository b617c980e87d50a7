"""Periodic jobs: declared with a cron expression, enqueued once per slot by however many
workers run the scheduler."""

from datetime import UTC, datetime, timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from amity.core.jobs import SCHEDULES, Schedule, periodic
from amity.core.jobs.models import Job, ScheduleRun
from amity.core.jobs.scheduler import Scheduler
from amity.core.tasks import ping

EVERY_FIVE = {"ping-5": Schedule("ping-5", "*/5 * * * *", "amity.core.tasks.ping")}


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 12, 2, hour, minute, second, tzinfo=UTC)


def test_two_workers_enqueue_each_slot_once(db) -> None:
    started = at(9, 58)
    first, second = Scheduler(EVERY_FIVE, now=started), Scheduler(EVERY_FIVE, now=started)
    assert first.tick(at(9, 59, 3)) == second.tick(at(9, 59, 40)) == 0  # 09:55 was before

    assert first.tick(at(10, 0, 1)) == 1
    assert second.tick(at(10, 0, 2)) == 0  # the other worker had enqueued this slot
    assert first.tick(at(10, 0, 30)) == second.tick(at(10, 1, 0)) == 0
    assert second.tick(at(10, 5, 0)) == 1
    assert first.tick(at(10, 5, 59)) == 0

    runs = list(ScheduleRun.objects.order_by("slot"))
    assert [(r.name, r.slot) for r in runs] == [("ping-5", at(10, 0)), ("ping-5", at(10, 5))]
    assert DBTaskResult.objects.filter(task_path="amity.core.tasks.ping").count() == 2
    assert {r.result_id for r in runs} == set(DBTaskResult.objects.values_list("pk", flat=True))


def test_a_fresh_install_does_not_fire_past_slots_but_a_restart_catches_up_once(db) -> None:
    assert Scheduler(EVERY_FIVE, now=at(10, 7)).tick(at(10, 7, 5)) == 0
    assert not ScheduleRun.objects.exists()

    ScheduleRun.objects.create(name="ping-5", slot=at(10, 0), enqueued_at=at(10, 0))
    # Every worker was down from 10:03 to 10:22: only the latest missed slot runs.
    restarted = Scheduler(EVERY_FIVE, now=at(10, 22))
    assert restarted.tick(at(10, 22, 10)) == 1
    assert list(ScheduleRun.objects.values_list("slot", flat=True).order_by("slot")) == [
        at(10, 0), at(10, 20)]
    assert Scheduler(EVERY_FIVE, now=at(10, 22)).tick(at(10, 22, 30)) == 0


def test_a_broken_schedule_does_not_stop_the_others(db) -> None:
    schedules = {"gone": Schedule("gone", "* * * * *", "amity.nowhere.renamed_task"),
                 **EVERY_FIVE}
    assert Scheduler(schedules, now=at(9, 59)).tick(at(10, 0, 0)) == 1
    assert list(ScheduleRun.objects.values_list("name", flat=True)) == ["ping-5"]


def test_the_enqueued_run_is_an_ordinary_task(db) -> None:
    Scheduler(EVERY_FIVE, now=at(9, 59)).tick(at(10, 0))
    job = Job.objects.select_related("result").get()
    assert (job.state, job.result.task_path) == (Job.State.QUEUED, "amity.core.tasks.ping")


@pytest.mark.parametrize("cron", ["61 * * * *", "* * *", "every minute", "", "*/0 * * * *",
                                  "* * * * * ; rm -rf /", "٥ * * * *", "0 0 30 2 *"])
def test_a_bad_cron_expression_is_refused_when_declared(cron: str) -> None:
    with pytest.raises(ValueError, match="not a valid cron expression"):
        periodic(cron)


def test_periodic_goes_on_a_task() -> None:
    with pytest.raises(TypeError, match="above @task"):
        periodic("* * * * *")(lambda: None)


def test_declared_schedules_compute_their_slots_in_utc() -> None:
    schedule = SCHEDULES["prune-task-results"]
    assert schedule.cron == "17 3 * * *"
    assert schedule.next_after(at(3, 17)) == at(3, 17) + timedelta(days=1)
    assert schedule.latest_until(at(3, 17, 59)) == at(3, 17)
    assert schedule.latest_until(at(3, 16)) == at(3, 17) - timedelta(days=1)
    assert ping.module_path == "amity.core.tasks.ping"
