"""Find accounts and contacts by name, email, phone, account name or the text of their
custom values, in any script; and the records of the kinds other areas register
(search.kinds: leads, opportunities) by their own searchable text.

Each database's trigram index gives candidates (pg_trgm on PostgreSQL, FTS5 on SQLite),
always read through `visible_to(user)` and at most CANDIDATES per kind and step; they
are ranked here, in Python, so that ranking is the same on both databases. Each backend
gives its queries in order (substring, then similar words); the next runs only while
fewer than `limit` records have been found."""

from types import ModuleType

from django.db import connections
from django.db.models import Q

from amity.core.models import OwnedRecord
from amity.customers.models import Account, Contact
from amity.customers.search import postgres, sqlite
from amity.customers.search.kinds import SearchKind, kind_of
from amity.customers.search.query import SearchQuery, Step, parse_query
from amity.customers.search.ranking import Match, Tier, assess

PER_KIND = 8
CANDIDATES = 200  # rows ranked per kind and step: bounds the work at any size
LINKED_ACCOUNTS = 50  # best-matching accounts whose contacts match too


def customer_search(*, user, query: str, limit: int = PER_KIND) -> dict[type, list]:
    """Accounts and contacts matching `query`, best first, only those `user` may see."""
    parsed = parse_query(query)
    if parsed is None:
        return {Account: [], Contact: []}
    accounts = _matches(kind_of(Account), user=user, query=parsed, limit=limit)
    linked = {m.pk: m for m in accounts[:LINKED_ACCOUNTS]}
    contacts = _matches(kind_of(Contact), user=user, query=parsed, limit=limit, linked=linked)
    return {Account: _records(Account, user, accounts[:limit]),
            Contact: _records(Contact, user, contacts[:limit])}


def search_records(model: type[OwnedRecord], *, user, query: str,
                   limit: int = PER_KIND) -> list[OwnedRecord]:
    """Records of another registered search kind (a lead, an opportunity) matching
    `query`, best first, only those `user` may see."""
    parsed = parse_query(query)
    if parsed is None:
        return []
    return _records(model, user, _matches(kind_of(model), user=user, query=parsed,
                                          limit=limit)[:limit])


def _matches(kind: SearchKind, *, user, query: SearchQuery, limit: int,
             linked: dict[int, Match] | None = None) -> list[Match]:
    visible = kind.model.objects.visible_to(user)
    backend = _backend(visible.db)
    steps = backend.steps(kind.model, query)
    if linked:
        # Contacts of the matched accounts, before any scan or search for misspellings.
        steps.insert(1, Step(Q(account_id__in=list(linked)), exact=False))
    matches: dict[int, Match] = {}
    with backend.session(visible.db) as prepare:
        for step in steps:
            prepare(step)
            rows = visible.filter(step.condition).values("pk", "updated_at", *kind.columns)
            for row in rows[:CANDIDATES]:
                if row["pk"] not in matches and (
                        match := _assess(kind, query, row, linked, substring_hit=step.exact)):
                    matches[row["pk"]] = match
            if len(matches) >= limit:
                break
    return sorted(matches.values(), key=Match.key)


def _assess(kind: SearchKind, query: SearchQuery, row: dict, linked: dict[int, Match] | None,
            substring_hit: bool = False) -> Match | None:
    found = [assess(query, kind.texts(row))]
    via = linked.get(row.get("account_id")) if linked else None
    if via is not None:
        found.append((Tier.ACCOUNT if via.tier <= Tier.CONTAINS else Tier.SIMILAR, via.closeness))
    elif substring_hit:
        # The database found every term; its case folding may differ from Python's.
        found.append((Tier.CONTAINS, 0.0))
    found = [f for f in found if f is not None]
    if not found:
        return None
    tier, closeness = min(found, key=lambda f: (f[0], -f[1]))
    return Match(row["pk"], tier, closeness, row["updated_at"].timestamp())


def _records(model: type[OwnedRecord], user, matches: list[Match]) -> list[OwnedRecord]:
    # Through the gate again: the records themselves, never rows read some other way.
    found = model.objects.visible_to(user).in_bulk([m.pk for m in matches])
    return [found[m.pk] for m in matches if m.pk in found]


def _backend(using: str) -> ModuleType:
    return postgres if connections[using].vendor == "postgresql" else sqlite
