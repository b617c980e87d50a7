"""The record kinds global search finds, each with its searchable text as both databases
index it. Accounts and contacts are registered here; other areas register theirs (sales:
leads and opportunities) when they start, with a migration that builds the PostgreSQL
index on the very same expression (the planner uses an index only for it)."""

from collections.abc import Callable
from dataclasses import dataclass

from amity.core.letter_forms import ARABIC_FORMS, PERSIAN_FORMS
from amity.core.models import OwnedRecord

# The digits of a phone number as each database writes them ({r}: the row's table).
PG_DIGITS = "translate({r}phone, ' -().+/', '')"
# SQLite has no translate(): the same characters, replaced one by one.
SQLITE_DIGITS = ("replace(replace(replace(replace(replace(replace(replace("
                 "{r}phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', ''), '/', '')")
# The strings among the custom values (text, choices, multi-choice items).
PG_CUSTOM = """jsonb_path_query_array({r}custom, '$.* ? (@.type() == "string")')::text"""
SQLITE_CUSTOM = ("coalesce((SELECT group_concat(value, ' ') FROM json_tree({r}custom) "
                 "WHERE type = 'text' AND (path = '$' OR typeof(key) = 'integer')), '')")


@dataclass(frozen=True)
class SearchKind:
    model: type[OwnedRecord]
    columns: tuple[str, ...]  # read from each candidate row for ranking
    texts: Callable[[dict], tuple[str, ...]]  # a row's texts, ranked in Python
    pg_text: str  # the searchable text in SQL; {r} is the table prefix
    sqlite_text: str
    watched: tuple[str, ...]  # columns whose change re-indexes the row (SQLite)
    slot: int  # 0-7, fixed forever: SQLite index rows are record id × 8 + slot

    @property
    def name(self) -> str:
        return self.model._meta.model_name

    @property
    def pg_indexed(self) -> str:
        """The text PostgreSQL indexes and searches: pg_text with the Arabic letter forms
        as Persian ones (core.letter_forms), as the query holds them (query.parse_query)."""
        return f"translate(({self.pg_text}), '{ARABIC_FORMS}', '{PERSIAN_FORMS}')"

    @property
    def sqlite_indexed(self) -> str:
        """The text SQLite indexes: sqlite_text, letter forms folded."""
        text = self.sqlite_text
        for arabic, persian in zip(ARABIC_FORMS, PERSIAN_FORMS, strict=True):
            text = f"replace({text}, '{arabic}', '{persian}')"
        return text

    @property
    def table(self) -> str:
        return self.model._meta.db_table


SLOTS = 8
KINDS: dict[str, SearchKind] = {}


def register_search_kind(kind: SearchKind) -> None:
    """Make global search find `kind` (idempotent)."""
    taken = {k.slot: k.name for k in KINDS.values() if k.name != kind.name}
    if kind.slot in taken or not 0 <= kind.slot < SLOTS:
        raise ValueError(f"search slot {kind.slot} of {kind.name} is taken or out of range")
    KINDS[kind.name] = kind


def kind_of(model: type) -> SearchKind:
    return KINDS[model._meta.model_name]


def custom_texts(row: dict) -> tuple[str, ...]:
    """The strings among the custom values, as the indexes hold them (text, choices)."""
    texts = []
    for value in (row["custom"] or {}).values():
        items = value if isinstance(value, list) else [value]
        texts += [item for item in items if isinstance(item, str)]
    return tuple(texts)


def person_texts(row: dict) -> tuple[str, ...]:
    """A person's names both ways ("Somchai Boonmee", and "王明": Chinese puts the family
    name first), email and phone."""
    given, family = row["given_name"], row["family_name"]
    return (given, family, f"{given} {family}".strip(), f"{family}{given}",
            row["email"], row["phone"])


def _account_texts(row: dict) -> tuple[str, ...]:
    return (row["name"], row["website"], row["phone"], *custom_texts(row))


def _contact_texts(row: dict) -> tuple[str, ...]:
    return (*person_texts(row), *custom_texts(row))


def _account_text(digits: str, custom: str) -> str:
    return "{r}name || ' ' || {r}website || ' ' || {r}phone || ' ' || " + digits \
        + " || ' ' || " + custom


def _contact_text(digits: str, custom: str) -> str:
    return ("{r}given_name || ' ' || {r}family_name || ' ' || {r}family_name || {r}given_name"
            " || ' ' || {r}email || ' ' || {r}phone || ' ' || " + digits + " || ' ' || " + custom)


def register_customer_kinds() -> None:
    from amity.customers.models import Account, Contact

    register_search_kind(SearchKind(
        Account, ("name", "website", "phone", "custom"), _account_texts,
        _account_text(PG_DIGITS, PG_CUSTOM), _account_text(SQLITE_DIGITS, SQLITE_CUSTOM),
        ("name", "website", "phone", "custom"), slot=0))
    register_search_kind(SearchKind(
        Contact, ("given_name", "family_name", "email", "phone", "account_id", "custom"),
        _contact_texts, _contact_text(PG_DIGITS, PG_CUSTOM),
        _contact_text(SQLITE_DIGITS, SQLITE_CUSTOM),
        ("given_name", "family_name", "email", "phone", "custom"), slot=1))
