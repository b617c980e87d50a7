"""Activities: things to do about a customer. Only tasks for now (issue #5 adds calls,
meetings and the calendar)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from amity.core.models import OwnedRecord


class Task(OwnedRecord):
    """A to-do for its owner, optionally about an account or a contact (not both)."""

    # Tasks are part of working with customers: the same grants as accounts and contacts.
    area = "customers"
    export_fields = ("id", "title", "due_at", "remind_at", "done_at", "account", "contact",
                     "notes", "owner", "team", "created_at", "updated_at")

    title = models.CharField(_("title"), max_length=200)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    remind_at = models.DateTimeField(_("reminder"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    # When the reminder went out (the periodic job sends each once).
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True, max_length=10000)
    # Two plain foreign keys rather than a generic relation: "open tasks of this account"
    # is an indexed lookup, and a deleted account or contact takes its link with it.
    account = models.ForeignKey(
        "customers.Account", verbose_name=_("account"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="tasks",
    )
    contact = models.ForeignKey(
        "customers.Contact", verbose_name=_("contact"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="tasks",
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            *OwnedRecord.Meta.indexes,
            models.Index(fields=["owner", "done_at", "due_at", "id"], name="task_owner_open"),
            models.Index(fields=["team", "done_at", "due_at", "id"], name="task_team_open"),
            models.Index(fields=["account", "done_at"], name="task_account_open"),
            models.Index(fields=["contact", "done_at"], name="task_contact_open"),
            models.Index(fields=["remind_at"], name="task_reminder_due",
                         condition=models.Q(reminded_at__isnull=True, done_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(account__isnull=True) | models.Q(contact__isnull=True),
                name="task_about_one_record",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    @property
    def about(self):
        """The account or contact the task is about, if any."""
        return self.account or self.contact

    def clean(self) -> None:
        if self.account_id and self.contact_id:
            raise ValidationError({"contact": _("A task is about an account or a contact, "
                                                "not both.")})
        if self.remind_at and self.due_at and self.remind_at > self.due_at:
            raise ValidationError({"remind_at": _("The reminder must be before the due "
                                                  "time.")})
