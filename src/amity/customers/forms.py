from functools import partial

from django import forms

from amity.customers.models import Account, Contact


class AccountForm(forms.ModelForm):
    class Meta:
        model = Account
        fields = ["name", "type", "industry", "website", "phone", "city", "country", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"website": partial(forms.URLField, assume_scheme="https")}


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["given_name", "family_name", "email", "phone", "job_title", "account"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only accounts the user may see.
        self.fields["account"].queryset = Account.objects.visible_to(user).order_by("name")
