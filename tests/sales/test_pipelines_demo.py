"""The demo organisation comes with the standard pipeline, opportunities at several
stages in several currencies, and the rates that total them."""

import pytest
from django.urls import reverse

from amity.demo import load_demo
from amity.org.models import User
from amity.sales.models import Opportunity, Pipeline
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_pipeline_with_opportunities(settings):
    settings.AMITY_CURRENCY = "USD"
    assert load_demo()
    pipeline = Pipeline.objects.get(is_default=True)
    assert pipeline.name == "New business"
    assert Opportunity.objects.count() == 6
    assert set(Opportunity.objects.values_list("status", flat=True)) == {"open", "won", "lost"}
    somchai = User.objects.get(username="somchai")
    response = signed_in(somchai).get(reverse("pipeline_board", args=[pipeline.pk]))
    text = response.content.decode()
    assert response.status_code == 200 and "ห้องเย็น 3 สาขา" in text
    assert "no exchange rate" not in text


def test_the_demos_forecast_shows_last_weeks_win_and_loss_as_changes(settings):
    settings.AMITY_CURRENCY = "USD"
    assert load_demo()
    maria = User.objects.get(username="maria")
    text = signed_in(maria).get(reverse("forecast")).content.decode()
    row = text.split(f'data-node="rep-{maria.pk}"')[1].split("</div>")[0]
    assert 'class="change"' in row  # the Wholesale renewal won since the snapshot
