"""How well a record matches: exact, prefix, word prefix, substring, via its account, similar."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from rapidfuzz import fuzz

from amity.customers.search.query import SearchQuery, digits_of, fold

# rapidfuzz partial_ratio (0-100): "Nortwind" ~ "Northwind" scores 87.5, but
# "Northwind" ~ "Southwind" 77.8 and "100%" ~ "1000 Islands" 75.
SIMILAR_CUTOFF = 80

_WORD_BREAK = re.compile(r"[\s@._\-/:]+")


class Tier(IntEnum):
    EXACT = 0
    PREFIX = 1
    WORD_PREFIX = 2
    CONTAINS = 3
    ACCOUNT = 4  # a contact whose account matched
    SIMILAR = 5  # a likely misspelling


@dataclass(frozen=True)
class Match:
    pk: int
    tier: Tier
    closeness: float  # 0-100 within the tier, higher first
    recency: float  # last update as a timestamp, newer first

    def key(self) -> tuple:
        """Sort key: best tier, then closest, then most recently updated."""
        return (self.tier, -self.closeness, -self.recency, -self.pk)


def assess(query: SearchQuery, texts: Sequence[str]) -> tuple[Tier, float] | None:
    """The tier and closeness of the best match among `texts`, or None if none matches."""
    values = [fold(t) for t in texts if t]
    if query.phone:
        values = [d for d in map(digits_of, values) if d]
    needle = query.folded
    found = [(tier, fuzz.ratio(needle, v)) for v in values
             if (tier := _tier(needle, v)) is not None]
    if found:
        return min(found, key=lambda f: (f[0], -f[1]))
    joined = " ".join(values)
    # Words typed in another order or spread over fields ("Boonmee Somchai").
    if all(fold(term) in joined for term in query.terms):
        return Tier.CONTAINS, 0.0
    if query.fuzzy:
        score = fuzz.partial_ratio(needle, joined, score_cutoff=SIMILAR_CUTOFF)
        if score:
            return Tier.SIMILAR, score
    return None


def _tier(needle: str, value: str) -> Tier | None:
    if value == needle:
        return Tier.EXACT
    if value.startswith(needle):
        return Tier.PREFIX
    if needle not in value:
        return None
    if any(word.startswith(needle) for word in _WORD_BREAK.split(value)):
        return Tier.WORD_PREFIX
    return Tier.CONTAINS
