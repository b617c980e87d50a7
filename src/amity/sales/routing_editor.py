"""The scoring model editor's rows: what the page posts (criteria-0-points …) read back
into the model's data, rows added and removed, and each input with its errors."""

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.events.kinds import event_kind_labels
from amity.sales.models import ScoringModel
from amity.sales.scoring_rules import FIELDS, MAX_ROWS, OPS

COLUMNS = {
    "criteria": (("field", gettext_lazy("Field")), ("op", gettext_lazy("Comparison")),
                 ("value", gettext_lazy("Value")), ("points", gettext_lazy("Points"))),
    "behaviours": (("event_kind", gettext_lazy("Event")), ("points", gettext_lazy("Points")),
                   ("half_life_days", gettext_lazy("Half-life (days)")),
                   ("cap", gettext_lazy("Cap"))),
    "grades": (("grade", gettext_lazy("Grade")), ("min", gettext_lazy("From score"))),
}
TITLES = {"criteria": gettext_lazy("Field criteria"),
          "behaviours": gettext_lazy("Behaviour (events, decaying)"),
          "grades": gettext_lazy("Grades")}
BLANK = {"criteria": {"field": "industry", "op": "equals", "value": "", "points": "10"},
         "behaviours": {"event_kind": "", "points": "5", "half_life_days": "30", "cap": ""},
         "grades": {"grade": "", "min": ""}}


def stored_draft(model: ScoringModel) -> dict:
    criteria = [{**c, "value": ", ".join(c["value"]) if isinstance(c["value"], list)
                 else c["value"]} for c in model.criteria]
    return {"active": model.active if model.pk else True, "ready_grade": model.ready_grade,
            "criteria": criteria, "behaviours": list(model.behaviours),
            "grades": list(model.grades)}


def posted_draft(post: QueryDict) -> dict:
    draft = {"active": bool(post.get("active")), "ready_grade": post.get("ready_grade", "")}
    for section, columns in COLUMNS.items():
        count = post.get(f"{section}-count", "0")
        count = min(int(count), MAX_ROWS + 1) if count.isdigit() and len(count) < 5 else 0
        draft[section] = [{name: post.get(f"{section}-{i}-{name}", "") for name, _l in columns}
                          for i in range(count)]
    return draft


def edit_rows(draft: dict, op: str) -> dict:
    """`add:criteria` appends a blank row, `remove:grades:1` drops one."""
    parts = op.split(":")
    if len(parts) >= 2 and parts[1] in COLUMNS:
        rows = list(draft[parts[1]])
        if parts[0] == "add" and len(rows) < MAX_ROWS:
            rows.append(dict(BLANK[parts[1]]))
        elif parts[0] == "remove" and len(parts) == 3 and parts[2].isdigit() \
                and int(parts[2]) < len(rows):
            rows.pop(int(parts[2]))
        draft = {**draft, parts[1]: rows}
    return draft


def _choices(section: str, name: str) -> list[tuple[str, str]] | None:
    if section == "criteria" and name == "field":
        return [(key, str(label)) for key, (label, _kind) in FIELDS.items()]
    if section == "criteria" and name == "op":
        return [(key, str(label)) for key, label in OPS.items()]
    return None


def _cell(section: str, i: int, name: str, label, row: dict, errors: dict) -> dict:
    value = row.get(name, "")
    return {"name": f"{section}-{i}-{name}", "label": label,
            "value": "" if value is None else value,
            "choices": _choices(section, name),
            "errors": errors.get(f"{section}.{i}.{name}", []),
            "datalist": "event-kinds" if name == "event_kind" else ""}


def editor_context(draft: dict, errors: dict) -> dict:
    sections = [{
        "key": section, "title": TITLES[section], "columns": columns,
        "errors": errors.get(section, []),
        "rows": [{"index": i, "cells": [_cell(section, i, name, label, row, errors)
                                        for name, label in columns]}
                 for i, row in enumerate(draft.get(section) or [])],
    } for section, columns in COLUMNS.items()]
    grades = [g.get("grade") for g in draft.get("grades") or [] if g.get("grade")]
    return {"draft": draft, "sections": sections, "grade_names": grades,
            "errors": errors, "event_kinds": sorted(event_kind_labels().items()),
            "has_errors": bool(errors), "title": _("Lead scoring")}
