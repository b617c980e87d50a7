from functools import partial

from django import forms

from amity.core.custom_field_forms import CustomValuesMixin
from amity.customers.models import Account, Consent, Contact


class AccountForm(CustomValuesMixin, forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_custom_fields()
        # A parent the user may see, and never the account itself.
        parents = Account.objects.visible_to(user).order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents

    class Meta:
        model = Account
        fields = ["name", "legal_name", "type", "lifecycle_stage", "tier", "parent", "industry",
                  "employees", "annual_revenue", "revenue_currency", "website", "phone", "city",
                  "country", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"website": partial(forms.URLField, assume_scheme="https")}


class ContactForm(CustomValuesMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["salutation", "given_name", "family_name", "email", "phone", "job_title",
                  "account", "lifecycle_stage", "birth_date", "gender", "language", "time_zone",
                  "city", "country", "source", "external_id"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_custom_fields()
        # Offer only accounts the user may see.
        self.fields["account"].queryset = Account.objects.visible_to(user).order_by("name")


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["channel", "status", "method", "proof"]
