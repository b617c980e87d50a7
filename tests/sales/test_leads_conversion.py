"""Converting a qualified lead: account, contact and opportunity in one step, attaching
to likely duplicates instead of creating, all or nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from amity.customers.models import Account, Contact
from amity.events.models import Event
from amity.sales.lead_conversion import lead_convert
from amity.sales.models import Lead, Opportunity, StageChange
from tests.conftest import api_client, define_custom_field, make_account, make_contact, signed_in
from tests.sales.lead_fixtures import checklist, make_lead, make_pipeline, qualified_lead

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return Account.objects.count(), Contact.objects.count(), Opportunity.objects.count()


def test_conversion_creates_account_contact_and_opportunity(org):
    pipeline = make_pipeline()
    make_pipeline("Renewal", default=False)
    checklist("Budget")
    lead = qualified_lead(org.owner, given_name="Somchai", company="Siam Steel",
                          email="somchai@siamsteel.example", phone="+66 81 234 5678",
                          country="TH", industry="Steel", product_interest="Forklifts",
                          description="พบที่งานแสดงสินค้า\nต้องการรถยก 3 คัน")
    done = lead_convert(lead=lead, user=org.owner)
    assert done.account_created and done.contact_created
    assert done.account.name == "Siam Steel" and done.account.industry == "Steel"
    assert done.contact.account == done.account
    assert Contact.objects.get(pk=done.contact.pk).description == \
        "พบที่งานแสดงสินค้า\nต้องการรถยก 3 คัน"
    assert done.contact.email == "somchai@siamsteel.example"
    assert done.contact.phone_e164 == "+66812345678"
    opportunity = done.opportunity
    assert opportunity.name == "Siam Steel – Forklifts"
    assert opportunity.pipeline == pipeline and opportunity.stage.name == "Discovery"
    assert opportunity.probability == Decimal("10") and opportunity.lead == lead
    assert opportunity.account == done.account and opportunity.contact == done.contact
    assert StageChange.objects.filter(opportunity=opportunity).count() == 1
    lead.refresh_from_db()
    assert lead.status == "converted" and lead.converted_at is not None
    assert (lead.converted_account, lead.converted_contact, lead.converted_opportunity) == \
        (done.account, done.contact, opportunity)
    assert Event.objects.for_subject(lead).filter(kind="lead.converted").exists()
    assert Event.objects.for_subject(done.contact).filter(kind="lead.converted").exists()


def test_conversion_attaches_to_an_existing_account_and_contact(org):
    make_pipeline()
    account = make_account(org.teammate, "Siam Steel")
    contact = make_contact(org.teammate, "Jaidee", email="somchai@siamsteel.example")
    lead = qualified_lead(org.owner, company="Siam Steel", email="somchai@siamsteel.example")
    before = counts()
    done = lead_convert(lead=lead, user=org.owner, account=account, contact=contact)
    assert not done.account_created and not done.contact_created
    assert done.account == account and done.contact == contact
    contact.refresh_from_db()
    assert contact.account == account  # a contact without an account joins it
    assert counts() == (before[0], before[1], before[2] + 1)


def test_conversion_is_all_or_nothing_when_the_opportunity_is_refused(org):
    # No pipeline: the opportunity cannot be placed, so nothing else may stay behind.
    lead = qualified_lead(org.owner, company="Siam Steel")
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        lead_convert(lead=lead, user=org.owner)
    assert "create_opportunity" in excinfo.value.message_dict
    assert counts() == before
    lead.refresh_from_db()
    assert lead.status == "qualified" and lead.converted_account is None
    assert not Event.objects.filter(kind="lead.converted").exists()
    make_pipeline()
    with pytest.raises(ValidationError):
        lead_convert(lead=lead, user=org.owner, opportunity_name="   ")
    assert counts() == before


def test_conversion_can_skip_the_opportunity(org):
    lead = qualified_lead(org.owner, given_name="Wei", family_name="Chen")
    done = lead_convert(lead=lead, user=org.owner, create_opportunity=False)
    assert done.opportunity is None
    assert done.account.name == "Wei Chen"  # no company: the person is the account


def test_only_a_qualified_lead_converts_and_only_once(org):
    make_pipeline()
    lead = make_lead(org.owner)
    with pytest.raises(ValidationError) as excinfo:
        lead_convert(lead=lead, user=org.owner)
    assert "status" in excinfo.value.message_dict
    lead = qualified_lead(org.owner)
    lead_convert(lead=lead, user=org.owner)
    with pytest.raises(ValidationError):
        lead_convert(lead=lead, user=org.owner)
    from amity.sales.lead_services import lead_set_status

    with pytest.raises(ValidationError) as excinfo:
        lead_set_status(lead=lead, user=org.owner, status="working")
    assert "Converted" in " ".join(excinfo.value.messages)
    assert Opportunity.objects.count() == 1


def test_another_teams_account_cannot_be_attached(org):
    make_pipeline()
    foreign = make_account(org.outsider, "West Co")
    lead = qualified_lead(org.owner)
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        lead_convert(lead=lead, user=org.owner, account=foreign)
    assert "account" in excinfo.value.message_dict
    assert counts() == before
    response = api_client(org.owner).post(f"/api/v1/leads/{lead.pk}/convert",
                                          {"account": foreign.pk},
                                          content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "account"
    assert Lead.objects.get(pk=lead.pk).status == "qualified"


def test_custom_values_are_copied_where_the_keys_exist(org):
    define_custom_field(org.admin, "budget_note", "text", kind="sales.lead")
    define_custom_field(org.admin, "budget_note", "text", kind="customers.contact")
    define_custom_field(org.admin, "segment", "text", kind="sales.lead")
    make_pipeline()
    lead = qualified_lead(org.owner, custom={"budget_note": "฿2M", "segment": "SME"})
    done = lead_convert(lead=lead, user=org.owner)
    assert done.contact.custom == {"budget_note": "฿2M"}
    assert done.account.custom == {} and done.opportunity.custom == {}


def test_the_convert_page_offers_likely_duplicates_and_attaches(org):
    make_pipeline()
    account = make_account(org.owner, "Siam Steel")
    contact = make_contact(org.owner, "Jaidee", email="somchai@siamsteel.example")
    lead = qualified_lead(org.owner, company="Siam Steel", email="SOMCHAI@siamsteel.example")
    client = signed_in(org.owner)
    page = client.get(reverse("lead_convert", args=[lead.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "look like this lead" in body
    assert account.get_absolute_url() in body and contact.get_absolute_url() in body
    done = client.post(reverse("lead_convert", args=[lead.pk]), {
        "account": account.pk, "contact": contact.pk, "create_opportunity": "on",
        "opportunity_name": "Steel deal"})
    assert done.status_code == 302 and done.url == contact.get_absolute_url()
    assert Account.objects.count() == 1 and Contact.objects.count() == 1
    assert Opportunity.objects.get().name == "Steel deal"


def test_the_api_converts_and_lists_candidates(org):
    make_pipeline()
    make_account(org.owner, "Siam Steel")
    lead = qualified_lead(org.owner, company="Siam Steel")
    client = api_client(org.owner)
    found = client.get(f"/api/v1/leads/{lead.pk}/conversion-candidates").json()
    assert [a["name"] for a in found["accounts"]] == ["Siam Steel"]
    done = client.post(f"/api/v1/leads/{lead.pk}/convert", {"opportunity_name": "大单"},
                       content_type="application/json")
    assert done.status_code == 200, done.content
    data = done.json()
    assert data["account_created"] and data["lead"]["status"] == "converted"
    assert Opportunity.objects.get(pk=data["opportunity"]).name == "大单"
