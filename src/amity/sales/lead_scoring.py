"""Lead scoring: points from the lead's fields and from its events (each event's points
halve every half-life, a behaviour's total capped), a grade from the thresholds, and the
explanation of every point shown on the lead page.

Scores are written in batches with one UPDATE per batch and no field history: a score is
derived, not a change a person made. A lead whose grade crosses into the ready-for-sales
grade gets a `lead.ready_for_sales` event (automation rules can act on it)."""

import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.events.kinds import event_kind_label, register_event_kind
from amity.events.models import Event
from amity.events.services import publish_many
from amity.sales.models import Lead, ScoringModel
from amity.sales.scoring_rules import FIELDS, MAX_SCORE, NUMBER, OPS, current_scoring_model

READY = "lead.ready_for_sales"
register_event_kind(READY, gettext_lazy("Ready for sales"))
BATCH = 2_000
# Older events add less than 0.1 % of their points: not read at all.
HALF_LIVES_READ = 10
SCORED_FIELDS = tuple(FIELDS)


@lru_cache(maxsize=65_536)  # a batch repeats the same industries, titles, countries
def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def normal(text) -> str:
    """Text compared the way people read it: NFKC (full-width forms, Persian/Arabic
    presentation forms), case-folded, trimmed."""
    return _normal(str(text or ""))


@dataclass(frozen=True)
class Line:
    """One criterion's contribution to a score, as the lead page explains it."""

    label: str
    points: float
    detail: str = ""


@dataclass
class Explanation:
    lines: list[Line] = field(default_factory=list)
    score: int = 0
    grade: str = ""
    ready: bool = False


@dataclass(frozen=True)
class Compiled:
    """A scoring model prepared once per batch."""

    criteria: tuple
    behaviours: dict
    grades: tuple  # (min, grade), highest first
    ready_min: int | None

    @property
    def event_kinds(self) -> list[str]:
        return list(self.behaviours)


def compile_model(model: ScoringModel | None) -> Compiled | None:
    """The model ready to score many leads, or None when scoring is off."""
    if model is None or not model.pk or not model.active:
        return None
    criteria = tuple(
        (c["field"], c["op"],
         [normal(v) for v in c["value"]] if c["op"] == "in"
         else c["value"] if FIELDS[c["field"]][1] == NUMBER else normal(c["value"]),
         c["points"], c)
        for c in model.criteria)
    behaviours = {b["event_kind"]: (b["points"], b["half_life_days"] * 86400.0, b["cap"])
                  for b in model.behaviours}
    grades = tuple(sorted(((g["min"], g["grade"]) for g in model.grades), reverse=True))
    ready_min = next((low for low, name in grades if name == model.ready_grade), None)
    return Compiled(criteria, behaviours, grades, ready_min)


def _matches(op: str, actual, expected) -> bool:
    if op == "is_set":
        return actual not in (None, "")
    if actual in (None, ""):
        return op == "not_equals"
    if op in ("gte", "lte") or isinstance(expected, int):  # a number field
        if op == "gte":
            return actual >= expected
        return actual <= expected if op == "lte" else actual == expected
    actual = normal(actual)
    if op == "contains":
        return expected in actual
    if op == "in":
        return actual in expected
    return (actual == expected) == (op == "equals")


def criterion_label(row: dict) -> str:
    value = ", ".join(row["value"]) if isinstance(row["value"], list) else row["value"]
    return f"{FIELDS[row['field']][0]} {OPS[row['op']]} {value}".strip()


def field_lines(compiled: Compiled, values: dict) -> list[Line]:
    return [Line(criterion_label(row), points)
            for name, op, expected, points, row in compiled.criteria
            if _matches(op, values.get(name), expected)]


def behaviour_lines(compiled: Compiled, events: Iterable[tuple[str, datetime]],
                    now: datetime) -> list[Line]:
    """Decayed points per event kind: points × ½^(age / half-life), the sum capped."""
    sums: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for kind, occurred_at in events:
        if kind not in compiled.behaviours:
            continue
        points, half_life, _cap = compiled.behaviours[kind]
        age = max((now - occurred_at).total_seconds(), 0.0)
        sums[kind] += points * math.pow(0.5, age / half_life)
        counts[kind] += 1
    lines = []
    for kind, total in sums.items():
        cap = compiled.behaviours[kind][2]
        detail = _("%(n)s events, %(raw)s points before decay") % {
            "n": counts[kind], "raw": counts[kind] * compiled.behaviours[kind][0]}
        if cap is not None and abs(total) > cap:
            total = math.copysign(cap, total)
            detail += "; " + _("capped at %(cap)s") % {"cap": cap}
        lines.append(Line(event_kind_label(kind) or kind, round(total, 1), detail))
    return lines


def score_of(compiled: Compiled, values: dict, events: Iterable[tuple[str, datetime]],
             now: datetime) -> int:
    """The score alone (what the explanation adds up to, without building its lines)."""
    total = sum(points for name, op, expected, points, _row in compiled.criteria
                if _matches(op, values.get(name), expected))
    sums: dict[str, float] = defaultdict(float)
    for kind, occurred_at in events:
        points, half_life, _cap = compiled.behaviours[kind]
        age = max((now - occurred_at).total_seconds(), 0.0)
        sums[kind] += points * math.pow(0.5, age / half_life)
    for kind, value in sums.items():
        cap = compiled.behaviours[kind][2]
        total += math.copysign(cap, value) if cap is not None and abs(value) > cap else value
    return max(-MAX_SCORE, min(MAX_SCORE, round(total)))


def grade_for(compiled: Compiled, score: int) -> str:
    return next((name for low, name in compiled.grades if score >= low), "")


def total_of(lines: list[Line]) -> int:
    return max(-MAX_SCORE, min(MAX_SCORE, round(sum(line.points for line in lines))))


def _lead_type_id() -> int:
    return ContentType.objects.get_for_model(Lead).pk


def _events_of(compiled: Compiled, subjects: Q, now: datetime) -> dict:
    """(kind, when) of the scored events of the leads `subjects` picks (a filter on
    subject_id), oldest beyond reach left out."""
    if not compiled.behaviours:
        return {}
    recent = Q()
    for kind, (_p, half_life, _c) in compiled.behaviours.items():
        since = now - timedelta(seconds=half_life * HALF_LIVES_READ)
        recent |= Q(kind=kind, occurred_at__gte=since)
    found: dict[int, list] = defaultdict(list)
    rows = Event.objects.filter(recent, subjects, subject_type_id=_lead_type_id(),
                                occurred_at__lte=now)
    for subject_id, kind, occurred_at in rows.values_list("subject_id", "kind", "occurred_at"):
        found[subject_id].append((kind, occurred_at))
    return found


def explain(lead: Lead, *, now: datetime | None = None) -> Explanation:
    """Which criteria gave the lead how many points now, its score and grade."""
    compiled = compile_model(current_scoring_model())
    if compiled is None:
        return Explanation(score=lead.score, grade=lead.grade)
    now = now or timezone.now()
    values = {name: getattr(lead, name) for name in SCORED_FIELDS}
    events = _events_of(compiled, Q(subject_id=lead.pk), now).get(lead.pk, [])
    lines = field_lines(compiled, values) + behaviour_lines(compiled, events, now)
    score = total_of(lines)
    return Explanation(lines, score, grade_for(compiled, score),
                       compiled.ready_min is not None and score >= compiled.ready_min)


def _write(changed: list[tuple[int, int, str]]) -> None:
    """One UPDATE for the batch: on PostgreSQL three arrays unnested (three parameters
    whatever the batch size), elsewhere a VALUES list joined on id."""
    if not changed:
        return
    table = connection.ops.quote_name(Lead._meta.db_table)
    ids, scores, grades = (list(column) for column in zip(*changed, strict=True))
    if connection.vendor == "postgresql":
        sql = (f"UPDATE {table} SET score = v.score, grade = v.grade "  # noqa: S608 - name
               "FROM unnest(%s::bigint[], %s::integer[], %s::varchar[]) AS v(id, score, grade) "
               f"WHERE {table}.id = v.id")
        params = [ids, scores, grades]
    else:
        rows = ", ".join(["(%s, %s, %s)"] * len(changed))
        sql = (f"WITH v(id, score, grade) AS (VALUES {rows}) "  # noqa: S608 - placeholders
               f"UPDATE {table} SET score = v.score, grade = v.grade FROM v "
               f"WHERE {table}.id = v.id")
        params = [value for row in changed for value in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def score_rows(compiled: Compiled, rows: list[dict], events: dict, *, now: datetime) -> int:
    """Recompute and store the scores of these leads (their id, score, grade and scored
    fields); how many changed. Crossing into the ready-for-sales grade publishes READY
    once (a lead already ready does not again)."""
    changed, crossed = [], []
    ready_min = compiled.ready_min
    for values in rows:
        score = score_of(compiled, values, events.get(values["id"], ()), now)
        grade = grade_for(compiled, score)
        if score != values["score"] or grade != values["grade"]:
            changed.append((values["id"], score, grade))
            if ready_min is not None and score >= ready_min > values["score"]:
                crossed.append((values["id"], score, grade))
    with transaction.atomic():
        _write(changed)
        _announce_ready(crossed)
    return len(changed)


def _announce_ready(crossed: list[tuple[int, int, str]]) -> None:
    if not crossed:
        return
    found = Lead.objects.in_bulk([lead_id for lead_id, _s, _g in crossed])
    for lead_id, score, grade in crossed:
        found[lead_id].score, found[lead_id].grade = score, grade
    publish_many(((found[lead_id], {"score": score, "grade": grade})
                  for lead_id, score, grade in crossed), kind=READY)


def _rows(leads) -> list[dict]:
    return list(leads.values("id", "score", "grade", *SCORED_FIELDS))


def score_leads(lead_ids: list[int], *, now: datetime | None = None) -> int:
    """Recompute the scores of some leads (after their fields or events changed)."""
    compiled = compile_model(current_scoring_model())
    if compiled is None:
        return 0
    now = now or timezone.now()
    changed = 0
    for i in range(0, len(lead_ids), BATCH):
        chunk = lead_ids[i:i + BATCH]
        events = _events_of(compiled, Q(subject_id__in=chunk), now)
        changed += score_rows(compiled, _rows(Lead.objects.filter(pk__in=chunk)), events,
                              now=now)
    return changed


def score_all_leads(*, now: datetime | None = None, batch: int = BATCH) -> tuple[int, int]:
    """Recompute every lead's score (decay moves scores as time passes): (read, changed).
    Walks the leads by id, one batch per transaction, so it can stop and start again."""
    compiled = compile_model(current_scoring_model())
    if compiled is None:
        return 0, 0
    now = now or timezone.now()
    read = changed = after = 0
    while rows := _rows(Lead.objects.filter(pk__gt=after).order_by("pk")[:batch]):
        first, after = rows[0]["id"], rows[-1]["id"]
        events = _events_of(compiled, Q(subject_id__gte=first, subject_id__lte=after), now)
        changed += score_rows(compiled, rows, events, now=now)
        read += len(rows)
    return read, changed
