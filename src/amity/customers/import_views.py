"""Pages for contact imports: upload, map the columns, preview, start, follow progress."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from amity.core.access import grant_for
from amity.customers.import_jobs import CONTACTS, Duplicates, ImportJob, ImportStatus, MatchKey
from amity.customers.imports import ENCODINGS
from amity.customers.imports.contacts import IMPORTABLE_FIELDS
from amity.customers.imports.custom import custom_targets
from amity.customers.imports.details import DETAIL_LABELS
from amity.customers.imports.jobs import (
    error_rows,
    import_configure,
    import_create,
    import_preview,
    import_start,
    jobs_of,
    max_upload_text,
)
from amity.customers.models import Contact


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    encoding = forms.ChoiceField(label=_("Character set"), required=False,
                                 choices=[("", _("Detect"))], help_text=_(
                                     "Only for CSV files; leave it to be detected."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["encoding"].choices = [("", _("Detect")), *ENCODINGS.items()]
        self.fields["file"].help_text = _("CSV, Excel (xlsx) or vCard, up to %(size)s.") % {
            "size": max_upload_text()}


def field_choices() -> list[tuple[str, str]]:
    names = {"full_name": _("Full name"), "middle_name": _("Middle name"), **DETAIL_LABELS}
    return [("", _("(do not import)"))] + [
        (f, names.get(f) or str(Contact._meta.get_field(f).verbose_name).capitalize())
        for f in IMPORTABLE_FIELDS] + list(custom_targets().items())


class MappingForm(forms.Form):
    """A select per column of the file, then what to do with duplicates."""

    duplicates = forms.ChoiceField(label=_("When a contact already exists"),
                                   choices=Duplicates.choices)
    match_on = forms.MultipleChoiceField(label=_("Same contact when these match"),
                                         choices=MatchKey.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    all_or_nothing = forms.BooleanField(label=_("Import nothing if any row has an error"),
                                        required=False)
    create_accounts = forms.BooleanField(
        label=_("Create an account for each company that has none yet"), required=False)

    def __init__(self, job: ImportJob, *args, **kwargs):
        kwargs.setdefault("initial", {"duplicates": job.duplicates, "match_on": job.match_on,
                                      "all_or_nothing": job.all_or_nothing,
                                      "create_accounts": job.create_accounts})
        super().__init__(*args, **kwargs)
        choices = field_choices()
        for position, header in enumerate(job.headers):
            self.fields[f"column_{position}"] = forms.ChoiceField(
                label=header, choices=choices, required=False,
                initial=job.mapping.get(header) or "")
        self.job = job

    def mapping(self) -> dict[str, str | None]:
        return {h: self.cleaned_data.get(f"column_{i}") or None
                for i, h in enumerate(self.job.headers)}


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(jobs_of(request.user), pk=pk)


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    """The user's imports, and the upload form."""
    if not grant_for(request.user, Contact.kind_key()).can_create:
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_create(user=request.user, file=upload, filename=upload.name,
                                encoding=form.cleaned_data["encoding"] or None)
        except ValidationError as exc:
            form.add_error("file", exc.message_dict.get("file", exc.messages))
        else:
            return redirect("import_detail", pk=job.pk)
    jobs = jobs_of(request.user).filter(target=CONTACTS).order_by("-created_at")[:50]
    return render(request, "customers/imports.html",
                  {"form": form, "jobs": jobs, "title": _("Import contacts"),
                   "max_size": max_upload_text()}, status=422 if form.errors else 200)


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Mapping, options and preview of a draft; progress once started."""
    job = _job(request, pk)
    form = MappingForm(job, request.POST or None)
    if request.method == "POST" and job.status == ImportStatus.DRAFT and form.is_valid():
        try:
            import_configure(job=job, user=request.user, mapping=form.mapping(),
                             duplicates=form.cleaned_data["duplicates"],
                             match_on=form.cleaned_data["match_on"],
                             all_or_nothing=form.cleaned_data["all_or_nothing"],
                             create_accounts=form.cleaned_data["create_accounts"])
            if "start" in request.POST:
                import_start(job=job, user=request.user)
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                form.add_error(None, errors)
        else:
            return redirect("import_detail", pk=job.pk)
    labels = dict(field_choices())
    targets = [t for t in (*IMPORTABLE_FIELDS, *custom_targets()) if t in job.mapping.values()]
    preview = []
    if job.status == ImportStatus.DRAFT:
        try:
            preview = [(row.number, [row.values.get(t, "") for t in targets], row.errors,
                        row.notes)
                       for row in import_preview(job=job, user=request.user)]
        except ValidationError as exc:
            form.add_error(None, exc.messages)
    return render(request, "customers/import_detail.html",
                  {"job": job, "form": form, "preview": preview, "title": job.filename,
                   "columns": [labels[t] for t in targets]},
                  status=422 if form.errors else 200)


@login_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress block alone, for HTMX polling."""
    return render(request, "customers/_import_progress.html", {"job": _job(request, pk)})


@login_required
def import_errors(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    job = _job(request, pk)
    response = StreamingHttpResponse(error_rows(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


urlpatterns = [
    path("imports/", import_list, name="import_list"),
    path("imports/<int:pk>/", import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", import_progress, name="import_progress"),
    path("imports/<int:pk>/errors.csv", import_errors, name="import_errors"),
]
