"""Why a message or an attachment was refused, stored as a message template and its
values, so each reader sees it in their own language."""

from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_noop

EMPTY = gettext_noop("empty message")
NOT_MAIL = gettext_noop("not an email message: no mail headers found")
MESSAGE_TOO_LARGE = gettext_noop("message is %(size)s bytes; the limit is %(limit)s")
NOT_STORED = gettext_noop("could not be stored: %(error)s")
FILE_TOO_LARGE = gettext_noop("%(size)s bytes; the limit is %(limit)s")
PROGRAM = gettext_noop("executable program (%(type)s)")
TYPE_MISMATCH = gettext_noop("declared as %(declared)s but the content is %(found)s")
TYPE_UNPROVEN = gettext_noop("declared as %(declared)s but the content is not")


@dataclass(frozen=True)
class Reason:
    template: str
    args: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return reason_text(self.template, self.args)


def reason_text(template: str, args: dict | None) -> str:
    """The reason in the active language."""
    if not template:
        return ""
    text = gettext(template)
    try:
        return text % args if args else text
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
        return template % args if args else template
