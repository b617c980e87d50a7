"""The quota grid: reps × months or quarters of a year, set by managers."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from amity.sales import quotas
from amity.sales.periods import FIRST_YEAR, LAST_YEAR, MONTH, QUARTER, periods_of_year


def _grid_params(request: HttpRequest) -> tuple[int, str]:
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else (
        timezone.localdate().year)
    kind = request.GET.get("kind") if request.GET.get("kind") in (MONTH, QUARTER) else MONTH
    return min(max(year, FIRST_YEAR), LAST_YEAR), kind


def cell_name(rep_id: int, key: str) -> str:
    return f"q-{rep_id}-{key}"


@login_required
def quota_page(request: HttpRequest) -> HttpResponse:
    """Show the grid; a post saves every changed cell at once, or none if one is wrong."""
    reps = quotas.quota_reps(request.user)
    if not reps:
        raise Http404
    year, kind = _grid_params(request)
    periods = periods_of_year(year, kind)
    stored = quotas.quota_grid(reps=reps, periods=periods)
    values = {cell_name(r.pk, p.key): stored.get((r.pk, p.key)) for r in reps for p in periods}
    errors: dict[str, str] = {}
    if request.method == "POST":
        entries, values, errors = _read_cells(request, reps, periods, values)
        if not errors:
            changed = quotas.quotas_save(user=request.user, entries=entries)
            messages.success(request, _("Quotas saved. Changed: %(count)s.") % {"count": changed})
            return redirect(f"{request.path}?year={year}&kind={kind}")
    rows = [{"rep": rep, "cells": [{"name": cell_name(rep.pk, p.key), "period": p}
                                   for p in periods]} for rep in reps]
    return render(request, "sales/forecasts/quotas.html", {
        "title": _("Quotas"), "rows": rows, "periods": periods, "values": values,
        "errors": errors, "year": year, "kind": kind, "years": (year - 1, year + 1),
        "currency": settings.AMITY_CURRENCY},
        status=422 if errors else 200)


def _read_cells(request, reps, periods, stored):
    """Entries for the cells whose value changed, the values as typed, and errors."""
    entries, values, errors = [], dict(stored), {}
    for rep in reps:
        for period in periods:
            name = cell_name(rep.pk, period.key)
            if name not in request.POST:
                continue
            typed = request.POST[name]
            values[name] = typed
            try:
                amount = quotas.clean_amount(typed, field=name)
            except ValidationError as exc:
                errors[name] = " ".join(exc.message_dict[name])
                continue
            if amount != stored.get(name):
                entries.append(quotas.QuotaEntry(rep, period, amount))
    return entries, values, errors
