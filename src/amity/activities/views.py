"""Task pages: the generic record pages, my open tasks, mark done, and the quick add in a
customer's Open activities panel."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amity.activities import services
from amity.activities.filters import TaskFilter
from amity.activities.forms import QuickTaskForm, TaskForm
from amity.activities.models import Task
from amity.activities.selectors import open_tasks, open_tasks_about
from amity.activities.tables import TaskTable
from amity.customers.models import Account, Contact
from amity.web.records import RecordUI, record_urls

TASKS = RecordUI(
    model=Task, form=TaskForm, table=TaskTable, filterset=TaskFilter,
    sorts={"title": "title", "updated_at": "updated_at"}, related=("account", "contact"),
)
ABOUT = {"accounts": Account, "contacts": Contact}
MY_TASKS_SHOWN = 200


@login_required
def my_tasks(request):
    tasks = list(open_tasks(user=request.user)[:MY_TASKS_SHOWN])
    return render(request, "activities/my_tasks.html",
                  {"tasks": tasks, "title": _("My open tasks")})


@login_required
@require_POST
def mark_done(request, pk: int):
    """Mark a task done; an HTMX row answers empty (the row goes), a form post goes back."""
    task = get_object_or_404(Task.objects.editable_by(request.user), pk=pk)
    services.task_mark_done(task=task, user=request.user)
    if request.htmx:
        response = HttpResponse("")
        response["HX-Trigger"] = "record-changed"
        return response
    return redirect("task_mine")


def open_activities_panel(request, record, *, form=None, status=200):
    return render(request, "activities/_open_activities.html",
                  {"record": record, "can_edit": True, "quick_form": form or QuickTaskForm(),
                   "open_tasks": open_tasks_about(record=record, user=request.user)},
                  status=status)


@login_required
@require_POST
def add_about(request, kind: str, pk: int):
    """Add a task about an account or contact from its page; answers the refreshed panel."""
    if kind not in ABOUT:
        raise Http404
    record = get_object_or_404(ABOUT[kind].objects.visible_to(request.user), pk=pk)
    form = QuickTaskForm(request.POST)
    if form.is_valid():
        link = record._meta.model_name
        try:
            services.task_create(user=request.user, data={**form.cleaned_data, link: record})
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    if form.errors:
        return open_activities_panel(request, record, form=form, status=422)
    response = open_activities_panel(request, record)
    response["HX-Trigger"] = "record-changed"
    return response


urlpatterns = [
    path("tasks/mine/", my_tasks, name="task_mine"),
    path("tasks/<int:pk>/done/", mark_done, name="task_done"),
    path("accounts/<int:pk>/tasks/", add_about, {"kind": "accounts"}, name="account_task_add"),
    path("contacts/<int:pk>/tasks/", add_about, {"kind": "contacts"}, name="contact_task_add"),
    *record_urls(TASKS, "tasks"),
]
