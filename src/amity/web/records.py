"""Generic list, detail, create, inline-edit, assign and delete pages for any business
record. Each page reads through the access gate and writes through core.services."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django_filters import FilterSet

from amity.core import calendars, services
from amity.core.access import grant_for
from amity.core.exports import export_formats, export_response
from amity.core.models import OwnedRecord
from amity.core.pagination import keyset_page
from amity.core.tags import tag_fields, tags_text
from amity.events.selectors import field_history, timeline
from amity.org.models import Team, User
from amity.web.tables import KeysetTable


@dataclass(frozen=True)
class RecordUI:
    model: type[OwnedRecord]
    form: type[forms.ModelForm]
    table: type[KeysetTable]
    filterset: type[FilterSet]
    sorts: dict[str, str]  # table column -> model field, first is the default
    related: tuple[str, ...] = ()  # select_related for the list
    panels: tuple[str, ...] = ()  # extra templates on the record page (related lists, …)
    # (user, data) -> visible records that are probably the one being created
    likely_duplicates: Callable[..., list] | None = None
    create_actions: tuple[tuple[str, str], ...] = ()  # (label, url name) for creators
    edit_actions: tuple[tuple[str, str], ...] = ()  # (label, url name taking pk) for editors
    # record -> ids of records of the same type whose events belong on its timeline
    timeline_also: Callable[..., list[int]] | None = None

    def timeline(self, record: OwnedRecord, **kwargs):
        extra = self.timeline_also(record) if self.timeline_also else ()
        return timeline(subject=record, extra_ids=extra, **kwargs)

    @property
    def name(self) -> str:
        return self.model._meta.model_name

    def make_form(self, user, *args, **kwargs) -> forms.ModelForm:
        if "user" in self.form.__init__.__code__.co_varnames:
            kwargs["user"] = user
        return self.form(*args, **kwargs)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(is_active=True)
        self.fields["owner"].label = _("Owner")
        self.fields["team"].label = _("Team")


def _sort(ui: RecordUI, request: HttpRequest) -> tuple[str, tuple[str, str]]:
    sort = request.GET.get("sort") or next(iter(ui.sorts))
    column = sort.lstrip("-")
    if column not in ui.sorts:
        sort = column = next(iter(ui.sorts))
    direction = "-" if sort.startswith("-") else ""
    return sort, (f"{direction}{ui.sorts[column]}", f"{direction}id")


def list_view(request: HttpRequest, ui: RecordUI) -> HttpResponse:
    queryset = ui.model.objects.visible_to(request.user).select_related("owner", *ui.related)
    filters = ui.filterset(request.GET, queryset=queryset)
    sort, ordering = _sort(ui, request)
    rows = filters.qs if filters.is_valid() else queryset.none()
    try:
        page = keyset_page(rows, ordering=ordering, after=request.GET.get("after"))
    except ValidationError:
        page = keyset_page(rows, ordering=ordering)
    table = ui.table(page.items, reader=request.user)
    table.show_sorted(sort)
    params = request.GET.copy()
    params.pop("after", None)
    context = {
        "ui": ui, "filter": filters, "table": table, "page": page, "params": params.urlencode(),
        "grant": grant_for(request.user, ui.model.kind_key()),
        "export_formats": export_formats(ui.model),
        "title": ui.model._meta.verbose_name_plural,
    }
    template = "records/_list.html" if request.htmx and request.htmx.target == "record-list" \
        else "records/list.html"
    return render(request, template, context)


def _visible(ui: RecordUI, request: HttpRequest, pk: int) -> OwnedRecord:
    return get_object_or_404(ui.model.objects.visible_to(request.user), pk=pk)


def detail_view(request: HttpRequest, ui: RecordUI, pk: int) -> HttpResponse:
    record = _visible(ui, request, pk)
    return render(request, "records/detail.html", _detail_context(request, ui, record))


def _detail_context(request, ui: RecordUI, record: OwnedRecord, **extra) -> dict:
    user = request.user
    return {
        "ui": ui, "record": record, "title": str(record),
        "fields": _facts(ui, record),
        "can_edit": ui.model.objects.editable_by(user).filter(pk=record.pk).exists(),
        "can_delete": ui.model.objects.deletable_by(user).filter(pk=record.pk).exists(),
        "timeline": ui.timeline(record),
        "history": field_history(subject=record)[:50],
        "assign_form": AssignForm(initial={"owner": record.owner_id, "team": record.team_id}),
        **extra,
    }


def _facts(ui: RecordUI, record: OwnedRecord) -> list[tuple[str, object]]:
    facts = []
    tags = tag_fields(ui.model)
    for name in ui.form._meta.fields:
        field = record._meta.get_field(name)
        if name in tags:
            value = tags_text(getattr(record, name).all())
        elif field.choices:
            value = getattr(record, f"get_{name}_display")()
        else:
            value = shown(getattr(record, name))
        facts.append((field.verbose_name, value))
    return facts


def shown(value: object) -> object:
    """A field's value as the user reads it: dates in their calendar, numbers with their
    language's separators (0 stays 0, not "empty"), yes or no; other values as they are."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return calendars.format_datetime(value)
    if isinstance(value, dt.date):
        return calendars.format_date(value)
    if isinstance(value, Decimal):  # as stored: 12.50 keeps its cents
        return calendars.format_number(value, decimals=max(0, -value.as_tuple().exponent))
    if isinstance(value, int | float):
        return calendars.format_number(value)
    return value


def timeline_view(request: HttpRequest, ui: RecordUI, pk: int) -> HttpResponse:
    record = _visible(ui, request, pk)
    try:
        page = ui.timeline(record, after=request.GET.get("after"))
    except ValidationError as exc:
        raise Http404 from exc
    return render(request, "events/_timeline.html", {"timeline": page, "record": record, "ui": ui})


def create_view(request: HttpRequest, ui: RecordUI) -> HttpResponse:
    if not grant_for(request.user, ui.model.kind_key()).can_create:
        raise PermissionDenied
    form = ui.make_form(request.user, request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid() and ui.likely_duplicates \
            and not request.POST.get("create_anyway"):
        duplicates = ui.likely_duplicates(user=request.user, data=form.cleaned_data)
    if request.method == "POST" and form.is_valid() and not duplicates:
        try:
            record = services.record_create(model=ui.model, user=request.user,
                                            data=form.cleaned_data)
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, _("%(record)s was created.") % {"record": record})
            return redirect(record)
    status = 422 if form.errors else 200
    return render(request, "records/form.html", {"ui": ui, "form": form, "duplicates": duplicates,
                  "title": _("New %(kind)s") % {"kind": ui.model._meta.verbose_name}},
                  status=status)


def edit_view(request: HttpRequest, ui: RecordUI, pk: int) -> HttpResponse:
    """Inline edit of the key facts: GET swaps in the form, POST saves and swaps back."""
    record = get_object_or_404(ui.model.objects.editable_by(request.user), pk=pk)
    if request.method != "POST":
        form = ui.make_form(request.user, instance=record)
        version = VersionForm(initial={"version": record.version})
        return render(request, "records/_facts_form.html",
                      {"ui": ui, "record": record, "form": form, "version_form": version})
    version = VersionForm(request.POST)
    version.is_valid()
    # A fresh copy for the form, so `record` keeps the values the history compares with.
    fresh = ui.model.objects.editable_by(request.user).get(pk=pk)
    form = ui.make_form(request.user, request.POST, instance=fresh)
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            record = services.record_update(record=record, user=request.user, data=data,
                                            version=version.cleaned_data.get("version"))
        except services.StaleRecord:
            form.add_error(None, _("Someone else changed this record while you were editing. "
                                   "Your changes are below and were not saved; reload to see "
                                   "theirs."))
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            response = render(request, "records/_facts.html",
                              {"ui": ui, "record": record, "fields": _facts(ui, record),
                               "can_edit": True})
            response["HX-Trigger"] = "record-changed"
            return response
    return render(request, "records/_facts_form.html",
                  {"ui": ui, "record": record, "form": form, "version_form": version}, status=422)


def assign_view(request: HttpRequest, ui: RecordUI, pk: int) -> HttpResponse:
    record = get_object_or_404(ui.model.objects.editable_by(request.user), pk=pk)
    form = AssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_assign(record=record, user=request.user,
                               owner=form.cleaned_data["owner"], team=form.cleaned_data["team"])
        messages.success(request, _("The owner was changed."))
        return redirect(record)
    return render(request, "records/detail.html",
                  _detail_context(request, ui, record, assign_form=form), status=422)


def delete_view(request: HttpRequest, ui: RecordUI, pk: int) -> HttpResponse:
    record = get_object_or_404(ui.model.objects.deletable_by(request.user), pk=pk)
    if request.method == "POST":
        services.record_delete(record=record, user=request.user)
        messages.success(request,
                         _("%(record)s was moved to the recycle bin.") % {"record": record})
        return redirect(reverse(f"{ui.name}_list"))
    return render(request, "records/confirm_delete.html", {"ui": ui, "record": record,
                                                           "title": str(record)})


def export_view(request: HttpRequest, ui: RecordUI, fmt: str) -> HttpResponse:
    """The filtered list as a file: only what the user may see, and only with export rights."""
    if not grant_for(request.user, ui.model.kind_key()).can_export:
        raise PermissionDenied
    if fmt not in export_formats(ui.model):
        raise Http404
    filters = ui.filterset(request.GET, queryset=ui.model.objects.exportable_by(request.user))
    if not filters.is_valid():
        return render(request, "records/list.html", {"ui": ui, "filter": filters,
                      "title": ui.model._meta.verbose_name_plural}, status=422)
    return export_response(filters.qs.order_by("id"), fmt, request.user)


def _attach_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def record_urls(ui: RecordUI, prefix: str) -> list:
    """The URL patterns of one record type's pages."""
    name = ui.name

    def bind(view):
        return login_required(lambda request, **kw: view(request, ui, **kw))

    return [
        path(f"{prefix}/", bind(list_view), name=f"{name}_list"),
        path(f"{prefix}/new/", bind(create_view), name=f"{name}_create"),
        path(f"{prefix}/export.<str:fmt>", bind(export_view), name=f"{name}_export"),
        path(f"{prefix}/<int:pk>/", bind(detail_view), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", bind(edit_view), name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/assign/", bind(assign_view), name=f"{name}_assign"),
        path(f"{prefix}/<int:pk>/delete/", bind(delete_view), name=f"{name}_delete"),
        path(f"{prefix}/<int:pk>/timeline/", bind(timeline_view), name=f"{name}_timeline"),
    ]
