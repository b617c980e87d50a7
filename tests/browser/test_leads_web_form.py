"""The embed snippet of a web-to-lead form on another site, in a real browser: its script
fetches a timestamp across origins (CORS for the allowed origin) and the visitor's post
lands on Amity as a lead."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from amity.sales.lead_setup import embed_snippet
from amity.sales.models import Lead, LeadForm
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


class OtherSite:
    """A site on another origin (127.0.0.1 and its own port) serving one page."""

    def __init__(self):
        self.page = b""
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(outer.page)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def other_site():
    site = OtherSite()
    yield site
    site.stop()


def test_a_visitor_sends_the_embedded_form_from_another_site(page, live_server, other_site,
                                                             settings, transactional_db):
    settings.LEAD_FORM_MIN_SECONDS = 0
    owner = make_user("somchai", "sales_rep")
    lead_form = LeadForm(name="Contact us", owner=owner, thank_you="ขอบคุณที่ติดต่อเรา",
                         fields=["given_name", "email"], allowed_origins=other_site.origin)
    lead_form.full_clean()
    lead_form.save()
    snippet = embed_snippet(lead_form, base_url=live_server.url)
    other_site.page = f"<!doctype html><meta charset=utf-8><h1>Shop</h1>{snippet}".encode()

    page.goto(other_site.origin + "/")
    stamp = page.locator("[name=amity_ts]")
    expect(stamp).not_to_have_value("")  # fetched from Amity across origins
    page.get_by_label("Family name").fill("ใจดี")
    page.get_by_label("Given name").fill("มาลี")
    page.get_by_label("Email").fill("malee@example.com")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".thanks")).to_contain_text("ขอบคุณที่ติดต่อเรา")
    lead = Lead.objects.get()
    assert (lead.given_name, lead.family_name, lead.owner) == ("มาลี", "ใจดี", owner)


def test_from_a_site_not_allowed_the_visitor_confirms_on_amitys_page(page, live_server,
                                                                    other_site, settings,
                                                                    transactional_db):
    settings.LEAD_FORM_MIN_SECONDS = 0
    owner = make_user("somchai", "sales_rep")
    lead_form = LeadForm(name="Contact us", owner=owner, fields=["email"],
                         allowed_origins="https://www.example.com")
    lead_form.full_clean()
    lead_form.save()
    snippet = embed_snippet(lead_form, base_url=live_server.url)
    other_site.page = f"<!doctype html><meta charset=utf-8>{snippet}".encode()

    page.goto(other_site.origin + "/")
    page.get_by_label("Family name").fill("Chen")
    page.get_by_label("Email").fill("chen@example.cn")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_contain_text("send the form again")
    expect(page.get_by_label("Email")).to_have_value("chen@example.cn")
    assert not Lead.objects.exists()
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".thanks")).to_be_visible()
    assert Lead.objects.get().email == "chen@example.cn"
