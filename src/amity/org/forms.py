import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from amity.org.models import Role, RolePermission, Team, User

TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


class PreferencesForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=[(z, z) for z in TIME_ZONES])

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "language", "time_zone", "calendar"]


class UserForm(forms.ModelForm):
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(render_value=False), required=False,
        help_text=_("Leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "team", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["password"].required = True
            self.fields["password"].help_text = ""

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if password:
            validate_password(password, self.instance)
        return password


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "parent"]

    def clean_parent(self):
        parent = self.cleaned_data["parent"]
        node = parent
        while node is not None and self.instance.pk:
            if node.pk == self.instance.pk:
                raise forms.ValidationError(_("A team cannot be inside itself."))
            node = node.parent
        return parent


class RoleForm(forms.ModelForm):
    class Meta:
        model = Role
        fields = ["name", "is_administrator"]


class GrantForm(forms.ModelForm):
    class Meta:
        model = RolePermission
        fields = ["view_scope", "can_create", "can_change", "can_delete", "can_export"]


GrantFormSet = forms.modelformset_factory(RolePermission, form=GrantForm, extra=0)
