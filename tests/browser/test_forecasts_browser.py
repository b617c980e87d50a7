"""What needs a real browser: the KPI charts drawn by plotly.js served from Amity under
the content security policy, and the forecast category changed inline from the
drill-down list (HTMX)."""

import pytest
from playwright.sync_api import expect

from amity.sales.models import Opportunity
from tests.browser.conftest import sign_in
from tests.sales.forecast_data import make_forecast_data

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def data(org, settings, transactional_db):
    settings.AMITY_CURRENCY = "USD"
    return make_forecast_data(org)


def test_kpi_charts_are_drawn_with_plotly_from_amity(page, org, data):
    sign_in(page, org.manager)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/sales/kpis/?period=2026-Q1")
    expect(page.locator("#chart-activities-plot.drawn .main-svg").first).to_be_visible()
    expect(page.locator("#chart-win-rate-plot.drawn")).to_be_visible()
    expect(page.locator("#kpi-table")).to_contain_text("owner")
    assert all(url.startswith(page.url.split("/sales/")[0]) for url in requests)


def test_the_forecast_category_changes_inline_from_the_drill_down(page, org, data):
    sign_in(page, org.owner)
    page.goto("/sales/forecast/?period=2026-Q1")
    rep_row = page.locator(f'[data-node="rep-{org.owner.pk}"]')
    rep_row.get_by_role("link", name="Opportunities").click()
    row = page.locator(f"#opportunity-{data['c'].pk}")
    expect(row).to_be_visible()
    with page.expect_response(lambda r: "/category/" in r.url):
        row.get_by_label("Forecast category").select_option("commit")
    expect(page.locator(f"#opportunity-{data['c'].pk} select")).to_have_value("commit")
    assert Opportunity.objects.get(pk=data["c"].pk).forecast_category == "commit"
