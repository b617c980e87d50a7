"""The pages that merge duplicate contacts and undo a merge."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amity.core.services import StaleRecord, display_value
from amity.customers.merge import MERGE_FIELDS, contact_merge, contact_merge_undo
from amity.customers.models import Contact
from amity.customers.selectors import likely_duplicate_contacts
from amity.events.models import Event
from amity.web.templatetags.amity import field_label


def _ids(values: list[str]) -> list[int]:
    try:
        return list(dict.fromkeys(int(v) for v in values if v.strip()))
    except ValueError as exc:
        raise Http404 from exc


def _rows(survivor: Contact, others: list[Contact], chosen: dict[str, int]) -> list:
    """One row per field: its label, name and (contact id, shown value, checked) per contact."""
    return [
        (field_label(survivor, name), name,
         [(c.pk, display_value(c, name), chosen.get(name, survivor.pk) == c.pk)
          for c in (survivor, *others)])
        for name in MERGE_FIELDS
    ]


def _choices(request: HttpRequest, ids: set[int]) -> dict[str, int]:
    chosen = {}
    for name in MERGE_FIELDS:
        value = request.POST.get(name, "")
        if value.isdigit() and int(value) in ids:
            chosen[name] = int(value)
    return chosen


@login_required
def merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Pick which contact's value survives for each field, then merge."""
    editable = Contact.objects.editable_by(request.user)
    survivor = get_object_or_404(editable, pk=pk)
    source = request.POST if request.method == "POST" else request.GET
    ids = [i for i in _ids(source.getlist("with")) if i != survivor.pk]
    others = [get_object_or_404(editable, pk=i) for i in ids]
    chosen = _choices(request, {survivor.pk, *ids}) if request.method == "POST" else {}
    errors = []
    if request.method == "POST":
        try:
            contact_merge(survivor=survivor, others=others, user=request.user,
                          choices=chosen, version=_int(request.POST.get("version")))
        except StaleRecord:
            errors = [_("Someone else changed one of these contacts; reload and try again.")]
        except ValidationError as exc:
            errors = [f"{field_label(survivor, f)}: {m}" if f != "__all__" else m
                      for f, ms in _error_dict(exc).items() for m in ms]
        else:
            messages.success(request, _("The contacts were merged into %(record)s.")
                             % {"record": survivor})
            return redirect(f"{survivor.get_absolute_url()}#merges")
        survivor = Contact.objects.get(pk=survivor.pk)
    candidates = [c for c in likely_duplicate_contacts(
        user=request.user, data={n: getattr(survivor, n) for n in
                                 ("family_name", "given_name", "email", "phone", "country")})
        if c.pk != survivor.pk and c.pk not in ids]
    return render(request, "customers/merge.html", {
        "record": survivor, "others": others, "rows": _rows(survivor, others, chosen),
        "candidates": candidates, "errors": errors, "title": _("Merge contacts"),
    }, status=422 if errors else 200)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _error_dict(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


@login_required
@require_POST
def merge_undo_view(request: HttpRequest, pk: int, event_id: int) -> HttpResponse:
    survivor = get_object_or_404(Contact.objects.editable_by(request.user), pk=pk)
    event = get_object_or_404(Event.objects.for_subject(survivor), pk=event_id, kind="merged")
    try:
        contact_merge_undo(event=event, user=request.user)
    except ValidationError as exc:
        for field, msgs in _error_dict(exc).items():
            for message in msgs:
                label = "" if field == "__all__" else f"{field_label(survivor, field)}: "
                messages.error(request, label + message)
    else:
        messages.success(request, _("The merge was undone."))
    return redirect(survivor)


urlpatterns = [
    path("contacts/<int:pk>/merge/", merge_view, name="contact_merge"),
    path("contacts/<int:pk>/merge/<int:event_id>/undo/", merge_undo_view,
         name="contact_merge_undo"),
]
