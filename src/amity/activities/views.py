"""Activity pages: the generic record pages, my open activities, mark done, and the
activities panel on customer pages (log a call, schedule a meeting, add a task, log an
email) with the "contacted recently by another rep" hint."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amity.activities import calendar_views, feed_views, people, services
from amity.activities.about import about_record
from amity.activities.filters import TaskFilter
from amity.activities.forms import ActivityForm, TaskForm
from amity.activities.models import ActivityType, Task
from amity.activities.selectors import open_tasks
from amity.activities.tables import TaskTable
from amity.core.access import grant_for
from amity.web.records import RecordUI, record_urls

TASKS = RecordUI(
    model=Task, form=TaskForm, table=TaskTable, filterset=TaskFilter,
    sorts={"title": "title", "updated_at": "updated_at"},
    related=("account", "contact", "opportunity", "lead"),
    panels=("activities/_activity_details.html",),
)
MY_TASKS_SHOWN = 200


@login_required
def my_tasks(request):
    tasks = list(open_tasks(user=request.user)[:MY_TASKS_SHOWN])
    return render(request, "activities/my_tasks.html",
                  {"tasks": tasks, "title": _("My open activities")})


@login_required
@require_POST
def mark_done(request, pk: int):
    """Mark an activity done; an HTMX row answers empty (the row goes), a form post goes back."""
    task = get_object_or_404(Task.objects.editable_by(request.user), pk=pk)
    services.activity_mark_done(task=task, user=request.user)
    if request.htmx:
        response = HttpResponse("")
        response["HX-Trigger"] = "record-changed"
        return response
    return redirect("task_mine")


def panel(request, record, *, form=None, status=200, activity_type=None):
    """The activities panel of a record page (also its HTMX answer)."""
    activity_type = activity_type or (form.activity_type if form else None)
    can_add = grant_for(request.user, Task.kind_key()).can_create
    return render(request, "activities/_open_activities.html", {
        "record": record, "can_edit": can_add, "activity_form": form, "open_type": activity_type,
        "kind_segment": record._meta.verbose_name_plural}, status=status)


@login_required
def about_form(request, kind: str, pk: int):
    """GET: the panel with the form for one type open (and the recent-contact hint)."""
    record = about_record(request.user, kind, pk)
    activity_type = request.GET.get("type", "")
    if activity_type not in ActivityType.values:  # none (Cancel) or unknown: the form closes
        return panel(request, record)
    form = ActivityForm(user=request.user, activity_type=activity_type,
                        about=record)
    return panel(request, record, form=form)


@login_required
@require_POST
def add_about(request, kind: str, pk: int):
    """Add an activity about a record from its page; answers the refreshed panel."""
    record = about_record(request.user, kind, pk)
    form = ActivityForm(request.POST, user=request.user,
                        about=record)
    if form.is_valid():
        try:
            services.activity_create(user=request.user, data={
                **form.activity_data(), record._meta.model_name: record})
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                field = "due_at" if field == "done_at" else field
                form.add_error(field if field in form.fields else None, errors)
    if form.errors:
        return panel(request, record, form=form, status=422)
    response = panel(request, record)
    response["HX-Trigger"] = "record-changed"
    return response


@login_required
def new_activity(request):
    """An activity about no particular record (a weekly report, an internal meeting), with
    every option of its type, repeat rules included."""
    if not grant_for(request.user, Task.kind_key()).can_create:
        raise PermissionDenied
    activity_type = request.GET.get("type", ActivityType.TASK)
    if activity_type not in ActivityType.values:
        activity_type = ActivityType.TASK
    form = ActivityForm(request.POST or None, user=request.user, activity_type=activity_type)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.activity_create(user=request.user, data=form.activity_data())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                field = "due_at" if field == "done_at" else field
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect(task)
    return render(request, "activities/new.html", {
        "form": form, "types": ActivityType.choices, "title": _("New activity")},
        status=422 if form.errors else 200)


urlpatterns = [
    path("activities/new/", new_activity, name="activity_new"),
    path("tasks/mine/", my_tasks, name="task_mine"),
    path("tasks/<int:pk>/done/", mark_done, name="task_done"),
    path("accounts/<int:pk>/tasks/", add_about, {"kind": "accounts"}, name="account_task_add"),
    path("contacts/<int:pk>/tasks/", add_about, {"kind": "contacts"}, name="contact_task_add"),
    path("activities/about/<str:kind>/<int:pk>/", about_form, name="activity_about_form"),
    path("activities/about/<str:kind>/<int:pk>/add/", add_about, name="activity_about_add"),
    *calendar_views.urlpatterns,
    *feed_views.urlpatterns,
    *people.urlpatterns,
    *record_urls(TASKS, "tasks"),
]
