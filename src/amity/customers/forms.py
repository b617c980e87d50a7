from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _

from amity.core.custom_field_forms import CustomValuesMixin
from amity.core.tags import tags_text
from amity.customers.models import (
    Account,
    Address,
    Consent,
    Contact,
    ContactEmail,
    ContactPhone,
    Membership,
    SocialHandle,
)

TAGS_HELP = _("Separate tags with commas, e.g. VIP, ลูกค้าประจำ, 重要客户")


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
                  "country", "language", "description", "tags"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"tags": TAGS_HELP}
        field_classes = {"website": partial(forms.URLField, assume_scheme="https")}


class ContactForm(CustomValuesMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["salutation", "given_name", "family_name", "email", "phone", "job_title",
                  "department", "account", "lifecycle_stage", "birth_date", "gender",
                  "language", "time_zone", "city", "country", "income_band", "source",
                  "external_id", "description", "tags"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}),
                   "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"tags": TAGS_HELP}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_custom_fields()
        # Offer only accounts the user may see.
        self.fields["account"].queryset = Account.objects.visible_to(user).order_by("name")


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["channel", "status", "method", "proof"]


# Inline forms of the record page's detail panels; the services validate and normalise.
class ContactEmailForm(forms.ModelForm):
    prefix = "email"  # several panel forms share one page

    class Meta:
        model = ContactEmail
        fields = ["email", "label"]
        widgets = {"email": forms.TextInput(attrs={"inputmode": "email"})}


class ContactPhoneForm(forms.ModelForm):
    prefix = "phone"  # several panel forms share one page

    class Meta:
        model = ContactPhone
        fields = ["phone", "label"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel"})}


class AddressForm(forms.ModelForm):
    prefix = "address"  # several panel forms share one page

    class Meta:
        model = Address
        fields = ["kind", "street", "city", "region", "postal_code", "country", "is_primary"]
        widgets = {"street": forms.Textarea(attrs={"rows": 2})}


class SocialHandleForm(forms.ModelForm):
    prefix = "social"  # several panel forms share one page

    class Meta:
        model = SocialHandle
        fields = ["network", "handle"]


class MembershipForm(forms.Form):
    prefix = "membership"  # several panel forms share one page

    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none())
    role = forms.CharField(label=_("Role"), max_length=100, required=False)
    title = forms.CharField(label=_("Title"), max_length=100, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.visible_to(user).order_by("name")


class MembershipRoleForm(forms.ModelForm):
    """A membership's role and title, changed in place."""

    prefix = "edit-membership"

    class Meta:
        model = Membership
        fields = ["title", "role"]


class TagsForm(forms.Form):
    """A record's tags (and a contact's interests) as typed lines."""

    prefix = "tagging"

    tags = forms.CharField(label=_("Tags"), required=False, max_length=2000,
                           help_text=TAGS_HELP)
    interests = forms.CharField(label=_("Interests"), required=False, max_length=2000)

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not isinstance(record, Contact):
            del self.fields["interests"]
        if record is not None and not self.is_bound:
            for name in self.fields:
                self.initial[name] = tags_text(getattr(record, name).all())
