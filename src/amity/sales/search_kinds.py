"""Global search finds leads (names both ways, company, email, phone and its digits,
custom text) and opportunities (name, custom text). The PostgreSQL indexes on these very
expressions are made by migration 0009_search."""

from amity.customers.search.kinds import (
    PG_CUSTOM,
    PG_DIGITS,
    SQLITE_CUSTOM,
    SQLITE_DIGITS,
    SearchKind,
    custom_texts,
    person_texts,
    register_search_kind,
)


def lead_text(digits: str, custom: str) -> str:
    return ("{r}given_name || ' ' || {r}family_name || ' ' || {r}family_name || {r}given_name"
            " || ' ' || {r}company || ' ' || {r}email || ' ' || {r}phone || ' ' || " + digits
            + " || ' ' || " + custom)


def opportunity_text(custom: str) -> str:
    return "{r}name || ' ' || " + custom


def _lead_texts(row: dict) -> tuple[str, ...]:
    return (*person_texts(row), row["company"], *custom_texts(row))


def _opportunity_texts(row: dict) -> tuple[str, ...]:
    return (row["name"], *custom_texts(row))


def register() -> None:
    from amity.sales.models import Lead, Opportunity

    register_search_kind(SearchKind(
        Lead, ("given_name", "family_name", "company", "email", "phone", "custom"),
        _lead_texts, lead_text(PG_DIGITS, PG_CUSTOM), lead_text(SQLITE_DIGITS, SQLITE_CUSTOM),
        ("given_name", "family_name", "company", "email", "phone", "custom"), slot=2))
    register_search_kind(SearchKind(
        Opportunity, ("name", "custom"), _opportunity_texts, opportunity_text(PG_CUSTOM),
        opportunity_text(SQLITE_CUSTOM), ("name", "custom"), slot=3))
