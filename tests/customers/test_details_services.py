"""A contact's other emails and phones, addresses, social handles, memberships and tags,
changed through the services: validated, authorised, and shown in the history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amity.core.services import record_update
from amity.customers import services
from amity.customers.models import Account, Address, Contact, ContactEmail, ContactPhone
from amity.events.selectors import field_history
from tests.conftest import make_account, make_contact


def changes(record) -> list[dict]:
    return [e.payload["changes"] for e in field_history(subject=record)]


def test_other_emails_are_normalised_and_never_doubled(org):
    contact = make_contact(org.owner, email="wang@minghua.example")
    row = services.contact_email_add(contact=contact, user=org.owner,
                                     email="  Wang.Ming@MINGHUA.Example ", label="work")
    assert row.email == "wang.ming@minghua.example"
    thai = services.contact_email_add(contact=contact, user=org.owner, email="สมชาย@ตัวอย่าง.ไทย")
    assert thai.email == "สมชาย@ตัวอย่าง.ไทย"
    for duplicate in ("WANG@minghua.example", "wang.ming@MINGHUA.example"):
        with pytest.raises(ValidationError) as error:
            services.contact_email_add(contact=contact, user=org.owner, email=duplicate)
        assert "email" in error.value.message_dict
    for bad in ("no-at-sign", "<script>@x.example", "x" * 300 + "@a.example", "😀@😀"):
        with pytest.raises(ValidationError) as error:
            services.contact_email_add(contact=contact, user=org.owner, email=bad)
        assert "email" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.contact_email_add(contact=contact, user=org.owner, email="a@b.example",
                                   label="'; DROP TABLE x; --")
    assert "label" in error.value.message_dict
    assert ContactEmail.objects.count() == 2
    assert changes(contact)[0] == {"other_emails": {"old": None, "new": "สมชาย@ตัวอย่าง.ไทย"}}


def test_make_an_email_primary_swaps_it_with_the_primary(org):
    contact = make_contact(org.owner, email="old@example.com")
    row = services.contact_email_add(contact=contact, user=org.owner, email="new@example.com")
    services.contact_email_make_primary(email=row, user=org.owner)
    contact.refresh_from_db()
    assert contact.email == "new@example.com"
    assert list(contact.other_emails.values_list("email", flat=True)) == ["old@example.com"]
    history = changes(contact)
    assert {"email": {"old": "old@example.com", "new": "new@example.com"}} in history


def test_make_primary_without_a_primary_moves_the_address(org):
    contact = make_contact(org.owner)
    row = services.contact_email_add(contact=contact, user=org.owner, email="only@example.com")
    services.contact_email_make_primary(email=row, user=org.owner)
    contact.refresh_from_db()
    assert contact.email == "only@example.com" and not contact.other_emails.exists()


def test_other_phones_in_e164_read_in_the_contacts_or_accounts_country(org):
    account = make_account(org.owner, "Siam", country="TH")
    contact = make_contact(org.owner, phone="081 234 5678", account=account)
    row = services.contact_phone_add(contact=contact, user=org.owner, phone="02 123 4567",
                                     label="work")
    assert (row.phone, row.phone_e164) == ("02 123 4567", "+6621234567")
    persian = make_contact(org.owner, "رضایی", country="IR")
    assert services.contact_phone_add(contact=persian, user=org.owner,
                                      phone="0912 130 0303").phone_e164 == "+989121300303"
    with pytest.raises(ValidationError) as error:
        services.contact_phone_add(contact=contact, user=org.owner, phone="+66 81 234 5678")
    assert "phone" in error.value.message_dict  # the primary, written differently
    for bad in ("not a phone", "☎☎☎", "9" * 41):
        with pytest.raises(ValidationError) as error:
            services.contact_phone_add(contact=contact, user=org.owner, phone=bad)
        assert "phone" in error.value.message_dict
    services.contact_phone_make_primary(phone=row, user=org.owner)
    contact.refresh_from_db()
    assert (contact.phone, contact.phone_e164) == ("02 123 4567", "+6621234567")
    assert list(contact.other_phones.values_list("phone_e164", flat=True)) == ["+66812345678"]


def test_one_primary_address_per_record(org):
    account = make_account(org.owner, "Siam")
    first = services.address_add(record=account, user=org.owner,
                                 data={"street": "99 ถนนสุขุมวิท", "city": "กรุงเทพฯ",
                                       "country": "th"})
    assert first.is_primary and first.country == "TH"
    second = services.address_add(record=account, user=org.owner,
                                  data={"street": "上海市南京路 1号", "kind": "billing",
                                        "is_primary": True})
    first.refresh_from_db()
    assert second.is_primary and not first.is_primary
    services.address_update(address=first, user=org.owner, data={"is_primary": True})
    second.refresh_from_db()
    assert not second.is_primary
    services.address_remove(address=first, user=org.owner)
    second.refresh_from_db()
    assert second.is_primary
    assert {"addresses": {"old": None, "new": "上海市南京路 1号"}} in changes(account)


@pytest.mark.parametrize(("data", "field"), [
    ({"street": ""}, "street"), ({"street": "x", "country": "Thailand"}, "country"),
    ({"street": "x", "kind": "castle"}, "kind"), ({"street": "x" * 501}, "street"),
    ({"street": "x", "owner": 1}, "owner"),
])
def test_bad_addresses_are_refused_by_field(org, data, field):
    contact = make_contact(org.owner)
    with pytest.raises(ValidationError) as error:
        services.address_add(record=contact, user=org.owner, data=data)
    assert field in error.value.message_dict
    assert not Address.objects.exists()


def test_social_handles(org):
    contact = make_contact(org.owner)
    services.social_handle_add(contact=contact, user=org.owner, network="line", handle="@somchai")
    with pytest.raises(ValidationError) as error:
        services.social_handle_add(contact=contact, user=org.owner, network="line",
                                   handle=" @somchai ")
    assert "handle" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.social_handle_add(contact=contact, user=org.owner, network="myspace",
                                   handle="x")
    assert "network" in error.value.message_dict


def test_memberships_only_with_visible_accounts(org):
    contact = make_contact(org.owner)
    mine = make_account(org.owner, "Mine")
    hidden = make_account(org.outsider, "Theirs")
    membership = services.membership_add(contact=contact, user=org.owner, account_id=mine.pk,
                                         role="ผู้ตัดสินใจ", title="CFO")
    for account_id in (hidden.pk, 999_999, None):
        with pytest.raises(ValidationError) as error:
            services.membership_add(contact=contact, user=org.owner, account_id=account_id)
        assert "account" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.membership_add(contact=contact, user=org.owner, account_id=mine.pk)
    assert "account" in error.value.message_dict
    services.membership_update(membership=membership, user=org.owner, role="billing", title="")
    assert changes(contact)[0] == {"memberships": {"old": "Mine (CFO, ผู้ตัดสินใจ)",
                                                   "new": "Mine (billing)"}}
    services.membership_remove(membership=membership, user=org.owner)
    assert not contact.memberships.exists()


def test_only_editors_change_details(org):
    contact = make_contact(org.owner, email="a@example.com")
    row = services.contact_email_add(contact=contact, user=org.owner, email="b@example.com")
    for user in (org.outsider, org.viewer):
        with pytest.raises(PermissionDenied):
            services.contact_email_add(contact=contact, user=user, email="c@example.com")
        with pytest.raises(PermissionDenied):
            services.contact_email_make_primary(email=row, user=user)
        with pytest.raises(PermissionDenied):
            services.address_add(record=contact, user=user, data={"street": "x"})
        with pytest.raises(PermissionDenied):
            services.tags_set(record=contact, user=user, names=["x"])
    contact.refresh_from_db()
    assert contact.email == "a@example.com" and contact.other_emails.count() == 1
    assert not contact.tags.exists()


def test_tags_in_any_script_one_tag_whatever_its_case(org):
    account = make_account(org.owner, "Siam", tags=["VIP", "ลูกค้าประจำ"])
    contact = make_contact(org.owner, tags=["vip"])
    assert sorted(account.tags.names()) == ["VIP", "ลูกค้าประจำ"]
    assert list(contact.tags.names()) == ["VIP"]  # the existing tag, not a second one
    services.tags_set(record=contact, user=org.owner, names=["重要客户, مشتری ویژه; VIP"])
    assert sorted(contact.tags.names()) == sorted(["VIP", "重要客户", "مشتری ویژه"])
    assert changes(contact)[0]["tags"]["new"] == "VIP, مشتری ویژه, 重要客户"
    services.interests_set(contact=contact, user=org.owner, names=["กอล์ฟ", "wine"])
    assert sorted(contact.interests.names()) == ["wine", "กอล์ฟ"]
    with pytest.raises(ValidationError) as error:
        services.tags_set(record=contact, user=org.owner, names=["x" * 101])
    assert "tags" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        record_update(record=contact, user=org.owner, data={"interests": [str(n) for n in
                                                                          range(51)]})
    assert "interests" in error.value.message_dict
    assert sorted(Contact.objects.get(pk=contact.pk).interests.names()) == ["wine", "กอล์ฟ"]
    assert Account.objects.filter(tags__name="VIP").count() == 1
    assert ContactPhone.objects.count() == 0
