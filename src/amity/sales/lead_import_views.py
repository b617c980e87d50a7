from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from amity.core.access import grant_for
from amity.sales.lead_forms import ImportForm
from amity.sales.lead_import import lead_import
from amity.sales.models import Lead


@login_required
def lead_import_view(request):
    """Upload a CSV or xlsx file of leads; all rows are imported or none."""
    if not grant_for(request.user, Lead.kind_key()).can_create:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = lead_import(file=upload, filename=upload.name, user=request.user)
        if not result.errors:
            messages.success(request, _("%(count)s leads were imported.")
                             % {"count": len(result.created)})
            return redirect("lead_list")
    return render(request, "sales/leads/import.html",
                  {"form": form, "result": result, "title": _("Import leads")},
                  status=422 if (result and result.errors) or form.errors else 200)


urlpatterns = [path("leads/import/", lead_import_view, name="lead_import")]
