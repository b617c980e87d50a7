"""A contact's department and description (notes): typed in the form and the API, shown
on the record page, exported, imported from CSV and vCard, merged per field."""

import csv
import io
import json

import openpyxl
import pytest
import vobject
from django.core.exceptions import ValidationError
from django.urls import reverse

from amity.core.services import record_create
from amity.customers.imports.jobs import import_create, import_start
from amity.customers.merge import contact_merge
from amity.customers.models import Account, Contact
from amity.customers.tasks import run_import_job
from tests.api.test_openapi_conformance import check  # noqa: F401 - fixture
from tests.conftest import api_client, make_account, make_contact, signed_in

pytestmark = pytest.mark.django_db

NOTE = "ลูกค้าประจำ, ชอบชาเขียว\nسطر دوم; 第三行"
TOO_LONG_NOTE = "น" * 10_001


def send(client, method: str, url: str, body: dict):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def error_fields(response) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


def download(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def imported(user, data: bytes, name: str):
    """Upload `data`, run the import with its suggested mapping; the finished job."""
    job = import_create(user=user, file=io.BytesIO(data), filename=name)
    import_start(job=job, user=user)
    run_import_job.call(job.pk)
    job.refresh_from_db()
    return job


# Form and record page

def test_the_form_creates_and_the_page_shows_department_and_description(org):
    client = signed_in(org.owner)
    response = client.post(reverse("contact_create"), {
        "family_name": "ใจดี", "department": "ฝ่ายจัดซื้อ", "description": NOTE}, follow=True)
    assert response.status_code == 200
    contact = Contact.objects.get()
    assert (contact.department, contact.description) == ("ฝ่ายจัดซื้อ", NOTE)
    page = response.content.decode()
    assert "Department" in page and "ฝ่ายจัดซื้อ" in page
    assert "ลูกค้าประจำ, ชอบชาเขียว<br>سطر دوم; 第三行" in page  # its lines kept


def test_inline_edit_changes_them_and_history_shows_it(org):
    contact = make_contact(org.owner, "Ahmadi", department="Sales")
    client = signed_in(org.owner)
    url = reverse("contact_edit", args=[contact.pk])
    form = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'name="department"' in form and "<textarea" in form and 'name="description"' in form
    response = client.post(url, {"family_name": "Ahmadi", "department": "فروش",
                                 "description": "مشتری قدیمی", "version": contact.version},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "فروش" in response.content.decode()
    contact.refresh_from_db()
    assert (contact.department, contact.description) == ("فروش", "مشتری قدیمی")
    history = client.get(reverse("contact_detail", args=[contact.pk])).content.decode()
    assert "Sales" in history and "فروش" in history


def test_a_too_long_department_or_description_is_named_and_nothing_is_stored(org):
    client = signed_in(org.owner)
    response = client.post(reverse("contact_create"), {
        "family_name": "Wang", "department": "部" * 101, "description": TOO_LONG_NOTE})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"department", "description"}
    assert not Contact.objects.exists()


# API

def test_the_api_creates_reads_and_patches_them(org, check):  # noqa: F811
    client = api_client(org.owner)
    created = check(send(client, "post", "/api/v1/contacts/", {
        "family_name": "王", "given_name": "伟", "department": "销售部", "description": NOTE}))
    assert created.status_code == 201, created.json()
    assert (created.json()["department"], created.json()["description"]) == ("销售部", NOTE)
    url = f"/api/v1/contacts/{created.json()['id']}"
    patched = check(send(client, "patch", url, {"department": "市场部"}))
    assert (patched.json()["department"], patched.json()["description"]) == ("市场部", NOTE)
    read = check(client.get(url)).json()
    assert (read["department"], read["description"]) == ("市场部", NOTE)


def test_the_api_names_a_too_long_department_or_description(org, check):  # noqa: F811
    client = api_client(org.owner)
    contact = make_contact(org.owner, "Boonmee", department="Sales")
    for field, value in (("department", "x" * 101), ("description", TOO_LONG_NOTE)):
        created = check(send(client, "post", "/api/v1/contacts/",
                             {"family_name": "x", field: value}))
        assert created.status_code == 422 and error_fields(created) == {field}
        patched = check(send(client, "patch", f"/api/v1/contacts/{contact.pk}", {field: value}))
        assert patched.status_code == 422 and error_fields(patched) == {field}
    assert Contact.objects.get().department == "Sales"


# Export

def test_csv_and_xlsx_exports_have_the_columns_with_formulas_neutralised(org):
    make_contact(org.manager, "Boonmee", department="ฝ่ายขาย", description="=HYPERLINK(1)")
    client = signed_in(org.manager)
    body = download(client.get(reverse("contact_export", args=["csv"])))
    header, row = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    exported = dict(zip(header, row, strict=False))
    assert (exported["Department"], exported["Description"]) == ("ฝ่ายขาย", "'=HYPERLINK(1)")
    response = client.get(reverse("contact_export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(download(response))).active
    header, row = ([c.value for c in r] for r in sheet.iter_rows())
    exported = dict(zip(header, row, strict=False))
    assert (exported["Department"], exported["Description"]) == ("ฝ่ายขาย", "'=HYPERLINK(1)")


# Import

def test_csv_import_fills_department_and_description_and_refuses_a_too_long_note(
        org, media_root):
    rows = [["Last name", "First name", "Department", "Notes"],
            ["ใจดี", "สมชาย", "ฝ่ายขาย", "ลูกค้าประจำ\nชอบชาเขียว"],
            ["احمدی", "مریم", "فروش", "مشتری قدیمی"],
            ["王", "伟", "销售部", "重要客户"],
            ["Toolong", "Tom", "Sales", TOO_LONG_NOTE]]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    job = imported(org.owner, out.getvalue().encode(), "contacts.csv")
    assert job.mapping["Department"] == "department" and job.mapping["Notes"] == "description"
    assert (job.status, job.created, job.failed) == ("done", 3, 1)
    assert set(Contact.objects.values_list("family_name", "department", "description")) == {
        ("ใจดี", "ฝ่ายขาย", "ลูกค้าประจำ\nชอบชาเขียว"), ("احمدی", "فروش", "مشتری قدیمی"),
        ("王", "销售部", "重要客户")}
    [(row, column, message)] = job.row_errors.values_list("row_number", "column", "message")
    assert (row, column) == (5, "Notes") and "10000" in message


@pytest.mark.parametrize("header", ["หมายเหตุ", "备注", "یادداشت", "توضیحات", "Description"])
def test_notes_headers_in_every_language_suggest_the_description(org, media_root, header):
    job = import_create(user=org.owner, file=io.BytesIO(
        f"Last name,{header}\nJaidee,x\n".encode()), filename="c.csv")
    assert job.mapping == {"Last name": "family_name", header: "description"}


# vCard

def test_vcard_round_trip_of_department_and_note(org, media_root):
    account = make_account(org.manager, "上海明华; 科技")
    make_contact(org.manager, "رضایی", given_name="علی", account=account,
                 department="واحد فروش, شمال", description=NOTE)
    make_contact(org.manager, "Lone", department="ฝ่ายบุคคล")  # no account: ORG ";dept"
    client = signed_in(org.manager)
    exported = download(client.get(reverse("contact_export", args=["vcf"])))
    cards = {c.n.value.family: c for c in vobject.readComponents(exported.decode())}
    assert cards["رضایی"].org.value == ["上海明华; 科技", "واحد فروش, شمال"]
    assert cards["رضایی"].note.value == NOTE
    assert cards["Lone"].org.value == ["", "ฝ่ายบุคคล"]
    assert not hasattr(cards["Lone"], "note")

    Contact.objects.all().delete()  # read back as new contacts
    job = imported(org.manager, exported, "contacts.vcf")
    assert (job.status, job.created, job.failed) == ("done", 2, 0)
    back = {c.family_name: c for c in Contact.objects.all()}
    assert (back["رضایی"].department, back["رضایی"].description) == ("واحد فروش, شمال", NOTE)
    assert back["رضایی"].account == account
    assert (back["Lone"].department, back["Lone"].account) == ("ฝ่ายบุคคล", None)


def test_vcard_import_reads_org_department_and_note(org, media_root):
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:ใจดี;สมชาย;;;\r\nFN:สมชาย ใจดี\r\n"
            "ORG:บริษัท ข้าวหอม จำกัด;ฝ่ายจัดซื้อ\r\nNOTE:พบที่งานแสดงสินค้า\\nโทรกลับ\\, ด่วน\r\n"
            "END:VCARD\r\n")
    job = imported(org.owner, card.encode(), "one.vcf")
    assert (job.status, job.created) == ("done", 1)
    contact = Contact.objects.get()
    assert contact.department == "ฝ่ายจัดซื้อ"
    assert contact.description == "พบที่งานแสดงสินค้า\nโทรกลับ, ด่วน"


# Merge

def test_merge_lets_the_user_choose_department_and_description(org):
    survivor = make_contact(org.owner, "Boonmee", department="Sales", description="Old note")
    other = make_contact(org.owner, "Bunmee", department="ฝ่ายขาย", description=NOTE)
    page = signed_in(org.owner).get(reverse("contact_merge", args=[survivor.pk]),
                                    {"with": other.pk}).content.decode()
    assert 'name="department"' in page and 'name="description"' in page
    contact_merge(survivor=survivor, others=[other], user=org.owner,
                  choices={"department": other.pk, "description": other.pk})
    survivor.refresh_from_db()
    assert (survivor.department, survivor.description) == ("ฝ่ายขาย", NOTE)


def test_the_merge_page_shows_a_long_description_shortened(org):
    """Up to 10,000 characters each would make the comparison table unreadable; the merge
    still takes the whole text."""
    long = "บันทึก " * 1000
    survivor = make_contact(org.owner, "Boonmee", description="short")
    other = make_contact(org.owner, "Bunmee", description=long)
    page = signed_in(org.owner).get(reverse("contact_merge", args=[survivor.pk]),
                                    {"with": other.pk}).content.decode()
    assert long[:299] + "…" in page and long not in page
    contact_merge(survivor=survivor, others=[other], user=org.owner,
                  choices={"description": other.pk})
    survivor.refresh_from_db()
    assert survivor.description == long


@pytest.mark.parametrize(("model", "data"), [(Account, {"name": "Pars"}),
                                             (Contact, {"family_name": "احمدی"})])
def test_the_record_service_refuses_a_too_long_description(org, model, data):
    """Not only the form and the API: any caller of the record service (imports, lead
    conversion, scripts) gets an error naming the field, and nothing is stored."""
    with pytest.raises(ValidationError) as caught:
        record_create(model=model, user=org.owner, data={**data, "description": TOO_LONG_NOTE})
    assert "description" in caught.value.message_dict
    assert not model.objects.exists()
