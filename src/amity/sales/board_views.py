"""The board (kanban) of a pipeline, its "more" cards, and the answers to a card dropped
on another column (see static/sales/board.js)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from amity.core.access import grant_for
from amity.sales.board import board_columns, column_cards, column_totals, org_currency
from amity.sales.models import Opportunity, Pipeline, Stage
from amity.sales.models.pipelines import StageOutcome

KIND = "sales.opportunity"


def _require_view(user) -> None:
    if grant_for(user, KIND).view_scope == "none":
        raise Http404


@login_required
def default_board(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    chosen = request.GET.get("pipeline", "")
    pipelines = Pipeline.objects.filter(archived=False)
    if chosen.isdigit():
        pipelines = pipelines.filter(pk=chosen)
    pipeline = pipelines.order_by("-is_default", "position", "id").first()
    if pipeline is None:
        return render(request, "sales/opportunities/no_pipeline.html",
                      {"title": _("Board")})
    return redirect("pipeline_board", pk=pipeline.pk)


@login_required
def board(request: HttpRequest, pk: int) -> HttpResponse:
    _require_view(request.user)
    pipeline = get_object_or_404(Pipeline, pk=pk)
    stages = list(pipeline.stages.order_by("position", "id"))
    closing = {s.outcome: s for s in stages if s.outcome != StageOutcome.OPEN}
    return render(request, "sales/opportunities/board.html", {
        "pipeline": pipeline, "columns": board_columns(pipeline, request.user, stages),
        "won": closing.get(StageOutcome.WON), "lost": closing.get(StageOutcome.LOST),
        "pipelines": Pipeline.objects.filter(archived=False),
        "currency": org_currency(), "title": pipeline.name,
        "can_create": grant_for(request.user, KIND).can_create,
    })


@login_required
def more_cards(request: HttpRequest, pk: int, stage_pk: int) -> HttpResponse:
    _require_view(request.user)
    stage = get_object_or_404(Stage.objects.select_related("pipeline"), pk=stage_pk,
                              pipeline_id=pk)
    try:
        page = column_cards(stage, request.user, after=request.GET.get("after"))
    except ValidationError as exc:
        raise Http404 from exc
    return render(request, "sales/opportunities/_cards.html", {"stage": stage, "page": page})


def status(request: HttpRequest, message: str, *, status: int = 200, heads=()) -> HttpResponse:
    """The board's status line (the reason a move was refused, or what was done), with
    the refreshed heads of the columns the move changed."""
    return render(request, "sales/opportunities/_board_status.html",
                  {"message": message, "refused": status >= 400, "heads": heads,
                   "currency": org_currency()}, status=status)


def moved(request: HttpRequest, record: Opportunity, source: int) -> HttpResponse:
    """The answer to a card dropped on another column and moved there."""
    stages = [source, record.stage_id]
    totals = column_totals(record.pipeline, request.user, stages=stages)
    heads = [(stage, totals.get(stage.pk)) for stage in Stage.objects.filter(
        pk__in=stages, outcome=StageOutcome.OPEN)]
    message = _("%(record)s moved to %(stage)s.") % {"record": record, "stage": record.stage}
    return status(request, message, heads=heads)


urlpatterns = [
    path("opportunities/board/", default_board, name="opportunity_board"),
    path("pipelines/<int:pk>/board/", board, name="pipeline_board"),
    path("pipelines/<int:pk>/board/<int:stage_pk>/more/", more_cards, name="pipeline_board_more"),
]
