"""Admin → Automation: the rule list, the rule editor (rows added and removed with HTMX),
switching rules on and off, dry runs, the run log, and sequences."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amity.automation import editor, services
from amity.automation.dry_run import rule_dry_run
from amity.automation.kinds import watched_kind
from amity.automation.models import Rule, RuleRun, Sequence
from amity.core.pagination import keyset_page
from amity.org.views import admin_required

EDIT_OPS = ("add_condition", "add_action", "remove_condition:", "remove_action:", "refresh")


def _rules_with_last_run():
    # The newest run of each rule: one index seek per rule (rule_run_log).
    newest = RuleRun.objects.filter(rule=OuterRef("pk")).order_by("-started_at", "-id")
    return Rule.objects.order_by("position", "id").annotate(
        last_run_at=Subquery(newest.values("started_at")[:1]),
        last_run_status=Subquery(newest.values("status")[:1]))


@admin_required
def rule_list(request):
    return render(request, "automation/rule_list.html", {
        "rules": _rules_with_last_run(), "sequences": Sequence.objects.order_by("name", "id"),
        "title": _("Automation")})


def _editor_context(draft: dict, errors: dict, rule: Rule | None, **extra) -> dict:
    return {
        "rule": rule, "draft": draft,
        "basics": editor.basic_inputs(draft, errors),
        "trigger_inputs": editor.trigger_inputs(draft, errors),
        "conditions": editor.condition_rows(draft, errors),
        "actions": editor.action_rows(draft, errors),
        "summary": editor.error_summary(errors),
        "title": rule.name if rule else _("New rule"), **extra}


def _stored_draft(rule: Rule) -> dict:
    draft = {name: getattr(rule, name) for name in services.RULE_FIELDS}
    draft["conditions"] = editor.stored_rows(rule.record_kind, rule.conditions)
    draft["actions"] = editor.stored_rows(rule.record_kind, rule.actions)
    return draft


def _field_errors(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


@admin_required
def rule_edit(request, pk: int | None = None):
    rule = get_object_or_404(Rule, pk=pk) if pk else None
    if request.method != "POST":
        draft = _stored_draft(rule) if rule else {
            "record_kind": "customers.account", "trigger": "event", "event_kind": "created",
            "conditions": [], "actions": [{"type": "create_task"}], "active": False}
        return render(request, "automation/rule_edit.html",
                      _editor_context(draft, {}, rule))
    draft = editor.rule_draft(request.POST)
    op = request.POST.get("op", "save")
    if op.startswith(EDIT_OPS):
        draft = editor.edit_rows(draft, op)
        return render(request, "automation/rule_edit.html",
                      _editor_context(draft, {}, rule))
    try:
        if op == "dry_run":
            cleaned = services.rule_clean(draft)
            sample = request.POST.get("sample", "")
            result = rule_dry_run(Rule(**cleaned), request.user,
                                  sample_id=int(sample) if sample.isdigit() and len(sample) < 19
                                  else None)
            return render(request, "automation/rule_edit.html", _editor_context(
                draft, {}, rule, dry_run=result,
                kind=watched_kind(cleaned["record_kind"])))
        saved = services.rule_save(actor=request.user, rule=rule or Rule(), data=draft)
    except ValidationError as exc:
        return render(request, "automation/rule_edit.html",
                      _editor_context(draft, _field_errors(exc), rule), status=422)
    messages.success(request, _("%(rule)s was saved.") % {"rule": saved})
    return redirect("rule_list")


@admin_required
@require_POST
def rule_toggle(request, pk: int):
    rule = get_object_or_404(Rule, pk=pk)
    services.rule_set_active(actor=request.user, rule=rule, active=not rule.active)
    if request.htmx:
        return render(request, "automation/_rule_row.html",
                      {"rule": _rules_with_last_run().get(pk=rule.pk)})
    return redirect("rule_list")


@admin_required
@require_POST
def rule_move(request, pk: int):
    """One place up or down the list (the order rules run in)."""
    rule = get_object_or_404(Rule, pk=pk)
    try:
        services.rule_move(actor=request.user, rule=rule,
                           direction=request.POST.get("direction", ""))
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    except Rule.DoesNotExist:  # deleted by another administrator meanwhile
        raise Http404 from None
    if request.htmx:
        return render(request, "automation/_rule_rows.html", {"rules": _rules_with_last_run()})
    return redirect("rule_list")


@admin_required
@require_POST
def rule_delete(request, pk: int):
    rule = get_object_or_404(Rule, pk=pk)
    services.rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("%(rule)s was deleted.") % {"rule": rule})
    return redirect("rule_list")


@admin_required
def rule_runs(request, pk: int):
    rule = get_object_or_404(Rule, pk=pk)
    try:
        page = keyset_page(RuleRun.objects.filter(rule=rule).select_related("subject_type"),
                           ordering=("-started_at", "-id"), after=request.GET.get("after"))
    except ValidationError:
        page = keyset_page(RuleRun.objects.filter(rule=rule), ordering=("-started_at", "-id"))
    return render(request, "automation/rule_runs.html",
                  {"rule": rule, "page": page, "title": _("Run log: %(rule)s") % {
                      "rule": rule.name}})


def _sequence_context(draft: dict, errors: dict, sequence: Sequence | None) -> dict:
    basics = editor.basic_inputs(draft, errors)[:2]
    return {"sequence": sequence, "basics": basics,
            "steps": editor.action_rows(draft, errors, rows_key="steps", in_sequence=True),
            "summary": editor.error_summary(errors, "steps"),
            "title": sequence.name if sequence else _("New sequence")}


@admin_required
def sequence_edit(request, pk: int | None = None):
    sequence = get_object_or_404(Sequence, pk=pk) if pk else None
    if request.method != "POST":
        draft = {"name": sequence.name, "record_kind": sequence.record_kind,
                 "steps": editor.stored_rows(sequence.record_kind, sequence.steps)} \
            if sequence else {"record_kind": "customers.account",
                              "steps": [{"type": "create_task"}]}
        return render(request, "automation/sequence_edit.html",
                      _sequence_context(draft, {}, sequence))
    draft = editor.sequence_draft(request.POST)
    op = request.POST.get("op", "save")
    if op.startswith(EDIT_OPS):
        draft = editor.edit_rows(draft, op, rows_key="steps")
        return render(request, "automation/sequence_edit.html",
                      _sequence_context(draft, {}, sequence))
    try:
        saved = services.sequence_save(actor=request.user, sequence=sequence or Sequence(),
                                       data=draft)
    except ValidationError as exc:
        return render(request, "automation/sequence_edit.html",
                      _sequence_context(draft, _field_errors(exc), sequence), status=422)
    messages.success(request, _("%(name)s was saved.") % {"name": saved})
    return redirect("rule_list")
