"""The mailbox form of the Admin area."""

from django import forms
from django.utils.translation import gettext_lazy as _

from amity.integrations.models import Mailbox


class MailboxForm(forms.ModelForm):
    password = forms.CharField(
        label=_("password"), required=False, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Stored encrypted. Leave blank to keep the current password."))

    class Meta:
        model = Mailbox
        fields = ["name", "host", "port", "security", "username", "folder", "active",
                  "create_leads", "lead_owner"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from amity.org.models import User

        self.fields["lead_owner"].queryset = User.objects.filter(is_active=True)
        if not self.instance.pk:
            self.fields["password"].required = True
            self.fields["password"].help_text = _("Stored encrypted; never shown again.")

    def clean_port(self):
        port = self.cleaned_data["port"]
        if not 1 <= port <= 65535:
            raise forms.ValidationError(_("Give a port between 1 and 65535."))
        return port

    def clean_host(self):
        host = self.cleaned_data["host"].strip()
        if not host or any(c.isspace() or c in "/@" for c in host):
            raise forms.ValidationError(_("Give a server name such as imap.example.com."))
        return host
