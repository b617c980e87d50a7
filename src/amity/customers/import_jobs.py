"""Contact import jobs: the uploaded file, how its columns map onto contacts, what to do
with duplicates, and a committed checkpoint so a job resumes where it stopped."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amity.core.registry import record_kind


class Duplicates(models.TextChoices):
    SKIP = "skip", _("Skip the row")
    UPDATE = "update", _("Update the existing contact")
    CREATE = "create", _("Create another contact")


class MatchKey(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    EXTERNAL_ID = "external_id", _("External ID")


class ImportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def _default_match() -> list[str]:
    return [MatchKey.EMAIL.value]


CONTACTS = "customers.contact"


class ImportJob(models.Model):
    """One file of records being imported by one user: contacts (with a mapping, a
    preview and duplicate handling here) or leads (sales.lead_import)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"),
                              on_delete=models.CASCADE, related_name="import_jobs")
    # The kind of record the file becomes ("customers.contact", "sales.lead").
    target = models.CharField(_("imported as"), max_length=40, default=CONTACTS)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=10)
    encoding = models.CharField(_("character set"), max_length=40, blank=True)
    headers = models.JSONField(_("columns"), default=list)
    mapping = models.JSONField(_("mapping"), default=dict,
                               help_text=_("Column of the file -> contact field"))
    duplicates = models.CharField(_("duplicates"), max_length=10, choices=Duplicates.choices,
                                  default=Duplicates.SKIP)
    match_on = models.JSONField(_("match on"), default=_default_match)
    all_or_nothing = models.BooleanField(_("all or nothing"), default=False)
    # A company the rows name that no visible account has becomes a new account.
    create_accounts = models.BooleanField(_("create missing accounts"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.DRAFT)
    message = models.TextField(_("message"), blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    # The number (as the user sees it) of the last row whose effect is committed.
    last_row = models.PositiveIntegerField(_("last row"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    rows_per_second = models.FloatField(_("rows per second"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["owner", "-created_at"], name="import_job_owner")]

    def __str__(self) -> str:
        return self.filename

    @property
    def records_label(self) -> str:
        """What the file becomes, for people: "contacts", "leads"."""
        return record_kind(self.target).label

    @property
    def records_url(self) -> str:
        return reverse(f"{record_kind(self.target).model._meta.model_name}_list")

    @property
    def is_active(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def percent(self) -> int | None:
        """How far the job is, 0-100, or None while the number of rows is unknown."""
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_rows:
            return None
        return min(99, self.processed * 100 // self.total_rows)

    @property
    def rows_left(self) -> int | None:
        if self.status == ImportStatus.DONE:
            return 0
        return None if self.total_rows is None else max(0, self.total_rows - self.processed)


class ImportRowError(models.Model):
    """One problem in one row of an import, for the downloadable error file."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    row_number = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=1000, blank=True)
    message = models.TextField(_("message"))

    class Meta:
        verbose_name = _("import error")
        verbose_name_plural = _("import errors")
        indexes = [models.Index(fields=["job", "row_number", "id"], name="import_error_row")]

    def __str__(self) -> str:
        return f"{self.row_number}: {self.message}"
