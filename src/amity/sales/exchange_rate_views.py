"""Admin page for the dated exchange rates that convert totals into the organisation's
currency (core.exchange_rates): the rates by currency, add or correct one, remove one."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amity.core.exchange_rates import ExchangeRate
from amity.core.money import validate_currency
from amity.org.views import admin_required

RATES_SHOWN = 500


class ExchangeRateForm(forms.Form):
    """A rate for a day; giving one again for the same currency and day corrects it."""

    currency = forms.CharField(label=gettext_lazy("Currency"), max_length=3,
                               help_text=gettext_lazy("ISO code, e.g. THB"))
    valid_from = forms.DateField(label=gettext_lazy("Valid from"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    rate = forms.DecimalField(label=gettext_lazy("Rate"), max_digits=20, decimal_places=10,
                              min_value=Decimal("0.0000000001"))

    def clean_currency(self) -> str:
        currency = (self.cleaned_data.get("currency") or "").strip().upper()
        validate_currency(currency)
        if currency == settings.AMITY_CURRENCY:
            raise forms.ValidationError(_("This is the organisation's own currency: its rate "
                                          "is always 1."))
        return currency


@admin_required
def exchange_rate_list(request):
    form = ExchangeRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ExchangeRate.objects.update_or_create(currency=data["currency"],
                                              valid_from=data["valid_from"],
                                              defaults={"rate": data["rate"]})
        messages.success(request, _("The rate was saved."))
        return redirect("exchange_rate_list")
    return render(request, "sales/pipelines/exchange_rates.html", {
        "form": form, "rates": ExchangeRate.objects.all()[:RATES_SHOWN],
        "currency": settings.AMITY_CURRENCY, "title": _("Exchange rates")},
        status=422 if form.errors else 200)


@admin_required
@require_POST
def exchange_rate_delete(request, pk):
    get_object_or_404(ExchangeRate, pk=pk).delete()
    messages.success(request, _("The rate was removed."))
    return redirect("exchange_rate_list")


urlpatterns = [
    path("admin/exchange-rates/", exchange_rate_list, name="exchange_rate_list"),
    path("admin/exchange-rates/<int:pk>/delete/", exchange_rate_delete,
         name="exchange_rate_delete"),
]
