"""Admin > Background tasks: tasks by state, their errors, Retry, and periodic jobs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amity.core.jobs import selectors, services
from amity.core.jobs.heartbeats import live_workers
from amity.core.jobs.models import Job
from amity.core.retention import retentions
from amity.org.views import admin_required

DEFAULT_STATE = Job.State.FAILED


@admin_required
def task_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state") or DEFAULT_STATE
    error, page = None, None
    if state not in Job.State.values:
        error = _("state: “%(value)s” is not one of: %(choices)s.") % {
            "value": state[:50], "choices": ", ".join(Job.State.values)}
        state = DEFAULT_STATE
    else:
        try:
            page = selectors.jobs_page(state=state, after=request.GET.get("after") or None)
        except ValidationError:
            error = _("after: this page link is not valid; start again from the first page.")
    context = {"state": state, "page": page, "error": error,
               "states": _state_tabs(), "title": _("Background tasks")}
    status = 400 if error else 200
    if request.htmx and not request.htmx.boosted:
        return render(request, "core/jobs/_task_list.html", context, status=status)
    context.update(schedules=selectors.schedules(), retentions=retentions(),
                   workers=live_workers().order_by("hostname", "pid"))
    return render(request, "core/jobs/task_list.html", context, status=status)


def _state_tabs() -> list[dict]:
    counts = selectors.state_counts()
    return [{"value": value, "label": label, "count": min(counts[value], selectors.COUNT_CAP),
             "more": counts[value] > selectors.COUNT_CAP}
            for value, label in Job.State.choices]


@admin_required
@require_POST
def task_retry(request: HttpRequest, result_id: str) -> HttpResponse:
    try:
        job = services.retry_task(result_id=result_id, user=request.user)
    except Job.DoesNotExist as exc:
        raise Http404 from exc
    except services.NotRetryable as exc:
        messages.error(request, str(exc))
        return redirect(reverse("job_list"))
    messages.success(request, _("The task was queued for a fresh attempt."))
    return redirect(f"{reverse('job_list')}?state={job.state}")
