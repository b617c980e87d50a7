"""The bell in the header, its panel, the notifications page and the settings page, as a
user of the HTMX UI meets them."""

import re

import pytest
from django.urls import reverse

from amity.collaboration.models import Notification
from amity.collaboration.services import notify
from amity.core.services import record_assign
from tests.conftest import make_account, signed_in

HTMX = {"HX-Request": "true"}
COUNT = reverse("notification_count")
PANEL = reverse("notification_panel")
LIST = reverse("notification_list")


def tell(user, count: int = 1, title: str = "Call back Siam Fresh Foods", **kwargs):
    made = []
    for i in range(count):
        made += notify(recipients=[user], kind="automation",
                       title=title if count == 1 else f"{title} {i}", **kwargs)
    return made


def badge(html: str) -> str | None:
    found = re.search(r'class="bell-badge"[^>]*>([^<]*)<', html)
    return found.group(1) if found else None


def test_every_page_has_the_bell_which_polls_its_count(org):
    html = signed_in(org.owner).get(reverse("home")).content.decode()
    assert 'id="bell-count"' in html
    assert f'hx-get="{COUNT}"' in html
    assert 'hx-trigger="load, every 30s, notifications-changed from:body"' in html
    assert "<script>" not in html.split("</head>")[1]  # no inline script (strict CSP)


def test_the_count_says_how_many_are_unread_also_to_screen_readers(org):
    client = signed_in(org.owner)
    html = client.get(COUNT, headers=HTMX).content.decode()
    assert badge(html) is None and "Notifications: none unread" in html
    tell(org.owner, 3)
    html = client.get(COUNT, headers=HTMX).content.decode()
    assert badge(html) == "3" and "Notifications: 3 unread" in html


def test_the_count_is_one_query_besides_the_session(org, django_assert_num_queries):
    tell(org.owner, 2)
    client = signed_in(org.owner)
    client.get(COUNT)  # warm caches of the first request
    with django_assert_num_queries(3) as captured:  # session, user, the count
        client.get(COUNT)
    count_sql = captured.captured_queries[-1]["sql"]
    assert "COUNT" in count_sql.upper() and "read_at" in count_sql


def test_persian_digits_and_a_cap_at_99(org):
    org.owner.language = "fa"
    org.owner.save()
    Notification.objects.bulk_create([Notification(recipient=org.owner, kind="automation",
                                                    title=f"n{i}") for i in range(12)])
    html = signed_in(org.owner).get(COUNT).content.decode()
    assert badge(html) == "۱۲"
    Notification.objects.bulk_create([Notification(recipient=org.owner, kind="automation",
                                                    title=f"m{i}") for i in range(100)])
    assert badge(signed_in(org.owner).get(COUNT).content.decode()) == "۹۹+"


def test_the_panel_lists_the_latest_with_a_link_to_the_record(org):
    account = make_account(org.owner, "Siam Fresh Foods")
    record_assign(record=account, user=org.manager, owner=org.teammate)
    [notification] = Notification.objects.filter(recipient=org.teammate)
    html = signed_in(org.teammate).get(PANEL, headers=HTMX).content.decode()
    assert "manager assigned Siam Fresh Foods to you" in html
    assert f'href="{reverse("notification_open", args=[notification.pk])}"' in html
    assert "A record is assigned to me" in html


def test_following_the_link_marks_it_read_and_opens_the_record(org):
    account = make_account(org.owner)
    record_assign(record=account, user=org.manager, owner=org.teammate)
    notification = Notification.objects.get(recipient=org.teammate)
    response = signed_in(org.teammate).get(reverse("notification_open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == account.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_record_the_user_can_no_longer_see_shows_no_link(org):
    account = make_account(org.owner, "Moved Away Ltd")
    record_assign(record=account, user=org.manager, owner=org.teammate)
    record_assign(record=account, user=org.manager, owner=org.outsider, team=org.west)
    notification = Notification.objects.get(recipient=org.teammate)
    client = signed_in(org.teammate)

    html = client.get(PANEL, headers=HTMX).content.decode()
    assert "Moved Away Ltd" in html
    assert reverse("notification_open", args=[notification.pk]) not in html
    assert account.get_absolute_url() not in html

    response = client.get(reverse("notification_open", args=[notification.pk]), follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert "not available to you" in response.content.decode()


def test_mark_one_read_with_htmx_tells_the_bell_to_refresh(org):
    first, second = tell(org.owner, 2)
    client = signed_in(org.owner)
    response = client.post(reverse("notification_read", args=[first.pk]), headers=HTMX)
    assert response.status_code == 204
    assert response["HX-Trigger"] == '{"notifications-changed": {}}'
    assert badge(client.get(COUNT).content.decode()) == "1"
    html = client.get(PANEL, headers=HTMX).content.decode()
    assert reverse("notification_read", args=[first.pk]) not in html  # no button: read
    assert reverse("notification_read", args=[second.pk]) in html


def test_mark_all_read_with_and_without_htmx(org):
    tell(org.owner, 3)
    client = signed_in(org.owner)
    assert client.post(reverse("notification_read_all"), headers=HTMX).status_code == 204
    assert badge(client.get(COUNT).content.decode()) is None
    tell(org.owner, 1)
    response = client.post(reverse("notification_read_all"), {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == LIST
    assert badge(client.get(COUNT).content.decode()) is None


def test_another_users_notification_answers_404(org):
    [theirs] = tell(org.teammate)
    client = signed_in(org.owner)
    assert client.post(reverse("notification_read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notification_open", args=[theirs.pk])).status_code == 404
    assert "Call back" not in client.get(PANEL).content.decode()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get(COUNT, headers=HTMX).status_code == 204  # the poll swaps nothing
    assert client.get(PANEL).status_code == 302
    assert client.post(reverse("notification_read_all")).status_code == 302


def test_mark_read_takes_only_post(org):
    [mine] = tell(org.owner)
    assert signed_in(org.owner).get(reverse("notification_read", args=[mine.pk])).status_code \
        == 405


@pytest.mark.parametrize("title", ["<script>alert('x')</script>",
                                   "<img src=x onerror=alert(1)>"])
def test_titles_are_escaped(org, title):
    tell(org.owner, title=title)
    for url in (PANEL, LIST):
        html = signed_in(org.owner).get(url).content.decode()
        assert title not in html
        assert "&lt;" in html


def test_emoji_and_huge_titles(org):
    tell(org.owner, title="🎉 ลูกค้าใหม่ 新客户 مشتری " + "x" * 5000)
    html = signed_in(org.owner).get(PANEL).content.decode()
    assert "🎉 ลูกค้าใหม่ 新客户 مشتری" in html and "x…" in html


def test_the_page_pages_by_cursor_and_filters_unread(org):
    made = tell(org.owner, 30)
    client = signed_in(org.owner)
    first = client.get(LIST).content.decode()
    assert first.count("<li class=\"notification") == 25
    assert "Call back Siam Fresh Foods 29" in first and "Call back Siam Fresh Foods 4<" not in first
    older = re.search(r'href="([^"]*after=[^"]*)"', first).group(1).replace("&amp;", "&")
    second = client.get(older).content.decode()
    assert second.count("<li class=\"notification") == 5 and "Older" not in second

    client.post(reverse("notification_read", args=[made[0].pk]))
    unread = client.get(LIST, {"unread": "1"}).content.decode()
    assert unread.count("<li class=\"notification") == 25
    assert client.get(older.replace("?", "?unread=1&")).content.decode().count(
        '<li class="notification') == 4


def test_a_broken_cursor_says_so(org):
    tell(org.owner)
    response = signed_in(org.owner).get(LIST, {"after": "not-a-cursor"})
    assert response.status_code == 400
    assert "This cursor is not valid." in response.content.decode()


def every_kind_by_default() -> dict[str, str]:
    """The settings form as the page fills it: each registered kind at its default."""
    from amity.collaboration.kinds import notification_kinds

    return {f"channel_{kind.key}": kind.default_channel for kind in notification_kinds()}


def test_settings_page_saves_a_channel_per_kind_and_the_digest_time(org):
    client = signed_in(org.owner)
    assert reverse("notification_settings") in client.get(reverse("preferences")).content.decode()
    html = client.get(reverse("notification_settings")).content.decode()
    assert "A record is assigned to me" in html and "Automation rules" in html
    response = client.post(reverse("notification_settings"), {
        **every_kind_by_default(), "channel_record_assigned": "off",
        "channel_import_finished": "digest", "channel_automation": "email",
        "digest_time": "17:30"})
    assert response.status_code == 302
    record_assign(record=make_account(org.teammate), user=org.manager, owner=org.owner)
    assert not Notification.objects.filter(recipient=org.owner).exists()
    html = client.get(reverse("notification_settings")).content.decode()
    assert 'value="17:30"' in html


def test_settings_page_names_the_bad_field(org):
    response = signed_in(org.owner).post(reverse("notification_settings"), {
        **every_kind_by_default(), "channel_record_assigned": "carrier_pigeon",
        "digest_time": "25:99"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-field="channel_record_assigned"' in html and 'data-field="digest_time"' in html


def test_the_page_costs_the_same_queries_for_2_or_25_linked_notifications(org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page_queries() -> int:
        client = signed_in(org.teammate)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    for name in ("A", "B"):
        record_assign(record=make_account(org.owner, name), user=org.manager,
                      owner=org.teammate)
    few = page_queries()
    for i in range(23):
        record_assign(record=make_account(org.owner, f"C{i}"), user=org.manager,
                      owner=org.teammate)
    assert page_queries() == few


def test_a_page_opened_before_a_kind_was_added_still_saves(org):
    # The form as an older page sends it: one kind only; the others keep their channel.
    response = signed_in(org.owner).post(reverse("notification_settings"), {
        "channel_record_assigned": "off", "digest_time": "08:00"})
    assert response.status_code == 302
    record_assign(record=make_account(org.teammate), user=org.manager, owner=org.owner)
    assert not Notification.objects.filter(recipient=org.owner).exists()
    html = signed_in(org.owner).get(reverse("notification_settings")).content.decode()
    assert 'value="08:00"' in html
