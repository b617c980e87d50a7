"""A merge moves the work about the merged customers too: their tasks and opportunities
go to the survivor, and undo sends each back."""

from decimal import Decimal

import pytest

from amity.activities.models import Task
from amity.core.services import record_create
from amity.customers.merge import account_merge, contact_merge, record_merge_undo
from amity.sales.models import Opportunity, Pipeline, Stage
from tests.conftest import make_account, make_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage(db) -> Stage:
    pipeline = Pipeline.objects.create(name="New business", is_default=True)
    return Stage.objects.create(pipeline=pipeline, name="Qualify", position=1,
                                probability=Decimal(10))


def opportunity(user, stage, **about) -> Opportunity:
    return Opportunity.objects.create(owner=user, name="ข้าวหอมมะลิ 20 ตัน", pipeline=stage.pipeline,
                                      stage=stage, currency="THB", amount=Decimal("950000"),
                                      probability=stage.probability, **about)


def task(user, title, **about) -> Task:
    return record_create(model=Task, user=user, data={"title": title, **about})


def test_a_contact_merge_moves_tasks_and_opportunities_and_undo_returns_them(org, stage):
    survivor = make_contact(org.owner, "Boonmee", given_name="Somchai")
    other = make_contact(org.owner, "Bunmee", given_name="Somchai")
    kept = task(org.owner, "Call back", contact=survivor)
    follow_up = task(org.owner, "ส่งใบเสนอราคา", contact=other)
    deal = opportunity(org.owner, stage, contact=other)
    event = contact_merge(survivor=survivor, others=[other], user=org.owner, choices={})
    assert set(survivor.tasks.all()) == {kept, follow_up}
    assert list(survivor.opportunities.all()) == [deal]
    record_merge_undo(event=event, user=org.owner)
    assert list(Task.objects.filter(contact=other)) == [follow_up]
    assert list(Task.objects.filter(contact=survivor)) == [kept]
    assert Opportunity.objects.get(pk=deal.pk).contact_id == other.pk


def test_an_account_merge_moves_tasks_and_opportunities_and_undo_returns_them(org, stage):
    survivor = make_account(org.owner, "Siam Fresh Foods")
    other = make_account(org.owner, "Siam Fresh Food Co.")
    follow_up = task(org.owner, "续约提醒", account=other)
    deal = opportunity(org.owner, stage, account=other)
    event = account_merge(survivor=survivor, others=[other], user=org.owner, choices={})
    assert list(survivor.tasks.all()) == [follow_up]
    assert list(survivor.opportunities.all()) == [deal]
    assert event.payload["moved"]["opportunities"]["moved"] == {str(deal.pk): other.pk}
    record_merge_undo(event=event, user=org.owner)
    assert Task.objects.get(pk=follow_up.pk).account_id == other.pk
    assert Opportunity.objects.get(pk=deal.pk).account_id == other.pk
