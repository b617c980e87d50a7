from django import forms
from django.utils.translation import gettext_lazy as _

from amity.activities.models import Task
from amity.customers.models import Account, Contact


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        return value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime") else value


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "due_at", "remind_at", "account", "contact", "notes"]
        widgets = {"due_at": DateTimeInput(), "remind_at": DateTimeInput(),
                   "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Link only to customers the user may see (the service checks it again).
        self.fields["account"].queryset = Account.objects.visible_to(user).order_by("name")
        self.fields["contact"].queryset = Contact.objects.visible_to(user).order_by(
            "family_name")


class QuickTaskForm(forms.Form):
    """The short form in a customer's Open activities panel."""

    title = forms.CharField(label=_("Task"), max_length=200)
    due_at = forms.DateTimeField(label=_("Due"), required=False, widget=DateTimeInput())
