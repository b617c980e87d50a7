"""The personal agenda (overdue, today, next 7 days) and the calendar (month and week) of
the signed-in user, in their time zone and calendar; HTMX swaps the calendar between months
and weeks."""

import datetime as dt
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amity.activities import calendar_grid as grid
from amity.activities.selectors import activities_between, agenda
from amity.core.calendars import current_calendar

MAX_SHOWN = 1000  # activities in one month view


@login_required
def agenda_view(request):
    return render(request, "activities/agenda.html",
                  {"title": _("My agenda"), "agenda": agenda(user=request.user)})


def _local_range(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From midnight of `first` to midnight after `last`, in the active time zone."""
    zone = timezone.get_current_timezone()
    return (dt.datetime.combine(first, dt.time(), tzinfo=zone),
            dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=zone))


def _by_day(user, first: dt.date, last: dt.date) -> dict[dt.date, list]:
    start, end = _local_range(first, last)
    days = defaultdict(list)
    for activity in activities_between(user=user, start=start, end=end)[:MAX_SHOWN]:
        days[timezone.localtime(activity.due_at).date()].append(activity)
    return days


def _parse_day(text: str | None, today: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        return today


@login_required
def calendar_view(request):
    """Month view (?month=YYYY-MM in the user's calendar) or week view (?week=YYYY-MM-DD)."""
    calendar = current_calendar()
    language = translation.get_language()
    today = timezone.localdate()
    context = {"title": _("Calendar"), "today": today,
               "weekday_names": grid.weekday_names(calendar, language)}
    if "week" in request.GET:
        days = grid.week_days(calendar, _parse_day(request.GET["week"], today), today, language)
        context.update(view="week", days=days, period=grid.week_title(calendar, days, language),
                       activities=_by_day(request.user, days[0].date, days[-1].date),
                       previous=(days[0].date - dt.timedelta(days=7)).isoformat(),
                       following=(days[0].date + dt.timedelta(days=7)).isoformat(),
                       month=grid.month_of(calendar, days[0].date))
    else:
        month = grid.parse_month(calendar, request.GET.get("month"), today)
        weeks = grid.month_weeks(month, today, language)
        context.update(view="month", weeks=weeks, month=month, period=month.title(language),
                       activities=_by_day(request.user, weeks[0][0].date, weeks[-1][-1].date),
                       week_of=(month.first if not month.first <= today <= month.last
                                else today).isoformat())
    template = "activities/_calendar.html" if request.htmx else "activities/calendar.html"
    return render(request, template, context)


urlpatterns = [
    path("activities/agenda/", agenda_view, name="activity_agenda"),
    path("activities/calendar/", calendar_view, name="activity_calendar"),
]
