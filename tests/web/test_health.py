"""/health for monitors, and what every page answers when the database is down."""

import json
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from amity.core.jobs import heartbeats
from amity.core.jobs.models import WorkerHeartbeat
from amity.core.tasks import ping
from tests.processes import amity_env, django_script


def test_health_reports_database_and_queue(client, db) -> None:
    ping.enqueue()
    heartbeats.register("worker-1")
    response = client.get("/health")
    assert response.status_code == 200
    report = response.json()
    assert report["database"] == {"ok": True, "vendor": connection.vendor}
    queue = report["queue"]
    assert queue["ok"] is True
    assert (queue["workers"], queue["ready"], queue["running"], queue["failed"],
            queue["dead"]) == (1, 1, 0, 0, 0)
    assert report["status"] == "ok"


def test_health_is_degraded_without_a_live_worker(client, db) -> None:
    report = client.get("/health").json()
    assert (report["status"], report["queue"]["ok"], report["queue"]["workers"]) == (
        "degraded", False, 0)

    # A worker killed a while ago: its heartbeat is older than the lease.
    heartbeats.register("killed")
    WorkerHeartbeat.objects.update(last_seen=timezone.now() - timedelta(
        seconds=settings.WORKER_LEASE_SECONDS + 5))
    response = client.get("/health")
    assert response.status_code == 200  # the database answers; the queue is what is wrong
    assert (response.json()["status"], response.json()["queue"]["workers"]) == ("degraded", 0)


# Each request is one that needs the database: pages with a session cookie (a signed-in
# browser; without one "/" merely redirects to the sign-in form, which needs no
# database), the API with a bearer token (without one it answers 401 straight away).
PROBE = """
import json
from django.test import Client
session = Client(raise_request_exception=False)
session.cookies["sessionid"] = "x" * 32
monitor = Client(raise_request_exception=False)
token = {"Authorization": "Bearer not-a-real-token"}
replies = {
    "/": session.get("/"),
    "/auth/login/": session.get("/auth/login/"),
    "/health": monitor.get("/health"),
    "/api/v1/accounts/": monitor.get("/api/v1/accounts/", headers=token),
}
print(json.dumps({path: {"status": r.status_code, "type": r["Content-Type"],
                         "retry_after": r.get("Retry-After"), "body": r.content.decode()}
                  for path, r in replies.items()}))
"""


def test_pages_answer_503_without_a_stack_trace_when_the_database_is_down(
    tmp_path: Path,
) -> None:
    # Port 1: nothing listens there, so every connection attempt is refused at once.
    env = amity_env(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere")
    replies = django_script(env, PROBE)

    for path in ("/", "/auth/login/"):
        reply = replies[path]
        assert reply["status"] == 503, (path, reply)
        assert reply["type"].startswith("text/plain"), (path, reply)
        assert "database" in reply["body"], (path, reply)
        assert "Traceback" not in reply["body"], (path, reply)
        assert reply["retry_after"] == "30"

    health = replies["/health"]
    assert health["status"] == 503
    assert health["type"] == "application/json"
    assert json.loads(health["body"])["database"]["ok"] is False

    api = replies["/api/v1/accounts/"]
    assert api["status"] == 503, api
    assert api["type"].startswith("application/json"), api
    assert json.loads(api["body"])["code"] == "unavailable", api
    assert "Traceback" not in api["body"]
    assert api["retry_after"] == "30"

