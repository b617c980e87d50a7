"""Accounts and contacts in the UI: list, filter, sort, create, inline edit, delete."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amity.core.services import record_update
from amity.customers.models import Account, Contact
from tests.conftest import make_account, make_contact, signed_in


def test_list_shows_visible_records_with_filters_and_sorting(org):
    make_account(org.owner, "Bangkok Foods", country="TH")
    make_account(org.teammate, "Ayutthaya Rice", country="TH")
    make_account(org.owner, "Tehran Tiles", country="IR")
    client = signed_in(org.owner)
    page = client.get(reverse("account_list")).content.decode()
    assert page.index("Ayutthaya Rice") < page.index("Bangkok Foods") < page.index("Tehran Tiles")
    page = client.get(reverse("account_list"), {"sort": "-name"}).content.decode()
    assert page.index("Tehran Tiles") < page.index("Bangkok Foods")
    page = client.get(reverse("account_list"), {"country": "IR"}).content.decode()
    assert "Tehran Tiles" in page and "Bangkok Foods" not in page


def test_htmx_filter_returns_only_the_table_partial(org):
    make_account(org.owner, "Bangkok Foods")
    client = signed_in(org.owner)
    response = client.get(reverse("account_list"), {"q": "bang"},
                          headers={"HX-Request": "true", "HX-Target": "record-list"})
    html = response.content.decode()
    assert "Bangkok Foods" in html
    assert "<html" not in html


def test_keyset_pages_follow_on(org):
    for i in range(55):
        make_account(org.owner, f"Account {i:02d}")
    client = signed_in(org.owner)
    first = client.get(reverse("account_list"))
    assert "Account 49" in first.content.decode() and "Account 50" not in first.content.decode()
    next_link = first.context["page"].next_cursor
    second = client.get(reverse("account_list"), {"after": next_link}).content.decode()
    assert "Account 50" in second and "Account 54" in second and "Account 49" not in second


def test_list_query_count_is_constant(org):
    client = signed_in(org.owner)
    for i in range(3):
        make_contact(org.owner, f"Few{i}", account=make_account(org.owner, f"A{i}"))
    client.get(reverse("contact_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("contact_list"))
    for i in range(20):
        make_contact(org.owner, f"Many{i}", account=make_account(org.owner, f"B{i}"))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("contact_list"))
    assert len(many) == len(few)


def test_create_with_errors_shows_them_by_field_and_stores_nothing(org):
    client = signed_in(org.owner)
    response = client.post(reverse("account_create"), {"name": "", "type": "friend",
                                                       "website": "not a url"})
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) >= {"name", "type", "website"}
    assert Account.objects.count() == 0


def test_create_in_thai_then_page_shows_history_and_timeline(org):
    client = signed_in(org.owner)
    response = client.post(reverse("account_create"),
                           {"name": "บริษัท ข้าวหอม จำกัด", "type": "prospect",
                            "website": "khaohom.example"}, follow=True)
    assert response.status_code == 200
    account = Account.objects.get()
    assert account.website == "https://khaohom.example"
    assert account.owner == org.owner and account.team == org.east
    html = response.content.decode()
    assert "บริษัท ข้าวหอม จำกัด" in html
    assert "Created" in html  # timeline and history entry


def test_inline_edit_swaps_the_facts_panel(org):
    account = make_account(org.owner, "Old Name")
    client = signed_in(org.teammate)
    url = reverse("account_edit", args=[account.pk])
    form = client.get(url, headers={"HX-Request": "true"})
    assert b"<form" in form.content and b"<html" not in form.content
    response = client.post(url, {"name": "New Name", "type": "customer",
                                 "version": account.version}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"New Name" in response.content and b"<html" not in response.content
    assert response.headers["HX-Trigger"] == "record-changed"
    account.refresh_from_db()
    assert (account.name, account.type) == ("New Name", "customer")
    history = client.get(reverse("account_detail", args=[account.pk])).content.decode()
    assert "Old Name" in history and "New Name" in history and "teammate" in history


def test_stale_inline_edit_is_refused_and_keeps_what_was_typed(org):
    account = make_account(org.owner, "Start")
    loaded_version = account.version
    record_update(record=Account.objects.get(pk=account.pk), user=org.teammate,
                  data={"name": "Changed meanwhile"})
    client = signed_in(org.owner)
    response = client.post(reverse("account_edit", args=[account.pk]),
                           {"name": "My typing", "type": "prospect", "version": loaded_version},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Someone else changed this record" in html
    assert 'value="My typing"' in html
    assert Account.objects.get(pk=account.pk).name == "Changed meanwhile"


def test_delete_moves_to_recycle_bin_and_admin_restores(org):
    account = make_account(org.owner, "Doomed")
    manager = signed_in(org.manager)
    response = manager.post(reverse("account_delete", args=[account.pk]))
    assert response.status_code == 302
    assert not Account.objects.filter(pk=account.pk).exists()
    admin = signed_in(org.admin)
    assert "Doomed" in admin.get(reverse("recycle_bin")).content.decode()
    admin.post(reverse("restore", args=["customers.account", account.pk]))
    assert Account.objects.filter(pk=account.pk).exists()
    assert signed_in(org.owner).get(reverse("account_detail", args=[account.pk])).status_code == 200


def test_only_admins_reach_the_recycle_bin(org):
    account = make_account(org.owner, "Doomed")
    signed_in(org.manager).post(reverse("account_delete", args=[account.pk]))
    manager = signed_in(org.manager)
    assert manager.get(reverse("recycle_bin")).status_code == 404
    response = manager.post(reverse("restore", args=["customers.account", account.pk]))
    assert response.status_code == 404
    assert not Account.objects.filter(pk=account.pk).exists()


def test_sales_rep_cannot_delete(org):
    account = make_account(org.owner, "Keep")
    client = signed_in(org.owner)
    assert client.post(reverse("account_delete", args=[account.pk])).status_code == 404
    assert Account.objects.filter(pk=account.pk).exists()


def test_contact_form_offers_only_visible_accounts(org):
    make_account(org.owner, "Mine")
    make_account(org.outsider, "Theirs")
    client = signed_in(org.owner)
    html = client.get(reverse("contact_create")).content.decode()
    assert "Mine" in html and "Theirs" not in html


def test_chinese_contact_name_reads_family_name_first(org):
    contact = make_contact(org.owner, "王", given_name="明")
    assert str(contact) == "王明"
    assert str(make_contact(org.owner, "Boonmee", given_name="Niran")) == "Niran Boonmee"
    html = signed_in(org.owner).get(reverse("contact_detail", args=[contact.pk])).content.decode()
    assert "王明" in html
    assert Contact.objects.count() == 2


def test_global_search_finds_across_kinds(org):
    make_account(org.owner, "明华科技")
    make_contact(org.owner, "احمدی", email="maryam@pars.example")
    client = signed_in(org.owner)
    html = client.get(reverse("search"), {"q": "明华"}, headers={"HX-Request": "true"})
    assert "明华科技" in html.content.decode()
    html = client.get(reverse("search"), {"q": "maryam"}).content.decode()
    assert "احمدی" in html


def test_facts_show_numbers_and_dates_as_people_read_them(org):
    import datetime as dt
    from decimal import Decimal

    from amity.sales.models import Opportunity
    from tests.sales.catalog_data import opportunity

    account = make_account(org.owner, "Lotus", employees=0,
                           annual_revenue=Decimal("1234567.50"), revenue_currency="THB")
    html = signed_in(org.owner).get(account.get_absolute_url()).content.decode()
    assert "<dt>Employees</dt><dd>0</dd>" in html  # not "—": zero is a value
    assert "<dd>1,234,567.50</dd>" in html
    deal = opportunity(org.owner, close_date=dt.date(2027, 3, 21))
    org.owner.language, org.owner.calendar = "fa", "persian"
    org.owner.save()
    html = signed_in(org.owner).get(Opportunity.objects.get(pk=deal.pk)
                                    .get_absolute_url()).content.decode()
    facts = html[html.index('id="facts"'):]
    facts = facts[:facts.index("</section>")]
    assert "۱۴۰۶" in facts and "2027" not in facts  # Nowruz 1406, in Persian digits


def test_the_history_shows_dates_and_numbers_in_the_readers_calendar_and_digits(org):
    org.owner.language, org.owner.calendar = "fa", "persian"
    org.owner.save()
    account = make_account(org.owner, "Hafez Co")
    record_update(record=account, user=org.owner,
                  data={"employees": 1250, "annual_revenue": Decimal("98765.50"),
                        "revenue_currency": "THB"})
    contact = make_contact(org.owner, "Rostami")
    record_update(record=contact, user=org.owner, data={"birth_date": dt.date(1990, 4, 13)})
    client = signed_in(org.owner)
    account_page = client.get(reverse("account_detail", args=[account.pk])).content.decode()
    history = account_page[account_page.index('id="history"'):]
    assert "۱٬۲۵۰" in history and "۹۸٬۷۶۵٫۵۰" in history  # Persian digits and separators
    assert "1250" not in history and "98765.50" not in history
    contact_page = client.get(contact.get_absolute_url()).content.decode()
    history = contact_page[contact_page.index('id="history"'):]
    assert "۱۳۶۹" in history and "1990-04-13" not in history  # the Persian year
