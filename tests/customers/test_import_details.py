"""Import columns that become a contact's details: more emails and phones, a primary
address, tags, income band; validated per column, never doubled on a second run."""

from django.urls import reverse

from amity.customers.imports.mapping import suggest_mapping
from amity.customers.models import Address, Contact
from amity.events.selectors import field_history
from tests.conftest import signed_in
from tests.customers.test_export import read_csv
from tests.customers.test_import_job import csv_bytes, errors_of, media, run  # noqa: F401

OUTLOOK = ["First Name", "Last Name", "E-mail Address", "E-mail 2 Address", "Business Phone",
           "Mobile Phone", "Business Street", "Business City", "Business State",
           "Business Postal Code", "Business Country/Region", "Categories", "Income band"]


def test_outlook_and_google_columns_are_suggested():
    assert suggest_mapping(OUTLOOK) == {
        "First Name": "given_name", "Last Name": "family_name", "E-mail Address": "email",
        "E-mail 2 Address": "email_2", "Business Phone": "phone", "Mobile Phone": "mobile",
        "Business Street": "street", "Business City": "city", "Business State": "region",
        "Business Postal Code": "postcode", "Business Country/Region": "country",
        "Categories": "tags", "Income band": "income_band"}
    google = suggest_mapping(["Name", "E-mail 1 - Value", "E-mail 2 - Value",
                              "Phone 1 - Value", "Phone 2 - Value", "Labels"])
    assert list(google.values()) == ["full_name", "email", "email_2", "phone", "phone_2",
                                     "tags"]


def test_details_are_imported_once(org):
    rows = [["สมชาย", "ใจดี", "somchai@example.co.th", "Somchai@Home.example; s2@x.example",
             "02 123 4567", "081 234 5678", "99 ถนนสุขุมวิท", "กรุงเทพฯ", "", "10110", "th",
             "VIP; ลูกค้าประจำ, 重要客户", "Upper middle"],
            ["Wei", "Wang", "", "wei@example.cn", "", "+86 138 0013 8000", "", "Shanghai",
             "", "", "CN", "", "high"]]
    job = run(org.owner, csv_bytes(rows, OUTLOOK))
    assert (job.created, job.failed) == (2, 0), errors_of(job)
    somchai = Contact.objects.get(family_name="ใจดี")
    assert sorted(somchai.other_emails.values_list("email", flat=True)) == [
        "s2@x.example", "somchai@home.example"]
    assert (somchai.phone_e164, list(somchai.other_phones.values_list("phone_e164", "label"))) \
        == ("+6621234567", [("+66812345678", "mobile")])
    address = somchai.addresses.get()
    assert (address.street, address.postal_code, address.country, address.is_primary) == \
        ("99 ถนนสุขุมวิท", "10110", "TH", True)
    assert sorted(somchai.tags.names()) == sorted(["VIP", "ลูกค้าประจำ", "重要客户"])
    assert somchai.income_band == "upper_middle"
    assert "tags" in field_history(subject=somchai).first().payload["changes"]
    wang = Contact.objects.get(family_name="Wang")  # no primary: the others become it
    assert (wang.email, wang.phone_e164, wang.income_band) == (
        "wei@example.cn", "+8613800138000", "high")
    assert not wang.addresses.exists() and wang.city == "Shanghai"

    again = run(org.owner, csv_bytes(rows, OUTLOOK), duplicates="update")
    assert (again.created, again.updated, again.failed) == (0, 2, 0), errors_of(again)
    assert somchai.other_emails.count() == 2 and somchai.other_phones.count() == 1
    assert Address.objects.count() == 1 and somchai.tags.count() == 3


def test_bad_detail_cells_are_named_by_column(org):
    rows = [["A", "One", "", "not-an-email", "", "☎☎☎", "x" * 501, "", "", "", "TH",
             "x" * 101, "billionaire"]]
    job = run(org.owner, csv_bytes(rows, OUTLOOK))
    assert (job.created, job.failed) == (0, 1)
    columns = {column for _row, column, _message in errors_of(job)}
    assert {"E-mail 2 Address", "Mobile Phone", "Business Street", "Categories",
            "Income band"} <= columns
    assert not Contact.objects.exists() and not Address.objects.exists()


def test_websites_become_the_contacts_website_handles(org):
    """Outlook's Web Page and Google's Website columns were suggested but could not be
    imported; each address is kept as typed, a second run adds none twice, and the export
    and vCard carry them back out."""
    headers = ["First Name", "Last Name", "Web Page"]
    assert suggest_mapping(headers)["Web Page"] == "website"
    rows = [["สมชาย", "ใจดี", "siamfresh.example ::: https://ร้านค้า.ไทย/about"],
            ["مریم", "احمدی", "http://pars.example/fa"]]
    job = run(org.owner, csv_bytes(rows, headers))
    assert (job.created, job.failed) == (2, 0), errors_of(job)
    somchai = Contact.objects.get(family_name="ใจดี")
    assert sorted(somchai.social_handles.values_list("network", "handle")) == [
        ("website", "https://ร้านค้า.ไทย/about"), ("website", "siamfresh.example")]
    assert "social_handles" in field_history(subject=somchai).first().payload["changes"]
    run(org.owner, csv_bytes(rows, headers), duplicates="update")
    assert somchai.social_handles.count() == 2
    card = b"".join(Contact.vcards(Contact.objects.filter(pk=somchai.pk), org.owner)).decode()
    assert "URL:siamfresh.example" in card
    table = read_csv(signed_in(org.manager).get(reverse("contact_export", args=["csv"]),
                                                {"q": "احمدی"}))
    assert table[1][table[0].index("Website")] == "http://pars.example/fa"
    Contact.objects.all().delete()
    run(org.owner, card.encode(), "somchai.vcf")  # the vCard brings both back
    assert sorted(Contact.objects.get().social_handles.values_list("handle", flat=True)) == [
        "https://ร้านค้า.ไทย/about", "siamfresh.example"]


def test_a_bad_web_address_is_named_by_its_column(org):
    headers = ["First Name", "Last Name", "Website"]
    rows = [["A", "One", "not a site; javascript:alert(1)"], ["B", "Two", "x" * 201 + ".com"],
            ["C", "Three", "ok.example"]]
    job = run(org.owner, csv_bytes(rows, headers))
    assert (job.created, job.failed) == (1, 2)
    message = ("Enter web addresses such as example.com or https://example.com/about, at "
               "most 200 characters each.")
    assert errors_of(job) == [(2, "Website", message), (3, "Website", message)]
    assert Contact.objects.get().social_handles.get().handle == "ok.example"
