"""The customer 360 pages show and change a record's details inline (HTMX panels)."""

import pytest
from django.urls import reverse

from amity.customers import services
from amity.customers.models import Account, Contact, Membership
from amity.events.selectors import field_history
from tests.conftest import api_client, make_account, make_contact, signed_in

HX = {"HTTP_HX_REQUEST": "true"}


def test_contact_page_shows_every_detail(org):
    account = make_account(org.owner, "Siam Fresh", country="TH")
    member_of = make_account(org.owner, "Minghua Trading")
    contact = make_contact(org.owner, "ใจดี", email="a@example.com", phone="081 234 5678",
                           account=account, tags=["VIP"], interests=["กอล์ฟ"],
                           income_band="high")
    services.contact_email_add(contact=contact, user=org.owner, email="b@example.com")
    services.address_add(record=contact, user=org.owner, data={"street": "99 ถนนสุขุมวิท"})
    services.social_handle_add(contact=contact, user=org.owner, network="line", handle="@jaidee")
    services.membership_add(contact=contact, user=org.owner, account_id=member_of.pk,
                            role="ผู้ตัดสินใจ", title="CFO")
    page = signed_in(org.owner).get(contact.get_absolute_url()).content.decode()
    for text in ("b@example.com", "Primary", "99 ถนนสุขุมวิท", "@jaidee", "Minghua Trading",
                 "ผู้ตัดสินใจ", "Main account", "VIP", "กอล์ฟ", "High"):
        assert text in page, text


def test_add_an_email_keeps_the_typed_value_on_error(org):
    contact = make_contact(org.owner, email="a@example.com")
    client = signed_in(org.owner)
    url = reverse("contact_email_add", args=[contact.pk])
    bad = client.post(url, {"email-email": "not an email", "email-label": "work"}, **HX)
    assert bad.status_code == 422
    body = bad.content.decode()
    assert 'data-field="email"' in body and 'value="not an email"' in body
    duplicate = client.post(url, {"email-email": "A@Example.com", "email-label": "work"}, **HX)
    assert duplicate.status_code == 422 and 'data-field="email"' in duplicate.content.decode()
    good = client.post(url, {"email-email": "B@example.com", "email-label": "work"}, **HX)
    assert good.status_code == 200 and "record-changed" in good["HX-Trigger"]
    assert "b@example.com" in good.content.decode()
    row = contact.other_emails.get()
    made = client.post(reverse("contact_email_change", args=[contact.pk, row.pk, "primary"]),
                       **HX)
    assert "facts-changed" in made["HX-Trigger"]
    contact.refresh_from_db()
    assert contact.email == "b@example.com"


def test_phones_addresses_handles_memberships_tags_inline(org):
    account = make_account(org.owner, "Siam", country="TH")
    contact = make_contact(org.owner, account=account)
    client = signed_in(org.owner)
    assert client.post(reverse("contact_phone_add", args=[contact.pk]),
                       {"phone-phone": "02 123 4567", "phone-label": "work"},
                       **HX).status_code == 200
    assert contact.other_phones.get().phone_e164 == "+6621234567"
    response = client.post(reverse("contact_address_add", args=[contact.pk]),
                           {"address-kind": "home", "address-street": "",
                            "address-city": "تهران"}, **HX)
    assert response.status_code == 422 and 'value="تهران"' in response.content.decode()
    client.post(reverse("contact_address_add", args=[contact.pk]),
                {"address-kind": "home", "address-street": "خیابان ولیعصر",
                 "address-country": "ir"}, **HX)
    address = contact.addresses.get()
    assert (address.country, address.is_primary) == ("IR", True)
    client.post(reverse("contact_address_change", args=[contact.pk, address.pk, "remove"]), **HX)
    assert not contact.addresses.exists()
    client.post(reverse("social_handle_add", args=[contact.pk]),
                {"social-network": "wechat", "social-handle": "minghua"}, **HX)
    assert contact.social_handles.get().handle == "minghua"
    other = make_account(org.owner, "Other")
    client.post(reverse("membership_add", args=[contact.pk]),
                {"membership-account": other.pk, "membership-title": "董事长"}, **HX)
    assert contact.memberships.get().title == "董事长"
    response = client.post(reverse("contact_tags_set", args=[contact.pk]),
                           {"tagging-tags": "VIP，重要客户; مشتری ویژه",
                            "tagging-interests": "กอล์ฟ"}, **HX)
    assert response.status_code == 200
    assert sorted(contact.tags.names()) == sorted(["VIP", "重要客户", "مشتری ویژه"])
    assert list(contact.interests.names()) == ["กอล์ฟ"]


def test_hidden_accounts_are_refused_and_other_teams_details_are_404(org):
    contact = make_contact(org.owner)
    hidden = make_account(org.outsider, "Hidden")
    client = signed_in(org.owner)
    response = client.post(reverse("membership_add", args=[contact.pk]),
                           {"membership-account": hidden.pk}, **HX)
    assert response.status_code == 422 and 'data-field="account"' in response.content.decode()
    assert "Hidden" not in response.content.decode()
    theirs = make_contact(org.outsider, "Theirs", email="t@example.com")
    row = services.contact_email_add(contact=theirs, user=org.outsider, email="u@example.com")
    for url in (reverse("contact_email_add", args=[theirs.pk]),
                reverse("contact_email_change", args=[theirs.pk, row.pk, "primary"]),
                reverse("contact_email_change", args=[contact.pk, row.pk, "remove"]),
                reverse("contact_tags_set", args=[theirs.pk]),
                reverse("account_tags_set", args=[hidden.pk]),
                reverse("account_contacts", args=[hidden.pk])):
        method = client.get if "contacts/" in url and url.startswith("/accounts") else client.post
        assert method(url, {"email-email": "x@example.com", "tagging-tags": "x"}).status_code \
            == 404, url
    theirs.refresh_from_db()
    assert theirs.email == "t@example.com" and theirs.other_emails.count() == 1
    assert not theirs.tags.exists() and not Membership.objects.exists()


def test_account_contacts_and_children_paginate(org):
    account = make_account(org.owner, "Siam")
    for i in range(25):
        make_contact(org.owner, f"Own {i:02}", account=account)
    member = make_contact(org.owner, "Aaa Member")
    services.membership_add(contact=member, user=org.owner, account_id=account.pk,
                            role="billing", title="CFO")
    hidden = make_contact(org.outsider, "Ab Hidden")  # theirs, once linked to this account
    Contact.objects.filter(pk=hidden.pk).update(account=account)
    for i in range(22):
        make_account(org.owner, f"Child {i:02}", parent=account)
    client = signed_in(org.owner)
    page = client.get(account.get_absolute_url()).content.decode()
    assert "Aaa Member" in page and "CFO" in page and "Ab Hidden" not in page
    assert "Own 18" in page and "Own 19" not in page  # 20 a page: the member, then 19 own
    assert "Child 19" in page and "Child 20" not in page
    cursor = page.split(f"/accounts/{account.pk}/contacts/?after=")[1].split('"')[0]
    more = client.get(f"/accounts/{account.pk}/contacts/?after={cursor}", **HX).content.decode()
    assert "Own 19" in more and "Own 24" in more and "Own 18" not in more
    assert client.get(f"/accounts/{account.pk}/contacts/?after=garbage").status_code == 404


def test_forms_take_income_band_and_tags(org):
    client = signed_in(org.owner)
    response = client.post(reverse("contact_create"), {
        "family_name": "王", "income_band": "upper_middle", "tags": "重要客户, VIP"})
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = Contact.objects.get()
    assert contact.income_band == "upper_middle"
    assert sorted(contact.tags.names()) == ["VIP", "重要客户"]
    client.post(reverse("account_create"), {"name": "Siam", "type": "prospect",
                                            "tags": "ลูกค้าประจำ"})
    assert list(Account.objects.get().tags.names()) == ["ลูกค้าประจำ"]
    listing = client.get(reverse("contact_list"), {"tag": "vip", "income_band": "upper_middle"})
    assert "王" in listing.content.decode()
    assert "王" not in client.get(reverse("contact_list"), {"tag": "nope"}).content.decode()
    assert client.get(reverse("account_list"), {"tag": "ลูกค้าประจำ"}).content.decode() \
        .count("Siam") >= 1


def test_edit_an_address_inline(org):
    account = make_account(org.owner, "Siam")
    address = services.address_add(record=account, user=org.owner,
                                    data={"street": "1 Silom", "city": "Bangkok"})
    client = signed_in(org.owner)
    url = reverse("account_address_edit", args=[account.pk, address.pk])
    assert 'value="Bangkok"' in client.get(url, **HX).content.decode()
    bad = client.post(url, {"edit-kind": "office", "edit-street": "2 Sathorn",
                            "edit-country": "Thailand"}, **HX)
    assert bad.status_code == 422 and "2 Sathorn</textarea>" in bad.content.decode()
    assert 'data-field="country"' in bad.content.decode()
    good = client.post(url, {"edit-kind": "billing", "edit-street": "2 Sathorn",
                             "edit-city": "กรุงเทพฯ", "edit-is_primary": "on"}, **HX)
    assert good.status_code == 200
    address.refresh_from_db()
    assert (address.street, address.city, address.kind) == ("2 Sathorn", "กรุงเทพฯ", "billing")
    change = field_history(subject=account).first().payload["changes"]["addresses"]
    assert change == {"old": "1 Silom, Bangkok", "new": "2 Sathorn, กรุงเทพฯ"}
    other = make_account(org.outsider, "Theirs")
    theirs = services.address_add(record=other, user=org.outsider, data={"street": "x"})
    assert client.get(reverse("account_address_edit", args=[account.pk, theirs.pk])) \
        .status_code == 404
    assert client.post(reverse("account_address_edit", args=[other.pk, theirs.pk]),
                       {"edit-street": "hacked", "edit-kind": "office"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.street == "x"


def test_edit_a_membership_role_and_title(org):
    contact = make_contact(org.owner)
    account = make_account(org.owner, "Siam")
    membership = services.membership_add(contact=contact, user=org.owner, account_id=account.pk,
                                         role="buyer")
    client = signed_in(org.owner)
    url = reverse("membership_edit", args=[contact.pk, membership.pk])
    assert 'value="buyer"' in client.get(url, **HX).content.decode()
    bad = client.post(url, {"edit-membership-title": "x" * 101,
                            "edit-membership-role": "ผู้ตัดสินใจ"}, **HX)
    assert bad.status_code == 422 and 'value="ผู้ตัดสินใจ"' in bad.content.decode()
    assert client.post(url, {"edit-membership-title": "مدیر خرید",
                             "edit-membership-role": "ผู้ตัดสินใจ"}, **HX).status_code == 200
    membership.refresh_from_db()
    assert (membership.title, membership.role) == ("مدیر خرید", "ผู้ตัดสินใจ")
    assert signed_in(org.outsider).get(url).status_code == 404


@pytest.mark.parametrize("rare_up_to", [0, 10_000])
def test_tag_filter_by_common_and_rare_tag_paths(org, monkeypatch, rare_up_to):
    monkeypatch.setattr("amity.customers.filters.RARE_TAG_USES", rare_up_to)
    tagged = make_contact(org.owner, "Tagged", tags=["重要客户"])
    make_contact(org.owner, "Plain")
    make_contact(org.outsider, "Hidden", tags=["重要客户"])
    api = api_client(org.owner).get("/api/v1/contacts/", {"tag": "重要客户"}).json()
    assert [c["id"] for c in api["results"]] == [tagged.pk]
    page = signed_in(org.owner).get(reverse("contact_list"), {"tag": "重要客户"})
    assert "Tagged" in page.content.decode() and "Plain" not in page.content.decode()
