"""Forms of the catalogue pages, the configuration rule editor, the opportunity lines
panel and the configurator. They only parse input; the services validate and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from amity.sales.models import ConfigurationRule, PriceBook, Product

MAX_ROWS = 50


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["code", "name", "family", "unit", "description", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PriceBookForm(forms.ModelForm):
    class Meta:
        model = PriceBook
        fields = ["name", "currency", "is_standard", "active", "valid_from", "valid_until"]
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"}),
                   "valid_until": forms.DateInput(attrs={"type": "date"})}

    def clean_currency(self) -> str:
        # "thb" is THB: people type codes in lower case.
        return self.cleaned_data["currency"].strip().upper()


class TierForm(forms.Form):
    min_quantity = forms.DecimalField(label=_("From quantity"), required=False)
    unit_price = forms.DecimalField(label=_("Unit price"), required=False)


TierFormSet = forms.formset_factory(TierForm, extra=2, max_num=MAX_ROWS, absolute_max=MAX_ROWS)


def _products(field: forms.ModelChoiceField, queryset) -> None:
    field.queryset = queryset.order_by("name", "id")


class RuleForm(forms.ModelForm):
    """Reads as: If [product] [is selected / quantity is at least N] then [action]
    [product] [quantity / adjustment] else [action] …"""

    class Meta:
        model = ConfigurationRule
        fields = ["name", "active", "if_product", "condition", "min_quantity",
                  "then_action", "then_product", "then_quantity", "then_adjust_value",
                  "then_adjust_by",
                  "else_action", "else_product", "else_quantity", "else_adjust_value",
                  "else_adjust_by"]

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("if_product", "then_product", "else_product"):
            _products(self.fields[name], products if products is not None
                      else Product.objects.all())


class LineForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    quantity = forms.DecimalField(label=_("Quantity"), initial=1)
    unit_price = forms.DecimalField(label=_("Unit price"), required=False,
                                    help_text=_("Leave empty to use the price book."))
    discount_percent = forms.DecimalField(label=_("Discount (%)"), initial=0, required=False)

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        _products(self.fields["product"], products)


class LineEditForm(forms.Form):
    quantity = forms.DecimalField(label=_("Quantity"))
    unit_price = forms.DecimalField(label=_("Unit price"))
    discount_percent = forms.DecimalField(label=_("Discount (%)"))


class PriceBookChoiceForm(forms.Form):
    price_book = forms.ModelChoiceField(label=_("Price book"), queryset=PriceBook.objects.none(),
                                        required=False)

    def __init__(self, *args, books=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["price_book"].queryset = books


class SelectionRowForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none(),
                                     required=False)
    quantity = forms.DecimalField(label=_("Quantity"), required=False)

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        _products(self.fields["product"], products)


SelectionFormSet = forms.formset_factory(SelectionRowForm, extra=3, max_num=MAX_ROWS,
                                         absolute_max=MAX_ROWS)
