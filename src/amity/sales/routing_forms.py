"""The assignment rule form: one validation for the admin page and the API (lists come
as JSON lists from the API and as comma-separated text from the page)."""

import re
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.org.models import Team, User
from amity.sales.models import AssignmentRule, RuleCursor

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_ITEMS = 500
MAX_SCORE = 1_000_000
DAYS = [(0, gettext_lazy("Monday")), (1, gettext_lazy("Tuesday")),
        (2, gettext_lazy("Wednesday")), (3, gettext_lazy("Thursday")),
        (4, gettext_lazy("Friday")), (5, gettext_lazy("Saturday")), (6, gettext_lazy("Sunday"))]


class ListField(forms.CharField):
    """A list of short texts: a JSON list, or text separated by commas or new lines
    (Chinese and Persian commas too)."""

    def __init__(self, *, item_length: int = 100, upper: bool = False, **kwargs) -> None:
        self.item_length, self.upper = item_length, upper
        super().__init__(required=False, widget=forms.Textarea(attrs={"rows": 2}), **kwargs)

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list | tuple):
            items = value
        else:
            items = re.split(r"[,\n\u060c\uff0c\u3001]", str(value or ""))
        cleaned = []
        for item in items:
            if not isinstance(item, str | int) or isinstance(item, bool):
                raise ValidationError(_("Give texts only."))
            text = str(item).strip()
            if not text:
                continue
            if len(text) > self.item_length or _CONTROL.search(text):
                raise ValidationError(_("Each entry is at most %(n)s characters, without "
                                        "control characters.") % {"n": self.item_length})
            cleaned.append(text.upper() if self.upper else text)
        if len(cleaned) > MAX_ITEMS:
            raise ValidationError(_("Give at most %(n)s entries.") % {"n": MAX_ITEMS})
        return list(dict.fromkeys(cleaned))

    def prepare_value(self, value: Any) -> str:
        return ", ".join(value) if isinstance(value, list) else (value or "")


class AssignmentRuleForm(forms.ModelForm):
    countries = ListField(item_length=2, upper=True, label=gettext_lazy("Countries"),
                          help_text=gettext_lazy("Two-letter codes, e.g. TH, IR, CN"))
    regions = ListField(item_length=100, label=gettext_lazy("Regions"))
    postcode_prefixes = ListField(item_length=20, label=gettext_lazy("Postcode prefixes"))
    product_interests = ListField(item_length=200, label=gettext_lazy("Product interests"),
                                  help_text=gettext_lazy("A lead matches when its product "
                                                         "interest contains one of these"))
    work_days = forms.TypedMultipleChoiceField(
        choices=DAYS, coerce=int, required=False, label=gettext_lazy("Working days"),
        widget=forms.CheckboxSelectMultiple)
    score_min = forms.IntegerField(required=False, min_value=-MAX_SCORE, max_value=MAX_SCORE,
                                   label=gettext_lazy("Score at least"))
    score_max = forms.IntegerField(required=False, min_value=-MAX_SCORE, max_value=MAX_SCORE,
                                   label=gettext_lazy("Score at most"))
    max_open_leads = forms.IntegerField(required=False, min_value=1, max_value=100_000,
                                        label=gettext_lazy("Open leads per user at most"))
    reassign_after_hours = forms.IntegerField(
        required=False, min_value=1, max_value=24 * 365,
        label=gettext_lazy("Re-assign when not worked for (hours)"))
    position = forms.IntegerField(required=False, min_value=0, max_value=1_000_000,
                                  label=gettext_lazy("Position"))

    class Meta:
        model = AssignmentRule
        fields = ["name", "active", "position", "countries", "regions", "postcode_prefixes",
                  "postcode_from", "postcode_to", "product_interests", "score_min",
                  "score_max", "users", "team", "work_days", "work_start", "work_end",
                  "max_open_leads", "queue_user", "queue_team", "reassign_after_hours"]
        widgets = {"work_start": forms.TimeInput(attrs={"type": "time"}),
                   "work_end": forms.TimeInput(attrs={"type": "time"})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        active = User.objects.filter(is_active=True).order_by("username")
        self.fields["users"].queryset = active
        self.fields["queue_user"].queryset = active
        self.fields["team"].queryset = self.fields["queue_team"].queryset = Team.objects.all()

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if _CONTROL.search(name):
            raise ValidationError(_("Remove the control characters."))
        return name

    def clean(self) -> dict:
        data = super().clean()
        low, high = data.get("score_min"), data.get("score_max")
        if low is not None and high is not None and low > high:
            self.add_error("score_max", _("Give a maximum score at or above the minimum."))
        if bool(data.get("work_start")) != bool(data.get("work_end")):
            self.add_error("work_end", _("Give both ends of the working hours, or neither."))
        elif data.get("work_start") and data["work_start"] == data.get("work_end"):
            self.add_error("work_end", _("The working hours cannot start and end at the "
                                         "same time."))
        if not data.get("users") and not data.get("team") and not data.get("queue_user"):
            self.add_error("users", _("Choose users or a team to assign leads to (or at "
                                      "least a queue user)."))
        return data


def form_errors(form: forms.Form) -> dict[str, list[str]]:
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def assignment_rule_save(*, actor, rule: AssignmentRule, data: dict[str, Any],
                         partial: bool = False) -> AssignmentRule:
    """Create or change an assignment rule (administrators only). A new rule without a
    position goes last. With `partial`, fields not given keep their stored values."""
    if not getattr(actor, "is_administrator", False):
        raise PermissionDenied
    if partial and rule.pk:
        stored = forms.model_to_dict(rule, fields=AssignmentRuleForm.Meta.fields)
        stored["users"] = [u.pk for u in rule.users.all()]
        data = {**stored, **data}
    form = AssignmentRuleForm(data, instance=rule)
    unknown = sorted(set(data) - set(AssignmentRuleForm.Meta.fields))
    if not form.is_valid() or unknown:
        errors = form_errors(form)
        errors.update({name: [_("Unknown field: it is not accepted here.")]
                       for name in unknown[:20]})
        raise ValidationError(errors)
    with transaction.atomic():
        saved = form.save(commit=False)
        if form.cleaned_data.get("position") is None:
            last = AssignmentRule.objects.exclude(pk=saved.pk).aggregate(m=Max("position"))
            saved.position = (last["m"] or 0) + 1 if last["m"] is not None else 0
        saved.save()
        form.save_m2m()
        RuleCursor.objects.get_or_create(rule=saved)  # the row assignments lock
    return saved


def assignment_rule_move(*, actor, rule: AssignmentRule, up: bool) -> None:
    """Swap a rule with its neighbour above or below (the order decides who matches)."""
    if not getattr(actor, "is_administrator", False):
        raise PermissionDenied
    with transaction.atomic():
        rules = list(AssignmentRule.objects.select_for_update().order_by("position", "id"))
        at = next(i for i, r in enumerate(rules) if r.pk == rule.pk)
        other = at - 1 if up else at + 1
        if not 0 <= other < len(rules):
            return
        rules[at], rules[other] = rules[other], rules[at]
        for position, item in enumerate(rules):
            AssignmentRule.objects.filter(pk=item.pk).update(position=position)


def assignment_rule_delete(*, actor, rule: AssignmentRule) -> None:
    """Remove a rule; leads it assigned keep their owners."""
    if not getattr(actor, "is_administrator", False):
        raise PermissionDenied
    rule.delete()
