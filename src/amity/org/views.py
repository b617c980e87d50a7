"""The Admin area: users, teams, roles and the recycle bin."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amity.core.registry import record_kind, record_kinds
from amity.core.services import record_restore
from amity.org import services
from amity.org.forms import GrantFormSet, RoleForm, TeamForm, UserForm
from amity.org.models import Role, Team, User


def admin_required(view):
    """Admin pages answer 404 to everyone else, like records they may not see."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_administrator:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@admin_required
def user_list(request):
    users = User.objects.select_related("role", "team").order_by("username")
    return render(request, "org/user_list.html", {"users": users, "title": _("Users")})


@admin_required
def user_edit(request, pk=None):
    user = get_object_or_404(User, pk=pk) if pk else User()
    form = UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in UserForm._meta.fields}
        services.user_save(actor=request.user, user=user, data=data,
                           password=form.cleaned_data["password"])
        messages.success(request, _("%(user)s was saved.") % {"user": user})
        return redirect("user_list")
    title = str(user) if pk else _("New user")
    return render(request, "org/form.html", {"form": form, "title": title},
                  status=422 if form.errors else 200)


@admin_required
def team_list(request):
    teams = Team.objects.select_related("parent").order_by("name")
    return render(request, "org/team_list.html", {"teams": teams, "title": _("Teams")})


@admin_required
def team_edit(request, pk=None):
    team = get_object_or_404(Team, pk=pk) if pk else Team()
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        services.team_save(actor=request.user, team=team, data=form.cleaned_data)
        messages.success(request, _("%(team)s was saved.") % {"team": team})
        return redirect("team_list")
    title = team.name if pk else _("New team")
    return render(request, "org/form.html", {"form": form, "title": title},
                  status=422 if form.errors else 200)


@admin_required
def role_list(request):
    return render(request, "org/role_list.html", {"roles": Role.objects.all(),
                                                  "title": _("Roles")})


@admin_required
def role_edit(request, pk=None):
    role = get_object_or_404(Role, pk=pk) if pk else Role()
    form = RoleForm(request.POST or None, instance=role)
    grants = GrantFormSet(request.POST or None, queryset=role.permissions.all() if pk
                          else role.permissions.model.objects.none())
    if request.method == "POST" and form.is_valid() and grants.is_valid():
        services.role_save(actor=request.user, role=role, data=form.cleaned_data)
        grants.save()
        messages.success(request, _("%(role)s was saved.") % {"role": role})
        return redirect("role_edit", pk=role.pk)
    labels = {kind.key: kind.label for kind in record_kinds()}
    rows = [(labels.get(g.instance.record_kind, g.instance.record_kind), g) for g in grants]
    return render(request, "org/role_form.html",
                  {"form": form, "grants": grants, "rows": rows, "role": role,
                   "title": str(role) if pk else _("New role")},
                  status=422 if form.errors or grants.total_error_count() else 200)


@admin_required
def recycle_bin(request):
    groups = []
    for kind in record_kinds():
        deleted = kind.model.deleted_objects.select_related("deleted_by").order_by("-deleted")[:200]
        groups.append({"kind": kind, "records": list(deleted)})
    return render(request, "org/recycle_bin.html", {"groups": groups, "title": _("Recycle bin")})


@admin_required
@require_POST
def restore(request, kind, pk):
    try:
        model = record_kind(kind).model
    except LookupError as exc:
        raise Http404 from exc
    record = get_object_or_404(model.deleted_objects.all(), pk=pk)
    record_restore(record=record, user=request.user)
    messages.success(request, _("%(record)s was restored.") % {"record": record})
    return redirect("recycle_bin")
