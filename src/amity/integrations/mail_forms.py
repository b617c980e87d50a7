"""Forms of the email pages: templates (one set of fields per language), SMTP settings,
sender identities, the test message and sending from a contact's page."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from amity.integrations.models import (
    EmailTemplate,
    OutboundStatus,
    SenderIdentity,
    SmtpSettings,
)
from amity.integrations.models.mail_out import TEMPLATE_LANGUAGES
from amity.org.models import User

VERSION_FIELDS = ("subject", "html_body", "text_body")


def version_field(language: str, name: str) -> str:
    """The form field of one version's field: "th_subject" (the service says versions.th.…)."""
    return f"{language.replace('-', '_')}_{name}"


class TemplateForm(forms.Form):
    """An email template: a subject and bodies per language. Subclasses change the fields
    of a version (SmsTemplateForm)."""

    version_fields = VERSION_FIELDS
    name = forms.CharField(label=_("Name"), max_length=200)
    default_language = forms.ChoiceField(label=_("Default language"), choices=TEMPLATE_LANGUAGES,
                                         help_text=_("Sent to contacts whose language has no "
                                                     "version of its own."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, language in TEMPLATE_LANGUAGES:
            for name in self.version_fields:
                self.fields[version_field(code, name)] = self.version_field(name, language)

    def version_field(self, name: str, language: str) -> forms.Field:
        labels = {"subject": _("Subject"), "html_body": _("HTML body"),
                  "text_body": _("Plain-text body")}
        widget = forms.TextInput if name == "subject" else forms.Textarea(
            attrs={"rows": 8 if name == "html_body" else 4, "dir": "auto"})
        field = forms.CharField(label=f"{labels[name]} ({language})", required=False,
                                widget=widget, strip=False)
        if name == "text_body":
            field.help_text = _("Left empty, it is made from the HTML body.")
        return field

    def languages(self):
        """(code, label, [bound fields]) per language, for one fieldset each."""
        return [(code, label, [self[version_field(code, n)] for n in self.version_fields])
                for code, label in TEMPLATE_LANGUAGES]

    def versions(self) -> dict[str, dict[str, str]]:
        return {code: {n: self.cleaned_data[version_field(code, n)]
                       for n in self.version_fields}
                for code, _label in TEMPLATE_LANGUAGES}

    @classmethod
    def initial_for(cls, template) -> dict[str, str]:
        initial = {"name": template.name, "default_language": template.default_language}
        for version in template.versions.all():
            for name in cls.version_fields:
                initial[version_field(version.language, name)] = getattr(version, name)
        return initial

    def attach(self, exc: ValidationError) -> None:
        """Put the service's errors ("versions.th.subject") on the form's fields."""
        for key, messages in exc.message_dict.items():
            parts = key.split(".")
            field = version_field(parts[1], parts[2]) if len(parts) == 3 else key
            self.add_error(field if field in self.fields else None, messages)


class SmsTemplateForm(TemplateForm):
    """An SMS template: one text per language."""

    version_fields = ("body",)

    def version_field(self, name: str, language: str) -> forms.Field:
        return forms.CharField(label=f"{_('Message')} ({language})", required=False,
                               strip=False, widget=forms.Textarea(attrs={"rows": 4,
                                                                         "dir": "auto"}))


class PreviewForm(forms.Form):
    contact = forms.CharField(label=_("Contact"), max_length=254,
                              help_text=_("The email address or number of a contact you can "
                                          "see."))


class SmtpSettingsForm(forms.ModelForm):
    password = forms.CharField(label=_("Password"), required=False, strip=False,
                               widget=forms.PasswordInput(render_value=False,
                                                          attrs={"autocomplete": "new-password"}),
                               help_text=_("Left empty, the stored password is kept. It is "
                                           "stored encrypted and never shown."))
    clear_password = forms.BooleanField(label=_("Remove the stored password"), required=False)

    class Meta:
        model = SmtpSettings
        fields = ("host", "port", "security", "username", "timeout")


class IdentityForm(forms.ModelForm):
    user = forms.ModelChoiceField(label=_("User"), queryset=User.objects.none(), required=False,
                                  empty_label=_("The organisation"),
                                  help_text=_("Users without an identity of their own send as "
                                              "the organisation."))

    class Meta:
        model = SenderIdentity
        fields = ("user", "from_name", "from_address", "reply_to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True)

    def validate_unique(self) -> None:
        pass  # saving an identity for a user replaces theirs (see identity_save)


class TestMessageForm(forms.Form):
    to = forms.EmailField(label=_("Send a test message to"))


class SendEmailForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Template"), queryset=EmailTemplate.objects.none(),
                                      empty_label=_("Choose a template"))
    # One key per form shown: a double click or a resent POST sends one message.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = EmailTemplate.objects.filter(archived=False)


class OutboundFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *OutboundStatus.choices])
