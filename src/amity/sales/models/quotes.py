"""Quotes: priced offers to a customer, in versions, with discount approval."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from amity.core.models import OwnedRecord
from amity.core.money import validate_currency
from amity.sales.models.configuration import RuleAdjusted

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
QUANTITY = [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("9999999999"))]


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_APPROVAL = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


# Statuses in which a quote's lines and terms may still change.
EDITABLE = (QuoteStatus.DRAFT, QuoteStatus.PENDING_APPROVAL, QuoteStatus.APPROVED)


class Quote(OwnedRecord):
    """An offer to a customer at prices from one price book; revising a sent or
    answered quote makes a new version with the same number."""

    area = "sales"
    export_fields = ("id", "number", "revision", "status", "account", "contact", "opportunity",
                     "currency", "subtotal", "discount_amount", "tax_amount", "total",
                     "valid_until", "owner", "team", "created_at", "updated_at")

    number = models.CharField(_("number"), max_length=20, blank=True, editable=False)
    # "version" is taken by the optimistic-locking counter every record has.
    revision = models.PositiveIntegerField(_("version"), default=1, editable=False)
    superseded_by = models.OneToOneField("self", verbose_name=_("superseded by"), null=True,
                                         blank=True, editable=False, on_delete=models.SET_NULL,
                                         related_name="supersedes")
    status = models.CharField(_("status"), max_length=10, choices=QuoteStatus.choices,
                              default=QuoteStatus.DRAFT, editable=False)
    opportunity = models.ForeignKey("sales.Opportunity", verbose_name=_("opportunity"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="quotes")
    account = models.ForeignKey("customers.Account", verbose_name=_("account"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="quotes")
    contact = models.ForeignKey("customers.Contact", verbose_name=_("contact"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="quotes")
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency],
                                help_text=_("ISO code, e.g. THB"))
    price_book = models.ForeignKey("sales.PriceBook", verbose_name=_("price book"),
                                   on_delete=models.PROTECT, related_name="quotes")
    discount_percent = models.DecimalField(_("quote discount (%)"), max_digits=5,
                                           decimal_places=2, default=Decimal(0),
                                           validators=PERCENT)
    tax_percent = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2,
                                      default=Decimal(0), validators=PERCENT,
                                      help_text=_("For lines without a rate of their own"))
    terms = models.TextField(_("terms"), blank=True, max_length=20000)
    valid_until = models.DateField(_("valid until"))
    subtotal = models.DecimalField(_("subtotal"), max_digits=18, decimal_places=2,
                                   default=Decimal(0), editable=False)
    discount_amount = models.DecimalField(_("discount"), max_digits=18, decimal_places=2,
                                          default=Decimal(0), editable=False)
    tax_amount = models.DecimalField(_("tax"), max_digits=18, decimal_places=2,
                                     default=Decimal(0), editable=False)
    total = models.DecimalField(_("total"), max_digits=18, decimal_places=2,
                                default=Decimal(0), editable=False)
    # The largest discount (line or overall, %) that the approver saw and approved.
    approved_discount = models.DecimalField(max_digits=7, decimal_places=4, null=True,
                                            editable=False)
    approval_comment = models.TextField(_("approval comment"), blank=True, editable=False)
    approved_by = models.ForeignKey("org.User", verbose_name=_("approved by"), null=True,
                                    blank=True, editable=False, on_delete=models.SET_NULL,
                                    related_name="+")
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, editable=False)
    decline_reason = models.TextField(_("reason declined"), blank=True, editable=False)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        indexes = [
            *OwnedRecord.Meta.indexes,
            models.Index(fields=["owner", "updated_at", "id"], name="quote_owner"),
            models.Index(fields=["team", "updated_at", "id"], name="quote_team"),
            models.Index(fields=["account", "status"], name="quote_account"),
            models.Index(fields=["contact", "status"], name="quote_contact"),
            models.Index(fields=["opportunity"], name="quote_opportunity"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["number", "revision"], name="quote_number_revision",
                                    condition=~models.Q(number="")),
        ]

    def __str__(self) -> str:
        return f"{self.number or '—'} v{self.revision}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE and self.superseded_by_id is None

    def clean(self) -> None:
        if self.opportunity_id:
            self.account_id = self.account_id or self.opportunity.account_id
            self.contact_id = self.contact_id or self.opportunity.contact_id
            self.currency = self.currency or self.opportunity.currency
            if self.opportunity.account_id not in (None, self.account_id):
                raise ValidationError({"account": _(
                    "The opportunity is with another account.")})
        if self.price_book_id:
            self.currency = self.currency or self.price_book.currency
        if not self.account_id and not self.contact_id:
            raise ValidationError({"account": _("Give the account or the contact quoted.")})
        if self.price_book_id and self.currency and self.price_book.currency != self.currency:
            raise ValidationError({"price_book": _(
                "This price book is in %(book)s; the quote is in %(quote)s.")
                % {"book": self.price_book.currency, "quote": self.currency}})

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        if not self.number:
            # The number is the first version's id, so every version shares it.
            self.number = f"Q-{self.pk:06d}"
            type(self).all_objects.filter(pk=self.pk).update(number=self.number)


class QuoteLine(RuleAdjusted):
    """One product on a quote: list price from the book, less the line's discount, plus
    what the configuration rules adjust."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    product = models.ForeignKey("sales.Product", verbose_name=_("product"),
                                on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("description"), max_length=500, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2,
                                   validators=QUANTITY)
    unit_price = models.DecimalField(_("unit price"), max_digits=18, decimal_places=2)
    discount_percent = models.DecimalField(_("discount (%)"), max_digits=5, decimal_places=2,
                                           default=Decimal(0), validators=PERCENT)
    # None: the quote's rate applies.
    tax_percent = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2,
                                      null=True, blank=True, validators=PERCENT)
    net_amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["quote", "position", "id"]

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"
