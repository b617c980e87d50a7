"""Admin > Background tasks, as an administrator uses it."""

import re
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amity.core.jobs import heartbeats
from amity.core.jobs.models import Job
from amity.core.jobs.selectors import COUNT_CAP
from amity.core.tasks import ping
from tests.conftest import signed_in
from tests.core import jobs_tasks
from tests.core.workers import let_backoff_pass, make_worker, run_next

URL = "/admin/tasks/"


def _fail_forever(count: int = 1) -> list:
    worker = make_worker()
    results = [jobs_tasks.always_fails.enqueue() for _ in range(count)]
    for _ in range(3):
        for result in results:
            let_backoff_pass(result)
            run_next(worker)
    return results


def test_only_administrators_see_the_page(org) -> None:
    assert reverse("job_list") == URL
    for user in (org.owner, org.manager, org.viewer, org.partner):
        assert signed_in(user).get(URL).status_code == 404
        assert signed_in(user).post(f"{URL}x/retry/").status_code == 404
    assert Client().get(URL).status_code == 302  # to sign-in
    home = signed_in(org.admin).get("/areas/admin/").content.decode()
    assert URL in home and "Background tasks" in home


def test_tasks_by_state_with_counts_errors_and_tracebacks(org) -> None:
    [dead] = _fail_forever()
    waiting = jobs_tasks.fails_until.enqueue(succeed_on=2)
    run_next(make_worker())
    ping.enqueue()
    admin = signed_in(org.admin)

    page = admin.get(URL, {"state": "dead"}).content.decode()
    assert "always_fails" in page and "builtins.RuntimeError" in page
    # The error is shown as text, never as markup.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "ไม่รับจดหมาย" in page and "邮件被拒" in page
    assert "<details><summary>Traceback</summary>" in page
    assert "3 / 3" in page and f"{URL}{dead.id}/retry/" in page
    counts = dict(re.findall(r'\?state=(\w+)" hx-get[^>]*>[^<]*<span class="count">(\d+)', page))
    assert counts == {"queued": "1", "running": "0", "failed": "1", "dead": "1",
                      "succeeded": "0"}

    failed = admin.get(URL).content.decode()  # failed (will retry) is the default
    assert "fails_until" in failed and "SMTP down (attempt 1)" in failed
    assert "Next try" in failed and f"{URL}{waiting.id}/retry/" in failed
    assert "always_fails" not in failed

    queued = admin.get(URL, {"state": "queued"}).content.decode()
    assert "ping" in queued and "/retry/" not in queued


def test_times_are_shown_in_the_users_time_zone(org) -> None:
    org.admin.time_zone = "Asia/Bangkok"
    org.admin.save()
    result = jobs_tasks.plain_fails.enqueue()
    run_next(make_worker())
    finished = Job.objects.get(pk=result.id).result.finished_at
    local = timezone.localtime(finished, timezone=timezone.get_fixed_timezone(7 * 60))
    page = signed_in(org.admin).get(URL, {"state": "dead"}).content.decode()
    assert local.strftime("%-I:%M") in page


def test_retry_button_gives_a_dead_task_a_fresh_attempt(org) -> None:
    [dead] = _fail_forever()
    admin = signed_in(org.admin)
    response = admin.post(f"{URL}{dead.id}/retry/", follow=True)
    assert response.status_code == 200
    assert "The task was queued for a fresh attempt." in response.content.decode()
    assert Job.objects.get(pk=dead.id).state == Job.State.QUEUED
    assert response.redirect_chain[-1][0] == f"{URL}?state=queued"

    again = admin.post(f"{URL}{dead.id}/retry/", follow=True).content.decode()
    assert "Only failed or dead tasks can be retried" in again

    for junk in ("00000000-0000-0000-0000-000000000000", "%27%3B%20DROP%20TABLE%20x",
                 "ไม่มี"):
        assert admin.post(f"{URL}{junk}/retry/").status_code == 404
    assert admin.get(f"{URL}{dead.id}/retry/").status_code == 405


def test_retry_needs_the_csrf_token(org) -> None:
    [dead] = _fail_forever()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(org.admin)
    assert browser.post(f"{URL}{dead.id}/retry/").status_code == 403
    assert Job.objects.get(pk=dead.id).state == Job.State.DEAD


def test_pages_of_tasks_follow_each_other_without_repeats(org) -> None:
    results = [ping.enqueue() for _ in range(55)]
    admin = signed_in(org.admin)
    first = admin.get(URL, {"state": "queued"}).content.decode()
    ids = set(re.findall(r'dir="ltr">([0-9a-f-]{36})<', first))
    assert len(ids) == 50
    after = re.search(r'after=([^"&]+)"', first).group(1)
    second = admin.get(f"{URL}?state=queued&after={after}", HTTP_HX_REQUEST="true")
    assert second.status_code == 200 and "<html" not in second.content.decode()
    more = set(re.findall(r'dir="ltr">([0-9a-f-]{36})<', second.content.decode()))
    assert len(more) == 5 and not ids & more
    assert ids | more == {r.id for r in results}


def test_bad_filters_are_explained(org) -> None:
    admin = signed_in(org.admin)
    response = admin.get(URL, {"state": "<b>all</b>"})
    assert response.status_code == 400
    assert "state: “&lt;b&gt;all&lt;/b&gt;” is not one of" in response.content.decode()
    response = admin.get(URL, {"state": "queued", "after": "not-a-cursor"})
    assert response.status_code == 400
    assert "after: this page link is not valid" in response.content.decode()


def test_counts_stop_at_the_cap(org, django_assert_max_num_queries) -> None:
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    rows = [DBTaskResult(task_path="amity.core.tasks.ping", args_kwargs={"args": [],
                         "kwargs": {}}, backend_name="default", run_after=now)
            for _ in range(COUNT_CAP + 5)]
    DBTaskResult.objects.bulk_create(rows)
    Job.objects.bulk_create(Job(result=row, state=Job.State.SUCCEEDED, changed_at=now)
                            for row in rows)
    admin = signed_in(org.admin)
    # Whatever the number of rows shown (the layout, e.g. the notification bell, adds its own).
    with django_assert_max_num_queries(16):
        page = admin.get(URL, {"state": "succeeded"}).content.decode()
    assert re.search(r'<span class="count">1,000\+</span>', page)


def test_workers_and_periodic_jobs_are_listed(org) -> None:
    admin = signed_in(org.admin)
    page = admin.get(URL).content.decode()
    assert "No worker is running" in page
    assert "prune-task-results" in page and "17 3 * * *" in page
    assert "prune_task_results" in page

    heartbeats.register("host-a-1234")
    page = admin.get(URL).content.decode()
    assert "No worker is running" not in page and "last heartbeat" in page

    from amity.core.jobs import SCHEDULES
    from amity.core.jobs.scheduler import enqueue_slot

    slot = timezone.now().replace(second=0, microsecond=0) - timedelta(days=1)
    enqueue_slot(SCHEDULES["prune-task-results"], slot)
    run_next(make_worker())
    page = admin.get(URL).content.decode()
    row = page[page.index("prune-task-results"):]
    assert "Succeeded" in row[:row.index("</tr>")]
