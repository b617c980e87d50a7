"""The API's contract for activities: what a client sends and what it gets back."""

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from amity.activities.models import MAX_DURATION_MINUTES
from amity.api.crud import RecordOut, StrictSchema

ActivityKind = Literal["task", "call", "meeting", "email"]
Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class RecurrenceIn(StrictSchema):
    freq: Literal["daily", "weekly", "monthly", "yearly"]
    interval: int = Field(1, ge=1, le=1000)
    weekdays: list[Weekday] = Field([], max_length=7)
    until: dt.date | None = None
    count: int | None = Field(None, ge=1, le=1000)


class ActivityIn(StrictSchema):
    type: ActivityKind = "task"
    title: str = Field(max_length=200, min_length=1)
    due_at: dt.datetime | None = Field(None, description="When a task is due, or when a "
                                       "call, meeting or email starts.")
    ends_at: dt.datetime | None = None
    duration_minutes: int | None = Field(None, ge=0, le=MAX_DURATION_MINUTES)
    direction: Literal["", "outbound", "inbound"] = ""
    outcome: str = Field("", max_length=200)
    notes: str = Field("", max_length=10000)
    remind_at: dt.datetime | None = None
    done_at: dt.datetime | None = Field(None, description="Set to log an activity that "
                                        "already happened.")
    account: int | None = None
    contact: int | None = None
    opportunity: int | None = None
    lead: int | None = None
    participants: list[int] = Field([], max_length=100,
                                    description="User ids (meetings).")
    participant_contacts: list[int] = Field([], max_length=100,
                                            description="Contact ids (meetings).")
    recurrence: RecurrenceIn | None = Field(None, description="Tasks only: the rule by which "
                                            "completing one creates the next.")


class ActivityOut(RecordOut):
    type: str
    title: str
    due_at: dt.datetime | None
    ends_at: dt.datetime | None
    duration_minutes: int | None
    direction: str
    outcome: str
    notes: str
    remind_at: dt.datetime | None
    done_at: dt.datetime | None
    account: int | None
    contact: int | None
    opportunity: int | None
    lead: int | None
    participants: list[int]
    participant_contacts: list[int]
    recurrence: str = Field(description="RFC 5545 RRULE, empty if it does not repeat.")

    @staticmethod
    def resolve_account(obj) -> int | None:
        return obj.account_id

    @staticmethod
    def resolve_contact(obj) -> int | None:
        return obj.contact_id

    @staticmethod
    def resolve_opportunity(obj) -> int | None:
        return obj.opportunity_id

    @staticmethod
    def resolve_lead(obj) -> int | None:
        return obj.lead_id

    @staticmethod
    def resolve_participants(obj) -> list[int]:
        return sorted(user.pk for user in obj.participants.all())

    @staticmethod
    def resolve_participant_contacts(obj) -> list[int]:
        return sorted(contact.pk for contact in obj.participant_contacts.all())


class ActivityPage(Schema):
    results: list[ActivityOut]
    next_cursor: str | None = None


class AgendaOut(Schema):
    overdue: list[ActivityOut]
    today: list[ActivityOut]
    next_days: list[ActivityOut]


class RecentContactOut(Schema):
    activity: int | None
    type: str | None = None
    by: str | None = None
    by_id: int | None = None
    done_at: dt.datetime | None = None
