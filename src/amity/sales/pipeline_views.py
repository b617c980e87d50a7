"""Admin pages for pipelines: the list, a pipeline with its ordered stages, a stage's
probability, outcome and required fields (administrators only)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amity.org.views import admin_required
from amity.sales import pipeline_services as services
from amity.sales.models import Pipeline, Stage
from amity.sales.stage_rules import requirable_fields
from amity.web.records import _attach_errors


class PipelineForm(forms.ModelForm):
    class Meta:
        model = Pipeline
        fields = ["name", "is_default", "archived", "position"]

    def _get_validation_exclusions(self):
        # One default pipeline: saving a new default unsets the old one (pipeline_save).
        return {*super()._get_validation_exclusions(), "is_default"}


class StageForm(forms.ModelForm):
    required_fields = forms.MultipleChoiceField(
        label=gettext_lazy("Required fields"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("An opportunity cannot move forward into this stage without "
                               "them."))

    class Meta:
        model = Stage
        fields = ["name", "probability", "outcome", "required_fields"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required_fields"].choices = requirable_fields()


def _save(request, form, save, **kwargs) -> bool:
    if not (request.method == "POST" and form.is_valid()):
        return False
    data = {name: form.cleaned_data[name] for name in form.changed_data}
    try:
        save(user=request.user, data=data, **kwargs)
    except ValidationError as exc:
        _attach_errors(form, exc)
        return False
    messages.success(request, _("Saved."))
    return True


@admin_required
def pipeline_list(request):
    pipelines = Pipeline.objects.prefetch_related("stages")
    return render(request, "sales/pipelines/list.html",
                  {"pipelines": pipelines, "title": _("Pipelines")})


@admin_required
@require_POST
def pipeline_standard(request):
    if services.pipeline_seed_default():
        messages.success(request, _("The standard pipeline was created."))
    return redirect("pipeline_list")


@admin_required
def pipeline_edit(request, pk=None):
    pipeline = get_object_or_404(Pipeline, pk=pk) if pk else Pipeline()
    form = PipelineForm(request.POST or None, instance=pipeline)
    if _save(request, form, services.pipeline_save, pipeline=pipeline):
        return redirect("pipeline_edit", pk=pipeline.pk)
    stages = pipeline.stages.order_by("position") if pipeline.pk else []
    return render(request, "sales/pipelines/edit.html", {
        "form": form, "pipeline": pipeline, "stages": stages,
        "title": pipeline.name if pk else _("New pipeline")},
        status=422 if form.errors else 200)


@admin_required
def stage_edit(request, pipeline_pk, pk=None):
    pipeline = get_object_or_404(Pipeline, pk=pipeline_pk)
    stage = get_object_or_404(Stage, pk=pk, pipeline=pipeline) if pk else Stage(
        pipeline=pipeline)
    form = StageForm(request.POST or None, instance=stage)
    if _save(request, form, services.stage_save, stage=stage):
        return redirect("pipeline_edit", pk=pipeline.pk)
    return render(request, "org/form.html", {
        "form": form, "title": stage.name if pk else _("New stage")},
        status=422 if form.errors else 200)


@admin_required
@require_POST
def stage_shift(request, pipeline_pk, pk, direction):
    """Move a stage one place earlier or later in its pipeline."""
    pipeline = get_object_or_404(Pipeline, pk=pipeline_pk)
    order = list(pipeline.stages.order_by("position", "id").values_list("pk", flat=True))
    if pk not in order:
        raise Http404
    i = order.index(pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
        services.stages_reorder(user=request.user, pipeline=pipeline, order=order)
    return redirect("pipeline_edit", pk=pipeline.pk)


@admin_required
@require_POST
def stage_delete(request, pipeline_pk, pk):
    stage = get_object_or_404(Stage, pk=pk, pipeline_id=pipeline_pk)
    try:
        services.stage_delete(user=request.user, stage=stage)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("pipeline_edit", pk=pipeline_pk)


urlpatterns = [
    path("admin/pipelines/", pipeline_list, name="pipeline_list"),
    path("admin/pipelines/standard/", pipeline_standard, name="pipeline_standard"),
    path("admin/pipelines/new/", pipeline_edit, name="pipeline_create"),
    path("admin/pipelines/<int:pk>/", pipeline_edit, name="pipeline_edit"),
    path("admin/pipelines/<int:pipeline_pk>/stages/new/", stage_edit, name="stage_create"),
    path("admin/pipelines/<int:pipeline_pk>/stages/<int:pk>/", stage_edit, name="stage_edit"),
    path("admin/pipelines/<int:pipeline_pk>/stages/<int:pk>/delete/", stage_delete,
         name="stage_delete"),
    path("admin/pipelines/<int:pipeline_pk>/stages/<int:pk>/up/", stage_shift,
         {"direction": "up"}, name="stage_up"),
    path("admin/pipelines/<int:pipeline_pk>/stages/<int:pk>/down/", stage_shift,
         {"direction": "down"}, name="stage_down"),
]
