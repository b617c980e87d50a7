"""Forms of activities: the generic record form, and the activity form of the panel on
customer pages and the new-activity page (types, times, participants, repeat rule)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amity.activities.models import MAX_DURATION_MINUTES, ActivityType, Direction, Task
from amity.activities.people import PeoplePicker, colleague_choices, contacts_url
from amity.activities.recurrence import WEEKDAYS, Recurrence
from amity.customers.models import Account, Contact
from amity.org.models import User


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        return value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime") else value


class DateInput(forms.DateInput):
    input_type = "date"


class TaskForm(forms.ModelForm):
    """The generic record pages' form (create and inline edit of the key facts)."""

    class Meta:
        model = Task
        fields = ["type", "title", "due_at", "ends_at", "duration_minutes", "direction",
                  "outcome", "remind_at", "account", "contact", "notes"]
        widgets = {"due_at": DateTimeInput(), "remind_at": DateTimeInput(),
                   "ends_at": DateTimeInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Link only to customers the user may see (the service checks it again).
        self.fields["account"].queryset = Account.objects.visible_to(user).order_by("name")
        self.fields["contact"].queryset = Contact.objects.visible_to(user).order_by(
            "family_name")


REPEAT_CHOICES = [("", _("Does not repeat")), ("daily", _("Daily")), ("weekly", _("Weekly")),
                  ("monthly", _("Monthly")), ("yearly", _("Yearly"))]
WEEKDAY_CHOICES = list(zip(WEEKDAYS, [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"),
                                      _("Sat"), _("Sun")], strict=True))
ACTIVITY_FIELDS = {"title", "due_at", "ends_at", "duration_minutes", "direction", "outcome",
                   "notes", "remind_at", "participants", "participant_contacts"}
# Recurrence's error keys -> this form's fields.
REPEAT_FIELDS = {"freq": "repeat", "interval": "repeat_interval", "weekdays": "repeat_weekdays",
                 "until": "repeat_until", "count": "repeat_count"}
# What each type shows (the rest are hidden, so one form serves every tab).
TYPE_FIELDS = {
    ActivityType.TASK: {"title", "due_at", "remind_at", "notes", "repeat", "repeat_interval",
                        "repeat_weekdays", "repeat_until", "repeat_count"},
    ActivityType.CALL: {"title", "due_at", "duration_minutes", "direction", "outcome", "notes",
                        "logged", "remind_at"},
    ActivityType.MEETING: {"title", "due_at", "ends_at", "duration_minutes", "participants",
                           "participant_contacts", "outcome", "notes", "logged", "remind_at"},
    ActivityType.EMAIL: {"title", "due_at", "direction", "outcome", "notes", "logged"},
}


class ActivityForm(forms.Form):
    """One activity of any type; `type` picks the fields shown."""

    type = forms.ChoiceField(label=_("Type"), choices=ActivityType.choices, required=False,
                             widget=forms.HiddenInput)
    title = forms.CharField(label=_("Subject"), max_length=200)
    due_at = forms.DateTimeField(label=_("When"), required=False, widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), required=False, widget=DateTimeInput())
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), required=False,
                                          min_value=0, max_value=MAX_DURATION_MINUTES)
    direction = forms.ChoiceField(label=_("Direction"), required=False,
                                  choices=[("", "—"), *Direction.choices])
    participants = forms.ModelMultipleChoiceField(
        label=_("Colleagues"), required=False, queryset=User.objects.none(),
        widget=PeoplePicker(url="people_colleagues"))
    participant_contacts = forms.ModelMultipleChoiceField(
        label=_("Contacts"), required=False, queryset=Contact.objects.none(),
        widget=PeoplePicker(url="people_contacts"))
    outcome = forms.CharField(label=_("Outcome"), max_length=200, required=False)
    notes = forms.CharField(label=_("Notes"), max_length=10000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    logged = forms.BooleanField(label=_("It already happened (log it as done)"),
                                required=False)
    remind_at = forms.DateTimeField(label=_("Reminder"), required=False,
                                    widget=DateTimeInput())
    repeat = forms.ChoiceField(label=_("Repeat"), choices=REPEAT_CHOICES, required=False)
    repeat_interval = forms.IntegerField(label=_("Every"), min_value=1, max_value=1000,
                                         required=False, initial=1)
    repeat_weekdays = forms.MultipleChoiceField(label=_("On"), choices=WEEKDAY_CHOICES,
                                                required=False,
                                                widget=forms.CheckboxSelectMultiple)
    repeat_until = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    repeat_count = forms.IntegerField(label=_("Times"), min_value=1, max_value=1000,
                                      required=False)

    def __init__(self, *args, user=None, activity_type: str = ActivityType.TASK,
                 about=None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("type", activity_type)
        if activity_type in (ActivityType.CALL, ActivityType.EMAIL):
            kwargs["initial"].setdefault("logged", True)
        super().__init__(*args, **kwargs)
        chosen = self.data.get("type") or activity_type
        self.activity_type = chosen if chosen in ActivityType.values else ActivityType.TASK
        if user is not None:
            # Any colleague or visible contact; the pickers render only those chosen.
            self.fields["participants"].queryset = colleague_choices(user)
            self.fields["participant_contacts"].queryset = Contact.objects.visible_to(user)
        self.fields["participant_contacts"].widget.url = contacts_url(about)
        for name in list(self.fields):
            if name != "type" and name not in TYPE_FIELDS[self.activity_type]:
                del self.fields[name]
        if "due_at" in self.fields and self.activity_type != ActivityType.TASK:
            self.fields["due_at"].label = _("Starts")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("repeat"):
            try:
                data["recurrence"] = Recurrence(
                    freq=data["repeat"], interval=data.get("repeat_interval") or 1,
                    weekdays=tuple(data.get("repeat_weekdays") or ()),
                    until=data.get("repeat_until"), count=data.get("repeat_count")).clean().text()
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    self.add_error(REPEAT_FIELDS.get(key), messages)
        return data

    def activity_data(self) -> dict[str, Any]:
        """The cleaned values as activity_create takes them."""
        data = {name: value for name, value in self.cleaned_data.items()
                if name in ACTIVITY_FIELDS and value not in (None, "")}
        data["type"] = self.activity_type
        if self.cleaned_data.get("recurrence"):
            data["recurrence"] = self.cleaned_data["recurrence"]
        if self.cleaned_data.get("logged"):
            data["done_at"] = self.cleaned_data.get("due_at") or timezone.now()
            data.setdefault("due_at", data["done_at"])
        return data
