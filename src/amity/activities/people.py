"""The meeting participant pickers: a search-as-you-type field for colleagues and one for
contacts (django-autocomplete-light's web component), and the lookups that answer them.

Only the chosen people are rendered with the form; the lookups return a few matches at a
time, so a company of 500 users and a million contacts picks as fast as a small one.
Contacts are found by global search (every script, misspellings) through the access gate;
with nothing typed yet, the record's own people are offered first."""

from dal_alight.widgets import ModelAlightMultiple
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html_join

from amity.activities.about import about_record, about_segment
from amity.activities.models import Task
from amity.core.access import grant_for
from amity.customers.models import Account, Contact
from amity.customers.search import search_records
from amity.customers.search.query import parse_query
from amity.org.models import User

SHOWN = 10


class PeoplePicker(ModelAlightMultiple):
    """Chosen people as removable chips and a search box; the component's scripts load as
    modules, so a form swapped in by HTMX again does not define its elements twice."""

    @property
    def media(self) -> forms.Media:
        return forms.Media(
            css={"all": ["dal_alight/autocomplete-light.css", "activities/people.css"]},
            js=[forms.Script("dal_alight/autocomplete-light.js", type="module"),
                forms.Script("dal_alight/dal-django.js", type="module"),
                forms.Script("activities/people.js", type="module")])


def colleague_choices(user) -> QuerySet[User]:
    """The colleagues a meeting may include: active users other than `user`."""
    return User.objects.filter(is_active=True).exclude(pk=user.pk).order_by(
        "first_name", "last_name", "username")


def contacts_url(record=None) -> str:
    """The contact lookup, offering `record`'s people before anything is typed."""
    if record is None:
        return reverse("people_contacts")
    return reverse("people_contacts_about", args=[about_segment(record), record.pk])


def _answer(people) -> HttpResponse:
    """The component's format: one element per choice, its value in data-value; plain
    text inside, as a click's target must be the choice itself."""
    return HttpResponse(format_html_join("", '<div data-value="{}" dir="auto">{}</div>',
                                         ((person.pk, str(person)) for person in people)))


def _may_plan_meetings(user) -> None:
    """The lookups answer those who may add activities (who see the pickers)."""
    if not grant_for(user, Task.kind_key()).can_create:
        raise PermissionDenied


@login_required
def colleagues(request) -> HttpResponse:
    _may_plan_meetings(request.user)
    found = colleague_choices(request.user)
    if query := parse_query(request.GET.get("q", "")):
        words = Q()
        for word in query.terms:
            words &= (Q(first_name__icontains=word) | Q(last_name__icontains=word)
                      | Q(username__icontains=word) | Q(email__icontains=word))
        found = found.filter(words)
    return _answer(found[:SHOWN])


@login_required
def contacts(request, kind: str = "", pk: int = 0) -> HttpResponse:
    _may_plan_meetings(request.user)
    if query := request.GET.get("q", ""):
        return _answer(search_records(Contact, user=request.user, query=query, limit=SHOWN))
    return _answer(_own_people(request.user, kind, pk)[:SHOWN])


def _own_people(user, kind: str, pk: int) -> QuerySet[Contact]:
    """The people of the record an activity is about: an account's contacts, a contact and
    their colleagues, the contacts of a deal's or lead's account."""
    visible = Contact.objects.visible_to(user).order_by("family_name", "given_name", "pk")
    if not kind:
        return visible.none()
    record = about_record(user, kind, pk)
    account_id = record.pk if isinstance(record, Account) else getattr(record, "account_id",
                                                                       None)
    people = Q(account_id=account_id) if account_id else Q(pk__in=[])
    if isinstance(record, Contact):
        people |= Q(pk=record.pk)
    return visible.filter(people)


urlpatterns = [
    path("activities/people/colleagues/", colleagues, name="people_colleagues"),
    path("activities/people/contacts/", contacts, name="people_contacts"),
    path("activities/people/contacts/<str:kind>/<int:pk>/", contacts,
         name="people_contacts_about"),
]
