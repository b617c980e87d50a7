"""API routers: /tasks (the generic record endpoints plus mark done, as before) and
/activities (every type, with participants, repeat rules, the agenda and the "contacted
recently" hint). Both write through activities.services."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status

from amity.activities import services
from amity.activities.about import about_record
from amity.activities.api_schemas import (
    ActivityIn,
    ActivityOut,
    ActivityPage,
    AgendaOut,
    RecentContactOut,
)
from amity.activities.filters import TaskFilter
from amity.activities.models import Task
from amity.activities.recurrence import Recurrence
from amity.activities.selectors import agenda, recent_contact
from amity.api.crud import (
    RecordOut,
    StrictSchema,
    etag,
    filter_schema,
    if_match_version,
    patch_schema,
    record_router,
    resolve_references,
)
from amity.api.errors import COMMON_ERRORS, ErrorOut
from amity.core import services as record_services
from amity.core.pagination import keyset_page


class TaskIn(StrictSchema):
    title: str = Field(max_length=200)
    due_at: dt.datetime | None = None
    remind_at: dt.datetime | None = None
    notes: str = Field("", max_length=10000)
    account: int | None = None
    contact: int | None = None


class TaskOut(RecordOut):
    title: str
    due_at: dt.datetime | None
    remind_at: dt.datetime | None
    done_at: dt.datetime | None
    notes: str
    account: int | None
    contact: int | None

    @staticmethod
    def resolve_account(obj) -> int | None:
        return obj.account_id

    @staticmethod
    def resolve_contact(obj) -> int | None:
        return obj.contact_id


tasks_router = record_router(
    model=Task, schema_in=TaskIn, schema_patch=patch_schema(TaskIn), schema_out=TaskOut,
    filterset=TaskFilter, orderings=("title", "created_at", "updated_at"),
)


@tasks_router.post("/{int:pk}/done", response={200: TaskOut, **COMMON_ERRORS},
                   summary="Mark a task done", operation_id="task_done")
def done(request, response: HttpResponse, pk: int):
    task = get_object_or_404(Task.objects.visible_to(request.auth), pk=pk)
    task = services.activity_mark_done(task=task, user=request.auth)
    response["ETag"] = etag(task)
    return task


# --- /activities ---------------------------------------------------------------------------

activities_router = Router(tags=["activities"])
ActivityPatch = patch_schema(ActivityIn)
Filters = filter_schema(TaskFilter)
ORDERINGS = ("created_at", "updated_at", "title")
PREFETCH = ("participants", "participant_contacts")


def _visible(request, pk: int) -> Task:
    return get_object_or_404(Task.objects.visible_to(request.auth).prefetch_related(*PREFETCH),
                             pk=pk)


def _data(payload, *, partial: bool) -> dict[str, Any]:
    """The service's data from a request body: ids resolved, the repeat rule as text."""
    data = payload.model_dump(exclude_unset=partial)
    if "recurrence" in data:
        rule = data.pop("recurrence")
        try:
            data["recurrence"] = Recurrence(**{**rule, "weekdays": tuple(rule["weekdays"] or ())}
                                            ).clean().text() if rule else ""
        except ValidationError as exc:
            raise ValidationError({f"recurrence.{k}": v for k, v in exc.message_dict.items()}
                                  ) from exc
    people = {k: data.pop(k) for k in ("participants", "participant_contacts") if k in data}
    return {**resolve_references(Task, data), **people}


@activities_router.get("/", response={200: ActivityPage, **COMMON_ERRORS},
                       summary="List activities", operation_id="activity_list")
def list_activities(request, filters: Query[Filters], ordering: str = "created_at",
                    cursor: str | None = None, page_size: int = 50):
    if ordering.lstrip("-") not in ORDERINGS:
        raise ValidationError({"ordering": [_("Order by one of: %s.") % ", ".join(ORDERINGS)]})
    fs = TaskFilter(request.GET, queryset=Task.objects.visible_to(request.auth)
                    .prefetch_related(*PREFETCH))
    if not fs.is_valid():
        raise ValidationError(fs.errors)
    direction = "-" if ordering.startswith("-") else ""
    page = keyset_page(fs.qs, ordering=(ordering, f"{direction}id"), after=cursor,
                       size=page_size)
    return {"results": page.items, "next_cursor": page.next_cursor}


@activities_router.post("/", response={201: ActivityOut, **COMMON_ERRORS},
                        summary="Create or log an activity", operation_id="activity_create")
def create_activity(request, response: HttpResponse, payload: ActivityIn):
    task = services.activity_create(user=request.auth, data=_data(payload, partial=False))
    response["ETag"] = etag(task)
    return Status(201, task)


@activities_router.get("/agenda", response={200: AgendaOut, **COMMON_ERRORS},
                       summary="My agenda: overdue, today, next 7 days",
                       operation_id="activity_agenda")
def my_agenda(request):
    return agenda(user=request.auth)


@activities_router.get("/recent-contact/{kind}/{int:pk}",
                       response={200: RecentContactOut, **COMMON_ERRORS},
                       summary="Another rep's latest contact with a customer",
                       operation_id="activity_recent_contact")
def recent(request, kind: str, pk: int):
    record = about_record(request.auth, kind, pk)
    found = recent_contact(record=record, user=request.auth)
    if found is None:
        return {"activity": None}
    return {"activity": found.pk, "type": found.type, "by": str(found.owner),
            "by_id": found.owner_id, "done_at": found.done_at}


@activities_router.get("/{int:pk}", response={200: ActivityOut, **COMMON_ERRORS},
                       summary="Read an activity", operation_id="activity_read")
def read_activity(request, response: HttpResponse, pk: int):
    task = _visible(request, pk)
    response["ETag"] = etag(task)
    return task


@activities_router.patch("/{int:pk}", response={200: ActivityOut, 412: ErrorOut, **COMMON_ERRORS},
                         summary="Change an activity", operation_id="activity_update")
def update_activity(request, response: HttpResponse, pk: int, payload: ActivityPatch):
    task = _visible(request, pk)
    version = if_match_version(request, task)
    task = services.activity_update(task=task, user=request.auth,
                                    data=_data(payload, partial=True), version=version)
    response["ETag"] = etag(task)
    return task


@activities_router.post("/{int:pk}/done", response={200: ActivityOut, **COMMON_ERRORS},
                        summary="Mark an activity done", operation_id="activity_done")
def mark_done(request, response: HttpResponse, pk: int):
    """Done now (the outcome and notes are set with PATCH); twice is once."""
    task = _visible(request, pk)
    task = services.activity_mark_done(task=task, user=request.auth)
    response["ETag"] = etag(task)
    return _visible(request, task.pk)


@activities_router.delete("/{int:pk}", response={204: None, 412: ErrorOut, **COMMON_ERRORS},
                          summary="Move an activity to the recycle bin",
                          operation_id="activity_delete")
def delete_activity(request, pk: int):
    task = _visible(request, pk)
    record_services.record_delete(record=task, user=request.auth,
                                  version=if_match_version(request, task))
    return Status(204, None)
