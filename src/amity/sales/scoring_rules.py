"""The lead scoring model an administrator defines, checked: every bad input is refused
with an error named by its place ("criteria.2.points", "grades.1.min")."""

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.sales.models import ScoringModel

# Lead fields a criterion may test, with the type of comparison they allow.
TEXT, NUMBER = "text", "number"
FIELDS = {
    "industry": (gettext_lazy("Industry"), TEXT),
    "employees": (gettext_lazy("Employees"), NUMBER),
    "country": (gettext_lazy("Country"), TEXT),
    "region": (gettext_lazy("Region"), TEXT),
    "job_title": (gettext_lazy("Job title"), TEXT),
    "company": (gettext_lazy("Company"), TEXT),
    "source": (gettext_lazy("Source"), TEXT),
    "product_interest": (gettext_lazy("Product interest"), TEXT),
    "language": (gettext_lazy("Language"), TEXT),
    "postcode": (gettext_lazy("Postcode"), TEXT),
}
OPS = {
    "equals": gettext_lazy("equals"),
    "not_equals": gettext_lazy("is not"),
    "contains": gettext_lazy("contains"),
    "in": gettext_lazy("is one of"),
    "gte": gettext_lazy("is at least"),
    "lte": gettext_lazy("is at most"),
    "is_set": gettext_lazy("is filled in"),
}
OPS_BY_TYPE = {TEXT: ("equals", "not_equals", "contains", "in", "is_set"),
               NUMBER: ("equals", "gte", "lte", "is_set")}
MAX_POINTS = 10_000
MAX_ROWS = 100
MAX_CAP = 1_000_000
MAX_SCORE = 1_000_000  # Lead.score's own bounds
MAX_HALF_LIFE_DAYS = 3650
EVENT_KIND = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _whole(raw: Any, low: int, high: int) -> int | None:
    """`raw` as a whole number within [low, high], or None (bools and fractions too)."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() and low <= raw <= high else None
    text = str(raw).strip()
    if not re.fullmatch(r"[+-]?\d{1,12}", text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def _text(raw: Any, limit: int) -> str | None:
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        return None
    text = str(raw).strip()
    return text if len(text) <= limit and not _CONTROL.search(text) else None


class _Errors(dict):
    def add(self, key: str, message: str) -> None:
        self.setdefault(key, []).append(message)


def _points(errors: _Errors, key: str, raw: Any) -> int:
    value = _whole(raw, -MAX_POINTS, MAX_POINTS)
    if value is None:
        errors.add(key, _("Enter a whole number of points from %(min)s to %(max)s.")
                   % {"min": -MAX_POINTS, "max": MAX_POINTS})
    return value or 0


def _rows(errors: _Errors, name: str, raw: Any) -> list[dict]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        errors.add(name, _("Give a list of rows."))
        return []
    if len(raw) > MAX_ROWS:
        errors.add(name, _("Give at most %(n)s rows.") % {"n": MAX_ROWS})
        return []
    return raw


def _criterion_value(errors: _Errors, key: str, kind: str, op: str, raw: Any):
    if op == "is_set":
        return ""
    if kind == NUMBER:
        value = _whole(raw, 0, 10_000_000)
        if value is None:
            errors.add(key, _("Enter a whole number from 0 to 10,000,000."))
        return value
    if op == "in":
        items = raw if isinstance(raw, list) else str(raw or "").split(",")
        values = [v for v in (_text(i, 200) for i in items) if v]
        if not values or len(values) != len([i for i in items if str(i).strip()]):
            errors.add(key, _("Enter one or more values separated by commas."))
        return values
    value = _text(raw, 200)
    if not value:
        errors.add(key, _("Enter a value of at most 200 characters."))
    return value


def _clean_criteria(errors: _Errors, raw: Any) -> list[dict]:
    cleaned = []
    for i, row in enumerate(_rows(errors, "criteria", raw)):
        at = f"criteria.{i}"
        field = row.get("field")
        if field not in FIELDS:
            errors.add(f"{at}.field", _("Choose a field of the lead."))
            continue
        kind = FIELDS[field][1]
        op = row.get("op")
        if op not in OPS_BY_TYPE[kind]:
            errors.add(f"{at}.op", _("Choose a comparison this field allows."))
            continue
        value = _criterion_value(errors, f"{at}.value", kind, op, row.get("value"))
        points = _points(errors, f"{at}.points", row.get("points"))
        cleaned.append({"field": field, "op": op, "value": value, "points": points})
    return cleaned


def _half_life(errors: _Errors, key: str, raw: Any) -> float:
    try:
        value = Decimal(str(raw).strip()) if not isinstance(raw, bool) and raw is not None \
            else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not Decimal("0.01") <= value \
            <= MAX_HALF_LIFE_DAYS:
        errors.add(key, _("Enter a number of days from 0.01 to %(max)s.")
                   % {"max": MAX_HALF_LIFE_DAYS})
        return 1.0
    return float(value)  # a decay factor, not money


def _clean_behaviours(errors: _Errors, raw: Any) -> list[dict]:
    cleaned, seen = [], set()
    for i, row in enumerate(_rows(errors, "behaviours", raw)):
        at = f"behaviours.{i}"
        kind = _text(row.get("event_kind"), 64)
        if not kind or not EVENT_KIND.match(kind):
            errors.add(f"{at}.event_kind", _("An event kind is lower-case letters, digits, "
                                             "underscores and dots, e.g. email.opened."))
        elif kind in seen:
            errors.add(f"{at}.event_kind", _("This event kind is already scored above."))
        seen.add(kind)
        points = _points(errors, f"{at}.points", row.get("points"))
        half_life = _half_life(errors, f"{at}.half_life_days", row.get("half_life_days", 30))
        cap = row.get("cap")
        if cap not in (None, ""):
            cap = _whole(cap, 0, MAX_CAP)
            if cap is None:
                errors.add(f"{at}.cap", _("Enter a whole number from 0 to %(max)s, or leave "
                                          "it empty for no cap.") % {"max": MAX_CAP})
        cleaned.append({"event_kind": kind, "points": points, "half_life_days": half_life,
                        "cap": cap if cap not in ("",) else None})
    return cleaned


def _clean_grades(errors: _Errors, raw: Any) -> list[dict]:
    cleaned, names, mins = [], set(), {}
    for i, row in enumerate(_rows(errors, "grades", raw)):
        at = f"grades.{i}"
        name = _text(row.get("grade"), 20)
        if not name:
            errors.add(f"{at}.grade", _("Name the grade in at most 20 characters."))
        elif name in names:
            errors.add(f"{at}.grade", _("Another grade has this name."))
        names.add(name)
        low = _whole(row.get("min"), -MAX_SCORE, MAX_SCORE)
        if low is None:
            errors.add(f"{at}.min", _("Enter a whole number from %(min)s to %(max)s.")
                       % {"min": -MAX_SCORE, "max": MAX_SCORE})
        elif low in mins:
            errors.add(f"{at}.min", _("Grade %(other)s starts at the same score: thresholds "
                                      "must differ.") % {"other": mins[low]})
        else:
            mins[low] = name
        cleaned.append({"grade": name, "min": low})
    return sorted(cleaned, key=lambda g: -(g["min"] or -math.inf))


def scoring_model_clean(data: dict[str, Any]) -> dict[str, Any]:
    """The model's fields checked and normalised; ValidationError names each bad input."""
    known = {"active", "criteria", "behaviours", "grades", "ready_grade"}
    errors = _Errors({name: [_("Unknown field: it is not accepted here.")]
                      for name in sorted(set(data) - known)[:20]})
    cleaned = {
        "active": bool(data.get("active", True)),
        "criteria": _clean_criteria(errors, data.get("criteria")),
        "behaviours": _clean_behaviours(errors, data.get("behaviours")),
        "grades": _clean_grades(errors, data.get("grades")),
        "ready_grade": _text(data.get("ready_grade") or "", 20) or "",
    }
    if cleaned["ready_grade"] and cleaned["ready_grade"] not in \
            {g["grade"] for g in cleaned["grades"]}:
        errors.add("ready_grade", _("Choose one of the grades above."))
    if errors:
        raise ValidationError(dict(errors))
    return cleaned


def current_scoring_model() -> ScoringModel:
    """The organisation's scoring model (an empty, unsaved one before the first save)."""
    return ScoringModel.objects.filter(key="default").first() or ScoringModel()


def scoring_model_save(*, actor, data: dict[str, Any]) -> ScoringModel:
    """Replace the scoring model (administrators only); scores follow in the background."""
    from amity.sales.routing_events import forget_scored_kinds
    from amity.sales.routing_tasks import recompute_all_lead_scores

    if not getattr(actor, "is_administrator", False):
        raise PermissionDenied
    cleaned = scoring_model_clean(data)
    with transaction.atomic():
        model, _created = ScoringModel.objects.select_for_update().get_or_create(key="default")
        for name, value in cleaned.items():
            setattr(model, name, value)
        model.save()
        forget_scored_kinds()
        recompute_all_lead_scores.enqueue()
    return model
