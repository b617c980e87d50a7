"""The pages that merge duplicate contacts or accounts and undo a merge: one set of
views for both kinds, told apart by the MergeKind the URL passes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amity.core.services import StaleRecord, display_value
from amity.customers.merge import (
    ACCOUNT_MERGE,
    CONTACT_MERGE,
    CUSTOM,
    MergeKind,
    custom_keys,
    record_merge,
    record_merge_undo,
)
from amity.customers.selectors import likely_duplicate_accounts, likely_duplicate_contacts
from amity.events.models import Event
from amity.web.templatetags.amity import field_label


def _ids(values: list[str]) -> list[int]:
    try:
        return list(dict.fromkeys(int(v) for v in values if v.strip()))
    except ValueError as exc:
        raise Http404 from exc


def _rows(kind: MergeKind, survivor, others: list, chosen: dict[str, int]) -> list:
    """One row per field and custom-field key: its label, name and (record id, shown
    value, checked) per record."""
    records = [survivor, *others]
    rows = [(field_label(survivor, name), name,
             [(r.pk, display_value(r, name), chosen.get(name, survivor.pk) == r.pk)
              for r in records])
            for name in kind.fields]
    for key in custom_keys(records):
        name = f"{CUSTOM}.{key}"
        rows.append((key, name, [(r.pk, (r.custom or {}).get(key), chosen.get(name, survivor.pk)
                                  == r.pk) for r in records]))
    return rows


def _choices(request: HttpRequest, kind: MergeKind, records: list) -> dict[str, int]:
    ids = {r.pk for r in records}
    names = [*kind.fields, *(f"{CUSTOM}.{key}" for key in custom_keys(records))]
    chosen = {}
    for name in names:
        value = request.POST.get(name, "")
        if value.isdigit() and int(value) in ids:
            chosen[name] = int(value)
    return chosen


# Per kind: the URL names, the page's words and the likely-duplicate finder.
PAGES = {
    CONTACT_MERGE: {"url": "contact_merge", "title": gettext_lazy("Merge contacts"),
                    "heading": gettext_lazy("Contacts to merge"),
                    "id_label": gettext_lazy("Contact ID"),
                    "candidates": likely_duplicate_contacts,
                    "probe": ("family_name", "given_name", "email", "phone", "country"),
                    "merged": gettext_lazy("The contacts were merged into %(record)s."),
                    "stale": gettext_lazy("Someone else changed one of these contacts; "
                                          "reload and try again.")},
    ACCOUNT_MERGE: {"url": "account_merge", "title": gettext_lazy("Merge accounts"),
                    "heading": gettext_lazy("Accounts to merge"),
                    "id_label": gettext_lazy("Account ID"),
                    "candidates": likely_duplicate_accounts, "probe": ("name",),
                    "merged": gettext_lazy("The accounts were merged into %(record)s."),
                    "stale": gettext_lazy("Someone else changed one of these accounts; "
                                          "reload and try again.")},
}


@login_required
def merge_view(request: HttpRequest, pk: int, kind: MergeKind) -> HttpResponse:
    """Pick which record's value survives for each field, then merge."""
    page = PAGES[kind]
    editable = kind.model.objects.editable_by(request.user)
    survivor = get_object_or_404(editable, pk=pk)
    source = request.POST if request.method == "POST" else request.GET
    ids = [i for i in _ids(source.getlist("with")) if i != survivor.pk]
    others = [get_object_or_404(editable, pk=i) for i in ids]
    chosen = (_choices(request, kind, [survivor, *others]) if request.method == "POST"
              else {})
    errors = []
    if request.method == "POST":
        try:
            record_merge(survivor=survivor, others=others, user=request.user,
                         choices=chosen, version=_int(request.POST.get("version")))
        except StaleRecord:
            errors = [str(page["stale"])]
        except ValidationError as exc:
            errors = [f"{_label(survivor, f)}: {m}" if f != "__all__" else m
                      for f, ms in _error_dict(exc).items() for m in ms]
        else:
            messages.success(request, page["merged"] % {"record": survivor})
            return redirect(f"{survivor.get_absolute_url()}#merges")
        survivor = kind.model.objects.get(pk=survivor.pk)
    candidates = [c for c in page["candidates"](
        user=request.user, data={n: getattr(survivor, n) for n in page["probe"]})
        if c.pk != survivor.pk and c.pk not in ids]
    return render(request, "customers/merge.html", {
        "record": survivor, "others": others, "rows": _rows(kind, survivor, others, chosen),
        "candidates": candidates, "errors": errors, "page": page, "title": page["title"],
    }, status=422 if errors else 200)


def _label(record, name: str) -> str:
    return name.partition(".")[2] if name.startswith(f"{CUSTOM}.") else field_label(record, name)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _error_dict(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


@login_required
@require_POST
def merge_undo_view(request: HttpRequest, pk: int, event_id: int,
                    kind: MergeKind) -> HttpResponse:
    survivor = get_object_or_404(kind.model.objects.editable_by(request.user), pk=pk)
    event = get_object_or_404(Event.objects.for_subject(survivor), pk=event_id, kind="merged")
    try:
        record_merge_undo(event=event, user=request.user)
    except ValidationError as exc:
        for field, msgs in _error_dict(exc).items():
            for message in msgs:
                label = "" if field == "__all__" else f"{_label(survivor, field)}: "
                messages.error(request, label + message)
    else:
        messages.success(request, _("The merge was undone."))
    return redirect(survivor)


urlpatterns = [
    route
    for prefix, name, kind in (("contacts", "contact", CONTACT_MERGE),
                               ("accounts", "account", ACCOUNT_MERGE))
    for route in (
        path(f"{prefix}/<int:pk>/merge/", merge_view, {"kind": kind}, name=f"{name}_merge"),
        path(f"{prefix}/<int:pk>/merge/<int:event_id>/undo/", merge_undo_view, {"kind": kind},
             name=f"{name}_merge_undo"),
    )
]
