"""Accounts (organisations) and contacts (people): who the customers are."""

import functools
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from amity.core.emails import normalise_email
from amity.core.models import OwnedRecord
from amity.core.money import validate_currency
from amity.core.phones import to_e164


class LifecycleStage(models.TextChoices):
    SUBSCRIBER = "subscriber", _("Subscriber")
    LEAD = "lead", _("Lead")
    MQL = "mql", _("Marketing qualified lead")
    SQL = "sql", _("Sales qualified lead")
    OPPORTUNITY = "opportunity", _("Opportunity")
    CUSTOMER = "customer", _("Customer")
    EVANGELIST = "evangelist", _("Evangelist")
    FORMER = "former", _("Former customer")


class Tier(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic")
    KEY = "key", _("Key")
    STANDARD = "standard", _("Standard")
    LOW = "low", _("Low touch")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class IncomeBand(models.TextChoices):
    LOW = "low", _("Low")
    LOWER_MIDDLE = "lower_middle", _("Lower middle")
    MIDDLE = "middle", _("Middle")
    UPPER_MIDDLE = "upper_middle", _("Upper middle")
    HIGH = "high", _("High")


class AccountType(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    CUSTOMER = "customer", _("Customer")
    PARTNER = "partner", _("Partner")
    COMPETITOR = "competitor", _("Competitor")


class Account(OwnedRecord):
    export_fields = ("id", "name", "legal_name", "type", "lifecycle_stage", "tier", "industry",
                     "employees", "annual_revenue", "revenue_currency", "website", "phone",
                     "city", "country", "language", "parent", "description", "owner", "team",
                     "created_at", "updated_at")

    name = models.CharField(_("name"), max_length=200)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    type = models.CharField(
        _("type"), max_length=20, choices=AccountType.choices, default=AccountType.PROSPECT
    )
    lifecycle_stage = models.CharField(_("lifecycle stage"), max_length=20, blank=True,
                                       choices=LifecycleStage.choices)
    tier = models.CharField(_("tier"), max_length=20, blank=True, choices=Tier.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="children",
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    employees = models.PositiveIntegerField(
        _("employees"), null=True, blank=True, validators=[MaxValueValidator(10_000_000)]
    )
    annual_revenue = models.DecimalField(
        _("annual revenue"), max_digits=18, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    revenue_currency = models.CharField(_("currency"), max_length=3, blank=True,
                                        validators=[validate_currency],
                                        help_text=_("ISO code, e.g. THB"))
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True,
                               help_text=_("Two-letter ISO code, e.g. TH"))
    # The language quotes and other documents go out in when no contact's is known.
    language = models.CharField(_("language"), max_length=35, blank=True,
                                help_text=_("Language tag, e.g. th, fa, zh-Hans"))
    description = models.TextField(_("description"), blank=True, max_length=10000,
                                   validators=[MaxLengthValidator(10000)])
    # Set when this account was merged into another (and moved to the recycle bin).
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="merged_accounts",
    )
    # Values of the administrator's custom fields, keyed by field key (see core.custom_fields).
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)
    tags = TaggableManager(_("tags"), through="TaggedAccount", blank=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        indexes = [
            *OwnedRecord.Meta.indexes,
            models.Index(fields=["name", "id"], name="account_name"),
            models.Index(fields=["owner", "name", "id"], name="account_owner_name"),
            models.Index(fields=["team", "name", "id"], name="account_team_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def export_columns():
        """Tags and the primary address in exports (see customers.exports)."""
        from amity.customers.exports import account_columns

        return account_columns()

    def clean(self) -> None:
        if self.annual_revenue is not None and not self.revenue_currency:
            raise ValidationError({"revenue_currency": _("Give the currency of the revenue.")})
        node, seen = self.parent, set()
        while node is not None and node.pk not in seen:
            if self.pk and node.pk == self.pk:
                raise ValidationError({"parent": _("An account cannot be inside itself.")})
            seen.add(node.pk)
            node = node.parent


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def contact_email(raw: str) -> str:
    """A contact's email as stored (primary or other): validated, normalised and lowercased,
    so the same mailbox always matches."""
    return normalise_email(raw).lower()


def normalise_contact(values: dict, *, account_country: str = "") -> dict[str, list[str]]:
    """Normalise a contact's email and phone in `values` (setting "phone_e164") and check
    its time zone; the errors by field. Contact.clean and the import both call this, so
    every write path applies the same rules. A phone without a country code is read in
    the contact's country, else its account's."""
    errors = {}
    if values.get("email"):
        try:
            values["email"] = contact_email(values["email"])
        except ValidationError as exc:
            errors["email"] = exc.messages
    values["phone_e164"] = ""
    if values.get("phone"):
        region = values.get("country") or account_country
        try:
            values["phone_e164"] = to_e164(values["phone"], region=region)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if values.get("time_zone") and values["time_zone"] not in _time_zones():
        errors["time_zone"] = [_("Choose a time zone such as Asia/Bangkok.")]
    return errors


class Contact(OwnedRecord):
    export_fields = ("id", "external_id", "salutation", "given_name", "family_name", "email",
                     "phone", "phone_e164", "job_title", "department", "account",
                     "lifecycle_stage", "birth_date", "gender", "language", "time_zone", "city",
                     "country", "income_band", "source", "description", "owner", "team",
                     "created_at", "updated_at")

    salutation = models.CharField(_("salutation"), max_length=30, blank=True)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100)
    # A CharField: Django's EmailValidator refuses non-Latin local parts (สมชาย@…),
    # which email-validator accepts; clean() validates and normalises.
    email = models.CharField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True,
                             help_text=_("As written; include the country code if abroad."))
    phone_e164 = models.CharField(_("phone (E.164)"), max_length=16, blank=True,
                                  editable=False)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    lifecycle_stage = models.CharField(_("lifecycle stage"), max_length=20, blank=True,
                                       choices=LifecycleStage.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=12, blank=True, choices=Gender.choices)
    language = models.CharField(_("language"), max_length=35, blank=True,
                                help_text=_("Language tag, e.g. th, fa, zh-Hans"))
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True,
                               help_text=_("Two-letter ISO code, e.g. TH"))
    source = models.CharField(_("source"), max_length=100, blank=True)
    income_band = models.CharField(_("income band"), max_length=20, blank=True,
                                   choices=IncomeBand.choices)
    external_id = models.CharField(_("external ID"), max_length=100, blank=True,
                                   help_text=_("The contact's id in another system"))
    # A TextField's max_length only sizes the form's textarea; the validator makes
    # full_clean and the import (which runs each field's checks) refuse a longer text.
    description = models.TextField(_("description"), blank=True, max_length=10000,
                                   validators=[MaxLengthValidator(10000)])
    account = models.ForeignKey(
        Account, verbose_name=_("account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="contacts",
    )
    # Set when this contact was merged into another (and moved to the recycle bin).
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="merged_contacts",
    )
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)
    tags = TaggableManager(_("tags"), through="TaggedContact", blank=True)
    interests = TaggableManager(_("interests"), through="ContactInterest", blank=True,
                                related_name="+")

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            *OwnedRecord.Meta.indexes,
            models.Index(fields=["family_name", "id"], name="contact_name"),
            models.Index(fields=["owner", "family_name", "id"], name="contact_owner_name"),
            models.Index(fields=["team", "family_name", "id"], name="contact_team_name"),
            # Exact matches only (import, duplicates): plain indexes, without the LIKE
            # (varchar_pattern_ops) twins that db_index=True adds on PostgreSQL.
            models.Index(fields=["email"], name="contact_email"),
            models.Index(fields=["phone_e164"], name="contact_phone_e164"),
            models.Index(fields=["external_id"], name="contact_external_id"),
        ]

    def __str__(self) -> str:
        # Chinese names are written family name first, with no space.
        if _is_cjk(self.family_name + self.given_name):
            return f"{self.family_name}{self.given_name}"
        return f"{self.given_name} {self.family_name}".strip()

    def clean(self) -> None:
        """Normalise the email and phone so the same person always matches."""
        values = {"email": self.email, "phone": self.phone, "country": self.country,
                  "time_zone": self.time_zone}
        errors = normalise_contact(
            values, account_country=self.account.country if self.account_id else "")
        self.email, self.phone_e164 = values["email"], values["phone_e164"]
        if errors:
            raise ValidationError(errors)

    def websites(self) -> list[str]:
        """The addresses of its "Website" social handles (prefetched ones if prefetched)."""
        return [h.handle for h in self.social_handles.all()
                if h.network == SocialNetwork.WEBSITE]

    @staticmethod
    def export_columns():
        """Tags, interests, other emails and phones, primary address (customers.exports)."""
        from amity.customers.exports import contact_columns

        return contact_columns()

    @staticmethod
    def vcards(contacts: models.QuerySet, reader):
        """The contacts as a stream of vCards for `reader` (see customers.vcards)."""
        from amity.customers.vcards import vcards

        return vcards(contacts, reader)


# Tags are shared labels (taggit's Tag); each kind has its own through table with a real
# foreign key, so "tagged X" is an indexed join rather than a generic relation.
class TaggedAccount(TaggedItemBase):
    content_object = models.ForeignKey(Account, on_delete=models.CASCADE)


class TaggedContact(TaggedItemBase):
    content_object = models.ForeignKey(Contact, on_delete=models.CASCADE)


class Interest(TagBase):
    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")


class ContactInterest(TaggedItemBase):
    tag = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="contacts")
    content_object = models.ForeignKey(Contact, on_delete=models.CASCADE)


# Contact points. The primary email and phone stay on Contact (what lists, search, import
# matching and dedupe read at a million rows); these hold the others, any number of each.
class EmailLabel(models.TextChoices):
    WORK = "work", _("Work")
    HOME = "home", _("Home")
    OTHER = "other", _("Other")


class PhoneLabel(models.TextChoices):
    MOBILE = "mobile", _("Mobile")
    WORK = "work", _("Work")
    HOME = "home", _("Home")
    OTHER = "other", _("Other")


class ContactEmail(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="other_emails")
    email = models.CharField(_("email"), max_length=254, db_index=True)
    label = models.CharField(_("label"), max_length=10, choices=EmailLabel.choices,
                             default=EmailLabel.OTHER)

    class Meta:
        verbose_name = _("email address")
        verbose_name_plural = _("email addresses")
        constraints = [models.UniqueConstraint(fields=["contact", "email"],
                                               name="contact_email_once")]

    def __str__(self) -> str:
        return self.email


class ContactPhone(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="other_phones")
    phone = models.CharField(_("phone"), max_length=40)
    phone_e164 = models.CharField(_("phone (E.164)"), max_length=16, db_index=True)
    label = models.CharField(_("label"), max_length=10, choices=PhoneLabel.choices,
                             default=PhoneLabel.MOBILE)

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        constraints = [models.UniqueConstraint(fields=["contact", "phone_e164"],
                                               name="contact_phone_once")]

    def __str__(self) -> str:
        return self.phone


class SocialNetwork(models.TextChoices):
    LINKEDIN = "linkedin", "LinkedIn"
    X = "x", "X"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    LINE = "line", "LINE"
    WECHAT = "wechat", "WeChat"
    TELEGRAM = "telegram", "Telegram"
    WHATSAPP = "whatsapp", "WhatsApp"
    WEBSITE = "website", _("Website")
    OTHER = "other", _("Other")


class SocialHandle(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="social_handles")
    network = models.CharField(_("network"), max_length=20, choices=SocialNetwork.choices)
    handle = models.CharField(_("handle"), max_length=200,
                              help_text=_("The user name or the profile's address"))

    class Meta:
        verbose_name = _("social handle")
        verbose_name_plural = _("social handles")
        constraints = [models.UniqueConstraint(fields=["contact", "network", "handle"],
                                               name="social_handle_once")]

    def __str__(self) -> str:
        return f"{self.get_network_display()}: {self.handle}"


class AddressKind(models.TextChoices):
    BILLING = "billing", _("Billing")
    SHIPPING = "shipping", _("Shipping")
    OFFICE = "office", _("Office")
    HOME = "home", _("Home")
    OTHER = "other", _("Other")


class Address(models.Model):
    """A postal address of an account or of a contact (exactly one of the two)."""

    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="addresses")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="addresses")
    kind = models.CharField(_("kind"), max_length=10, choices=AddressKind.choices,
                            default=AddressKind.OFFICE)
    is_primary = models.BooleanField(_("primary"), default=False)
    street = models.TextField(_("street"), max_length=500,
                              help_text=_("House number, street, building; several lines"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True,
                              help_text=_("State, province or county"))
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True,
                               help_text=_("Two-letter ISO code, e.g. TH"))

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(account__isnull=False, contact__isnull=True)
                           | models.Q(account__isnull=True, contact__isnull=False)),
                name="address_of_one_record",
            ),
            models.UniqueConstraint(fields=["account"], condition=models.Q(is_primary=True),
                                    name="account_one_primary_address"),
            models.UniqueConstraint(fields=["contact"], condition=models.Q(is_primary=True),
                                    name="contact_one_primary_address"),
        ]

    def __str__(self) -> str:
        parts = [self.street.replace("\n", ", "), self.city, self.region, self.postal_code,
                 self.country]
        return ", ".join(p for p in parts if p)


class Membership(models.Model):
    """A contact's role and title at an account. Contact.account is their main account;
    memberships add the others (and may give a role at the main one too)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="memberships")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=100, blank=True,
                            help_text=_("e.g. decision maker, billing contact"))
    title = models.CharField(_("title"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("account membership")
        verbose_name_plural = _("account memberships")
        constraints = [models.UniqueConstraint(fields=["account", "contact"],
                                               name="membership_once")]

    def __str__(self) -> str:
        return f"{self.contact} @ {self.account}"


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    PHONE = "phone", _("Phone")
    POST = "post", _("Post")


class ConsentStatus(models.TextChoices):
    GRANTED = "granted", _("Granted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsentMethod(models.TextChoices):
    WEB_FORM = "web_form", _("Web form")
    EMAIL = "email", _("Email")
    VERBAL = "verbal", _("Verbal")
    WRITTEN = "written", _("Written")
    IMPORT = "import", _("Import")
    API = "api", _("API")


class Consent(models.Model):
    """One statement of consent for one channel; the newest per channel is in force.

    Statements are never edited: a change of mind is a new statement, so the record
    of who agreed to what, when, how and with what proof stays whole."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=ConsentStatus.choices)
    method = models.CharField(_("how"), max_length=10, choices=ConsentMethod.choices)
    proof = models.CharField(_("proof"), max_length=500, blank=True,
                             help_text=_("e.g. the form's URL and IP address, or a document"))
    recorded_at = models.DateTimeField(_("when"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        "org.User", verbose_name=_("by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["contact", "channel", "-recorded_at", "-id"],
                                name="consent_current")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.get_status_display()}"


# Import jobs and the duplicate queue live in their own modules; imported here so Django
# finds the models.
from amity.customers.duplicate_pairs import DuplicatePair  # noqa: E402
from amity.customers.import_jobs import ImportJob, ImportRowError  # noqa: E402

__all__ = ["Account", "Address", "Consent", "Contact", "ContactEmail", "ContactInterest",
           "ContactPhone", "DuplicatePair", "ImportJob", "ImportRowError", "Interest",
           "Membership", "SocialHandle", "TaggedAccount", "TaggedContact"]
