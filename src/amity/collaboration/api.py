"""API for a user's own notifications: list (cursor-paginated), mark read, mark all read,
and the notification settings. Another user's notification answers 404."""

import datetime as dt
from typing import Annotated

from ninja import Field, Query, Router, Schema

from amity.api.crud import StrictSchema
from amity.api.errors import COMMON_ERRORS
from amity.collaboration import services
from amity.collaboration.channels import Channel
from amity.collaboration.models import Notification
from amity.collaboration.views import ORDERING, with_links
from amity.core.pagination import MAX_PAGE_SIZE, keyset_page

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    link: str | None = Field(None, description="The record's page, when you may see it now")
    actor: int | None
    created_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def resolve_actor(obj) -> int | None:
        return obj.actor_id


class NotificationPage(Schema):
    results: list[NotificationOut]
    next_cursor: str | None
    unread_count: int


class MarkedOut(Schema):
    marked: int


class SettingsOut(Schema):
    channels: dict[str, Channel]
    digest_time: dt.time


class SettingsIn(StrictSchema):
    channels: dict[str, Channel] = Field(default_factory=dict,
                                         description="Kind -> channel; kinds not sent keep "
                                                     "their channel")
    digest_time: dt.time | None = None


@router.get("/", response={200: NotificationPage, **COMMON_ERRORS},
            summary="Your notifications, newest first", operation_id="notification_list")
def list_notifications(request, unread: bool = False, cursor: str | None = None,
                       page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50):
    rows = Notification.objects.for_user(request.auth)
    if unread:
        rows = rows.unread()
    page = keyset_page(rows, ordering=ORDERING, after=cursor, size=page_size)
    return {"results": with_links(request.auth, page.items), "next_cursor": page.next_cursor,
            "unread_count": services.unread_count(request.auth)}


@router.post("/{int:pk}/read", response={200: NotificationOut, **COMMON_ERRORS},
             summary="Mark one notification read", operation_id="notification_read")
def mark_read(request, pk: int):
    # Another user's id raises DoesNotExist, which the API answers 404 like any unknown id.
    notification = services.notification_mark_read(user=request.auth, notification_id=pk)
    return with_links(request.auth, [notification])[0]


@router.post("/read-all", response={200: MarkedOut, **COMMON_ERRORS},
             summary="Mark all your notifications read", operation_id="notification_read_all")
def mark_all_read(request):
    return {"marked": services.notifications_mark_all_read(user=request.auth)}


def _settings_out(user) -> dict:
    return {"channels": {kind.key: channel for kind, channel in
                         services.notification_choices(user)},
            "digest_time": services.settings_of([user])[user.pk].digest_time}


@router.get("/settings", response={200: SettingsOut, **COMMON_ERRORS},
            summary="Your channel per kind of notification", operation_id="notification_settings")
def read_settings(request):
    return _settings_out(request.auth)


@router.put("/settings", response={200: SettingsOut, **COMMON_ERRORS},
            summary="Change your notification settings",
            operation_id="notification_settings_update")
def update_settings(request, payload: SettingsIn):
    services.notification_settings_save(user=request.auth, channels=dict(payload.channels),
                                        digest_time=payload.digest_time)
    return _settings_out(request.auth)
