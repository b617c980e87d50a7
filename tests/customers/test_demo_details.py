"""The demo shows the customer details, so `make run` has something in each panel."""

from amity.customers.models import Address, Contact, ContactEmail, Membership
from amity.demo import load_demo


def test_demo_contacts_have_details(db):
    assert load_demo()
    niran = Contact.objects.get(family_name="Boonmee")
    assert niran.other_emails.exists() and niran.other_phones.exists()
    assert niran.addresses.exists() and niran.social_handles.exists()
    assert sorted(niran.tags.names()) == ["Decision maker", "VIP"]
    assert niran.income_band == "upper_middle"
    assert Membership.objects.count() == 2 and Address.objects.count() == 3
    assert ContactEmail.objects.count() == 2
