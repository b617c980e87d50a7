"""API schemas and router for tasks: the generic record endpoints plus mark done."""

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field

from amity.activities.filters import TaskFilter
from amity.activities.models import Task
from amity.activities.services import task_mark_done
from amity.api.crud import RecordOut, StrictSchema, etag, patch_schema, record_router
from amity.api.errors import COMMON_ERRORS


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
    task = task_mark_done(task=task, user=request.auth)
    response["ETag"] = etag(task)
    return task
