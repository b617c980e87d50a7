"""Accounts (organisations) and contacts (people): who the customers are."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from amity.core.models import OwnedRecord


class AccountType(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    CUSTOMER = "customer", _("Customer")
    PARTNER = "partner", _("Partner")
    COMPETITOR = "competitor", _("Competitor")


class Account(OwnedRecord):
    export_fields = ("id", "name", "type", "industry", "website", "phone", "city", "country",
                     "description", "owner", "team", "created_at", "updated_at")

    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(
        _("type"), max_length=20, choices=AccountType.choices, default=AccountType.PROSPECT
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True,
                               help_text=_("Two-letter ISO code, e.g. TH"))
    description = models.TextField(_("description"), blank=True, max_length=10000)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        indexes = [
            *OwnedRecord.Meta.indexes,
            models.Index(fields=["name", "id"], name="account_name"),
        ]

    def __str__(self) -> str:
        return self.name


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


class Contact(OwnedRecord):
    export_fields = ("id", "given_name", "family_name", "email", "phone", "job_title", "account",
                     "owner", "team", "created_at", "updated_at")

    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    account = models.ForeignKey(
        Account, verbose_name=_("account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="contacts",
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            *OwnedRecord.Meta.indexes,
            models.Index(fields=["family_name", "id"], name="contact_name"),
        ]

    def __str__(self) -> str:
        # Chinese names are written family name first, with no space.
        if _is_cjk(self.family_name + self.given_name):
            return f"{self.family_name}{self.given_name}"
        return f"{self.given_name} {self.family_name}".strip()

    @staticmethod
    def vcards(contacts: models.QuerySet):
        """The contacts as a stream of vCards (see customers.vcards)."""
        from amity.customers.vcards import vcards

        return vcards(contacts)
