"""Global search finds leads and opportunities as it finds accounts and contacts: partial
and misspelt words in every script, phone digits, only what the user may see, on SQLite
(FTS5 trigram) and PostgreSQL (pg_trgm) alike."""

import pytest
from django.db import connection

from amity.core.services import record_delete, record_update
from amity.sales.models import Lead, Opportunity
from amity.web.search import global_search
from tests.conftest import signed_in
from tests.sales.catalog_data import opportunity
from tests.sales.routing_helpers import make_lead

pytestmark = pytest.mark.django_db


def found(user, query: str) -> dict[str, list[str]]:
    return {str(group["label"]): [str(r) for r in group["records"]]
            for group in global_search(user=user, query=query)}


@pytest.fixture
def records(org):
    return {
        "somchai": make_lead(org.owner, "บุญมี", given_name="สมชาย", company="สยามเฟรช",
                             phone="+66 81 234 5678", email="somchai@siamfresh.example"),
        "maryam": make_lead(org.owner, "احمدی", given_name="مریم", company="شرکت نمونه"),
        "wang": make_lead(org.owner, "王", given_name="明", company="北京科技"),
        "renewal": opportunity(org.owner, name="Northwind renewal 2027"),
        "deal": opportunity(org.owner, name="大单 云服务"),
    }


@pytest.mark.parametrize(("query", "kind", "name"), [
    ("สยาม", "leads", "สมชาย บุญมี (สยามเฟรช)"),  # Thai company, no spaces between words
    ("نمونه", "leads", "مریم احمدی (شرکت نمونه)"),
    ("王明", "leads", "明 王 (北京科技)"),  # Chinese: family name first
    ("siamfresh", "leads", "สมชาย บุญมี (สยามเฟรช)"),
    ("81 234 5678", "leads", "สมชาย บุญมี (สยามเฟรช)"),  # digits of the phone as written
    ("renewal", "opportunities", "Northwind renewal 2027"),
    ("Nortwind", "opportunities", "Northwind renewal 2027"),  # misspelt
    ("云服务", "opportunities", "大单 云服务"),
])
def test_leads_and_opportunities_are_found(org, records, query, kind, name):
    assert name in found(org.owner, query).get(kind, []), found(org.owner, query)


def test_only_what_the_user_may_see(org, records):
    assert found(org.outsider, "สยาม") == {}
    assert found(org.outsider, "renewal") == {}
    assert found(org.manager, "renewal") == {"opportunities": ["Northwind renewal 2027"]}


def test_changed_and_deleted_records_follow(org, records):
    record_update(record=records["renewal"], user=org.owner, data={"name": "Lotus upsell"})
    assert found(org.owner, "renewal") == {}
    assert found(org.owner, "lotus") == {"opportunities": ["Lotus upsell"]}
    record_delete(record=records["maryam"], user=org.admin)
    assert found(org.owner, "نمونه") == {}


def test_the_search_box_lists_them_with_links(org, records):
    page = signed_in(org.owner).get("/search/", {"q": "สยาม"}, HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert "leads" in html and records["somchai"].get_absolute_url() in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_postgresql_uses_the_trigram_indexes(org):
    from amity.customers.search import postgres
    from amity.customers.search.query import parse_query

    Lead.objects.bulk_create(Lead(family_name=f"Lead {i:05}", owner=org.owner, team=org.east)
                             for i in range(2000))
    first = opportunity(org.owner, name="Deal")
    Opportunity.objects.bulk_create(
        Opportunity(name=f"Deal {i:05}", owner=org.owner, team=org.east, currency="THB",
                    probability=10, pipeline_id=first.pipeline_id, stage_id=first.stage_id)
        for i in range(2000))
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('sales_lead_search'), "
                       "gin_clean_pending_list('sales_opportunity_search')")
        cursor.execute("ANALYZE sales_lead, sales_opportunity")
        cursor.execute("SET LOCAL enable_seqscan = off")
    for model in (Lead, Opportunity):
        visible = model.objects.visible_to(org.owner)
        for step in postgres.steps(model, parse_query("Northwind")):
            plan = visible.filter(step.condition).explain()
            assert f"{model._meta.db_table}_search" in plan, plan
