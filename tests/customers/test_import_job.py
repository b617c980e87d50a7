"""Contact import jobs end to end: upload, mapping, duplicates, errors, resuming, and the
CLI, API and pages that drive them."""

import csv
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from amity.collaboration.models import Notification
from amity.core.jobs import heartbeats
from amity.core.jobs.models import WorkerHeartbeat
from amity.core.jobs.services import claim_next, reclaim_lost
from amity.customers.import_jobs import ImportJob, ImportRowError
from amity.customers.imports.jobs import (
    error_rows,
    import_configure,
    import_create,
    import_preview,
    import_start,
)
from amity.customers.imports.runner import import_run
from amity.customers.models import Contact
from amity.customers.tasks import run_import_job
from amity.events.models import Event
from tests.conftest import api_client, make_account, make_contact
from tests.core.workers import let_backoff_pass, lose_every_attempt, make_worker, run_next

HEADERS = ["First name", "Last name", "Email", "Phone", "Country", "Company", "ID"]
PEOPLE = [
    ["สมชาย", "ใจดี", "somchai@example.co.th", "081 234 5678", "TH", "Siam Fresh Foods", "T1"],
    ["مریم", "احمدی", "maryam@example.ir", "+98 912 345 6789", "IR", "", "P1"],
    ["伟", "王", "wei@example.cn", "+86 138 0013 8000", "CN", "", "C1"],
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def csv_bytes(rows, headers=HEADERS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def upload(user, data: bytes, name: str = "contacts.csv", **options) -> ImportJob:
    return import_create(user=user, file=io.BytesIO(data), filename=name, **options)


def run(user, data: bytes, name: str = "contacts.csv", **config) -> ImportJob:
    job = upload(user, data, name)
    if config:
        import_configure(job=job, user=user, **config)
    import_start(job=job, user=user)
    run_import_job.call(job.pk)
    job.refresh_from_db()
    return job


def errors_of(job: ImportJob) -> list[tuple[int, str, str]]:
    return list(job.row_errors.order_by("row_number", "id")
                .values_list("row_number", "column", "message"))


def test_names_in_thai_persian_and_chinese_import(org):
    account = make_account(org.owner, "Siam Fresh Foods", country="TH")
    job = run(org.owner, csv_bytes(PEOPLE))
    assert (job.status, job.created, job.failed, job.processed, job.total_rows) == \
        ("done", 3, 0, 3, 3)
    thai = Contact.objects.get(family_name="ใจดี")
    assert (thai.given_name, thai.phone_e164, thai.account, thai.owner, thai.team) == \
        ("สมชาย", "+66812345678", account, org.owner, org.east)
    assert thai.external_id == "T1"
    assert str(Contact.objects.get(external_id="C1")) == "王伟"
    assert Contact.objects.get(external_id="P1").given_name == "مریم"
    created = Event.objects.for_subject(thai).get(kind="created")
    assert created.payload["import"] == job.pk
    assert created.payload["changes"]["family_name"]["new"] == "ใจดี"
    assert created.actor == org.owner


def test_an_account_of_another_team_is_not_linked(org):
    make_account(org.outsider, "Siam Fresh Foods")
    run(org.owner, csv_bytes(PEOPLE[:1]))
    assert Contact.objects.get(external_id="T1").account is None


def test_google_export_mapping_is_suggested_and_used(org):
    headers = ["Name", "Given Name", "Family Name", "E-mail 1 - Type", "E-mail 1 - Value",
               "Phone 1 - Value", "Organization 1 - Name", "Labels"]
    data = csv_bytes([["Somchai Jaidee", "Somchai", "Jaidee", "* Work", "s@example.com",
                       "+66 81 234 5678", "Siam", "myContacts"]], headers)
    job = upload(org.owner, data, "google.csv")
    assert job.mapping["Given Name"] == "given_name"
    assert job.mapping["E-mail 1 - Value"] == "email"
    assert job.mapping["Labels"] == "tags"
    import_start(job=job, user=org.owner)
    run_import_job.call(job.pk)
    contact = Contact.objects.get()
    assert (contact.given_name, contact.family_name, contact.email, contact.phone_e164) == \
        ("Somchai", "Jaidee", "s@example.com", "+66812345678")


def test_rows_with_errors_are_reported_and_good_rows_import(org):
    rows = [PEOPLE[0], ["Bad", "Email", "not-an-email", "", "", "", ""],
            ["Bad", "Phone", "", "12", "TH", "", ""], ["No", "", "", "", "", "", ""]]
    job = run(org.owner, csv_bytes(rows))
    assert (job.status, job.created, job.failed, job.processed) == ("done", 1, 3, 4)
    errors = errors_of(job)
    assert [(r, c) for r, c, _m in errors] == [(3, "Email"), (4, "Phone"), (5, "Last name")]
    assert "valid email" in errors[0][2]
    lines = "".join(error_rows(job)).splitlines()
    assert lines[0] == "Row,Column,Message" and lines[1].startswith("3,Email,")


@pytest.mark.parametrize("all_or_nothing", [False, True])
def test_a_background_job_reports_in_its_owners_language(org, all_or_nothing):
    org.owner.language = "th"
    org.owner.save()
    rows = [PEOPLE[0], ["Bad", "Email", "not-an-email", "", "", "", ""]]
    job = run(org.owner, csv_bytes(rows), all_or_nothing=all_or_nothing)
    with translation.override("th"):
        invalid = gettext("Enter a valid email address.")
        nothing = gettext("%(count)s rows have errors, so nothing was imported.") % {"count": 1}
    assert invalid != "Enter a valid email address."  # there is a Thai translation
    assert errors_of(job) == [(3, "Email", invalid)]
    assert job.message == (nothing if all_or_nothing else "")


def test_error_file_neutralises_formulas(org):
    job = run(org.owner, csv_bytes([["=1+1", "", "", "", "", "", ""]],
                                   ["=cmd", "Last name", "Email", "Phone", "Country", "Company",
                                    "ID"]),
              mapping={"=cmd": "given_name", "Last name": "family_name"})
    assert "'=cmd" not in "".join(error_rows(job))  # the error is on "Last name"
    ImportRowError.objects.create(job=job, row_number=2, column="=cmd", message="@x")
    assert "'=cmd,'@x" in "".join(error_rows(job))


def test_all_or_nothing_imports_nothing_when_a_row_is_wrong(org):
    rows = [*PEOPLE, ["Bad", "Email", "not-an-email", "", "", "", ""]]
    job = run(org.owner, csv_bytes(rows), all_or_nothing=True)
    assert (job.status, job.created, job.failed) == ("failed", 0, 1)
    assert "nothing was imported" in job.message
    assert not Contact.objects.exists()
    assert errors_of(job)[0][:2] == (5, "Email")
    good = run(org.owner, csv_bytes(PEOPLE), all_or_nothing=True)
    assert (good.status, good.created) == ("done", 3)


def test_running_the_same_file_again_skips_or_updates(org):
    run(org.owner, csv_bytes(PEOPLE))
    again = run(org.owner, csv_bytes(PEOPLE))
    assert (again.created, again.skipped) == (0, 3)
    assert Contact.objects.count() == 3
    changed = [[*PEOPLE[0][:1], "ใจดีมาก", *PEOPLE[0][2:]]]
    job = run(org.owner, csv_bytes(changed), duplicates="update")
    assert (job.created, job.updated) == (0, 1)
    contact = Contact.objects.get(external_id="T1")
    assert (contact.family_name, contact.version) == ("ใจดีมาก", 2)
    event = Event.objects.for_subject(contact).get(kind="updated")
    assert event.payload["changes"] == {"family_name": {"old": "ใจดี", "new": "ใจดีมาก"}}
    assert Contact.objects.count() == 3
    created = run(org.owner, csv_bytes(PEOPLE), duplicates="create", match_on=[])
    assert created.created == 3 and Contact.objects.count() == 6


def test_matching_ignores_email_case_and_phone_format(org):
    make_contact(org.owner, "Jaidee", email="Somchai@Example.co.th")
    make_contact(org.owner, "Boonmee", phone="+66812345678")
    rows = [["S", "Jaidee", "SOMCHAI@example.CO.TH", "", "", "", ""],
            ["B", "Boonmee", "", "081 234 5678", "TH", "", ""]]
    job = run(org.owner, csv_bytes(rows), match_on=["email", "phone"])
    assert (job.created, job.skipped) == (0, 2)


def test_duplicates_within_the_file_are_matched(org):
    rows = [PEOPLE[0], [*PEOPLE[0][:3], "", "", "", "T2"]]
    job = run(org.owner, csv_bytes(rows))
    assert (job.created, job.skipped) == (1, 1)


def test_a_contact_the_user_may_not_change_is_a_row_error(org):
    make_contact(org.outsider, "Jaidee", email="somchai@example.co.th")
    job = run(org.owner, csv_bytes(PEOPLE[:1]), duplicates="update")
    # The outsider's contact is invisible to the owner: a new one is created.
    assert job.created == 1
    make_contact(org.teammate, "Jaidee", email="wei@example.cn")
    org.owner.role.permissions.filter(record_kind="customers.contact").update(
        view_scope="all", can_change=False)
    job = run(org.owner, csv_bytes(PEOPLE[2:]), duplicates="update")
    assert (job.updated, job.failed) == (0, 1)
    assert "may not change" in errors_of(job)[0][2]


def big_file(count: int) -> bytes:
    return csv_bytes([[f"G{i}", f"F{i}", f"p{i}@example.com", "", "", "", f"X{i}"]
                      for i in range(count)])


class Crash(Exception):
    pass


def test_an_interrupted_job_resumes_without_losing_or_doubling_rows(org):
    job = upload(org.owner, big_file(25))
    import_start(job=job, user=org.owner)
    batches = []

    def crash_after_two(job):
        batches.append(job.last_row)
        if len(batches) == 2:
            raise Crash

    with pytest.raises(Crash):
        import_run(job.pk, batch_size=10, on_batch=crash_after_two)
    job.refresh_from_db()
    assert (job.status, job.last_row, job.created) == ("running", 21, 20)
    run_import_job.call(job.pk)  # the worker picks it up again
    job.refresh_from_db()
    assert (job.status, job.created, job.processed, job.total_rows) == ("done", 25, 25, 25)
    assert Contact.objects.count() == 25
    assert Event.objects.filter(kind="created").count() == 25
    run_import_job.call(job.pk)  # a done job does nothing
    assert Contact.objects.count() == 25


def test_a_job_whose_worker_is_killed_is_taken_up_again_by_another(org):
    job = upload(org.owner, big_file(25))
    import_start(job=job, user=org.owner)
    task = DBTaskResult.objects.get(task_path=run_import_job.module_path)
    heartbeats.register("killed")
    assert claim_next(tasks=DBTaskResult.objects.ready(), worker_id="killed")

    def killed_after_two(job):
        if job.last_row == 21:
            raise Crash  # the worker is gone: it reports nothing

    with pytest.raises(Crash):
        import_run(job.pk, batch_size=10, on_batch=killed_after_two)
    WorkerHeartbeat.objects.filter(pk="killed").delete()
    assert reclaim_lost(lease_seconds=60) == 1
    let_backoff_pass(task)
    assert run_next(make_worker())
    job.refresh_from_db()
    assert (job.status, job.created, job.processed) == ("done", 25, 25)
    assert Contact.objects.count() == 25
    assert Event.objects.filter(kind="created").count() == 25


def test_a_job_whose_tries_all_fail_is_failed_and_its_owner_told(org):
    org.owner.language = "th"
    org.owner.save()
    job = upload(org.owner, big_file(5))
    import_start(job=job, user=org.owner)
    task = DBTaskResult.objects.get(task_path=run_import_job.module_path)
    lose_every_attempt(task, 5)
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    with translation.override("th"):
        expected = gettext("The import stopped after failing several times: the rows up to "
                           "row %(row)s are imported, the others are not.") % {"row": 0}
    assert job.message == expected and any("\u0e00" <= c <= "\u0e7f" for c in expected)
    note = Notification.objects.get(recipient=org.owner)
    assert job.filename in str(note.title)


def test_a_crash_while_the_next_batch_is_validated_loses_and_doubles_nothing(org):
    # Rows are validated a batch ahead of the one being written: a crash after a commit
    # leaves a validated batch unwritten, and the resumed run must neither skip it nor
    # report its errors twice. Bad rows sit on both sides of the crash; row 12 repeats
    # row 2's email (matched across batches) and rows 14 and 15 share one (same batch).
    rows = [[f"G{i}", f"F{i}", f"p{i}@example.com", "", "", "", f"X{i}"] for i in range(30)]
    rows[4][2] = rows[17][2] = "not-an-email"
    rows[10][2] = rows[0][2]
    rows[13][2] = rows[12][2]
    rows[25][1] = ""
    job = upload(org.owner, csv_bytes(rows))
    import_start(job=job, user=org.owner)
    committed = []

    def crash_after_first(job):
        committed.append(job.last_row)
        raise Crash

    with pytest.raises(Crash):
        import_run(job.pk, batch_size=10, on_batch=crash_after_first)
    job.refresh_from_db()
    assert (job.last_row, job.created, job.failed) == (11, 9, 1)
    run_import_job.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.processed, job.created, job.skipped, job.failed) == \
        ("done", 30, 25, 2, 3)
    assert Contact.objects.count() == 25
    assert Contact.objects.filter(email="p0@example.com").count() == 1
    assert Event.objects.filter(kind="created").count() == 25
    assert [(r, c) for r, c, _m in errors_of(job)] == [(6, "Email"), (19, "Email"),
                                                       (27, "Last name")]


def test_a_user_without_create_rights_cannot_import(org):
    with pytest.raises(PermissionDenied):
        upload(org.viewer, csv_bytes(PEOPLE))
    job = upload(org.owner, csv_bytes(PEOPLE))
    import_start(job=job, user=org.owner)
    org.owner.role.permissions.filter(record_kind="customers.contact").update(
        can_create=False)
    org.owner.__dict__.pop("_amity_grants", None)
    run_import_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and not Contact.objects.exists()


def test_xlsx_and_vcard_files_import(org):
    book = openpyxl.Workbook()
    book.active.append(HEADERS)
    for person in PEOPLE:
        book.active.append(person)
    data = io.BytesIO()
    book.save(data)
    job = run(org.owner, data.getvalue(), "contacts.xlsx")
    assert (job.format, job.created) == ("xlsx", 3)
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:王;伟;;;\r\nFN:王伟\r\n"
            "EMAIL:wei2@example.cn\r\nTEL:+86 138 0013 8001\r\nEND:VCARD\r\n")
    job = run(org.owner, card.encode(), "wei.vcf")
    assert (job.format, job.created) == ("vcard", 1)
    assert Contact.objects.get(email="wei2@example.cn").family_name == "王"


def test_a_binary_file_is_refused_at_upload_and_nothing_is_stored(org, settings):
    with pytest.raises(ValidationError) as exc:
        upload(org.owner, bytes(range(256)) * 20, "contacts.csv")
    assert "cannot be imported" in exc.value.message_dict["file"][0]
    assert not ImportJob.objects.exists()
    assert not (settings.MEDIA_ROOT / "imports").exists()


def test_a_file_over_the_limit_names_the_limit(org, settings):
    settings.IMPORT_MAX_FILE_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        upload(org.owner, big_file(10))
    assert "is 100\xa0bytes" in exc.value.message_dict["file"][0]


def test_configure_checks_the_mapping(org):
    job = upload(org.owner, csv_bytes(PEOPLE))
    with pytest.raises(ValidationError) as exc:
        import_configure(job=job, user=org.owner, mapping={"Email": "email"})
    assert "family name" in exc.value.message_dict["mapping"][0]
    with pytest.raises(ValidationError):
        import_configure(job=job, user=org.owner,
                         mapping={"Last name": "family_name", "Email": "password"})
    preview = import_preview(job=job, user=org.owner, rows=2)
    assert [p.number for p in preview] == [2, 3]
    assert preview[0].values["family_name"] == "ใจดี" and not preview[0].errors


def test_the_cli_imports_and_prints_a_summary(org, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes([*PEOPLE, ["Bad", "Email", "nope", "", "", "", ""]]))
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"First name": "given_name", "Last name": "family_name", '
                       '"Email": "email", "ID": "external_id"}')
    call_command("import", "contacts", str(path), "--user", "owner", "--mapping",
                 str(mapping), "--match", "email,external_id")
    out, err = capsys.readouterr()
    assert "3 created" in out and "1 with errors" in out
    assert f"Errors: {path}.errors.csv" in out
    assert "100%" in err and "rows/s" in err
    assert "5,Email," in (tmp_path / "people.csv.errors.csv").read_text()
    assert Contact.objects.get(external_id="T1").phone == ""  # Phone was not mapped
    call_command("import", "contacts", str(path), "--user", "owner")
    assert "0 created, 0 updated, 3 skipped" in capsys.readouterr().out


def test_a_stopped_cli_import_is_continued_with_resume(org, tmp_path, capsys, monkeypatch):
    from django.core.management import CommandError, call_command

    from amity.customers.imports import runner

    path = tmp_path / "people.csv"
    path.write_bytes(big_file(2500))

    def killed_after_the_first_batch(job):
        raise KeyboardInterrupt  # Ctrl-C, or the machine going down

    real_run = runner.import_run
    monkeypatch.setattr("amity.customers.management.commands.import.import_run",
                        lambda pk, on_batch: real_run(pk, on_batch=killed_after_the_first_batch))
    with pytest.raises(KeyboardInterrupt):
        call_command("import", "contacts", str(path), "--user", "owner")
    job = ImportJob.objects.get()
    assert f"--resume {job.pk} --user owner" in capsys.readouterr().err
    assert (job.status, Contact.objects.count()) == ("running", 1000)
    monkeypatch.undo()
    with pytest.raises(CommandError, match="no contact import"):
        call_command("import", "contacts", "--resume", str(job.pk), "--user", "teammate")
    call_command("import", "contacts", "--resume", str(job.pk), "--user", "owner")
    assert "2,500 rows: 2,500 created" in capsys.readouterr().out
    assert Contact.objects.count() == 2500 and ImportJob.objects.count() == 1
    with pytest.raises(CommandError, match="nothing to continue"):
        call_command("import", "contacts", "--resume", str(job.pk), "--user", "owner")
    with pytest.raises(CommandError, match="not both"):
        call_command("import", "contacts", str(path), "--resume", str(job.pk), "--user", "owner")


def test_the_cli_refuses_a_user_without_create_rights(org, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(PEOPLE))
    with pytest.raises(CommandError, match="may not create"):
        call_command("import", "contacts", str(path), "--user", "viewer")


def test_the_api_flow(org):
    client = api_client(org.owner)
    data = csv_bytes([*PEOPLE, ["Bad", "Email", "nope", "", "", "", ""]])
    response = client.post("/api/v1/imports/", {"file": SimpleUploadedFile("p.csv", data)})
    assert response.status_code == 201, response.content
    job = response.json()
    assert job["mapping"]["Last name"] == "family_name" and job["status"] == "draft"
    url = f"/api/v1/imports/{job['id']}"
    response = client.patch(url, {"duplicates": "update", "match_on": ["email", "phone"],
                                  "create_accounts": True}, content_type="application/json")
    assert response.status_code == 200 and response.json()["duplicates"] == "update"
    assert response.json()["create_accounts"] is True
    response = client.patch(url, {"create_accounts": "sometimes"},
                            content_type="application/json")
    assert response.status_code == 422 and "create_accounts" in response.content.decode()
    response = client.patch(url, {"mapping": {"Email": "password"}},
                            content_type="application/json")
    assert response.status_code == 422
    response = client.patch(url, {"owner": 1}, content_type="application/json")
    assert response.status_code == 422
    preview = client.get(f"{url}/preview?rows=5").json()
    assert preview[3]["errors"][0]["column"] == "Email"
    response = client.post(f"{url}/start")
    assert response.status_code == 202 and response.json()["status"] == "queued"
    run_import_job.call(job["id"])
    status = client.get(url).json()
    assert (status["status"], status["percent"], status["rows_left"], status["created"]) == \
        ("done", 100, 0, 3)
    assert status["rows_per_second"] > 0
    errors = client.get(f"{url}/errors.csv")
    assert errors.status_code == 200 and b"5,Email," in b"".join(errors.streaming_content)


def test_the_api_refuses_bad_files_and_others_jobs(org):
    from tests.conftest import api_client

    response = api_client(org.owner).post(
        "/api/v1/imports/", {"file": SimpleUploadedFile("x.csv", bytes(range(256)) * 20)})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"
    job = upload(org.owner, csv_bytes(PEOPLE))
    other = api_client(org.teammate)
    for method, path in [("get", ""), ("get", "/preview"), ("post", "/start"),
                         ("get", "/errors.csv"), ("patch", "")]:
        response = getattr(other, method)(f"/api/v1/imports/{job.pk}{path}", {} if
                                           method == "patch" else None,
                                           content_type="application/json")
        assert response.status_code == 404, (method, path)
    assert api_client(org.viewer).post(
        "/api/v1/imports/", {"file": SimpleUploadedFile("p.csv", csv_bytes(PEOPLE))}
    ).status_code == 403


def test_the_pages_upload_map_start_and_show_progress(org):
    from tests.conftest import signed_in

    client = signed_in(org.owner)
    page = client.get("/contacts/")
    assert 'href="/imports/"' in page.content.decode()
    page = client.get("/imports/")
    assert "100.0" in page.content.decode()  # the size limit is shown
    response = client.post("/imports/", {"file": SimpleUploadedFile("p.csv", csv_bytes(
        [*PEOPLE, ["Bad", "Email", "nope", "", "", "", ""]]))})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page = client.get(response.url).content.decode()
    assert '<option value="family_name" selected>' in page
    assert "ใจดี" in page and "valid email" in page  # the preview and its errors
    assert 'name="create_accounts"' in page
    form = {f"column_{i}": job.mapping[h] or "" for i, h in enumerate(job.headers)}
    form.update(duplicates="skip", match_on=["email"], create_accounts="on", start="1")
    assert client.post(f"/imports/{job.pk}/", form).status_code == 302
    job.refresh_from_db()
    assert job.create_accounts
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page
    run_import_job.call(job.pk)
    progress = client.get(f"/imports/{job.pk}/progress/").content.decode()
    assert "every 1s" not in progress and 'data-status="done"' in progress
    assert f"/imports/{job.pk}/errors.csv" in progress
    assert client.get(f"/imports/{job.pk}/errors.csv").status_code == 200
    # PEOPLE's one company had no account: the owner asked for one.
    assert Contact.objects.get(external_id="T1").account.name == "Siam Fresh Foods"


def test_a_binary_upload_shows_the_message_on_the_page(org):
    from tests.conftest import signed_in

    response = signed_in(org.owner).post(
        "/imports/", {"file": SimpleUploadedFile("x.csv", bytes(range(256)) * 20)})
    assert response.status_code == 422
    assert "cannot be imported" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_others_and_non_creators_cannot_open_import_pages(org):
    from tests.conftest import signed_in

    job = upload(org.owner, csv_bytes(PEOPLE))
    other = signed_in(org.teammate)
    for path in ("", "progress/", "errors.csv"):
        assert other.get(f"/imports/{job.pk}/{path}").status_code == 404
    viewer = signed_in(org.viewer)
    assert viewer.get("/imports/").status_code == 403
    assert 'href="/imports/"' not in viewer.get("/contacts/").content.decode()


def test_countries_written_as_names_in_any_language_are_stored_as_codes(org):
    rows = [["A", "Thai", "a@example.com", "081 234 5678", "Thailand", "", "1"],
            ["B", "ไทย", "b@example.com", "081 234 5679", "ประเทศไทย", "", "2"],
            ["C", "رضایی", "c@example.com", "0912 345 6789", "ایران", "", "3"],
            ["D", "王", "d@example.com", "138 0013 8000", "中国", "", "4"],
            ["E", "Smith", "e@example.com", "", " united  kingdom ", "", "5"],
            ["F", "Nowhere", "f@example.com", "", "Narnia", "", "6"]]
    job = run(org.owner, csv_bytes(rows))
    assert (job.created, job.failed) == (5, 1)
    assert dict(Contact.objects.values_list("external_id", "country")) == {
        "1": "TH", "2": "TH", "3": "IR", "4": "CN", "5": "GB"}
    # A phone without a country code is read in the country the name gave.
    assert Contact.objects.get(external_id="3").phone_e164 == "+989123456789"
    assert [(r, c) for r, c, _m in errors_of(job)] == [(7, "Country")]
    card = ("BEGIN:VCARD\r\nVERSION:4.0\r\nN:Jaidee;Somchai;;;\r\nFN:Somchai Jaidee\r\n"
            "ADR;TYPE=work:;;1 Sukhumvit Rd;Bangkok;;10110;Thailand\r\nEND:VCARD\r\n")
    job = run(org.owner, card.encode(), "somchai.vcf")
    contact = Contact.objects.get(family_name="Jaidee")
    assert (job.created, contact.country, contact.addresses.get().country) == (1, "TH", "TH")


def test_a_middle_name_follows_the_given_name(org):
    job = run(org.owner, csv_bytes([["John", "Michael", "Smith"], ["", "Maria", "Lopez"]],
                                   headers=["First name", "Middle name", "Last name"]))
    assert job.mapping["Middle name"] == "middle_name" and job.created == 2
    assert sorted(Contact.objects.values_list("given_name", "family_name")) == [
        ("John Michael", "Smith"), ("Maria", "Lopez")]
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Jane;Ann;Dr.;\r\nFN:Dr. Jane Ann Doe\r\n"
            "END:VCARD\r\n")
    run(org.owner, card.encode(), "jane.vcf")
    jane = Contact.objects.get(family_name="Doe")
    assert (jane.given_name, jane.salutation) == ("Jane Ann", "Dr.")


def test_companies_without_an_account_become_accounts_when_asked(org):
    from amity.customers.models import Account

    make_account(org.owner, "Siam Fresh Foods", country="TH")
    make_account(org.outsider, "West Secret Co")  # another team's: not theirs to link
    rows = [["A", "One", "a@example.com", "", "", "บริษัท ข้าวหอม จำกัด", "1"],
            ["B", "Two", "b@example.com", "", "", "บริษัท ข้าวหอม จำกัด", "2"],
            ["C", "Three", "c@example.com", "", "", "Siam Fresh Foods", "3"],
            ["D", "Four", "d@example.com", "", "", "West Secret Co", "4"],
            ["E", "Five", "e@example.com", "", "", "x" * 201, "5"]]
    job = run(org.owner, csv_bytes(rows))  # not asked: nothing is made
    assert Account.objects.count() == 2 and (job.created, job.failed) == (4, 1)
    assert Contact.objects.filter(account__isnull=False).count() == 1
    # No account can have a name that long: the row says so rather than losing it.
    assert errors_of(job) == [(6, "Company", "An account name has at most 200 characters "
                                             "(this has 201).")]
    Contact.objects.all().delete()
    job = run(org.owner, csv_bytes(rows), create_accounts=True)
    assert job.create_accounts and (job.created, job.failed) == (4, 1)
    linked = dict(Contact.objects.values_list("external_id", "account__name"))
    assert linked == {"1": "บริษัท ข้าวหอม จำกัด", "2": "บริษัท ข้าวหอม จำกัด",
                      "3": "Siam Fresh Foods", "4": "West Secret Co"}
    # One account per company the owner had none of (the other team's is not theirs).
    made = Account.objects.filter(owner=org.owner).exclude(name="Siam Fresh Foods")
    assert sorted(made.values_list("name", flat=True)) == ["West Secret Co",
                                                          "บริษัท ข้าวหอม จำกัด"]
    assert all(Event.objects.for_subject(a).filter(kind="created").exists() for a in made)
    run(org.owner, csv_bytes(rows), create_accounts=True)  # again: no account twice
    assert Account.objects.count() == 4


def _company_rows(*companies: str) -> bytes:
    return csv_bytes([[f"N{i}", "Person", f"p{i}@example.com", "", "", company, str(i)]
                      for i, company in enumerate(companies, 1)])


def test_a_company_written_another_way_links_to_its_account(org):
    """Legal form, case, spacing and Arabic letter forms aside, the one visible account of
    that name is linked; a name two accounts could be, or another team's, links none."""
    siam = make_account(org.owner, "Siam Fresh Foods", country="TH")
    pars = make_account(org.owner, "شرکت پارس")
    acme_us = make_account(org.owner, "Acme Inc")
    make_account(org.owner, "Acme GmbH")
    make_account(org.outsider, "West Secret")
    run(org.owner, _company_rows("Siam Fresh Foods Co., Ltd.", "SIAM  FRESH FOODS",
                                 "شركت پارس", "Acme", "Acme Inc", "West Secret Ltd",
                                 "Siam Fresh"))
    linked = dict(Contact.objects.values_list("external_id", "account"))
    assert linked == {"1": siam.pk, "2": siam.pk, "3": pars.pk, "4": None,
                      "5": acme_us.pk, "6": None, "7": None}
    thai = Contact.objects.get(external_id="1")
    assert thai.phone_e164 == "" and thai.account.country == "TH"


def test_one_account_is_made_for_a_company_written_two_ways(org):
    from amity.customers.models import Account

    make_account(org.owner, "Acme Inc")
    make_account(org.owner, "Acme GmbH")
    job = run(org.owner, _company_rows("Khao Hom Co., Ltd.", "KHAO HOM LIMITED", "Acme",
                                       "上海华为技术有限公司", "上海华为技术"),
              create_accounts=True)
    assert job.created == 5
    made = Account.objects.exclude(name__startswith="Acme")
    assert sorted(made.values_list("name", flat=True)) == ["Khao Hom Co., Ltd.",
                                                          "上海华为技术有限公司"]
    linked = dict(Contact.objects.values_list("external_id", "account__name"))
    assert linked == {"1": "Khao Hom Co., Ltd.", "2": "Khao Hom Co., Ltd.", "3": None,
                      "4": "上海华为技术有限公司", "5": "上海华为技术有限公司"}


def test_the_preview_says_what_becomes_of_each_company(org, client):
    make_account(org.owner, "Siam Fresh Foods")
    make_account(org.owner, "Acme Inc")
    make_account(org.owner, "Acme GmbH")
    job = upload(org.owner, _company_rows("Siam Fresh Foods", "Siam Fresh Foods Co., Ltd.",
                                          "Acme", "บริษัท ข้าวหอม จำกัด", ""))
    notes = [row.notes for row in import_preview(job=job, user=org.owner)]
    assert notes == [
        [], ["Company: linked to the account “Siam Fresh Foods”."],
        ["Company: several accounts could be “Acme”; write one's exact name to link it."],
        ["Company: no account is called “บริษัท ข้าวหอม จำกัด”, so the contact will have "
         "none. Choose to create an account for each company to make one."], []]
    import_configure(job=job, user=org.owner, create_accounts=True)
    client.force_login(org.owner)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Company: the account “บริษัท ข้าวหอม จำกัด” will be created." in page
    api = api_client(org.owner).get(f"/api/v1/imports/{job.pk}/preview").json()
    assert api[1]["notes"] == ["Company: linked to the account “Siam Fresh Foods”."]


def test_only_a_role_that_may_create_accounts_may_ask_for_them(org):
    org.owner.role.permissions.filter(record_kind="customers.account").update(
        can_create=False)
    org.owner.__dict__.pop("_amity_grants", None)
    job = upload(org.owner, csv_bytes(PEOPLE))
    with pytest.raises(ValidationError) as caught:
        import_configure(job=job, user=org.owner, create_accounts=True)
    assert "create_accounts" in caught.value.message_dict
    job.refresh_from_db()
    assert not job.create_accounts


def test_the_cli_creates_missing_accounts_when_asked(org, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(PEOPLE))
    call_command("import", "contacts", str(path), "--user", "owner", "--create-accounts")
    assert Contact.objects.get(external_id="T1").account.name == "Siam Fresh Foods"
    assert ImportJob.objects.get().create_accounts
