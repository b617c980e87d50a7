"""The forecast, drill-down, quota grid and KPI pages, and who may open them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from amity.events.models import Event
from amity.sales.models import Quota
from tests.conftest import signed_in
from tests.sales.forecast_data import make_forecast_data

D = Decimal


@pytest.fixture
def data(org, settings):
    settings.AMITY_CURRENCY = "USD"
    return make_forecast_data(org)


def test_the_manager_sees_the_team_tree_and_the_missing_rate(org, data):
    page = signed_in(org.manager).get(reverse("forecast"), {"period": "2026-Q1"})
    assert page.status_code == 200
    text = page.content.decode()
    for name in ("Sales", "East", "West", "owner", "teammate", "outsider"):
        assert f"<bdi>{name}</bdi>" in text
    assert "24,000.00" in text  # the Sales quota
    assert "exchange rate for JPY" in text
    assert reverse("quota_grid") in text


def test_a_rep_sees_neither_the_other_team_nor_the_quota_grid(org, data):
    text = signed_in(org.owner).get(reverse("forecast"), {"period": "2026-Q1"}
                                    ).content.decode()
    assert "<bdi>East</bdi>" in text and "<bdi>West</bdi>" not in text
    assert "outsider" not in text and "4,000.00" not in text.split("East")[0]
    assert reverse("quota_grid") not in text


def test_a_wrong_period_is_explained_and_the_current_quarter_shown(org, data):
    page = signed_in(org.manager).get(reverse("forecast"), {"period": "2026-13"})
    assert page.status_code == 200
    assert "Give a month as YYYY-MM" in page.content.decode()


def test_the_drill_down_lists_the_nodes_opportunities_and_hides_others(org, data):
    client = signed_in(org.owner)
    page = client.get(reverse("forecast_drilldown"),
                      {"period": "2026-Q1", "node": f"team-{org.east.pk}"},
                      headers={"HX-Request": "true"})
    text = page.content.decode()
    assert page.status_code == 200
    assert data["h"].name in text and data["a"].name in text
    assert data["i"].name not in text  # the teammate's unshared opportunity
    assert data["e"].name not in text  # next quarter
    for node in (f"team-{org.west.pk}", f"rep-{org.outsider.pk}", "rep-x", "team-99999"):
        assert client.get(reverse("forecast_drilldown"),
                          {"period": "2026-Q1", "node": node}).status_code == 404


def test_the_category_changes_inline_and_the_change_is_recorded(org, data):
    client = signed_in(org.owner)
    opp = data["c"]
    row = client.post(reverse("forecast_category", args=[opp.pk]),
                      {"forecast_category": "commit"}, headers={"HX-Request": "true"})
    assert row.status_code == 200, row.content.decode()
    assert row["HX-Trigger"] == "forecast-changed"
    assert '<option value="commit" selected>' in row.content.decode()
    opp.refresh_from_db()
    assert opp.forecast_category == "commit"
    assert Event.objects.for_subject(opp).filter(kind="updated").exists()


def test_a_bad_category_or_a_closed_deal_is_refused_with_a_reason(org, data):
    client = signed_in(org.owner)
    for opp, value in ((data["c"], "closed"), (data["c"], "<script>x</script>"),
                       (data["d"], "commit")):
        row = client.post(reverse("forecast_category", args=[opp.pk]),
                          {"forecast_category": value}, headers={"HX-Request": "true"})
        assert row.status_code == 422
        assert 'role="alert"' in row.content.decode()
    data["c"].refresh_from_db()
    assert data["c"].forecast_category == "pipeline"


def test_others_opportunities_answer_404_on_the_inline_edit(org, data):
    client = signed_in(org.owner)
    for opp in (data["i"], data["k"]):
        assert client.post(reverse("forecast_category", args=[opp.pk]),
                           {"forecast_category": "commit"}).status_code == 404
    assert signed_in(org.viewer).post(reverse("forecast_category", args=[data["a"].pk]),
                                      {"forecast_category": "commit"}).status_code == 404


def test_pages_are_closed_to_those_without_sales_access(org, data):
    for name in ("forecast", "rep_kpis", "forecast_drilldown", "quota_grid"):
        assert signed_in(org.partner).get(reverse(name)).status_code == 404
        assert signed_in(org.owner).get(reverse("quota_grid")).status_code == 404
        anonymous = signed_in(org.owner)
        anonymous.logout()
        assert anonymous.get(reverse(name)).status_code == 302


def test_the_manager_sets_quotas_in_the_grid(org, data):
    client = signed_in(org.manager)
    name = f"q-{org.outsider.pk}-2026-04"
    page = client.post(reverse("quota_grid") + "?year=2026&kind=month",
                       {name: "12,500.50", f"q-{org.owner.pk}-2026-01": ""})
    assert page.status_code == 302
    assert Quota.objects.get(rep=org.outsider, period_kind="month").amount == D("12500.50")
    assert not Quota.objects.filter(rep=org.owner, period_start="2026-01-01",
                                    period_kind="month").exists()


@pytest.mark.parametrize("typed", ["-5", "1e30", "abc", "ห้าพัน", "12.345", "NaN",
                                   "'; DROP TABLE sales_quota;--", "💰"])
def test_bad_quotas_are_refused_by_cell_and_nothing_is_saved(org, data, typed):
    client = signed_in(org.manager)
    before = list(Quota.objects.values_list("rep", "period_start", "amount"))
    page = client.post(reverse("quota_grid") + "?year=2026&kind=month",
                       {f"q-{org.outsider.pk}-2026-05": "100",
                        f"q-{org.teammate.pk}-2026-06": typed})
    assert page.status_code == 422
    assert 'aria-invalid="true"' in page.content.decode()
    assert list(Quota.objects.values_list("rep", "period_start", "amount")) == before


def test_a_team_lead_sets_quotas_below_but_not_their_own(org, data):
    from amity.sales.quotas import can_set_quota
    lead = org.manager
    assert can_set_quota(lead, org.owner) and not can_set_quota(lead, lead)
    assert not can_set_quota(org.owner, org.teammate)
    assert not can_set_quota(org.owner, org.owner)
    assert can_set_quota(org.admin, org.admin)


def test_kpi_page_shows_tables_charts_and_locale_digits(org, data):
    client = signed_in(org.manager)
    page = client.get(reverse("rep_kpis"), {"period": "2026-Q1", "team": org.east.pk})
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="kpi-table"' in text and 'id="chart-activities"' in text
    assert "plotly/plotly.min.js" in text
    assert f'data-rep="{org.outsider.pk}"' not in text  # West is not in the East team
    client.post(reverse("switch_language"), {"language": "fa", "next": "/"})
    fa = client.get(reverse("forecast"), {"period": "2026-Q1"}).content.decode()
    assert "۲۴٬۰۰۰٫۰۰" in fa  # the Sales quota in Persian digits and separators
    assert signed_in(org.owner).get(reverse("rep_kpis"),
                                    {"team": org.west.pk}).status_code == 404
    assert signed_in(org.owner).get(reverse("rep_kpis"),
                                    {"rep": org.outsider.pk}).status_code == 404


def test_plotly_is_served_by_amity(client):
    response = client.get("/static/plotly/plotly.min.js")
    assert response.status_code == 200


def test_kpis_for_one_rep_show_only_that_rep(org, data):
    page = signed_in(org.manager).get(reverse("rep_kpis"),
                                      {"period": "2026-Q1", "rep": org.teammate.pk})
    text = page.content.decode()
    assert f'data-rep="{org.teammate.pk}"' in text
    assert f'data-rep="{org.owner.pk}"' not in text
    assert f'<option value="{org.teammate.pk}" selected>' in text


def test_a_team_lead_sets_the_quotas_of_the_teams_below_only(org, data):
    from amity.org.models import Team
    from amity.sales.quotas import can_set_quota, quota_reps
    from tests.conftest import make_user

    sales = Team.objects.get(name="Sales")
    lead = make_user("lead", "sales_rep", sales)  # a team grant over Sales and below
    peer = make_user("peer", "sales_rep", sales)
    assert can_set_quota(lead, org.owner) and can_set_quota(lead, org.outsider)
    assert not can_set_quota(lead, lead) and not can_set_quota(lead, peer)
    assert {r.username for r in quota_reps(lead)} == {"owner", "teammate", "outsider"}
    client = signed_in(lead)
    assert client.post(reverse("quota_grid") + "?year=2026&kind=quarter",
                       {f"q-{org.owner.pk}-2026-Q3": "9000"}).status_code == 302
    assert Quota.objects.get(rep=org.owner, period_kind="quarter").amount == D(9000)
    refused = client.post(reverse("quota_grid") + "?year=2026&kind=quarter",
                          {f"q-{peer.pk}-2026-Q3": "9000"})
    assert refused.status_code == 302  # a cell the lead is not shown is ignored
    assert not Quota.objects.filter(rep=peer).exists()
