"""Actions on the record itself, each through the record services (so the gate, the
field history and the event stream hold): create a task, assign, set a field, add a tag."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.activities.services import task_create
from amity.automation.actions.registry import ActionContext, Param, register_action
from amity.automation.kinds import kind_field
from amity.automation.models import TeamRoundRobin
from amity.automation.values import field_data, show_value
from amity.core.access import grant_for, team_ids
from amity.core.services import record_assign, record_update

# --- create a task or reminder for the owner ---------------------------------------------
# (or a call, meeting or email to do: the type is a parameter)

ACTIVITY_LINKS = ("account", "contact", "opportunity", "lead")


def _activity_link(record) -> dict:
    """The record the new activity is about: the rule's record if activities can be about
    it, else the customer record it points at (a quote's opportunity or account, …)."""
    name = record._meta.model_name
    if name in ACTIVITY_LINKS:
        return {name: record}
    for link in ACTIVITY_LINKS:
        if getattr(record, f"{link}_id", None):
            return {link: getattr(record, link)}
    return {}


def create_task(context: ActionContext, params: dict) -> str:
    record, actor = context.record, context.actor
    data = {"title": params["title"], "notes": params.get("notes", ""),
            "type": params.get("activity_type", "task"), **_activity_link(record)}
    if "due_in_days" in params or "due_in_hours" in params:
        data["due_at"] = timezone.now() + dt.timedelta(days=params.get("due_in_days", 0),
                                                       hours=params.get("due_in_hours", 0))
        if "remind_hours_before" in params:
            data["remind_at"] = data["due_at"] - dt.timedelta(hours=params["remind_hours_before"])
    task = task_create(user=actor, data=data)
    if record.owner_id != actor.pk:
        record_assign(record=task, user=actor, owner=record.owner, team=record.team)
    return _("Task “%(title)s” for %(owner)s") % {"title": task.title, "owner": record.owner}


def _clean_task(kind: str, params: dict) -> dict:
    if "remind_hours_before" in params and not ("due_in_days" in params
                                                or "due_in_hours" in params):
        raise ValidationError({"remind_hours_before": [_("A reminder needs a due date.")]})
    return params


def _describe_task(kind: str, params: dict) -> str:
    text = _("Create the task “%(title)s” for the owner") % {"title": params.get("title")}
    if "due_in_days" in params:
        text += " · " + _("due in %(n)s days") % {"n": params["due_in_days"]}
    if "due_in_hours" in params:
        text += " · " + _("due in %(n)s hours") % {"n": params["due_in_hours"]}
    return text


def _activity_types(kind: str) -> list[tuple[str, str]]:
    from amity.activities.models import ActivityType

    return [(str(value), str(label)) for value, label in ActivityType.choices]


register_action("create_task", gettext_lazy("Create a task for the owner"), (
    Param("title", gettext_lazy("Title")),
    Param("activity_type", gettext_lazy("Type of activity"), "choice", required=False,
          choices=_activity_types),
    Param("due_in_days", gettext_lazy("Due in days"), "int", required=False),
    Param("due_in_hours", gettext_lazy("Due in hours (added to the days)"), "int",
          required=False, max_value=24 * 365),
    Param("remind_hours_before", gettext_lazy("Reminder, hours before due"), "int",
          required=False, max_value=24 * 60),
    Param("notes", gettext_lazy("Notes"), "textarea", required=False, max_length=5000),
), create_task, clean=_clean_task, describe=_describe_task)


# --- assign / reassign -------------------------------------------------------------------

def _assign_modes(kind: str) -> list[tuple[str, str]]:
    return [("user", _("To a user")), ("round_robin", _("Round robin within a team"))]


def _members(team_id: int):
    from amity.org.models import Team, User

    team = Team.objects.get(pk=team_id)
    probe = User(team=team)  # the team and its sub-teams, as the access gate counts them
    return User.objects.filter(is_active=True, team_id__in=team_ids(probe)).order_by("id")


def _clean_assign(kind: str, params: dict) -> dict:
    from amity.org.models import User

    if params["mode"] == "user":
        if "user" not in params:
            raise ValidationError({"user": [_("Choose the user to assign to.")]})
        if "team" in params and not _members(params["team"]).filter(pk=params["user"]).exists():
            raise ValidationError({"user": [_("This user is not in the chosen team.")]})
        user = User.objects.get(pk=params["user"])
        if grant_for(user, kind).view_scope == "none":
            raise ValidationError({"user": [_("This user cannot see this kind of record.")]})
    else:
        if "team" not in params:
            raise ValidationError({"team": [_("Choose the team to share records among.")]})
        if not _members(params["team"]).exists():
            raise ValidationError({"team": [_("This team has no active members.")]})
        params.pop("user", None)
    return params


def _next_in_team(team_id: int):
    """The member after the last one given a record, in turn (locked: one at a time)."""
    members = list(_members(team_id))
    if not members:
        raise ValidationError(_("The team has no active members."))
    with transaction.atomic():
        cursor, _created = TeamRoundRobin.objects.select_for_update().get_or_create(
            team_id=team_id)
        after = [m for m in members if cursor.last_user_id and m.pk > cursor.last_user_id]
        chosen = (after or members)[0]
        cursor.last_user = chosen
        cursor.save(update_fields=["last_user"])
    return chosen


def assign(context: ActionContext, params: dict) -> str:
    from amity.org.models import Team, User

    if params["mode"] == "round_robin":
        owner = _next_in_team(params["team"])
    else:
        owner = User.objects.get(pk=params["user"])
    team = Team.objects.get(pk=params["team"]) if "team" in params else owner.team
    record_assign(record=context.record, user=context.actor, owner=owner, team=team)
    return _("Assigned to %(owner)s") % {"owner": owner}


def _describe_assign(kind: str, params: dict) -> str:
    from amity.org.models import Team, User

    if params.get("mode") == "round_robin":
        team = Team.objects.filter(pk=params.get("team")).first()
        return _("Assign in turn within %(team)s") % {"team": team}
    return _("Assign to %(owner)s") % {"owner": User.objects.filter(pk=params.get("user"))
                                                .first()}


register_action("assign", gettext_lazy("Assign or reassign"), (
    Param("mode", gettext_lazy("How"), "choice", choices=_assign_modes),
    Param("user", gettext_lazy("User"), "user", required=False),
    Param("team", gettext_lazy("Team"), "team", required=False),
), assign, clean=_clean_assign, describe=_describe_assign)


# --- set a field (or tier) ---------------------------------------------------------------

def set_field(context: ActionContext, params: dict) -> str:
    spec = kind_field(type(context.record).kind_key(), params["field"])
    if spec is None:
        raise ValidationError(_("The field %(field)s no longer exists.")
                              % {"field": params["field"]})
    record_update(record=context.record, user=context.actor, data=field_data(spec,
                                                                              params["value"]))
    return _("%(field)s set to %(value)s") % {"field": spec.label,
                                               "value": show_value(spec, params["value"])}


def _describe_set(kind: str, params: dict) -> str:
    spec = kind_field(kind, params.get("field", ""))
    if spec is None:
        return str(params.get("field"))
    return _("Set %(field)s to %(value)s") % {"field": spec.label,
                                              "value": show_value(spec, params.get("value"))}


register_action("set_field", gettext_lazy("Set a field or tier"), (
    Param("field", gettext_lazy("Field"), "field"),
    Param("value", gettext_lazy("Value"), "value", max_length=1000),
), set_field, describe=_describe_set)


# --- add a tag ---------------------------------------------------------------------------

def add_tag(context: ActionContext, params: dict) -> str:
    record = context.record
    names = [tag.name for tag in record.tags.all()]
    if params["tag"].casefold() in {name.casefold() for name in names}:
        return _("Already tagged %(tag)s") % {"tag": params["tag"]}
    record_update(record=record, user=context.actor, data={"tags": [*names, params["tag"]]})
    return _("Tagged %(tag)s") % {"tag": params["tag"]}


def _clean_tag(kind: str, params: dict) -> dict:
    from amity.automation.kinds import watched_kind
    from amity.core.tags import MAX_TAG_LENGTH, parse_tags, tag_fields

    if "tags" not in tag_fields(watched_kind(kind).model):
        raise ValidationError({"tag": [_("This kind of record has no tags.")]})

    names = parse_tags(params["tag"])
    if len(names) != 1:
        raise ValidationError({"tag": [_("Enter one tag.")]})
    if len(names[0]) > MAX_TAG_LENGTH:
        raise ValidationError({"tag": [_("A tag may have at most %(max)s characters.")
                                       % {"max": MAX_TAG_LENGTH}]})
    return {**params, "tag": names[0]}


register_action("add_tag", gettext_lazy("Add a tag"), (
    Param("tag", gettext_lazy("Tag")),
), add_tag, clean=_clean_tag,
    describe=lambda kind, params: _("Add the tag %(tag)s") % {"tag": params.get("tag")})
