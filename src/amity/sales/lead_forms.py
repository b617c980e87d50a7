"""Forms of the lead pages: the record form, status moves, conversion, import, and the
administrator's lead forms and checklist items."""

from django import forms
from django.utils.translation import gettext_lazy as _

from amity.core.custom_field_forms import CustomValuesMixin
from amity.customers.models import Account, Contact
from amity.org.models import User
from amity.sales.models import Lead, LeadForm, LeadStatus, QualificationItem
from amity.sales.models.lead_setup import FORM_FIELDS


class LeadRecordForm(CustomValuesMixin, forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_custom_fields()

    class Meta:
        model = Lead
        fields = ["given_name", "family_name", "company", "job_title", "email", "phone",
                  "language", "country", "region", "postcode", "industry", "employees",
                  "source", "product_interest", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "email": forms.TextInput(attrs={"inputmode": "email"}),
                   "phone": forms.TextInput(attrs={"inputmode": "tel"})}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=LeadStatus.choices)
    disqualified_reason = forms.CharField(label=_("Reason disqualified"), required=False,
                                          max_length=200)


class ConvertForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Attach to account"), required=False,
                                     queryset=Account.objects.none(),
                                     empty_label=_("Create a new account"))
    contact = forms.ModelChoiceField(label=_("Attach to contact"), required=False,
                                     queryset=Contact.objects.none(),
                                     empty_label=_("Create a new contact"))
    create_opportunity = forms.BooleanField(label=_("Create an opportunity"), required=False,
                                            initial=True)
    opportunity_name = forms.CharField(label=_("Opportunity name"), max_length=200,
                                       required=False)

    def __init__(self, *args, user=None, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The likely duplicates are offered first; any visible record may be picked by id.
        self.fields["account"].queryset = Account.objects.visible_to(user).order_by("name")
        self.fields["contact"].queryset = Contact.objects.visible_to(user).order_by(
            "family_name")
        if candidates is not None:
            self.fields["account"].widget.choices = _choices(
                self.fields["account"].empty_label, candidates.accounts)
            self.fields["contact"].widget.choices = _choices(
                self.fields["contact"].empty_label, candidates.contacts)


def _choices(empty_label, records) -> list[tuple[str, str]]:
    return [("", empty_label), *[(str(r.pk), str(r)) for r in records]]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel (xlsx) file"))


class LeadFormForm(forms.ModelForm):
    fields = forms.MultipleChoiceField(label=_("Fields"), widget=forms.CheckboxSelectMultiple,
                                       choices=())
    required = forms.MultipleChoiceField(label=_("Required fields"), required=False,
                                         widget=forms.CheckboxSelectMultiple, choices=())

    class Meta:
        model = LeadForm
        fields = ["name", "fields", "required", "owner", "team", "source", "thank_you",
                  "allowed_origins", "active"]
        widgets = {"thank_you": forms.Textarea(attrs={"rows": 3}),
                   "allowed_origins": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"allowed_origins": _("One per line, e.g. https://www.example.com. Pages "
                                           "there may post to the form from script and show "
                                           "it in a frame.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(name, Lead._meta.get_field(name).verbose_name.capitalize())
                   for name in FORM_FIELDS]
        self.fields["fields"].choices = self.fields["required"].choices = choices
        self.fields["owner"].queryset = User.objects.filter(is_active=True)


class QualificationItemForm(forms.ModelForm):
    class Meta:
        model = QualificationItem
        fields = ["key", "label", "required", "position", "archived"]
