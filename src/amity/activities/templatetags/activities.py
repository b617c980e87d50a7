from babel import dates as babel_dates
from django import template
from django.urls import NoReverseMatch
from django.utils import timezone

from amity.activities.models import ActivityType
from amity.activities.recurrence import describe
from amity.activities.selectors import done_about, open_tasks_about, recent_contact
from amity.core.calendars import PERSIAN_DIGITS, babel_locale

register = template.Library()

SEGMENTS = {"account": "accounts", "contact": "contacts", "opportunity": "opportunities",
            "lead": "leads"}
TYPE_ACTIONS = (  # the panel's buttons: (type, what the button says)
    (ActivityType.CALL, "call"), (ActivityType.MEETING, "meeting"),
    (ActivityType.TASK, "task"), (ActivityType.EMAIL, "email"),
)


@register.simple_tag(takes_context=True)
def record_open_tasks(context, record):
    """The open activities about `record` that the signed-in user may see (the panel's rows)."""
    if "open_tasks" in context:
        return context["open_tasks"]
    return open_tasks_about(record=record, user=context["request"].user)


@register.simple_tag(takes_context=True)
def activity_panel(context, record) -> dict:
    """What the activities panel of a record page shows, for the signed-in user."""
    user = context["request"].user
    return {"segment": SEGMENTS.get(record._meta.model_name, ""),
            "open": open_tasks_about(record=record, user=user),
            "done": done_about(record=record, user=user),
            "recent": recent_contact(record=record, user=user)}


@register.filter
def on_day(activities: dict, day):
    """The activities of one calendar day (a dict keyed by date)."""
    return activities.get(day, [])


@register.filter
def record_url(record) -> str:
    """The record's page, or "" where its kind has no page (yet)."""
    try:
        return record.get_absolute_url()
    except (NoReverseMatch, AttributeError):
        return ""


@register.filter
def repeat_words(text: str) -> str:
    return describe(text) if text else ""


@register.filter
def activity_time(value) -> str:
    """Hours and minutes in the user's time zone and language (the calendar shows the day)."""
    if value is None:
        return ""
    locale = babel_locale()
    text = babel_dates.format_time(timezone.localtime(value).time(), "short", locale=locale)
    return text.translate(PERSIAN_DIGITS) if locale == "fa" else text
