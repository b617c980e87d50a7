"""The pipeline board in a real browser: drag a card to the next stage and find it there
after a reload; drag it into a stage whose required field is empty and read why not."""

import pytest
from playwright.sync_api import expect

from amity.sales.models import Opportunity
from amity.sales.pipeline_services import pipeline_seed_default
from tests.browser.conftest import sign_in
from tests.conftest import make_user
from tests.sales.pipeline_helpers import make_opportunity, stage

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def column(page, pipeline, name: str):
    return page.locator(f'.board-column[data-stage="{stage(pipeline, name).pk}"]')


def test_drag_a_card_to_the_next_stage_and_into_a_refusal(page, transactional_db):
    pipeline = pipeline_seed_default()
    negotiate = stage(pipeline, "Negotiate")
    negotiate.required_fields = ["competitor"]
    negotiate.save()
    user = make_user("somchai", "sales_rep")
    opp = make_opportunity(user, pipeline, name="ระบบห้องเย็น")
    sign_in(page, user)
    page.goto(f"/pipelines/{pipeline.pk}/board/")
    card = page.locator(f"#card-{opp.pk}")
    expect(column(page, pipeline, "Qualify").locator(f"#card-{opp.pk}")).to_be_visible()

    card.drag_to(column(page, pipeline, "Propose"))

    expect(page.locator("#board-status")).to_contain_text("moved to Propose")
    expect(column(page, pipeline, "Propose").locator("[data-count]")).to_contain_text(
        "Opportunities: 1")
    page.reload()
    expect(column(page, pipeline, "Propose").locator(f"#card-{opp.pk}")).to_be_visible()

    page.locator(f"#card-{opp.pk}").drag_to(column(page, pipeline, "Negotiate"))

    expect(page.locator("#board-status")).to_contain_text(
        "Fill in competitor before moving to Negotiate.")
    # The card snaps back to where it was.
    expect(column(page, pipeline, "Propose").locator(f"#card-{opp.pk}")).to_be_visible()
    expect(column(page, pipeline, "Negotiate").locator(f"#card-{opp.pk}")).to_have_count(0)
    assert Opportunity.objects.get(pk=opp.pk).stage.name == "Propose"
