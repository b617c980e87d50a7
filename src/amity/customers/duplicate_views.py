"""The duplicate review queue page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amity.customers.duplicate_pairs import DuplicatePair, PairStatus
from amity.customers.duplicates import duplicate_dismiss, open_duplicate_pairs
from amity.customers.models import Contact
from amity.customers.tasks import find_duplicates


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    """Open pairs among the contacts the user sees, most likely first."""
    pairs = list(open_duplicate_pairs(request.user)[:200])
    editable = set(Contact.objects.editable_by(request.user).filter(
        pk__in={i for p in pairs for i in (p.left_id, p.right_id)}).values_list("pk", flat=True))
    rows = [(p, p.left_id in editable and p.right_id in editable) for p in pairs]
    return render(request, "customers/duplicates.html",
                  {"rows": rows, "title": _("Duplicate contacts")})


@login_required
@require_POST
def duplicate_dismiss_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Not a duplicate: only for a user who may edit both contacts (404 otherwise)."""
    editable = Contact.objects.editable_by(request.user).values("pk")
    pair = get_object_or_404(DuplicatePair, pk=pk, status=PairStatus.OPEN,
                             left__in=editable, right__in=editable)
    duplicate_dismiss(pair=pair, user=request.user)
    messages.success(request, _("Marked as not a duplicate."))
    return redirect("contact_duplicates")


@login_required
@require_POST
def duplicate_find_view(request: HttpRequest) -> HttpResponse:
    find_duplicates.enqueue(request.user.pk)
    messages.success(request, _("The search for duplicates was queued; reload this page "
                                "in a few minutes."))
    return redirect("contact_duplicates")


urlpatterns = [
    path("contacts/duplicates/", duplicate_list, name="contact_duplicates"),
    path("contacts/duplicates/find/", duplicate_find_view, name="contact_duplicates_find"),
    path("contacts/duplicates/<int:pk>/dismiss/", duplicate_dismiss_view,
         name="contact_duplicate_dismiss"),
]
