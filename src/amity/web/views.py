from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amity.org.forms import PreferencesForm
from amity.web import dashboard, navigation
from amity.web.search import global_search


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"title": _("Home"),
                                             "panels": dashboard.panels_for(request.user)})


@login_required
def area_page(request: HttpRequest, key: str) -> HttpResponse:
    area = next((a for a in navigation.areas_for(request.user) if a["key"] == key), None)
    if area is None:
        raise Http404
    return render(request, "web/area.html", {"area": area, "title": area["label"]})


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), max_length=200, required=False)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results = global_search(user=request.user, query=query) if query else []
    template = "web/_search_results.html" if request.htmx else "web/search.html"
    return render(request, template, {"form": form, "query": query, "results": results,
                                      "title": _("Search")})


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/"
    response = redirect(next_url)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax",
                            max_age=365 * 24 * 3600)
        translation.activate(language)
    return response


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        translation.activate(form.instance.language or settings.LANGUAGE_CODE)
        messages.success(request, _("Your preferences were saved."))
        return redirect("preferences")
    return render(request, "web/preferences.html", {"form": form, "title": _("Settings")},
                  status=422 if form.errors else 200)


STALE_QUEUE = timedelta(minutes=5)


def health(request: HttpRequest) -> JsonResponse:
    """Database reachability and the state of the background queue, for monitors."""
    report: dict = {"database": {"ok": False}, "queue": {"ok": False}}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = {"ok": True, "vendor": connection.vendor}
        report["queue"] = _queue_state()
    except DatabaseError:
        pass
    healthy = report["database"]["ok"] and report["queue"]["ok"]
    report["status"] = "ok" if healthy else "degraded"
    return JsonResponse(report, status=200 if report["database"]["ok"] else 503)


def _queue_state() -> dict:
    """Live workers (heartbeats younger than the lease) and tasks per state (capped counts):
    the queue is ok when a worker is alive and no ready task has waited too long."""
    from django.db.models import Min
    from django_tasks_db.models import DBTaskResult

    from amity.core.jobs.selectors import queue_health

    state = queue_health()
    oldest = DBTaskResult.objects.ready().aggregate(t=Min("enqueued_at"))["t"]
    waiting = (timezone.now() - oldest).total_seconds() if oldest else 0
    return {
        "ok": state["workers"] > 0 and waiting < STALE_QUEUE.total_seconds(),
        "workers": state["workers"],
        "ready": state["queued"],
        "running": state["running"],
        "failed": state["failed"],  # will be retried
        "dead": state["dead"],
        "count_cap": state["count_cap"],
        "oldest_ready_seconds": round(waiting),
    }
