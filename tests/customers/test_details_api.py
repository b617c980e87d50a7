"""The API shows and changes a record's details through the same services as the UI."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amity.customers import services
from amity.customers.models import Contact
from tests.api.test_openapi_conformance import check  # noqa: F401 - fixture
from tests.conftest import api_client, make_account, make_contact


def send(client, method, url, body=None):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data, content_type="application/json")


def fields(response) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


def test_contact_with_details_through_the_api(org, check):  # noqa: F811
    client = api_client(org.owner)
    account = make_account(org.owner, "Siam", country="TH")
    created = check(send(client, "post", "/api/v1/contacts/", {
        "family_name": "ใจดี", "email": "a@example.com", "phone": "081 234 5678",
        "account": account.pk, "income_band": "upper_middle",
        "tags": ["VIP", "ลูกค้าประจำ; 重要客户"], "interests": ["กอล์ฟ"]}))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["tags"] == sorted(["VIP", "ลูกค้าประจำ", "重要客户"])
    assert (body["interests"], body["income_band"]) == (["กอล์ฟ"], "upper_middle")
    url = f"/api/v1/contacts/{body['id']}"
    email = check(send(client, "post", f"{url}/emails", {"email": "B@Example.com",
                                                         "label": "work"}))
    assert email.status_code == 201 and email.json()["email"] == "b@example.com"
    phone = check(send(client, "post", f"{url}/phones", {"phone": "02 123 4567"}))
    assert phone.json()["phone_e164"] == "+6621234567"
    address = check(send(client, "post", f"{url}/addresses", {
        "street": "99 ถนนสุขุมวิท", "city": "กรุงเทพฯ", "country": "TH"}))
    assert address.json()["is_primary"] is True
    check(send(client, "patch", f"{url}/addresses/{address.json()['id']}", {"city": "Bangkok"}))
    check(send(client, "post", f"{url}/social-handles", {"network": "line", "handle": "@jaidee"}))
    other = make_account(org.owner, "Other")
    membership = check(send(client, "post", f"{url}/memberships",
                            {"account": other.pk, "role": "buyer", "title": "CFO"}))
    assert membership.status_code == 201
    check(send(client, "patch", f"{url}/memberships/{membership.json()['id']}",
               {"role": "", "title": "CEO"}))
    primary = check(send(client, "post", f"{url}/emails/{email.json()['id']}/make-primary"))
    assert primary.json()["email"] == "b@example.com"
    assert primary.json()["other_emails"] == [{"id": email.json()["id"],
                                               "email": "a@example.com", "label": "work"}]
    read = check(client.get(url)).json()
    assert read["addresses"][0]["city"] == "Bangkok"
    assert read["social_handles"] == [{"id": read["social_handles"][0]["id"], "network": "line",
                                       "handle": "@jaidee"}]
    assert read["memberships"][0] | {"id": 0} == {"id": 0, "account": other.pk, "role": "",
                                                  "title": "CEO"}
    patched = check(send(client, "patch", url, {"tags": ["مشتری ویژه"], "income_band": ""}))
    assert (patched.json()["tags"], patched.json()["income_band"]) == (["مشتری ویژه"], "")
    assert check(send(client, "delete", f"{url}/phones/{phone.json()['id']}")).status_code == 204
    assert check(send(client, "delete", f"{url}/addresses/{address.json()['id']}")) \
        .status_code == 204
    assert check(client.get(url)).json()["other_phones"] == []


def test_account_tags_and_addresses(org, check):  # noqa: F811
    client = api_client(org.owner)
    created = check(send(client, "post", "/api/v1/accounts/", {"name": "Siam",
                                                              "tags": ["Partner"]}))
    url = f"/api/v1/accounts/{created.json()['id']}"
    check(send(client, "post", f"{url}/addresses", {"street": "上海市南京路 1号",
                                                    "kind": "billing"}))
    listed = check(client.get("/api/v1/accounts/", {"tag": "partner"})).json()["results"]
    assert [(a["name"], a["tags"], a["addresses"][0]["kind"]) for a in listed] == [
        ("Siam", ["Partner"], "billing")]


def test_bad_details_are_named_in_the_one_error_format(org, check):  # noqa: F811
    client = api_client(org.owner)
    contact = make_contact(org.owner, email="a@example.com")
    url = f"/api/v1/contacts/{contact.pk}"
    cases = [
        ("emails", {"email": "not-an-email"}, "email"),
        ("emails", {"email": "A@example.com"}, "email"),
        ("emails", {"email": "x@example.com", "label": "<script>"}, "label"),
        ("emails", {"email": "x@example.com", "owner": 1}, "owner"),
        ("phones", {"phone": "☎☎☎"}, "phone"),
        ("phones", {"phone": 12345}, "phone"),
        ("addresses", {"street": "x", "country": "XXX"}, "country"),
        ("addresses", {"city": "no street"}, "street"),
        ("social-handles", {"network": "myspace", "handle": "x"}, "network"),
        ("memberships", {"account": "one"}, "account"),
    ]
    for path, body, field in cases:
        response = check(send(client, "post", f"{url}/{path}", body))
        assert response.status_code == 422, (path, body)
        assert field in fields(response), (path, body, response.json())
    response = check(send(client, "post", "/api/v1/contacts/",
                          {"family_name": "x", "tags": ["x" * 101]}))
    assert fields(response) == {"tags"}
    assert check(send(client, "post", "/api/v1/contacts/",
                      {"family_name": "x", "income_band": "billionaire"})).status_code == 422
    assert Contact.objects.count() == 1 and not contact.other_emails.exists()


def test_other_teams_records_and_details_answer_404(org, check):  # noqa: F811
    theirs = make_contact(org.outsider, "Secret", email="s@example.com")
    email = services.contact_email_add(contact=theirs, user=org.outsider, email="t@example.com")
    address = services.address_add(record=theirs, user=org.outsider, data={"street": "x"})
    hidden_account = make_account(org.outsider, "Hidden")
    mine = make_contact(org.owner, "Mine")
    client = api_client(org.owner)
    base = f"/api/v1/contacts/{theirs.pk}"
    for method, url, body in [
        ("post", f"{base}/emails", {"email": "x@example.com"}),
        ("delete", f"{base}/emails/{email.pk}", None),
        ("post", f"{base}/emails/{email.pk}/make-primary", None),
        ("post", f"{base}/phones", {"phone": "+66812345678"}),
        ("patch", f"{base}/addresses/{address.pk}", {"street": "y"}),
        ("delete", f"{base}/addresses/{address.pk}", None),
        # the detail of another record through one's own record
        ("delete", f"/api/v1/contacts/{mine.pk}/emails/{email.pk}", None),
        ("post", f"/api/v1/contacts/{mine.pk}/emails/{email.pk}/make-primary", None),
        ("patch", f"/api/v1/contacts/{mine.pk}/addresses/{address.pk}", {"street": "y"}),
        ("post", f"/api/v1/accounts/{hidden_account.pk}/addresses", {"street": "y"}),
    ]:
        assert check(send(client, method, url, body)).status_code == 404, (method, url)
    response = check(send(client, "post", f"/api/v1/contacts/{mine.pk}/memberships",
                          {"account": hidden_account.pk}))
    assert (response.status_code, fields(response)) == (422, {"account"})
    theirs.refresh_from_db()
    assert theirs.email == "s@example.com"
    assert list(theirs.other_emails.values_list("email", flat=True)) == ["t@example.com"]
    assert theirs.addresses.get().street == "x"
    viewer = check(send(api_client(org.viewer), "post", f"{base}/emails",
                        {"email": "v@example.com"}))
    assert viewer.status_code == 403


@pytest.mark.parametrize("path", ["/api/v1/contacts/", "/api/v1/accounts/"])
def test_list_reads_details_in_a_fixed_number_of_queries(org, path):
    client = api_client(org.owner)

    def add(i: int) -> None:
        account = make_account(org.owner, f"Account {i}", tags=[f"t{i}", "shared"])
        services.address_add(record=account, user=org.owner, data={"street": f"{i} Road"})
        contact = make_contact(org.owner, f"Person {i}", tags=[f"t{i}"], interests=["golf"],
                               email=f"p{i}@example.com")
        services.contact_email_add(contact=contact, user=org.owner, email=f"o{i}@example.com")
        services.contact_phone_add(contact=contact, user=org.owner, phone=f"+6681234{i:04}")
        services.address_add(record=contact, user=org.owner, data={"street": f"{i} Soi"})
        services.social_handle_add(contact=contact, user=org.owner, network="x", handle=f"@{i}")
        services.membership_add(contact=contact, user=org.owner, account_id=account.pk)

    add(0)
    client.get(path)  # the first call also stamps the token's last use
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(path).json()["results"]) == 1
    for i in range(1, 12):
        add(i)
    with CaptureQueriesContext(connection) as many:
        results = client.get(path).json()["results"]
    assert len(results) == 12 and all(r["tags"] and r["addresses"] for r in results)
    assert len(many) == len(few)
