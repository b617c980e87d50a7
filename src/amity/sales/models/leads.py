"""Leads: people or companies who may buy, before they are qualified into an account,
a contact and an opportunity."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from amity.core.models import OwnedRecord


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    WORKING = "working", _("Working")
    QUALIFIED = "qualified", _("Qualified")
    DISQUALIFIED = "disqualified", _("Disqualified")
    CONVERTED = "converted", _("Converted")


class Lead(OwnedRecord):
    area = "sales"
    export_fields = ("id", "given_name", "family_name", "company", "job_title", "email",
                     "phone", "country", "region", "postcode", "industry", "employees",
                     "source", "product_interest", "status", "score", "grade", "owner",
                     "team", "created_at", "updated_at")

    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100)
    company = models.CharField(_("company"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    # A CharField for the same reason as Contact.email (non-Latin local parts).
    email = models.CharField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_e164 = models.CharField(_("phone (E.164)"), max_length=16, blank=True,
                                  editable=False)
    language = models.CharField(_("language"), max_length=35, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True,
                               help_text=_("Two-letter ISO code, e.g. TH"))
    region = models.CharField(_("region"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True,
                                            validators=[MaxValueValidator(10_000_000)])
    source = models.CharField(_("source"), max_length=100, blank=True)
    product_interest = models.CharField(_("product interest"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    status = models.CharField(_("status"), max_length=12, choices=LeadStatus.choices,
                              default=LeadStatus.NEW)
    disqualified_reason = models.CharField(_("reason disqualified"), max_length=200,
                                           blank=True)
    # Answers to the qualification checklist, keyed by item key: {"budget": true, …}.
    checklist = models.JSONField(_("qualification checklist"), default=dict, blank=True)
    score = models.IntegerField(_("score"), default=0,
                                validators=[MinValueValidator(-1_000_000),
                                            MaxValueValidator(1_000_000)])
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    # When a person last worked the lead (re-assignment after N untouched hours).
    touched_at = models.DateTimeField(_("last worked"), null=True, blank=True,
                                      editable=False)
    converted_at = models.DateTimeField(_("converted"), null=True, blank=True,
                                        editable=False)
    converted_account = models.ForeignKey("customers.Account", null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+",
                                          editable=False)
    converted_contact = models.ForeignKey("customers.Contact", null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+",
                                          editable=False)
    converted_opportunity = models.ForeignKey("sales.Opportunity", null=True, blank=True,
                                              on_delete=models.SET_NULL, related_name="+",
                                              editable=False)
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        indexes = [
            *OwnedRecord.Meta.indexes,
            models.Index(fields=["owner", "status", "id"], name="lead_owner_status"),
            models.Index(fields=["team", "status", "id"], name="lead_team_status"),
            models.Index(fields=["status", "touched_at"], name="lead_untouched"),
            models.Index(fields=["email"], name="lead_email"),
            models.Index(fields=["score", "id"], name="lead_score"),
            # The duplicate warning and conversion match on phone and exact name too.
            models.Index(fields=["phone_e164"], name="lead_phone"),
            models.Index(fields=["family_name", "given_name"], name="lead_name"),
        ]

    def __str__(self) -> str:
        name = f"{self.given_name} {self.family_name}".strip()
        return f"{name} ({self.company})" if self.company else name

    def clean(self) -> None:
        """Normalise the email and phone as a contact's are, so a converted lead and its
        contact match the same way."""
        from amity.customers.models import normalise_contact

        self.country = self.country.strip().upper()
        values = {"email": self.email, "phone": self.phone, "country": self.country}
        errors = normalise_contact(values)
        self.email, self.phone_e164 = values["email"], values["phone_e164"]
        if errors:
            raise ValidationError(errors)
