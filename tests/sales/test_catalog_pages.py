"""The catalogue pages, the rule editor, the configurator page and the opportunity
lines panel, as the people who use them see them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from amity.sales.models import ConfigurationRule, PriceBookEntry, Product
from tests.conftest import signed_in
from tests.sales.catalog_data import opportunity, product, rule, standard_book

pytestmark = pytest.mark.django_db
D = Decimal


def test_an_admin_adds_a_product_and_its_tiers_and_sees_field_errors(org):
    book = standard_book()
    admin = signed_in(org.admin)
    response = admin.post(reverse("product_create"), {"code": "茶-1", "name": "ชาเขียว 🍵",
                                                      "family": "Tea", "active": "on"})
    made = Product.objects.get(code="茶-1")
    assert response.status_code == 302
    url = reverse("product_tiers", args=[made.pk, book.pk])
    form = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "0",
            "form-0-min_quantity": "1", "form-0-unit_price": "120",
            "form-1-min_quantity": "1", "form-1-unit_price": "100",
            "form-2-min_quantity": "", "form-2-unit_price": ""}
    refused = admin.post(url, form)
    assert refused.status_code == 200
    assert "each tier needs its own starting quantity" in refused.content.decode()
    assert not PriceBookEntry.objects.exists()
    form["form-1-min_quantity"] = "10"
    assert admin.post(url, form).status_code == 302
    page = admin.get(reverse("product_detail", args=[made.pk])).content.decode()
    assert "ชาเขียว 🍵" in page and "120" in page


def test_reps_read_active_products_but_cannot_edit_the_catalogue(org):
    product("ON", "สินค้าที่ขาย")
    product("OFF", "สินค้าเก่า", active=False)
    rep = signed_in(org.owner)
    page = rep.get(reverse("product_list")).content.decode()
    assert "สินค้าที่ขาย" in page and "สินค้าเก่า" not in page
    for name in ("product_create", "price_book_list", "configuration_rule_list"):
        assert rep.get(reverse(name)).status_code == 404
    assert rep.post(reverse("product_create"), {"code": "X", "name": "X"}).status_code == 404
    assert not Product.objects.filter(code="X").exists()
    assert signed_in(org.partner).get(reverse("product_list")).status_code == 404
    assert signed_in(org.manager).get(reverse("product_create")).status_code == 200


def test_the_navigation_offers_products_to_sales_users(org):
    assert reverse("product_list") in signed_in(org.owner).get("/").content.decode()
    assert reverse("product_list") not in signed_in(org.partner).get("/").content.decode()


def test_a_rule_is_written_as_a_sentence_and_listed_in_words(org):
    laptop, dock = product("LAP", "Laptop"), product("DOCK", "Dock")
    admin = signed_in(org.admin)
    form = {"name": "Docks", "active": "on", "if_product": laptop.pk, "condition": "selected",
            "then_action": "requires", "then_quantity": "1", "else_action": "",
            "else_quantity": "1"}
    refused = admin.post(reverse("configuration_rule_create"), form)
    assert refused.status_code == 422
    assert "Choose the product this action is about." in refused.content.decode()
    form["then_product"] = dock.pk
    assert admin.post(reverse("configuration_rule_create"), form).status_code == 302
    listed = admin.get(reverse("configuration_rule_list")).content.decode()
    assert "If Laptop is selected then requires Dock, else nothing." in listed
    assert ConfigurationRule.objects.count() == 1


def test_the_configurator_answers_live_in_the_users_language(org):
    book = standard_book()
    laptop = product("LAP", "แล็ปท็อป", ("1", "30000"), book=book)
    dock = product("DOCK", "แท่นวาง", ("1", "5000"), book=book)
    rule(laptop, "requires", dock, name="ต้องมีแท่นวาง")
    org.owner.language = "th"
    org.owner.save()
    client = signed_in(org.owner)
    assert client.get(reverse("configurator")).status_code == 200
    rows = {"book": book.pk, "form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0",
            "form-0-product": laptop.pk, "form-0-quantity": "2",
            "form-1-product": "", "form-1-quantity": ""}
    response = client.post(reverse("configurator"), rows, headers={"HX-Request": "true"})
    text = response.content.decode()
    assert "<html" not in text
    assert "เพราะ" in text and "ต้องมีแท่นวาง" in text and "แท่นวาง" in text
    rows["form-1-product"], rows["form-1-quantity"] = dock.pk, "1"
    text = client.post(reverse("configurator"), rows, headers={"HX-Request": "true"}) \
        .content.decode()
    assert "65,000" in text


def test_the_configurator_replaces_an_opportunitys_lines_only_when_accepted(org):
    book = standard_book()
    laptop = product("LAP", "Laptop", ("1", "100"), book=book)
    dock = product("DOCK", "Dock", ("1", "10"), book=book)
    rule(laptop, "requires", dock)
    deal = opportunity(org.owner)
    client = signed_in(org.owner)
    rows = {"opportunity": deal.pk, "apply": "1", "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0", "form-0-product": laptop.pk, "form-0-quantity": "1",
            "form-1-product": "", "form-1-quantity": ""}
    assert client.post(reverse("configurator"), rows).status_code == 200
    assert deal.lines.count() == 0
    rows["form-1-product"], rows["form-1-quantity"] = dock.pk, "3"
    assert client.post(reverse("configurator"), rows).status_code == 302
    deal.refresh_from_db()
    assert deal.lines.count() == 2 and deal.amount == D("130.00")
    outsider = signed_in(org.outsider)
    assert outsider.get(reverse("configurator") + f"?opportunity={deal.pk}").status_code == 404


def test_the_lines_panel_adds_changes_and_removes_lines_for_editors_only(org):
    book = standard_book()
    seat = product("SEAT", "ที่นั่ง", ("1", "1000"), ("10", "900"), book=book)
    deal = opportunity(org.owner)
    panel = reverse("opportunity_lines", args=[deal.pk])
    owner = signed_in(org.owner)
    added = owner.post(reverse("opportunity_line_add", args=[deal.pk]),
                       {"product": seat.pk, "quantity": "10", "discount_percent": "0"},
                       headers={"HX-Request": "true"})
    assert added.status_code == 200, added.content.decode()[-3000:]
    assert "record-changed" in added["HX-Trigger"]
    assert "9,000" in added.content.decode()
    line = deal.lines.get()
    refused = owner.post(reverse("opportunity_line_update", args=[deal.pk, line.pk]),
                         {"quantity": "-1", "unit_price": "900", "discount_percent": "0"})
    assert refused.status_code == 422
    changed = owner.post(reverse("opportunity_line_update", args=[deal.pk, line.pk]),
                         {"quantity": "2", "unit_price": "900", "discount_percent": "50"})
    assert "900" in changed.content.decode()
    deal.refresh_from_db()
    assert deal.amount == D("900.00")
    outsider = signed_in(org.outsider)
    assert outsider.get(panel).status_code == 404
    assert outsider.post(reverse("opportunity_line_delete", args=[deal.pk, line.pk])) \
        .status_code == 404
    viewer_page = signed_in(org.viewer).get(panel).content.decode()
    assert "ที่นั่ง" in viewer_page and reverse("opportunity_line_add", args=[deal.pk]) \
        not in viewer_page
    owner.post(reverse("opportunity_line_delete", args=[deal.pk, line.pk]))
    assert deal.lines.count() == 0


def test_the_panel_include_loads_itself_on_the_opportunity_page(org):
    from django.template.loader import render_to_string

    deal = opportunity(org.owner)
    html = render_to_string("sales/catalog/_opportunity_lines.html", {"record": deal})
    assert f'hx-get="{reverse("opportunity_lines", args=[deal.pk])}"' in html


def test_an_admin_keeps_price_books_and_edits_rules(org):
    admin = signed_in(org.admin)
    refused = admin.post(reverse("price_book_create"), {"name": "ราคาพิเศษ", "currency": "ABC"})
    assert "ABC is not an ISO currency code" in refused.content.decode()
    assert admin.post(reverse("price_book_create"), {
        "name": "ราคาพิเศษ", "currency": "thb", "active": "on"}).status_code == 302
    assert "ราคาพิเศษ" in admin.get(reverse("price_book_list")).content.decode()
    laptop = product("LAP", "Laptop")
    made = rule(laptop, "adjust_price", then_adjust_by="percent", then_adjust_value=D(5))
    page = admin.get(reverse("configuration_rule_edit", args=[made.pk]))
    assert page.status_code == 200
    form = {"if_product": laptop.pk, "condition": "selected", "then_action": "adjust_price",
            "then_adjust_by": "percent", "then_adjust_value": "5000", "then_quantity": "1",
            "else_quantity": "1"}
    refused = admin.post(reverse("configuration_rule_edit", args=[made.pk]), form)
    assert "A surcharge cannot exceed 1000 %." in refused.content.decode()
    made.refresh_from_db()
    assert made.then_adjust_value == D(5)
    assert admin.post(reverse("configuration_rule_delete", args=[made.pk])).status_code == 302
    assert not ConfigurationRule.objects.exists()


def test_the_configurator_opens_on_an_opportunitys_lines_with_their_warnings(org):
    from amity.sales import line_items

    book = standard_book()
    laptop = product("LAP", "Laptop", ("1", "100"), book=book)
    dock = product("DOCK", "Dock", ("1", "10"), book=book)
    deal = opportunity(org.owner)
    line_items.line_add(opportunity=deal, user=org.owner, product=laptop, quantity=D(1))
    rule(laptop, "requires", dock, name="Needs a dock")
    page = signed_in(org.owner).get(reverse("configurator") + f"?opportunity={deal.pk}")
    assert "Needs a dock" in page.content.decode()
    panel = signed_in(org.owner).get(reverse("opportunity_lines", args=[deal.pk]))
    assert "Needs a dock" in panel.content.decode()
