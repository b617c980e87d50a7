from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from amity.core.access import grant_for
from amity.customers.imports.jobs import jobs_of
from amity.sales.lead_forms import ImportForm
from amity.sales.lead_import import LEADS, lead_import
from amity.sales.models import Lead


@login_required
def lead_import_view(request):
    """Upload a CSV or xlsx file of leads; all rows are imported or none. A file over
    the in-request limit is imported in the background: the page of its import job
    follows it."""
    if not grant_for(request.user, Lead.kind_key()).can_create:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = lead_import(file=upload, filename=upload.name, user=request.user)
        if result.job is not None:
            messages.info(request, _("The file has more than %(count)s rows: it is imported "
                                     "in the background, and you are notified when it is "
                                     "done.") % {"count": settings.LEAD_IMPORT_MAX_ROWS})
            return redirect("import_detail", pk=result.job.pk)
        if not result.errors:
            messages.success(request, _("%(count)s leads were imported.")
                             % {"count": len(result.created)})
            return redirect("lead_list")
    jobs = jobs_of(request.user).filter(target=LEADS).order_by("-created_at")[:10]
    return render(request, "sales/leads/import.html",
                  {"form": form, "result": result, "title": _("Import leads"), "jobs": jobs,
                   "max_rows": settings.LEAD_IMPORT_MAX_ROWS},
                  status=422 if (result and result.errors) or form.errors else 200)


urlpatterns = [path("leads/import/", lead_import_view, name="lead_import")]
