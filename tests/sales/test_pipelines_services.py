"""Stage rules, stage history, close and reopen, through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from amity.core.services import record_create
from amity.events.models import Event
from amity.sales.models import Opportunity, Pipeline, Stage, StageChange
from amity.sales.opportunity_services import (
    opportunity_close,
    opportunity_move,
    opportunity_reopen,
    opportunity_update,
)
from amity.sales.pipeline_services import pipeline_seed_default, stage_save, stages_reorder
from tests.conftest import define_custom_field, make_account
from tests.sales.pipeline_helpers import make_opportunity, pipeline_fixture, stage  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_fresh_installation_gets_the_standard_pipeline_once(db):
    created = pipeline_seed_default()
    assert [(s.name, s.probability, s.outcome) for s in created.stages.order_by("position")] == [
        ("Qualify", 10, "open"), ("Propose", 40, "open"), ("Negotiate", 70, "open"),
        ("Won", 100, "won"), ("Lost", 0, "lost")]
    assert created.is_default and created.name == "New business"
    assert pipeline_seed_default() is None
    assert Pipeline.objects.count() == 1


def test_a_new_opportunity_starts_in_the_first_stage_with_its_probability(org, pipeline):
    opp = make_opportunity(org.owner)
    assert opp.stage.name == "Qualify" and opp.probability == Decimal(10)
    assert opp.status == "open" and opp.stage_entered_at is not None
    first = opp.stage_changes.get()
    assert first.from_stage is None and first.to_stage.name == "Qualify"
    assert first.seconds_in_previous is None


def test_moving_records_history_time_in_stage_and_the_default_probability(org, pipeline):
    opp = make_opportunity(org.owner)
    entered = timezone.now() - dt.timedelta(days=3, hours=2)
    Opportunity.objects.filter(pk=opp.pk).update(stage_entered_at=entered)
    opp = opportunity_move(opportunity=opp, stage=stage(pipeline, "Propose"), user=org.owner)
    assert opp.stage.name == "Propose" and opp.probability == Decimal(40)
    change = opp.stage_changes.order_by("-changed_at", "-id").first()
    assert change.from_stage.name == "Qualify" and change.changed_by == org.owner
    assert abs(change.seconds_in_previous - (3 * 86400 + 7200)) < 60
    assert opp.stage_entered_at > entered
    event = Event.objects.for_subject(opp).get(kind="opportunity.moved")
    assert event.payload["changes"]["stage"] == {"old": "Qualify", "new": "Propose"}


def test_a_probability_the_rep_set_survives_a_move(org, pipeline):
    opp = make_opportunity(org.owner)
    opp = opportunity_update(opportunity=opp, user=org.owner, data={"probability": Decimal(25)})
    opp = opportunity_move(opportunity=opp, stage=stage(pipeline, "Propose"), user=org.owner)
    assert opp.probability == Decimal(25)
    opp = opportunity_update(opportunity=opp, user=org.owner, data={"probability": None})
    assert opp.probability == Decimal(40)
    opp = opportunity_move(opportunity=opp, stage=stage(pipeline, "Negotiate"), user=org.owner)
    assert opp.probability == Decimal(70)


def test_moving_forward_needs_the_required_fields_and_says_which(org, pipeline):
    define_custom_field(org.admin, "budget_owner", "text", kind="sales.opportunity",
                        label="ผู้อนุมัติงบ")
    stage_save(user=org.admin, stage=stage(pipeline, "Negotiate"),
               data={"required_fields": ["contact", "custom.budget_owner"]})
    opp = make_opportunity(org.owner)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        opportunity_move(opportunity=opp, stage=stage(pipeline, "Negotiate"), user=org.owner)
    message = refused.value.message_dict["stage"][0]
    assert "contact" in message and "ผู้อนุมัติงบ" in message and "Negotiate" in message
    opp.refresh_from_db()
    assert opp.stage.name == "Qualify" and opp.stage_changes.count() == 1
    # Moving back never needs anything.
    opp = opportunity_move(opportunity=opp, stage=stage(pipeline, "Propose"), user=org.owner)
    assert opportunity_move(opportunity=opp, stage=stage(pipeline, "Qualify"),
                            user=org.owner).stage.name == "Qualify"


def test_skipping_a_stage_needs_its_required_fields_too(org, pipeline):
    stage_save(user=org.admin, stage=stage(pipeline, "Propose"),
               data={"required_fields": ["description"]})
    opp = make_opportunity(org.owner)
    with pytest.raises(ValidationError, match="description"):
        opportunity_move(opportunity=opp, stage=stage(pipeline, "Negotiate"), user=org.owner)


def test_another_pipelines_stage_is_refused(org, pipeline):
    other = Pipeline.objects.create(name="Renewal")
    foreign = Stage.objects.create(pipeline=other, name="Qualify", position=1,
                                   probability=Decimal(50))
    opp = make_opportunity(org.owner)
    with pytest.raises(ValidationError, match="another pipeline"):
        opportunity_move(opportunity=opp, stage=foreign, user=org.owner)
    with pytest.raises(ValidationError, match="another pipeline"):
        make_opportunity(org.owner, pipeline=pipeline, stage=foreign)
    with pytest.raises(ValidationError, match="Move the opportunity"):
        opportunity_update(opportunity=opp, user=org.owner, data={"stage": foreign})


def test_close_lost_needs_a_reason_then_reopen_clears_it(org, pipeline):
    opp = make_opportunity(org.owner)
    with pytest.raises(ValidationError) as refused:
        opportunity_close(opportunity=opp, won=False, reason="  ", user=org.owner)
    assert "reason" in refused.value.message_dict
    opp = opportunity_close(opportunity=opp, won=False, reason="ราคาสูงเกินไป",
                            competitor="竞争对手", user=org.owner)
    assert opp.status == "lost" and opp.stage.name == "Lost" and opp.closed_at
    assert opp.probability == 0 and opp.forecast_category == "closed"
    assert opp.lost_reason == "ราคาสูงเกินไป" and opp.competitor == "竞争对手"
    with pytest.raises(ValidationError, match="closed"):
        opportunity_move(opportunity=opp, stage=stage(pipeline, "Propose"), user=org.owner)
    opp = opportunity_reopen(opportunity=opp, user=org.owner)
    assert opp.status == "open" and opp.stage.name == "Negotiate"
    assert opp.closed_at is None and opp.lost_reason == "" and opp.probability == 70
    kinds = list(Event.objects.for_subject(opp).values_list("kind", flat=True))
    assert "opportunity.lost" in kinds and "opportunity.reopened" in kinds
    assert opp.stage_changes.count() == 3


def test_close_won_moves_to_the_won_stage(org, pipeline):
    opp = opportunity_close(opportunity=make_opportunity(org.owner), won=True, user=org.owner)
    assert (opp.status, opp.stage.name, opp.probability) == ("won", "Won", 100)
    with pytest.raises(ValidationError, match="already closed"):
        opportunity_close(opportunity=opp, won=True, user=org.owner)


def test_another_teams_opportunity_cannot_be_moved_or_closed(org, pipeline):
    opp = make_opportunity(org.owner)
    with pytest.raises(PermissionDenied):
        opportunity_move(opportunity=opp, stage=stage(pipeline, "Propose"), user=org.outsider)
    with pytest.raises(PermissionDenied):
        opportunity_close(opportunity=opp, won=True, user=org.outsider)
    with pytest.raises(PermissionDenied):
        opportunity_move(opportunity=opp, stage=stage(pipeline, "Propose"), user=org.viewer)
    # A teammate may (sales reps work their team's records).
    assert opportunity_move(opportunity=opp, stage=stage(pipeline, "Propose"),
                            user=org.teammate).stage.name == "Propose"


def test_an_account_the_user_cannot_see_is_refused(org, pipeline):
    theirs = make_account(org.outsider, "پارس تجارت")
    with pytest.raises(ValidationError) as refused:
        make_opportunity(org.owner, account=theirs)
    assert "account" in refused.value.message_dict
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize(("field", "value"), [
    ("amount", Decimal("-1")), ("amount", Decimal("1e17")), ("currency", "XXQ"),
    ("probability", Decimal(101)), ("name", "x" * 201),
])
def test_bad_values_are_refused_by_field_and_nothing_is_saved(org, pipeline, field, value):
    with pytest.raises(ValidationError) as refused:
        make_opportunity(org.owner, **{field: value})
    assert field in refused.value.message_dict
    assert not Opportunity.objects.exists() and not StageChange.objects.exists()


@pytest.mark.parametrize("name", ["ระบบห้องเย็น", "سامانه زنجیره سرد", "冷链系统", "🚚 <script>"])
def test_names_in_any_script_are_kept_as_written(org, pipeline, name):
    assert Opportunity.objects.get(pk=make_opportunity(org.owner, name=name).pk).name == name


def test_reordering_stages_changes_the_path(org, pipeline):
    ids = list(pipeline.stages.order_by("position").values_list("pk", flat=True))
    stages_reorder(user=org.admin, pipeline=pipeline, order=[ids[1], ids[0], *ids[2:]])
    assert list(pipeline.stages.order_by("position").values_list("name", flat=True))[:2] == [
        "Propose", "Qualify"]
    with pytest.raises(ValidationError):
        stages_reorder(user=org.admin, pipeline=pipeline, order=ids[:2])
    with pytest.raises(PermissionDenied):
        stages_reorder(user=org.manager, pipeline=pipeline, order=ids)


def test_a_stage_cannot_require_an_unknown_field(org, pipeline):
    with pytest.raises(ValidationError, match="no field"):
        stage_save(user=org.admin, stage=stage(pipeline, "Propose"),
                   data={"required_fields": ["salary"]})


def test_an_opportunity_made_without_the_service_still_moves(org, pipeline):
    # Other areas (lead conversion, import) may create through record_create.
    opp = record_create(model=Opportunity, user=org.owner, data={
        "name": "Imported", "pipeline": pipeline, "stage": stage(pipeline, "Qualify"),
        "currency": "USD", "probability": Decimal(10)})
    opp = opportunity_move(opportunity=opp, stage=stage(pipeline, "Propose"), user=org.owner)
    assert opp.stage_changes.get().seconds_in_previous is not None


def test_a_stage_with_opportunities_keeps_its_outcome(org, pipeline):
    make_opportunity(org.owner)
    with pytest.raises(ValidationError, match="changing its outcome"):
        stage_save(user=org.admin, stage=stage(pipeline, "Qualify"), data={"outcome": "won"})
    assert stage_save(user=org.admin, stage=stage(pipeline, "Qualify"),
                      data={"name": "คัดกรอง", "probability": Decimal(15)}).name == "คัดกรอง"


def test_rules_can_watch_opportunities_and_their_amount_in_its_currency():
    from amity.automation.kinds import kind_field, watched_kind
    from amity.events.kinds import event_kind_label

    assert watched_kind("sales.opportunity").money == {"amount": "currency"}
    assert kind_field("sales.opportunity", "amount").currency_field == "currency"
    assert kind_field("sales.opportunity", "stage") is None  # stages change only by moves
    assert event_kind_label("opportunity.moved") == "Stage changed"
