"""Admin → Lead assignment (the ordered rules) and Lead scoring (the model editor), plus
the score panel of a lead and its "Assign by rules" button. Admin pages answer 404 to
everyone else."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amity.org.views import admin_required
from amity.sales.lead_assignment import lead_assign_by_rules
from amity.sales.lead_scoring import explain
from amity.sales.models import AssignmentRule, Lead
from amity.sales.routing_editor import edit_rows, editor_context, posted_draft, stored_draft
from amity.sales.routing_forms import (
    AssignmentRuleForm,
    assignment_rule_delete,
    assignment_rule_move,
    assignment_rule_save,
)
from amity.sales.routing_tasks import recompute_all_lead_scores
from amity.sales.scoring_rules import current_scoring_model, scoring_model_save

LIST_FIELDS = ("users", "work_days")


@admin_required
def rule_list(request):
    rules = AssignmentRule.objects.order_by("position", "id").select_related(
        "team", "queue_user", "queue_team").prefetch_related("users")
    return render(request, "sales/routing/rule_list.html", {
        "rules": rules, "scoring": current_scoring_model(), "title": _("Lead assignment")})


def _posted(request) -> dict:
    return {name: request.POST.getlist(name) if name in LIST_FIELDS else request.POST[name]
            for name in request.POST if name in AssignmentRuleForm.Meta.fields}


@admin_required
def rule_edit(request, pk: int | None = None):
    rule = get_object_or_404(AssignmentRule, pk=pk) if pk else AssignmentRule()
    title = rule.name if pk else _("New assignment rule")
    if request.method != "POST":
        form = AssignmentRuleForm(instance=rule, initial={} if pk else {"active": True})
        return render(request, "sales/routing/rule_form.html",
                      {"form": form, "rule": rule, "title": title})
    try:
        saved = assignment_rule_save(actor=request.user, rule=rule, data=_posted(request))
    except ValidationError:
        form = AssignmentRuleForm(request.POST, instance=rule)
        form.is_valid()  # show each field's error next to it
        return render(request, "sales/routing/rule_form.html",
                      {"form": form, "rule": rule, "title": title}, status=422)
    messages.success(request, _("%(rule)s was saved.") % {"rule": saved})
    return redirect("lead_assignment")


@admin_required
@require_POST
def rule_move(request, pk: int, direction: str):
    rule = get_object_or_404(AssignmentRule, pk=pk)
    assignment_rule_move(actor=request.user, rule=rule, up=direction == "up")
    return redirect("lead_assignment")


@admin_required
@require_POST
def rule_delete(request, pk: int):
    rule = get_object_or_404(AssignmentRule, pk=pk)
    assignment_rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("%(rule)s was deleted.") % {"rule": rule})
    return redirect("lead_assignment")


@admin_required
def scoring_edit(request):
    model = current_scoring_model()
    if request.method != "POST":
        return render(request, "sales/routing/scoring_edit.html",
                      editor_context(stored_draft(model), {}))
    draft = posted_draft(request.POST)
    op = request.POST.get("op", "save")
    if op != "save":
        return render(request, "sales/routing/scoring_edit.html",
                      editor_context(edit_rows(draft, op), {}))
    try:
        scoring_model_save(actor=request.user, data=draft)
    except ValidationError as exc:
        return render(request, "sales/routing/scoring_edit.html",
                      editor_context(draft, exc.message_dict), status=422)
    messages.success(request, _("The scoring model was saved; scores are being "
                                "recomputed."))
    return redirect("lead_scoring")


@admin_required
@require_POST
def scoring_recompute(request):
    recompute_all_lead_scores.enqueue()
    messages.success(request, _("Every lead's score is being recomputed."))
    return redirect("lead_scoring")


def _panel(request, lead: Lead, status: int = 200):
    can_assign = Lead.objects.editable_by(request.user).filter(pk=lead.pk).exists()
    return render(request, "sales/routing/_score_panel.html", {
        "lead": lead, "explanation": explain(lead), "can_assign": can_assign}, status=status)


@login_required
def lead_score_panel(request, pk: int):
    lead = get_object_or_404(Lead.objects.visible_to(request.user), pk=pk)
    return _panel(request, lead)


@login_required
@require_POST
def lead_assign(request, pk: int):
    get_object_or_404(Lead.objects.editable_by(request.user), pk=pk)
    try:
        assignment = lead_assign_by_rules(lead_id=pk, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        assignment = None
    else:
        messages.info(request, assignment.reason if assignment else
                      _("No assignment rule takes this lead."))
    lead = Lead.objects.visible_to(request.user).filter(pk=pk).first()
    if request.htmx or lead is None:
        return _panel(request, lead) if lead else redirect("home")
    try:
        return redirect(lead.get_absolute_url())
    except NoReverseMatch:  # the lead pages are not installed
        return redirect(reverse("lead_score_panel", args=[pk]))


urlpatterns = [
    path("admin/lead-assignment/", rule_list, name="lead_assignment"),
    path("admin/lead-assignment/new/", rule_edit, name="assignment_rule_create"),
    path("admin/lead-assignment/<int:pk>/", rule_edit, name="assignment_rule_edit"),
    path("admin/lead-assignment/<int:pk>/move/<str:direction>/", rule_move,
         name="assignment_rule_move"),
    path("admin/lead-assignment/<int:pk>/delete/", rule_delete,
         name="assignment_rule_delete"),
    path("admin/lead-scoring/", scoring_edit, name="lead_scoring"),
    path("admin/lead-scoring/recompute/", scoring_recompute, name="lead_scoring_recompute"),
    path("leads/<int:pk>/score/", lead_score_panel, name="lead_score_panel"),
    path("leads/<int:pk>/assign-by-rules/", lead_assign, name="lead_assign_rules"),
]
