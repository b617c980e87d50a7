"""The UI shell: navigation by area, home page per role, API tokens in settings."""

import re

import pytest
from django.urls import reverse

from amity.integrations.models import ApiToken, hash_token
from amity.web import dashboard
from tests.conftest import make_account, make_contact, signed_in


def test_navigation_shows_the_areas_and_admin_only_to_admins(org):
    html = signed_in(org.owner).get(reverse("home")).content.decode()
    for area in ("Sales", "Marketing", "Service", "Analytics", "Partners"):
        assert f">{area}</a>" in html
    assert reverse("user_list") not in html
    assert reverse("user_list") in signed_in(org.admin).get(reverse("home")).content.decode()


def test_partner_user_sees_only_what_the_role_allows_in_navigation(org):
    html = signed_in(org.partner).get(reverse("area", args=["sales"])).content.decode()
    assert reverse("account_list") in html
    assert signed_in(org.owner).get(reverse("area", args=["admin"])).status_code == 404
    assert signed_in(org.owner).get(reverse("area", args=["nowhere"])).status_code == 404


def test_the_sales_menu_is_grouped_under_headings(org):
    page = signed_in(org.owner).get(reverse("area", args=["sales"])).content.decode()
    html = page.split("<main")[1]  # the area's page, not the header's menu
    headings = ["<h2>Customers</h2>", "<h2>Deals</h2>", "<h2>Activities</h2>",
                "<h2>Catalogue</h2>", "<h2>Forecasts and KPIs</h2>"]
    assert [html.index(h) for h in headings] == sorted(html.index(h) for h in headings)
    # Each link sits under its heading: the board with the deals, the agenda with activities.
    assert html.index("<h2>Deals</h2>") < html.index(reverse("opportunity_board")) \
        < html.index("<h2>Activities</h2>") < html.index(reverse("activity_agenda"))
    menu = signed_in(org.owner).get(reverse("home")).content.decode()
    assert '<li class="menu-group" role="presentation">Deals</li>' in menu
    # Areas without headings stay plain lists.
    service = signed_in(org.owner).get(reverse("area", args=["service"])).content.decode()
    assert "<h2>" not in service.split("<main")[1]


def test_home_page_differs_by_role(org):
    make_account(org.owner, "Rep's own")
    make_account(org.teammate, "Teammate's")
    rep = signed_in(org.owner).get(reverse("home")).content.decode()
    assert "My accounts" in rep and "Rep&#x27;s own" in rep and "Teammate" not in rep
    manager = signed_in(org.manager).get(reverse("home")).content.decode()
    assert "Recently changed accounts" in manager and "Teammate&#x27;s" in manager
    admin = signed_in(org.admin).get(reverse("home")).content.decode()
    assert "Organisation" in admin and "Active users" in admin


def test_home_page_counts_stop_at_the_cap(org, monkeypatch):
    for name in ("Jaidee", "Boonmee", "Wongyai"):
        make_contact(org.owner, name)
    make_contact(org.teammate, "Teammate's")
    monkeypatch.setattr(dashboard, "COUNT_CAP", 3)
    rep = signed_in(org.owner).get(reverse("home")).content.decode()
    assert 'My contacts <span class="count">3</span>' in rep
    manager = signed_in(org.manager).get(reverse("home")).content.decode()
    assert 'Recently changed contacts <span class="count">3+</span>' in manager


def test_create_and_revoke_an_api_token_in_the_ui(org):
    client = signed_in(org.owner)
    response = client.post(reverse("token_list"), {"name": "Zapier"})
    raw = response.context["new_token"]
    assert raw and raw in response.content.decode()
    token = ApiToken.objects.get(user=org.owner)
    assert token.key_hash == hash_token(raw)
    api = {"Authorization": f"Bearer {raw}"}
    from django.test import Client

    assert Client(headers=api).get("/api/v1/org/me").status_code == 200
    # The raw token is shown once only.
    assert raw not in client.get(reverse("token_list")).content.decode()
    client.post(reverse("token_revoke", args=[token.pk]))
    assert Client(headers=api).get("/api/v1/org/me").status_code == 401


def test_one_cannot_revoke_another_users_token(org):
    signed_in(org.outsider).post(reverse("token_list"), {"name": "Mine"})
    token = ApiToken.objects.get(user=org.outsider)
    signed_in(org.owner).post(reverse("token_revoke", args=[token.pk]))
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


@pytest.mark.parametrize("name", ["", " ", "x" * 101])
def test_token_name_is_validated(org, name):
    response = signed_in(org.owner).post(reverse("token_list"), {"name": name})
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_a_missing_or_unshared_record_answers_the_same_404_page(org):
    hidden = make_account(org.outsider, "West secret")
    outsider_page = signed_in(org.owner).get(reverse("account_detail", args=[hidden.pk]))
    missing_page = signed_in(org.owner).get(reverse("account_detail", args=[hidden.pk + 999]))
    assert outsider_page.status_code == missing_page.status_code == 404
    html = outsider_page.content.decode()
    assert "Not found" in html and reverse("home") in html and "West secret" not in html
    assert outsider_page["Content-Type"].startswith("text/html")
    def main(page: str) -> str:
        return re.search(r"<main.*</main>", page, re.S).group()

    assert main(html) == main(missing_page.content.decode())
