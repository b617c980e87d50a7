from django import forms
from django.utils.translation import gettext_lazy as _

from amity.collaboration.channels import Channel
from amity.collaboration.services import notification_choices, settings_of

CHANNEL_PREFIX = "channel_"


class NotificationSettingsForm(forms.Form):
    """A channel for each registered kind of notification, and the digest's time."""

    digest_time = forms.TimeField(
        label=_("Daily digest at"), help_text=_("In your time zone."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind, channel in notification_choices(user):
            # Not required: a page opened before an upgrade added a kind still saves,
            # and the new kind keeps its channel.
            self.fields[CHANNEL_PREFIX + kind.key] = forms.ChoiceField(
                label=kind.label, choices=Channel.choices, initial=channel, required=False)
        self.fields["digest_time"].initial = settings_of([user])[user.pk].digest_time
        self.order_fields([name for name in self.fields if name != "digest_time"])

    def channels(self) -> dict[str, str]:
        """The channels chosen; a kind the form did not send keeps its channel."""
        return {name.removeprefix(CHANNEL_PREFIX): value
                for name, value in self.cleaned_data.items()
                if name.startswith(CHANNEL_PREFIX) and value}
