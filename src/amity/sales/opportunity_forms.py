from django import forms
from django.utils.translation import gettext_lazy as _

from amity.core.custom_field_forms import CustomValuesMixin
from amity.customers.models import Account, Contact
from amity.sales.models import Opportunity, Pipeline, Stage
from amity.sales.models.pipelines import StageOutcome


class OpportunityForm(CustomValuesMixin, forms.ModelForm):
    """Create and edit; the pipeline and stage are chosen once, then change by moves."""

    class Meta:
        model = Opportunity
        fields = ["name", "account", "contact", "pipeline", "stage", "amount", "currency",
                  "probability", "close_date", "forecast_category", "competitor",
                  "description"]
        widgets = {"close_date": forms.DateInput(attrs={"type": "date"}),
                   "description": forms.Textarea(attrs={"rows": 3}),
                   "currency": forms.TextInput(attrs={"size": 3, "autocapitalize": "characters"})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_custom_fields()
        self.fields["account"].queryset = Account.objects.visible_to(user).order_by("name")
        self.fields["contact"].queryset = Contact.objects.visible_to(user).order_by(
            "family_name")
        self.fields["pipeline"].queryset = Pipeline.objects.filter(archived=False)
        self.fields["stage"].queryset = Stage.objects.filter(
            outcome=StageOutcome.OPEN, pipeline__archived=False).select_related("pipeline")
        self.fields["stage"].label_from_instance = lambda s: f"{s.pipeline} › {s.name}"
        self.fields["pipeline"].required = self.fields["stage"].required = False
        self.fields["probability"].required = False
        self.fields["probability"].help_text = _("Leave empty to use the stage's probability.")
        if self.instance.pk:
            for name in ("pipeline", "stage"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Change the stage from the stage path or "
                                                "the board.")

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").strip().upper()


class CloseForm(forms.Form):
    won = forms.TypedChoiceField(label=_("Result"), coerce=lambda v: v == "1",
                                 choices=[("1", _("Won")), ("0", _("Lost"))])
    reason = forms.CharField(label=_("Reason lost"), required=False, max_length=200)
    competitor = forms.CharField(label=_("Competitor"), required=False, max_length=200)


class MoveForm(forms.Form):
    stage = forms.IntegerField(min_value=1)
