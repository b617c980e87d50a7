"""A lead file over the in-request limit is imported in the background as an import job:
all rows checked first (nothing imported if any is refused, the errors as a CSV), then
created a batch per transaction with the checkpoint, so an interrupted job continues
without losing or doubling a lead; the owner follows it on its page and is notified."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from amity.collaboration.models import Notification
from amity.customers.import_jobs import ImportJob, ImportStatus
from amity.sales.lead_import import lead_import_run
from amity.sales.models import Lead
from tests.conftest import api_client, signed_in

pytestmark = pytest.mark.django_db

NAMES = [("สมชาย", "ใจดี"), ("小明", "王"), ("رضا", "محمدی"), ("Ann", "Lee"), ("Somsak", "Dee")]


def leads_csv(rows: int, bad_row: int | None = None) -> bytes:
    lines = ["First name,Last name,Company,Email"]
    for i in range(rows):
        given, family = NAMES[i % len(NAMES)]
        email = "not-an-email" if i + 2 == bad_row else f"lead{i}@example.com"
        lines.append(f"{given},{family} {i},บริษัท {i},{email}")
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def small_limit(settings):
    settings.LEAD_IMPORT_MAX_ROWS = 3


def upload(user, content: bytes):
    return signed_in(user).post(reverse("lead_import"),
                                {"file": SimpleUploadedFile("leads.csv", content)})


def test_a_large_file_is_queued_then_imported_by_the_worker(org, small_limit):
    response = upload(org.owner, leads_csv(12))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("import_detail",
                                                                   args=[job.pk])
    assert job.target == "sales.lead" and job.status == ImportStatus.QUEUED
    assert DBTaskResult.objects.filter(task_path__endswith="run_lead_import").exists()
    assert not Lead.objects.exists()
    lead_import_run(job.pk, batch_size=5)
    job.refresh_from_db()
    assert (job.status, job.created, job.total_rows, job.last_row) == (ImportStatus.DONE, 12,
                                                                       12, 13)
    assert Lead.objects.filter(owner=org.owner).count() == 12
    assert Lead.objects.get(email="lead1@example.com").company == "บริษัท 1"
    page = signed_in(org.owner).get(reverse("import_detail", args=[job.pk])).content.decode()
    assert "Go to leads" in page and reverse("lead_list") in page
    assert Notification.objects.filter(recipient=org.owner, kind="import_finished").exists()
    polled = api_client(org.owner).get(f"/api/v1/imports/{job.pk}").json()
    assert (polled["target"], polled["status"], polled["created"]) == ("sales.lead", "done", 12)
    listed = signed_in(org.owner).get(reverse("lead_import")).content.decode()
    assert reverse("import_detail", args=[job.pk]) in listed
    # Someone else's job is not theirs to see.
    assert signed_in(org.teammate).get(reverse("import_detail", args=[job.pk])).status_code \
        == 404


def test_one_bad_row_imports_nothing_and_the_error_file_names_it(org, small_limit):
    upload(org.owner, leads_csv(8, bad_row=6))
    job = lead_import_run(ImportJob.objects.get().pk, batch_size=5)
    assert job.status == ImportStatus.FAILED and job.failed == 1
    assert "1 rows have errors" in job.message
    assert not Lead.objects.exists()
    errors = b"".join(signed_in(org.owner).get(
        reverse("import_errors", args=[job.pk])).streaming_content).decode()
    assert "6,Email," in errors


def test_an_interrupted_import_continues_without_losing_or_doubling_a_lead(org, small_limit):
    upload(org.owner, leads_csv(11))
    job = ImportJob.objects.get()

    def crash_after_the_first_batch(job):
        raise KeyboardInterrupt("worker killed")

    with pytest.raises(KeyboardInterrupt):
        lead_import_run(job.pk, batch_size=4, on_batch=crash_after_the_first_batch)
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING and job.last_row == 5  # rows 2-5 committed
    assert Lead.objects.count() == 4
    lead_import_run(job.pk, batch_size=4)  # the task retried
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created == 11
    assert sorted(Lead.objects.values_list("email", flat=True)) == sorted(
        f"lead{i}@example.com" for i in range(11))


def test_a_lead_job_is_not_set_up_as_a_contact_import(org, small_limit):
    from django.core.exceptions import ValidationError

    from amity.customers.imports.jobs import import_preview

    upload(org.owner, leads_csv(5))
    with pytest.raises(ValidationError):
        import_preview(job=ImportJob.objects.get(), user=org.owner)
    assert "leads.csv" not in signed_in(org.owner).get(reverse("import_list")).content.decode()
