"""Administrators define custom fields in the Admin area; nobody else can."""

import pytest
from django.urls import reverse

from amity.core.custom_fields import CustomField
from tests.conftest import make_contact, signed_in


@pytest.mark.parametrize("name", ["custom_field_list", "custom_field_create"])
def test_custom_field_pages_are_404_for_non_admins(org, name):
    assert signed_in(org.manager).get(reverse(name)).status_code == 404
    assert signed_in(org.admin).get(reverse(name)).status_code == 200


def test_admin_creates_a_choice_field_in_thai(org):
    admin = signed_in(org.admin)
    response = admin.post(reverse("custom_field_create"), {
        "record_kind": "customers.contact", "label": "ระดับลูกค้า", "key": "level",
        "type": "choice", "choices_text": "gold | ทอง\nเงิน\n", "position": "1",
        "help_text": "ระดับตามยอดซื้อ"})
    assert response.status_code == 302
    field = CustomField.objects.get()
    assert (field.record_kind, field.key, field.label, field.type) == \
        ("customers.contact", "level", "ระดับลูกค้า", "choice")
    assert field.choices == [{"value": "gold", "label": "ทอง"},
                             {"value": "เงิน", "label": "เงิน"}]
    page = admin.get(reverse("custom_field_list")).content.decode()
    assert "ระดับลูกค้า" in page and "<code>level</code>" in page
    assert "Custom fields" in admin.get(reverse("home")).content.decode()  # in the menu


def test_errors_are_named_by_field(org):
    admin = signed_in(org.admin)
    response = admin.post(reverse("custom_field_create"), {
        "record_kind": "org.user", "label": "", "key": "Bad Key!", "type": "choice",
        "choices_text": "", "position": "0"})
    assert response.status_code == 422
    assert {"record_kind", "label", "key"} <= set(response.context["form"].errors)
    response = admin.post(reverse("custom_field_create"), {
        "record_kind": "customers.contact", "label": "Level", "key": "level",
        "type": "choice", "choices_text": "", "position": "0"})
    assert response.status_code == 422
    assert "choices_text" in response.context["form"].errors
    assert not CustomField.objects.exists()


def test_edit_changes_label_and_choices_but_not_key_or_type(org):
    field = CustomField.objects.create(record_kind="customers.contact", key="level",
                                       label="Level", type="choice",
                                       choices=[{"value": "gold", "label": "Gold"}])
    admin = signed_in(org.admin)
    form = admin.get(reverse("custom_field_edit", args=[field.pk])).content.decode()
    assert "gold | Gold" in form
    response = admin.post(reverse("custom_field_edit", args=[field.pk]), {
        "record_kind": "customers.account", "key": "hacked", "type": "text",
        "label": "等级", "choices_text": "gold | 金\nsilver | 银", "required": "on",
        "position": "2"})
    assert response.status_code == 302
    field.refresh_from_db()
    assert (field.record_kind, field.key, field.type, field.label, field.required) == \
        ("customers.contact", "level", "choice", "等级", True)
    assert field.choice_labels == {"gold": "金", "silver": "银"}


def test_archive_hides_the_field_and_keeps_values(org):
    field = CustomField.objects.create(record_kind="customers.contact", key="nickname",
                                       label="Nickname", type="text")
    contact = make_contact(org.owner, "Boonmee", custom={"nickname": "แมว"})
    admin = signed_in(org.admin)
    response = admin.post(reverse("custom_field_archive", args=[field.pk]), {"archived": "1"},
                          headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Bring back" in response.content.decode() and "<html" not in response.content.decode()
    assert "แมว" not in facts(org.owner, contact)  # the history still says it was set
    contact.refresh_from_db()
    assert contact.custom == {"nickname": "แมว"}
    admin.post(reverse("custom_field_archive", args=[field.pk]), {"archived": "0"})
    assert "แมว" in facts(org.owner, contact)
    assert signed_in(org.manager).post(reverse("custom_field_archive", args=[field.pk]),
                                       {"archived": "1"}).status_code == 404


def facts(user, contact) -> str:
    page = signed_in(user).get(reverse("contact_detail", args=[contact.pk])).content.decode()
    return page[page.index('id="facts"'):page.index('id="timeline"')]
