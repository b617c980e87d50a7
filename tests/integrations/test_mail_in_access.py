"""Who sees what: mailboxes are for administrators; a message is for those who see one
of its contacts; unmatched mail only for administrators."""

import pytest
from django.urls import reverse

from amity.integrations.inbound_mail import inbound_store
from amity.integrations.mailboxes import mailbox_save
from amity.integrations.models import InboundMessage, Mailbox
from amity.integrations.secret_box import unseal
from tests.conftest import make_contact, signed_in
from tests.integrations.mail_samples import mail

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def box() -> Mailbox:
    return mailbox_save(mailbox=Mailbox(), password="pw", data={
        "name": "Sales", "host": "imap.example.com", "port": 993, "security": "ssl",
        "username": "u", "folder": "INBOX", "active": True})


def store(box, **kwargs) -> InboundMessage:
    return inbound_store(mail(**kwargs), mailbox=box).message


def test_a_message_is_visible_to_who_sees_its_contact_and_404_to_another_team(
        box, org, media_root):
    make_contact(org.owner, "Boonmee", email="somchai@example.com")
    message = store(box, sender="somchai@example.com", subject="East team mail",
                    attachments=(("q.pdf", "application/pdf", PDF),))
    attachment = message.attachments.get()
    page = reverse("inbound_message", args=[message.pk])
    download = reverse("inbound_attachment", args=[message.pk, attachment.pk])

    for user in (org.owner, org.teammate, org.manager, org.admin):
        assert signed_in(user).get(page).status_code == 200, user
        assert signed_in(user).get(download).status_code == 200, user
    for user in (org.outsider, org.partner):
        assert signed_in(user).get(page).status_code == 404, user
        assert signed_in(user).get(download).status_code == 404, user
    assert set(InboundMessage.objects.visible_to(org.outsider)) == set()


def test_an_attachment_of_another_message_is_404(box, org, media_root):
    make_contact(org.owner, "Boonmee", email="somchai@example.com")
    mine = store(box, sender="somchai@example.com")
    make_contact(org.outsider, "Wang", email="ling@example.cn")
    theirs = store(box, sender="ling@example.cn", attachments=(("x.pdf", "application/pdf",
                                                                PDF),))
    url = reverse("inbound_attachment", args=[mine.pk, theirs.attachments.get().pk])
    assert signed_in(org.owner).get(url).status_code == 404


def test_unmatched_mail_is_for_administrators_in_the_mailbox_inbox(box, org):
    message = store(box, sender="stranger@elsewhere.test", subject="Who is this?")
    make_contact(org.owner, "Boonmee", email="somchai@example.com")
    store(box, sender="somchai@example.com", subject="Matched one")
    assert signed_in(org.owner).get(
        reverse("inbound_message", args=[message.pk])).status_code == 404
    assert signed_in(org.admin).get(
        reverse("inbound_message", args=[message.pk])).status_code == 200

    inbox = reverse("mailbox_inbox", args=[box.pk])
    everything = signed_in(org.admin).get(inbox).content.decode()
    assert "Who is this?" in everything and "Matched one" in everything
    unmatched = signed_in(org.admin).get(inbox + "?unmatched=1").content.decode()
    assert "Who is this?" in unmatched and "Matched one" not in unmatched
    assert signed_in(org.manager).get(inbox).status_code == 404


@pytest.mark.parametrize("name", ["mailbox_list", "mailbox_create"])
def test_mailbox_admin_pages_are_404_to_everyone_else(org, name):
    assert signed_in(org.manager).get(reverse(name)).status_code == 404
    assert signed_in(org.admin).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ["mailbox_edit", "mailbox_inbox", "mailbox_rejected"])
def test_mailbox_pages_are_404_to_everyone_else(box, org, name):
    assert signed_in(org.owner).get(reverse(name, args=[box.pk])).status_code == 404
    assert signed_in(org.admin).get(reverse(name, args=[box.pk])).status_code == 200


def test_an_administrator_sets_up_a_mailbox_and_the_password_is_never_shown(
        imap_server, org):
    admin = signed_in(org.admin)
    form = {"name": "Support ฝ่ายบริการ", "host": imap_server.host, "port": imap_server.port,
            "security": "none", "username": imap_server.user, "folder": "INBOX",
            "active": "on", "password": imap_server.password}
    response = admin.post(reverse("mailbox_create"), form)
    assert response.status_code == 302
    box = Mailbox.objects.get()
    assert unseal(box.password_encrypted) == imap_server.password
    page = admin.get(reverse("mailbox_edit", args=[box.pk])).content.decode()
    assert imap_server.password not in page and box.password_encrypted not in page

    # Saving without a password keeps the stored one.
    admin.post(reverse("mailbox_edit", args=[box.pk]), {**form, "password": ""})
    box.refresh_from_db()
    assert unseal(box.password_encrypted) == imap_server.password

    tested = admin.post(reverse("mailbox_test", args=[box.pk]), headers={"HX-Request": "true"})
    assert "Connected" in tested.content.decode()


def test_bad_mailbox_settings_name_the_field(org):
    response = signed_in(org.admin).post(reverse("mailbox_create"), {
        "name": "", "host": "imap example.com/x", "port": 70000, "security": "tls",
        "username": "u", "folder": "INBOX", "password": ""})
    assert response.status_code == 422
    errors = {e.split('"')[0] for e in response.content.decode().split('data-field="')[1:]}
    assert {"name", "host", "port", "security", "password"} <= errors
    assert not Mailbox.objects.exists()


def test_poll_now_queues_the_poll_and_a_new_token_is_shown_once(box, org):
    from django_tasks_db.models import DBTaskResult

    admin = signed_in(org.admin)
    response = admin.post(reverse("mailbox_poll", args=[box.pk]))
    assert response.status_code == 302
    assert DBTaskResult.objects.filter(task_path__endswith="mailbox_poll_task").count() == 1

    page = admin.post(reverse("mailbox_token", args=[box.pk])).content.decode()
    token = page.split('<code class="token">')[1].split("<")[0]
    assert token.startswith("amity_mail_")
    assert token not in admin.get(reverse("mailbox_edit", args=[box.pk])).content.decode()


def test_the_admin_area_lists_mailboxes(org):
    page = signed_in(org.admin).get(reverse("area", args=["admin"])).content.decode()
    assert reverse("mailbox_list") in page
    assert reverse("mailbox_list") not in signed_in(org.manager).get(
        reverse("area", args=["sales"])).content.decode()



def test_the_inbox_page_costs_the_same_queries_for_5_or_50_messages(
        box, org, django_assert_max_num_queries):
    make_contact(org.owner, "Boonmee", email="somchai@example.com")
    admin = signed_in(org.admin)
    inbox = reverse("mailbox_inbox", args=[box.pk])
    for n in range(5):
        store(box, sender="somchai@example.com", subject=f"Few {n}")
    with django_assert_max_num_queries(12) as few:
        admin.get(inbox)
    for n in range(45):
        store(box, sender="somchai@example.com", subject=f"Many {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Many 44" in admin.get(inbox).content.decode()
