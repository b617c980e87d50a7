"""Forms, list filters and tables of quotes and orders (one filter definition serves the
UI list and the API list)."""

from decimal import Decimal

import django_filters as filters
import django_tables2 as tables
from django import forms
from django.utils.translation import gettext_lazy as _

from amity.core.calendars import format_date
from amity.customers.filters import RecordFilter
from amity.customers.models import Account, Contact
from amity.sales.models import (
    Opportunity,
    Order,
    OrderStatus,
    PriceBook,
    Product,
    Quote,
    QuoteStatus,
)
from amity.sales.models.quotes import PERCENT, QUANTITY
from amity.web.tables import KeysetTable, UserDateTimeColumn


class QuoteForm(forms.ModelForm):
    class Meta:
        model = Quote
        fields = ["opportunity", "account", "contact", "currency", "price_book",
                  "discount_percent", "tax_percent", "valid_until", "terms"]
        widgets = {"valid_until": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the customers and opportunities the user may see.
        self.fields["opportunity"].queryset = Opportunity.objects.visible_to(user)
        self.fields["account"].queryset = Account.objects.visible_to(user).order_by("name")
        self.fields["contact"].queryset = Contact.objects.visible_to(user)
        self.fields["price_book"].queryset = PriceBook.objects.filter(active=True)
        self.fields["currency"].required = False
        self.fields["currency"].help_text = _("Empty: the opportunity's or price book's")

    def clean(self) -> dict:
        from amity.sales.quote_services import with_currency

        return with_currency(super().clean())


class QuoteLineForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=12, decimal_places=2,
                                  initial=Decimal(1), validators=QUANTITY)
    discount_percent = forms.DecimalField(label=_("Discount (%)"), max_digits=5,
                                          decimal_places=2, required=False, validators=PERCENT)
    tax_percent = forms.DecimalField(label=_("Tax rate (%)"), max_digits=5, decimal_places=2,
                                     required=False, validators=PERCENT,
                                     help_text=_("Empty: the quote's rate"))
    description = forms.CharField(label=_("Description"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(active=True)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why do you decline? (optional)"), max_length=2000,
                             required=False, widget=forms.Textarea(attrs={"rows": 3}))


class OrderForm(forms.ModelForm):
    class Meta:
        model = Order
        fields = ["notes"]


class QuoteFilter(RecordFilter):
    q = filters.CharFilter(label=_("Number"), field_name="number", lookup_expr="icontains",
                           max_length=20)
    status = filters.ChoiceFilter(label=_("Status"), choices=QuoteStatus.choices)
    account = filters.NumberFilter(label=_("Account"), field_name="account_id")
    contact = filters.NumberFilter(label=_("Contact"), field_name="contact_id")
    opportunity = filters.NumberFilter(label=_("Opportunity"), field_name="opportunity_id")

    class Meta:
        model = Quote
        fields = ["q", "status", "account", "contact", "opportunity", "owner", "team"]


class OrderFilter(RecordFilter):
    q = filters.CharFilter(label=_("Number"), field_name="number", lookup_expr="icontains",
                           max_length=20)
    status = filters.ChoiceFilter(label=_("Status"), choices=OrderStatus.choices)
    account = filters.NumberFilter(label=_("Account"), field_name="account_id")
    contact = filters.NumberFilter(label=_("Contact"), field_name="contact_id")

    class Meta:
        model = Order
        fields = ["q", "status", "account", "contact", "owner", "team"]


class QuoteTable(KeysetTable):
    number = tables.Column(linkify=True, verbose_name=_("Number"), orderable=False,
                           accessor="pk")
    account = tables.Column(verbose_name=_("Account"), orderable=False)
    valid_until = tables.Column(verbose_name=_("Valid until"), orderable=False)
    owner = tables.Column(verbose_name=_("Owner"), orderable=False)
    updated_at = UserDateTimeColumn(verbose_name=_("Updated"), orderable=True)

    class Meta:
        model = Quote
        fields = ["number", "revision", "status", "account", "contact", "currency", "total",
                  "valid_until", "owner", "updated_at"]
        orderable = False

    def render_number(self, record) -> str:
        return str(record)

    def render_valid_until(self, value) -> str:
        return format_date(value)


class OrderTable(KeysetTable):
    number = tables.Column(linkify=True, verbose_name=_("Number"), orderable=False,
                           accessor="pk")
    account = tables.Column(verbose_name=_("Account"), orderable=False)
    owner = tables.Column(verbose_name=_("Owner"), orderable=False)
    placed_at = UserDateTimeColumn(verbose_name=_("Placed"), orderable=True)

    class Meta:
        model = Order
        fields = ["number", "status", "account", "contact", "currency", "total", "placed_at",
                  "owner"]
        orderable = False

    def render_number(self, record) -> str:
        return str(record)
