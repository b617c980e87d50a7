"""Four languages, right-to-left Persian, and dates in each user's calendar and time zone."""

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.urls import reverse
from django.utils import timezone, translation

from amity.core.calendars import format_date, format_datetime, format_number
from amity.org.models import User
from tests.conftest import make_account, signed_in

SRC = Path(__file__).resolve().parents[2] / "src" / "amity"
LOCALES = ("th", "fa", "zh_Hans")


def catalogue(locale: str):
    with open(SRC / "locale" / locale / "LC_MESSAGES" / "django.po", "rb") as f:
        return read_po(f)


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_is_complete(locale):
    missing = [m.id for m in catalogue(locale) if m.id and (not m.string or m.fuzzy)]
    assert missing == []


def test_catalogues_hold_every_marked_string(tmp_path):
    """Re-extract the strings from a copy of the source: nothing new, nothing missing."""
    copy = tmp_path / "amity"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "DJANGO_SETTINGS_MODULE": "amity.settings",
           "AMITY_DATA_DIR": str(tmp_path / "var")}
    subprocess.run([sys.executable, "-m", "django", "makemessages", "-l", "th", "--no-location",
                    "--no-obsolete"], cwd=copy, env=env, check=True, capture_output=True)
    with open(copy / "locale" / "th" / "LC_MESSAGES" / "django.po", "rb") as f:
        extracted = {m.id for m in read_po(f) if m.id}
    committed = {m.id for m in catalogue("th") if m.id}
    assert sorted(extracted - committed) == [], "run `make messages` and translate"
    assert sorted(committed - extracted) == []


def test_switching_to_persian_turns_the_page_right_to_left(org):
    client = signed_in(org.owner)
    response = client.post(reverse("switch_language"), {"language": "fa", "next": "/accounts/"})
    assert response.status_code == 302 and response.url == "/accounts/"
    html = client.get(reverse("account_list")).content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert User.objects.get(pk=org.owner.pk).language == "fa"
    client.post(reverse("switch_language"), {"language": "zh-hans"})
    assert '<html lang="zh-hans" dir="ltr">' in client.get("/").content.decode()


def test_language_switch_refuses_unknown_language_and_foreign_redirects(org):
    client = signed_in(org.owner)
    response = client.post(reverse("switch_language"),
                           {"language": "xx", "next": "https://evil.example/"})
    assert response.url == "/"
    assert User.objects.get(pk=org.owner.pk).language == ""


def test_anonymous_visitors_get_the_browser_language(db):
    response = signed_in_none().get(reverse("login"), headers={"Accept-Language": "th"})
    assert '<html lang="th"' in response.content.decode()


def signed_in_none():
    from django.test import Client

    return Client()


@pytest.mark.parametrize(
    ("calendar", "language", "expected"),
    [
        ("gregorian", "en", "Nov 23, 2026"),
        ("gregorian", "zh-hans", "2026年11月23日"),
        ("buddhist", "th", "23 พ.ย. 2569"),
        ("buddhist", "en", "Nov 23, 2569"),
        ("persian", "fa", "۲ آذر ۱۴۰۵"),
        ("persian", "en", "2 Azar 1405"),
        ("gregorian", "fa", "۲۳ نوامبر ۲۰۲۶"),
    ],
)
def test_dates_in_each_calendar(calendar, language, expected):
    assert format_date(dt.date(2026, 11, 23), calendar=calendar, language=language) == expected


def test_persian_new_year_boundary():
    assert format_date(dt.date(2026, 3, 20), calendar="persian", language="en") == "29 Esfand 1404"
    new_year = format_date(dt.date(2026, 3, 21), calendar="persian", language="en")
    assert new_year == "1 Farvardin 1405"


def test_times_are_shown_in_the_users_time_zone():
    moment = dt.datetime(2026, 11, 23, 20, 30, tzinfo=dt.UTC)
    with timezone.override("Asia/Bangkok"):
        assert format_datetime(moment, calendar="gregorian", language="th") == "24 พ.ย. 2026 03:30"
    with timezone.override("Asia/Tehran"):
        assert format_datetime(moment, calendar="persian", language="fa") == "۳ آذر ۱۴۰۵ ۰:۰۰"


def test_numbers_follow_the_language():
    assert format_number(1234567.5, language="en") == "1,234,567.5"
    assert format_number(1234567.5, language="fa") == "۱٬۲۳۴٬۵۶۷٫۵"
    assert format_number(1234567, language="zh-hans") == "1,234,567"


def test_user_preferences_drive_dates_on_pages(org):
    account = make_account(org.owner, "Timeline Co")
    client = signed_in(org.owner)
    response = client.post(reverse("preferences"), {
        "first_name": "", "last_name": "", "email": "owner@example.com", "language": "th",
        "time_zone": "Asia/Bangkok", "calendar": "buddhist",
    })
    assert response.status_code == 302
    html = client.get(reverse("account_detail", args=[account.pk])).content.decode()
    buddhist_year = str(timezone.localtime(account.created_at,
                                           timezone=dt.timezone(dt.timedelta(hours=7))).year + 543)
    assert buddhist_year in html
    with translation.override("th"):
        assert '<html lang="th"' in html


def test_preferences_reject_unknown_time_zone_and_calendar(org):
    client = signed_in(org.owner)
    response = client.post(reverse("preferences"), {
        "email": "owner@example.com", "language": "en", "time_zone": "Mars/Olympus",
        "calendar": "mayan",
    })
    assert response.status_code == 422
    assert {"time_zone", "calendar"} <= set(response.context["form"].errors)
