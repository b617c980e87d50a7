"""The duplicate review queue page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amity.core.pagination import keyset_page
from amity.customers.duplicate_pairs import PairStatus
from amity.customers.duplicates import (
    dismissed_duplicate_pairs,
    duplicate_dismiss,
    duplicate_reopen,
    editable_pairs,
    open_duplicate_pairs,
)
from amity.customers.tasks import find_duplicates

QUEUE_ORDER = ("-probability", "-id")
PAGE_SIZE = 100


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    """Open pairs of contacts and of accounts the user sees, most likely first, a page at
    a time (keyset: deep pages cost what the first does); with ?dismissed=1 the pairs
    marked not duplicates, to take back."""
    dismissed = request.GET.get("dismissed") == "1"
    status = PairStatus.DISMISSED if dismissed else PairStatus.OPEN
    pairs = (dismissed_duplicate_pairs if dismissed else open_duplicate_pairs)(request.user)
    try:
        page = keyset_page(pairs, ordering=QUEUE_ORDER, after=request.GET.get("after"),
                           size=PAGE_SIZE)
    except ValidationError:
        page = keyset_page(pairs, ordering=QUEUE_ORDER, size=PAGE_SIZE)
    editable = set(editable_pairs(request.user, status).filter(
        pk__in=[p.pk for p in page.items]).values_list("pk", flat=True))
    rows = [(p, p.pk in editable) for p in page.items]
    return render(request, "customers/duplicates.html",
                  {"rows": rows, "page": page, "dismissed": dismissed,
                   "title": _("Duplicates")})


@login_required
@require_POST
def duplicate_dismiss_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Not a duplicate: only for a user who may edit both records (404 otherwise)."""
    pair = get_object_or_404(editable_pairs(request.user), pk=pk)
    duplicate_dismiss(pair=pair, user=request.user)
    messages.success(request, _("Marked as not a duplicate."))
    return redirect("contact_duplicates")


@login_required
@require_POST
def duplicate_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Back to the queue, for a user who may edit both records (404 otherwise)."""
    pair = get_object_or_404(editable_pairs(request.user, PairStatus.DISMISSED), pk=pk)
    duplicate_reopen(pair=pair)
    messages.success(request, _("The pair is waiting for review again."))
    return redirect(f"{reverse('contact_duplicates')}?dismissed=1")


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
    path("contacts/duplicates/<int:pk>/reopen/", duplicate_reopen_view,
         name="contact_duplicate_reopen"),
]
